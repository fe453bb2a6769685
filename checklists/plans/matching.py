"""Which occurrence a result fulfils when the device did not name one.

A site's active plans are summarised in one record (see
``server.services.plans``); from a plan's rule the occurrence a moment falls
in is computed, so the sync core reads just that occurrence by id -- no
query, which a push's working set does not offer.
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from checklists.patrol.recurrence import parse_rule, zone

from .occurrences import occurrence_id


def summary(plan_doc: dict) -> dict:
    """What matching needs of a plan (kept in the site's plan summary)."""
    return {k: plan_doc[k] for k in ("id", "checklist_id", "rrule", "dtstart", "timezone")}


def candidate_ids(summaries: list[dict], checklist_id: str, at: datetime) -> list[str]:
    """Ids of the occurrences of plans using ``checklist_id`` that started last before ``at``."""
    found = []
    for plan in summaries:
        if plan["checklist_id"] != checklist_id:
            continue
        tz = zone(plan["timezone"])
        rule = parse_rule(plan["rrule"], datetime.fromisoformat(plan["dtstart"]))
        local = at.astimezone(tz).replace(tzinfo=None)
        start = rule.before(local, inc=True)
        if start is not None:
            found.append(occurrence_id(plan["id"], start))
    return found


def fulfilment_time(finished_at: str | None, clock_offset_ms: int | None,
                    received_at: str) -> datetime:
    """When the work was done: the device's finish time corrected by its measured clock
    offset, never later than the server received it; the receive time if unknown."""
    received = datetime.fromisoformat(received_at.replace("Z", "+00:00")).astimezone(UTC)
    if not finished_at:
        return received
    try:
        finished = datetime.fromisoformat(finished_at.replace("Z", "+00:00"))
    except ValueError:
        return received
    if finished.tzinfo is None:
        return received
    if clock_offset_ms:
        finished += timedelta(milliseconds=clock_offset_ms)
    return min(finished.astimezone(UTC), received)
