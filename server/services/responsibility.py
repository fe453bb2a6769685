"""Who answers for each deduction of a result: the site's project lead unless a
supervisor of the site named someone else for that deduction.

Assignments are one record per result (collection ``responsibility``, id =
the result id) in the site's bucket, so the site's devices see them. The
record keeps only what was set by hand; the lead default is resolved when
read, so naming a new lead moves every unassigned deduction with it.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from checklists.actors import Actor
from checklists.workflow.deductions import Deduction, deductions_of, responsible_for
from server.services.accounts.access import require_site
from server.services.accounts.records import to_text
from server.services.accounts.sites import SITES, site_bucket
from server.services.accounts.users import USERS
from server.store import Put, Store
from server.store.base import Reader
from sync.placement import RESULTS

from .errors import Forbidden, Invalid, NotFound

RESPONSIBILITY = "responsibility"


def visible_result(reader: Reader, actor: Actor, result_id: str) -> dict[str, Any]:
    """A result the actor's sites include (``NotFound`` otherwise: ids are not confirmed)."""
    record = reader.get(RESULTS, result_id)
    if record is None:
        raise NotFound(f"result {result_id!r} does not exist")
    require_site(actor, record.doc["site_id"], hide=True)
    return dict(record.doc)


def responsible_people(reader: Reader, result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """``{deduction key: {"deduction", "person_id", "source"}}`` for every deduction of
    ``result``; ``source`` is ``assigned`` or ``lead`` (``person_id`` None: no lead named)."""
    site = reader.get_doc(SITES, result["site_id"]) or {}
    assigned = (reader.get_doc(RESPONSIBILITY, result["id"]) or {}).get("assignments", {})
    return responsible_for(result.get("score"), assigned, site.get("lead_user_id"))


def responsibility_view(reader: Reader, result: dict[str, Any]) -> list[dict[str, Any]]:
    """The deductions of a result with who answers for each, as the API shows them."""
    return [{"deduction": key, "item_id": e["deduction"].item_id,
             "instance": e["deduction"].instance, "points": e["deduction"].points,
             "person_id": e["person_id"], "source": e["source"]}
            for key, e in responsible_people(reader, result).items()]


def assign(store: Store, actor: Actor, result_id: str, assignments: list[dict[str, str]],
           *, at: datetime) -> list[dict[str, Any]]:
    """Name the person responsible for some deductions of a result (a supervisor of its
    site). ``assignments``: ``[{"deduction": key, "user_id": id}]``; others stay as they are."""
    with store.transaction() as tx:
        result = visible_result(tx, actor, result_id)
        if not actor.supervises:
            raise Forbidden("only a supervisor of the site names who is responsible")
        keys = {d.key: d for d in deductions_of(result.get("score"))}
        errors = {}
        for n, entry in enumerate(assignments):
            if entry["deduction"] not in keys:
                errors[str(n)] = {"deduction": [_no_deduction(entry["deduction"], keys)]}
            elif tx.get(USERS, entry["user_id"]) is None:
                errors[str(n)] = {"user_id": [f"No user {entry['user_id']}."]}
        if errors:
            raise Invalid({"assignments": errors})
        doc = tx.get_doc(RESPONSIBILITY, result_id) or {
            "id": result_id, "result_id": result_id, "site_id": result["site_id"],
            "assignments": {}}
        doc = {**doc, "assignments": {**doc["assignments"],
                                      **{e["deduction"]: e["user_id"] for e in assignments}},
               "updated_by": actor.user_id, "updated_at": to_text(at)}
        tx.commit([Put(RESPONSIBILITY, result_id, doc, bucket=site_bucket(result["site_id"]))])
        return responsibility_view(tx, result)


def _no_deduction(key: str, keys: dict[str, Deduction]) -> str:
    known = ", ".join(keys) or "none"
    return f"The result has no deduction {key!r} (its deductions: {known})."
