"""A result's failed item linked to the complaint that caused it (issue 15).

A resident complains, an inspection finds the fault: the finding names the
complaint, so the complaint shows what the inspection found and the result
shows why the item was looked at. Pure: the caller reads the result and the
complaint; a link is refused, naming the field, when the complaint is of
another site (or does not exist: one answer) or the item is no finding of
the result. The id joins the three ids, so linking twice is one link.
"""
from __future__ import annotations

from typing import Any, Mapping

from checklists.workflow.ticket_rules import finding_items

from .errors import ComplaintInvalid


def link_id(result_id: str, item: str, complaint_id: str) -> str:
    return f"{result_id}|{item}|{complaint_id}"


def new_link(result: Mapping[str, Any], item: str, complaint: Mapping[str, Any] | None,
             complaint_id: str, stamp: dict, via: str) -> dict:
    """The link of ``result``'s ``item`` to ``complaint``; ``via``: ``submit`` (the
    inspector) or ``review`` (a supervisor on the result)."""
    if complaint is None or complaint["site_id"] != result["site_id"]:
        raise ComplaintInvalid({"complaint_id": ["No complaint with this id at the result's "
                                                 "site."]})
    score = result.get("score")
    if score is None or item not in finding_items(score):
        raise ComplaintInvalid({"item": [f"{item} is no failed item of result "
                                         f"{result['id']}."]})
    return {"type": "complaint_link", "id": link_id(result["id"], item, complaint_id), "v": 1,
            "site_id": result["site_id"], "result_id": result["id"], "item": item,
            "complaint_id": complaint_id, "via": via, "at": stamp["at"], "by": stamp["by"],
            "role": stamp["role"]}
