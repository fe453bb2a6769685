"""Reminders around the due dates seed 003 names, from a week before to a week after.

* a helper's temporary pass expires (4.4.2: renew or withdraw it);
* a late pregnancy's due date (4.3.3.3: remind her to go to hospital in the
  week before and after it);
* a relative staying more than 15 days (4.4.1: registration with the police),
  until registered;
* the monthly update of the register (4.2.3, 4.2.5), until it is done.

The last two stay due once passed (they are work not yet done); the first two
end a week after the date (the pass has lapsed, the baby has come).
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any, Iterable, Mapping

from dateutil.relativedelta import relativedelta

from .categories import LATE_PREGNANCY

WINDOW = timedelta(days=7)
STAY_REGISTRATION_DAYS = 15
PASS_EXPIRY, DUE_DATE, STAY_REGISTRATION, MONTHLY_UPDATE = (
    "pass_expiry", "due_date", "stay_registration", "monthly_update")
UPCOMING, DUE, OVERDUE = "upcoming", "due", "overdue"


def reminders(households: Iterable[Mapping[str, Any]], now: date,
              last_monthly_update: date | None = None) -> list[dict[str, Any]]:
    """Every reminder open on ``now``, soonest due first.

    ``last_monthly_update`` is when the register was last reviewed as a
    whole (None: never, so the review is due now).
    """
    found = []
    for household in households:
        found.extend(_household_reminders(household, now))
    review_due = now if last_monthly_update is None else last_monthly_update + relativedelta(
        months=1)
    if now >= review_due - WINDOW:
        found.append(_reminder(MONTHLY_UPDATE, review_due, now, household_id=None))
    return sorted(found, key=lambda r: (r["due"], r["kind"], r["household_id"] or ""))


def _household_reminders(household: Mapping[str, Any], now: date) -> list[dict[str, Any]]:
    hid = household["id"]
    out = []
    for n, helper in enumerate(household.get("helpers") or ()):
        expires = date.fromisoformat(helper["pass_expires"])
        if abs(now - expires) <= WINDOW:
            out.append(_reminder(PASS_EXPIRY, expires, now, household_id=hid, helper=n))
    if LATE_PREGNANCY in household["categories"] and household.get("due_date"):
        due = date.fromisoformat(household["due_date"])
        if abs(now - due) <= WINDOW:
            out.append(_reminder(DUE_DATE, due, now, household_id=hid))
    for n, stay in enumerate(household.get("relatives_staying") or ()):
        due = date.fromisoformat(stay["since"]) + timedelta(days=STAY_REGISTRATION_DAYS)
        until = stay.get("until")
        leaves_in_time = until is not None and date.fromisoformat(until) <= due
        if not stay.get("registered") and not leaves_in_time and now >= due - WINDOW:
            out.append(_reminder(STAY_REGISTRATION, due, now, household_id=hid, stay=n))
    return out


def _reminder(kind: str, due: date, now: date, **about: Any) -> dict[str, Any]:
    state = UPCOMING if now < due else DUE if now - due <= WINDOW else OVERDUE
    return {"kind": kind, "due": due.isoformat(), "state": state, **about}
