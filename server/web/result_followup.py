"""What followed a result, for its page: tickets it raised, appeals, rectification rounds.

The result service already answers the review, appeals, the score after
appeals and the rectification (``results.get_result``); this adds the
tickets. A result's tickets have ids derived from it and the item or rule
(``ticket_id_for``), so they are read one by one through the ticket service
(the API's door, same scope), never by scanning the site's tickets.
"""
from __future__ import annotations

from typing import Any

from checklists.actors import Actor
from checklists.workflow.ticket_rules import ticket_id_for
from server.services.accounts.users import users_by_ids
from server.services import tickets


def _candidate_ids(result: dict[str, Any], definition: dict[str, Any]) -> list[str]:
    """Every id a ticket opened from ``result`` can have: per flagged item (with its
    repeat instance), per item, and per rule of the definition's ``tickets``."""
    rid = result["id"]
    ids = [ticket_id_for(rid, f["item_id"], f.get("instance"))
           for f in (result.get("score") or {}).get("flags", ()) if f.get("item_id")]
    ids += [ticket_id_for(rid, item["id"])
            for section in definition["sections"] for item in section["items"]]
    rules = (definition.get("tickets") or {}).get("rules") or ()
    ids += [ticket_id_for(rid, rule.get("item") or rule["id"]) for rule in rules]
    return list(dict.fromkeys(ids))


def result_tickets(store, actor: Actor, result: dict[str, Any],
                   definition: dict[str, Any]) -> list[dict[str, Any]]:
    """The tickets ``result`` raised that ``actor`` may see, in the order of the items."""
    return tickets.visible_among(store, actor, _candidate_ids(result, definition))


def followup(store, actor: Actor, report: dict[str, Any]) -> dict[str, Any]:
    """The result page's blocks after the report: tickets and the names of the people in
    its review log, appeals, rounds and tickets."""
    result = report["result"]
    raised = result_tickets(store, actor, result, report["definition"])
    people = {entry.get("by") for entry in result["review"]["log"]}
    people |= {a.get("appellant_id") for a in result.get("appeals") or ()}
    people |= {r.get("by") for r in (result.get("rectification") or {}).get("rounds", ())}
    people |= {t.get("assignee") for t in raised}
    return {"tickets": raised, "people": users_by_ids(store, {p for p in people if p})}
