"""Welfare checks of vulnerable households (seed 003 §4.3.3.3), as pure rules.

When a vulnerable resident has not been seen for the household's
``welfare_after_days`` and has no going-out notice covering today, a
welfare check is due. The task then follows the seed's procedure in order:

1. ``knock``             -- knock and visit (answered: the check can close);
2. ``ask_neighbours``    -- ask the neighbours how they have been;
3. ``call_family``       -- get the children / emergency contact to come;
4. ``supervised_entry``  -- children away and no contact: enter under
   supervision; its finding says what follows;
5. ``call_120`` / ``call_110`` -- ambulance for a serious illness, police for
   an unnatural death (never refused, at any point: an emergency call is
   recorded whatever came before);
6. closing: every entry into a home needs the 《突发事件处理记录表》
   signed by three parties.

Tasks are plain documents; ``record_step`` and ``close_task`` return the
next state or raise :class:`WelfareStepRefused` naming the field.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any, Iterable, Mapping

from checklists.errors import ChecklistError

from .categories import VULNERABLE

KNOCK, ASK_NEIGHBOURS, CALL_FAMILY, SUPERVISED_ENTRY, CALL_120, CALL_110 = (
    "knock", "ask_neighbours", "call_family", "supervised_entry", "call_120", "call_110")
#: each step's allowed outcomes
OUTCOMES = {
    KNOCK: ("answered", "no_answer"),
    ASK_NEIGHBOURS: ("seen_recently", "abnormal", "unknown"),
    CALL_FAMILY: ("coming", "away_no_contact", "unreachable"),
    SUPERVISED_ENTRY: ("nobody_normal", "seriously_ill", "dead", "unnatural_death"),
    CALL_120: ("called",),
    CALL_110: ("called",),
}
STEPS = tuple(OUTCOMES)
#: the step that must be on record first (emergency calls need none)
_AFTER = {ASK_NEIGHBOURS: (KNOCK, "no_answer"), CALL_FAMILY: (ASK_NEIGHBOURS, None),
          SUPERVISED_ENTRY: (CALL_FAMILY, None)}
#: a supervised entry's finding that needs an emergency call on record before closing
_FINDING_NEEDS = {"seriously_ill": CALL_120, "unnatural_death": CALL_110}
#: who signs the incident record: the property office, the family, the supervising authority
PARTIES = ("property", "family", "authority")
OPEN, CLOSED = "open", "closed"


class WelfareStepRefused(ChecklistError):
    """A welfare-check step or closing that the procedure does not allow (yet)."""

    kind = "welfare check"


def welfare_checks_due(households: Iterable[Mapping[str, Any]],
                       last_seen: Mapping[str, datetime], now: datetime) -> list[dict[str, Any]]:
    """The vulnerable households not seen for their ``welfare_after_days``, longest first.

    A household never seen at all is due (nobody can vouch for them), unless
    a going-out notice covers today.
    """
    due = []
    for household in households:
        if not VULNERABLE.intersection(household["categories"]):
            continue
        if _away(household, now.date()):
            continue
        seen = last_seen.get(household["id"])
        days = None if seen is None else (now - seen).days
        if days is not None and days < household["welfare_after_days"]:
            continue
        due.append({"household_id": household["id"], "building": household["building"],
                    "unit": household["unit"],
                    "last_seen": None if seen is None else seen.isoformat(),
                    "days_unseen": days})
    return sorted(due, key=lambda d: (d["days_unseen"] is not None, -(d["days_unseen"] or 0),
                                      d["building"], d["unit"]))


def _away(household: Mapping[str, Any], today: date) -> bool:
    return any(date.fromisoformat(n["from"]) <= today <= date.fromisoformat(n["to"])
               for n in household.get("going_out_notices") or ())


def open_task(task_id: str, household: Mapping[str, Any], opened_by: str,
              at: datetime, reason: str) -> dict[str, Any]:
    """A new welfare-check task: where, why, and no steps yet (no personal fields)."""
    return {"id": task_id, "site_id": household["site_id"], "household_id": household["id"],
            "building": household["building"], "unit": household["unit"], "reason": reason,
            "state": OPEN, "opened_at": at.isoformat(), "opened_by": opened_by, "steps": [],
            "closed_at": None, "closed_by": None, "resolution": None, "incident_record": None}


def record_step(task: Mapping[str, Any], step: str, outcome: str, by: str, at: datetime,
                note: str = "", supervised_by: str | None = None) -> dict[str, Any]:
    """``task`` with one more step, or ``WelfareStepRefused`` naming what is wrong."""
    _require_open(task)
    if outcome not in OUTCOMES[step]:
        raise WelfareStepRefused({"outcome": [f"For {step} give one of "
                                              f"{', '.join(OUTCOMES[step])}."]})
    if step in _AFTER:
        before, needed = _AFTER[step]
        last = _last_outcome(task, before)
        if last is None or (needed is not None and last != needed):
            want = f"{before} with outcome {needed}" if needed else before
            raise WelfareStepRefused({"step": [f"Record {want} before {step}."]})
    if step == SUPERVISED_ENTRY and not supervised_by:
        raise WelfareStepRefused({"supervised_by": [
            "Entering a home needs the name of who supervises it."]})
    entry = {"step": step, "outcome": outcome, "by": by, "at": at.isoformat(), "note": note}
    if supervised_by:
        entry["supervised_by"] = supervised_by
    return {**task, "steps": [*task["steps"], entry]}


def close_task(task: Mapping[str, Any], resolution: str, by: str, at: datetime,
               incident_record: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The closed task; an entry into the home needs the three-party incident record."""
    _require_open(task)
    if not task["steps"]:
        raise WelfareStepRefused({"steps": ["Record at least the knock before closing."]})
    finding = _last_outcome(task, SUPERVISED_ENTRY)
    if finding is not None:
        needed_call = _FINDING_NEEDS.get(finding)
        if needed_call and _last_outcome(task, needed_call) is None:
            raise WelfareStepRefused({"steps": [
                f"The entry found {finding}: record {needed_call} before closing."]})
        problems = _incident_record_problems(incident_record)
        if problems:
            raise WelfareStepRefused(problems)
    return {**task, "state": CLOSED, "closed_at": at.isoformat(), "closed_by": by,
            "resolution": resolution,
            "incident_record": dict(incident_record) if incident_record else None}


def _incident_record_problems(record: Mapping[str, Any] | None) -> dict[str, list[str]]:
    if not record:
        return {"incident_record": ["An entry into the home needs the incident record "
                                    "(突发事件处理记录表) signed by three parties."]}
    parties = [s.get("party") for s in record.get("signatures") or ()]
    if sorted(parties) != sorted(PARTIES):
        return {"incident_record.signatures": [
            f"Give one signature of each party: {', '.join(PARTIES)}."]}
    return {}


def _require_open(task: Mapping[str, Any]) -> None:
    if task["state"] != OPEN:
        raise WelfareStepRefused({"state": ["This welfare check is closed."]})


def _last_outcome(task: Mapping[str, Any], step: str) -> str | None:
    outcomes = [s["outcome"] for s in task["steps"] if s["step"] == step]
    return outcomes[-1] if outcomes else None
