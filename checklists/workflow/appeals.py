"""Appeals of a scored result or of one deduction (seed 000 §4.6 申诉).

The chain, lowest first, and who holds each level (documented mapping):

====================  ===========================================================
``project_lead``      the site's project lead (``lead_user_id``, 项目负责人)
``project_department`` a supervisor or admin whose department is the project
                      department (``AppealRules.project_department``, 项目部)
``general_manager``   an admin (总经理)
====================  ===========================================================

Where an appeal starts: a responsible person appealing one deduction goes to
the project lead (§4.6.1); a project contesting its whole result goes to the
project department (§4.6.2), as does a deduction appeal by the lead
themself; a complaint of retaliation goes straight to the general manager
(part 2, 申诉 (1)). Nobody decides their own appeal.

The level holding an appeal decides ``uphold``, ``adjust`` (new deduction
points and an explanation) or ``escalate`` (up one level), within
``decide_days`` of receiving it -- a decision later than that is refused and
the appellant may take the appeal up instead. After an uphold or adjust the
appellant may appeal further, one level up, within ``further_days``
(§4.6.3). The general manager's decision is final and has no deadline.

An adjustment stands from its decision on: the last ``adjust`` in an
appeal's history is what re-scores the result (``effective_adjustments``).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from checklists.actors import Actor, SUPERVISING_ROLES

PROJECT_LEAD, PROJECT_DEPARTMENT, GENERAL_MANAGER = (
    "project_lead", "project_department", "general_manager")
LEVELS = (PROJECT_LEAD, PROJECT_DEPARTMENT, GENERAL_MANAGER)
OPEN, UPHELD, ADJUSTED = "open", "upheld", "adjusted"
UPHOLD, ADJUST, ESCALATE, APPEAL_FURTHER = "uphold", "adjust", "escalate", "appeal_further"
DECISIONS = (UPHOLD, ADJUST, ESCALATE)
MOVES = (*DECISIONS, APPEAL_FURTHER)
REASON_MAX = 2000


@dataclass(frozen=True, slots=True)
class AppealRules:
    """The configurable deadlines and the name of the project department."""

    file_days: int = 7       # after the result was submitted
    decide_days: int = 7     # for each level below the general manager
    further_days: int = 7    # after a decision, to take it one level up
    project_department: str = "项目部"


@dataclass(frozen=True, slots=True)
class Seat:
    """What the rules need to know of the site and the person acting."""

    site_lead_id: str | None
    actor_department: str = ""


class AppealRefused(Exception):
    """Base of the reasons an appeal move is refused."""


class NotYours(AppealRefused):
    """The actor may not file this appeal, or does not hold the level that must decide."""


class PastDeadline(AppealRefused):
    """Too late: the message says which deadline passed and what remains possible."""


class BadAppeal(AppealRefused):
    """A missing or wrong field (``field`` names it)."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


class StaleMove(AppealRefused):
    """The move does not apply to the appeal's current state; ``allowed`` lists what does."""

    def __init__(self, message: str, allowed: list[str]):
        super().__init__(message)
        self.allowed = allowed


def first_level(*, on_deduction: bool, appellant_is_lead: bool, retaliation: bool) -> str:
    if retaliation:
        return GENERAL_MANAGER
    if on_deduction and not appellant_is_lead:
        return PROJECT_LEAD
    return PROJECT_DEPARTMENT


