"""Appeals as a use case: file one, decide it at its level, read them with a result.

The rules are ``checklists.workflow.appeals`` (pure); this module reads what
they need (the result, who is responsible, the site's lead, the actor's
department) and stores the outcome in one transaction, so two deciders
racing on one appeal cannot both win: the loser's move is stale (409, with
the moves allowed now).

Appeal records live in the appellant's bucket (``user:<id>``): their device
pulls the decisions on its next sync.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from checklists.actors import Actor
from checklists.workflow import appeals as rules
from checklists.workflow.deductions import (
    NotAdjustable, check_adjustment, deductions_of, score_with_adjustments,
)
from server.services.accounts.access import require_site
from server.services.accounts.records import new_id
from server.services.accounts.sites import SITES
from server.services.accounts.users import USERS
from server.store import Put, Store
from server.store.base import Reader
from sync.actor import user_bucket
from sync.placement import RESULTS

from . import definitions
from .errors import Forbidden, Invalid, NotFound, StaleState
from .paging import read_page
from .responsibility import responsible_people, visible_result

APPEALS = "appeals"


def _put(doc: dict[str, Any]) -> Put:
    return Put(APPEALS, doc["id"], doc, bucket=user_bucket(doc["appellant_id"]),
               index={"result": (doc["result_id"], doc["filed_at"]),
                      "site": (doc["site_id"], doc["filed_at"]),
                      "appellant": (doc["appellant_id"], doc["filed_at"])})


def _refused(error: rules.AppealRefused) -> Exception:
    """The service error a refused move reaches callers as."""
    if isinstance(error, rules.StaleMove):
        return StaleState(str(error), error.allowed)
    if isinstance(error, rules.NotYours):
        return Forbidden(str(error))
    if isinstance(error, rules.PastDeadline):
        return Invalid({"deadline": [str(error)]})
    return Invalid({error.field: [str(error)]})


def _seat(reader: Reader, site_id: str, actor: Actor) -> rules.Seat:
    site = reader.get_doc(SITES, site_id) or {}
    me = reader.get_doc(USERS, actor.user_id) or {}
    return rules.Seat(site_lead_id=site.get("lead_user_id"),
                      actor_department=me.get("department") or "")


def appeals_of_result(reader: Reader, result_id: str) -> list[dict[str, Any]]:
    page = reader.list(APPEALS, "result", result_id, limit=1000)
    return [dict(r.doc) for r in page.items]


def file_appeal(store: Store, actor: Actor, result_id: str, *, deduction: str | None,
                reason: str, retaliation: bool, settings: rules.AppealRules,
                at: datetime) -> dict[str, Any]:
    """File an appeal on a result (``deduction`` None) or one of its deductions."""
    with store.transaction() as tx:
        result = visible_result(tx, actor, result_id)
        people = responsible_people(tx, result)
        if deduction is not None and deduction not in people:
            raise Invalid({"deduction": [f"The result has no deduction {deduction!r} "
                                         f"(its deductions: {', '.join(people) or 'none'})."]})
        responsible = ([people[deduction]["person_id"]] if deduction is not None
                       else [e["person_id"] for e in people.values()])
        try:
            doc = rules.file_appeal(
                appeal_id=new_id(), result=result, deduction=deduction,
                responsible=[p for p in responsible if p], actor=actor,
                seat=_seat(tx, result["site_id"], actor), reason=reason,
                retaliation=retaliation, at=at, rules=settings,
                existing=appeals_of_result(tx, result_id))
        except rules.AppealRefused as refused:
            raise _refused(refused) from None
        tx.commit([_put(doc)])
    return with_moves(doc, actor, store, settings, at)


def decide(store: Store, actor: Actor, appeal_id: str, move: str, *, settings: rules.AppealRules,
           at: datetime, expected_level: str | None = None, points: float | None = None,
           deduction: str | None = None, explanation: str = "") -> dict[str, Any]:
    """Make ``move`` on an appeal: a decision at its level, or the appellant's further appeal."""
    with store.transaction() as tx:
        appeal = _visible(tx, actor, appeal_id)
        try:  # who, when and from which state first; then whether the numbers fit the score
            doc = rules.decide(appeal, actor, move, seat=_seat(tx, appeal["site_id"], actor),
                               rules=settings, at=at, expected_level=expected_level,
                               points=points, deduction=deduction, explanation=explanation)
        except rules.AppealRefused as refused:
            raise _refused(refused) from None
        if move == rules.ADJUST:
            _check_adjustment(tx, appeal, deduction, points)
        tx.commit([_put(doc)])
    return with_moves(doc, actor, store, settings, at)


def get_appeal(store: Store, actor: Actor, appeal_id: str, *, settings: rules.AppealRules,
               at: datetime) -> dict[str, Any]:
    with store.snapshot() as snap:
        return with_moves(_visible(snap, actor, appeal_id), actor, snap, settings, at)