def file_appeal(*, appeal_id: str, result: Mapping[str, Any], deduction: str | None,
                responsible: Iterable[str], actor: Actor, seat: Seat, reason: str,
                retaliation: bool, at: datetime, rules: AppealRules,
                existing: Iterable[Mapping[str, Any]] = ()) -> dict[str, Any]:
    """A new appeal record, or the reason it cannot be filed.

    ``responsible`` are the people answering for ``deduction`` (or, for a
    whole-result appeal, for any deduction of it; the site's lead may always
    appeal the result).
    """
    responsible = set(responsible)
    if deduction is None and seat.site_lead_id is not None:
        responsible.add(seat.site_lead_id)
    if actor.user_id not in responsible:
        what = f"deduction {deduction}" if deduction else "this result"
        raise NotYours(f"only the person responsible for {what} may appeal it")
    if not (reason or "").strip():
        raise BadAppeal("reason", "Say why you appeal.")
    if len(reason) > REASON_MAX:
        raise BadAppeal("reason", f"Use at most {REASON_MAX} characters.")
    deadline = _time(result["submitted"]["at"]) + timedelta(days=rules.file_days)
    if at > deadline:
        raise PastDeadline(f"appeals against this result closed at {stamp_text(deadline)} "
                           f"({rules.file_days} days after it was submitted)")
    for other in existing:
        if (other["appellant_id"] == actor.user_id and other["deduction"] == deduction
                and other["status"] == OPEN):
            raise StaleMove(f"you already have an open appeal on this (appeal {other['id']})",
                            [])
    level = first_level(on_deduction=deduction is not None,
                        appellant_is_lead=actor.user_id == seat.site_lead_id,
                        retaliation=retaliation)
    stamp = stamp_text(at)
    return {"id": appeal_id, "result_id": result["id"], "site_id": result["site_id"],
            "deduction": deduction, "appellant_id": actor.user_id, "reason": reason.strip(),
            "retaliation": bool(retaliation), "filed_at": stamp,
            "file_deadline": stamp_text(deadline), "level": level, "level_since": stamp,
            "status": OPEN, "decided_at": None, "v": 1,
            "history": [{"at": stamp, "by": actor.user_id, "move": "file", "level": level}]}


def may_see(appeal: Mapping[str, Any], actor: Actor) -> bool:
    """The appellant and admins see an appeal; so does everyone working at its site,
    except for a complaint of retaliation, which only the general manager's side reads."""
    if actor.is_admin or actor.user_id == appeal["appellant_id"]:
        return True
    return not appeal["retaliation"] and actor.works_at(appeal["site_id"])


def holds_level(level: str, actor: Actor, seat: Seat, rules: AppealRules) -> bool:
    """Whether ``actor`` decides appeals at ``level`` for this site (the mapping above)."""
    if level == PROJECT_LEAD:
        return seat.site_lead_id is not None and actor.user_id == seat.site_lead_id
    if level == PROJECT_DEPARTMENT:
        return actor.role in SUPERVISING_ROLES and seat.actor_department == rules.project_department
    return actor.is_admin


def deadline_of(appeal: Mapping[str, Any], rules: AppealRules) -> datetime | None:
    """Until when the current step may happen: the level's decision while open, the
    appellant's further appeal once decided; None when nothing is due."""
    if appeal["level"] == GENERAL_MANAGER:
        return None
    if appeal["status"] == OPEN:
        return _time(appeal["level_since"]) + timedelta(days=rules.decide_days)
    return _time(appeal["decided_at"]) + timedelta(days=rules.further_days)


def allowed_moves(appeal: Mapping[str, Any], actor: Actor, seat: Seat, rules: AppealRules,
                  at: datetime) -> list[str]:
    """The moves ``actor`` may make on ``appeal`` now."""
    top = appeal["level"] == GENERAL_MANAGER
    deadline = deadline_of(appeal, rules)
    late = deadline is not None and at > deadline
    if actor.user_id == appeal["appellant_id"]:
        if top:
            return []
        if appeal["status"] == OPEN:
            return [APPEAL_FURTHER] if late else []
        return [] if late else [APPEAL_FURTHER]
    if appeal["status"] != OPEN or late or not holds_level(appeal["level"], actor, seat, rules):
        return []
    return [UPHOLD, ADJUST] if top else [UPHOLD, ADJUST, ESCALATE]