def list_appeals(store: Store, actor: Actor, *, site_id: str | None = None,
                 result_id: str | None = None, cursor: str | None = None, limit: int = 50,
                 settings: rules.AppealRules, at: datetime) -> dict[str, Any]:
    """Newest first: the appeals of a site or of a result (who works there), else your own."""
    with store.snapshot() as snap:
        if result_id is not None:
            visible_result(snap, actor, result_id)
            index, key = "result", result_id
        elif site_id is not None:
            require_site(actor, site_id)
            index, key = "site", site_id
        else:
            index, key = "appellant", actor.user_id
        page = read_page(snap, APPEALS, index, key, cursor=cursor, limit=limit,
                         descending=True)
        return {"items": [with_moves(dict(r.doc), actor, snap, settings, at)
                          for r in page.items if rules.may_see(r.doc, actor)],
                "next_cursor": page.next_cursor}


def with_moves(doc: dict[str, Any], actor: Actor, reader, settings: rules.AppealRules,
               at: datetime) -> dict[str, Any]:
    """The appeal with what the caller may do next and until when."""
    deadline = rules.deadline_of(doc, settings)
    return {**doc, "deadline": None if deadline is None else rules.stamp_text(deadline),
            "allowed": rules.allowed_moves(doc, actor, _seat(reader, doc["site_id"], actor),
                                           settings, at)}


def _visible(reader: Reader, actor: Actor, appeal_id: str) -> dict[str, Any]:
    """An appeal the actor may see (``rules.may_see``); others are not confirmed to exist."""
    doc = reader.get_doc(APPEALS, appeal_id)
    if doc is None or not rules.may_see(doc, actor):
        raise NotFound(f"appeal {appeal_id!r} does not exist")
    return dict(doc)


def _check_adjustment(reader: Reader, appeal: dict[str, Any], deduction: str | None,
                      points: float) -> None:
    """``Invalid`` unless the adjustment names a deduction of the result that may take
    ``points`` (the appeal's own deduction, or one named on a whole-result appeal)."""
    key = appeal["deduction"] or deduction
    if key is None:
        raise Invalid({"deduction": ["Name the deduction this adjustment changes."]})
    if appeal["deduction"] is not None and deduction not in (None, appeal["deduction"]):
        raise Invalid({"deduction": [f"This appeal is on {appeal['deduction']}."]})
    result = reader.get_doc(RESULTS, appeal["result_id"])
    found = {d.key: d for d in deductions_of(result.get("score"))}
    if key not in found:
        raise Invalid({"deduction": [f"The result has no deduction {key!r}."]})
    definition = definitions.definition_for_result(reader, result["checklist"]["id"],
                                                   result["checklist"]["version"])
    try:
        check_adjustment(definition, found[key], points)
    except NotAdjustable as exc:
        raise Invalid({"points": [str(exc)]}) from None


def adjusted_points(reader: Reader, result: dict[str, Any]) -> dict[str, float]:
    """``{deduction key: points after appeals}`` of the deductions an appeal adjusted."""
    return {key: entry["points"] for key, entry in
            rules.effective_adjustments(appeals_of_result(reader, result["id"])).items()}


def appeals_view(reader: Reader, result: dict[str, Any], actor: Actor) -> dict[str, Any]:
    """What ``GET /results/<id>`` adds: the result's appeals ``actor`` may see, and its
    score after all of them; the original score is never touched."""
    appeals = appeals_of_result(reader, result["id"])
    return {"appeals": [a for a in appeals if rules.may_see(a, actor)],
            "score_after_appeals": score_after_appeals(reader, result, appeals)}


def score_after_appeals(reader: Reader, result: dict[str, Any],
                        appeals: list[dict[str, Any]] | None = None) -> dict[str, Any] | None:
    """The result rescored with the deductions appeals adjusted, in the explained form
    plus ``adjustments``; None while no appeal adjusted anything."""
    if appeals is None:
        appeals = appeals_of_result(reader, result["id"])
    adjustments = rules.effective_adjustments(appeals)
    if not adjustments or result.get("score") is None:
        return None
    definition = definitions.definition_for_result(reader, result["checklist"]["id"],
                                                   result["checklist"]["version"])
    found = {d.key: d for d in deductions_of(result["score"])}
    report = score_with_adjustments(
        definition, result["answers"],
        {found[key]: entry["points"] for key, entry in adjustments.items()})
    after = {**report.to_dict(), "adjustments": [
        {"deduction": key, "from_points": found[key].points, "to_points": entry["points"],
         "appeal_id": entry["appeal_id"], "level": entry["level"], "by": entry["by"],
         "at": entry["at"], "explanation": entry.get("explanation", "")}
        for key, entry in adjustments.items()]}
    for line in after["adjustments"]:
        after["explanation"]["zh"].append(
            f"申诉调整: {line['deduction']} 扣分 {line['from_points']:g} → "
            f"{line['to_points']:g} ({line['level']}): {line['explanation']}")
        after["explanation"]["en"].append(
            f"Appeal adjustment: {line['deduction']} deduction {line['from_points']:g} → "
            f"{line['to_points']:g} ({line['level']}): {line['explanation']}")
    return after