def decide(appeal: Mapping[str, Any], actor: Actor, move: str, *, seat: Seat,
           rules: AppealRules, at: datetime, expected_level: str | None = None,
           points: float | None = None, deduction: str | None = None,
           explanation: str = "") -> dict[str, Any]:
    """The appeal after ``actor`` makes ``move``, or the reason it is refused.

    ``expected_level`` is the level the caller saw; if the appeal moved on
    since, the move is stale (``StaleMove`` with the moves allowed now).
    ``points``/``deduction`` are the adjustment (checked against the score by
    the caller); ``explanation`` is required for an adjustment.
    """
    allowed = allowed_moves(appeal, actor, seat, rules, at)
    if expected_level is not None and expected_level != appeal["level"]:
        raise StaleMove(f"the appeal is now at the {appeal['level']} level "
                        f"({appeal['status']}), not {expected_level}", allowed)
    if move in allowed:
        return _moved(appeal, actor, move, at, points, deduction, explanation)
    _refuse(appeal, actor, move, seat, rules, at, allowed)
    raise AssertionError("unreachable")  # pragma: no cover


def _refuse(appeal, actor, move, seat, rules, at, allowed) -> None:
    level, status = appeal["level"], appeal["status"]
    appellant = actor.user_id == appeal["appellant_id"]
    if move == APPEAL_FURTHER and not appellant:
        raise NotYours("only the appellant may take an appeal further")
    if move in DECISIONS and appellant:
        raise NotYours("nobody decides their own appeal")
    if move in (ESCALATE, APPEAL_FURTHER) and level == GENERAL_MANAGER:
        raise StaleMove("the general manager's decision is final", allowed)
    if move in DECISIONS and status == OPEN and not holds_level(level, actor, seat, rules):
        raise NotYours(f"this appeal is at the {level} level; you do not hold it "
                       f"({_holder(level, rules)} decides)")
    deadline = deadline_of(appeal, rules)
    if deadline is not None and at > deadline and status == OPEN and move in DECISIONS:
        raise PastDeadline(f"the {level} level had until {stamp_text(deadline)} to decide; "
                           "the appellant may take the appeal further")
    if deadline is not None and at > deadline and move == APPEAL_FURTHER and status != OPEN:
        raise PastDeadline(f"a further appeal was possible until {stamp_text(deadline)}")
    if move == APPEAL_FURTHER and status == OPEN:
        raise StaleMove(f"the {level} level may decide until {stamp_text(deadline)}; appeal "
                        "further after its decision or after that", allowed)
    raise StaleMove(f"cannot {move} an appeal that is {status} at the {level} level", allowed)


def _moved(appeal, actor, move, at, points, deduction, explanation) -> dict[str, Any]:
    entry = {"at": stamp_text(at), "by": actor.user_id, "move": move, "level": appeal["level"]}
    out = {**appeal, "v": appeal["v"] + 1}
    if move in (ESCALATE, APPEAL_FURTHER):
        out["level"] = LEVELS[LEVELS.index(appeal["level"]) + 1]
        out["level_since"], out["status"] = stamp_text(at), OPEN
        entry["to_level"] = out["level"]
    else:
        out["status"], out["decided_at"] = (ADJUSTED if move == ADJUST else UPHELD), stamp_text(at)
    if move == ADJUST:
        if points is None:
            raise BadAppeal("points", "An adjustment gives the new deduction points.")
        if not (explanation or "").strip():
            raise BadAppeal("explanation", "Explain the adjustment.")
        entry.update(points=points, deduction=deduction or appeal["deduction"])
    if explanation:
        entry["explanation"] = explanation.strip()
    out["history"] = [*appeal["history"], entry]
    return out


def effective_adjustments(appeals: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """``{deduction key: the adjust entry (with appeal_id)}``: the latest adjustment of
    each deduction over all of a result's appeals."""
    latest: dict[str, dict[str, Any]] = {}
    for appeal in appeals:
        for entry in appeal["history"]:
            if entry["move"] == ADJUST:
                key = entry["deduction"]
                if key not in latest or entry["at"] >= latest[key]["at"]:
                    latest[key] = {**entry, "appeal_id": appeal["id"]}
    return latest


def _holder(level: str, rules: AppealRules) -> str:
    return {PROJECT_LEAD: "the site's project lead",
            PROJECT_DEPARTMENT: f"a supervisor of {rules.project_department}",
            GENERAL_MANAGER: "an admin as general manager"}[level]


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def stamp_text(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")
