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


#: earlier series of an edited plan still matched (their open occurrences take results)
KEPT_SEGMENTS = 3
_SEGMENT_KEYS = ("rrule", "dtstart", "timezone")


def summary(plan_doc: dict) -> dict:
    """What matching needs of a plan (kept in the site's plan summary): its checklist and
    each series' rule with the starts it covers (``since`` exclusive, ``until`` inclusive,
    UTC ISO; the current series has no ``until``)."""
    current = {**{k: plan_doc[k] for k in _SEGMENT_KEYS}, "series": plan_doc.get("series", 0),
               "since": plan_doc.get("series_since"), "until": None}
    return {"id": plan_doc["id"], "checklist_id": plan_doc["checklist_id"],
            "segments": [current, *plan_doc.get("segments", [])]}


def closed_segment(plan_doc: dict, until: str) -> list[dict]:
    """The plan's earlier segments after its current series ends at ``until`` (an edit)."""
    ended = {**summary(plan_doc)["segments"][0], "until": until}
    return [ended, *plan_doc.get("segments", [])][:KEPT_SEGMENTS]


def candidate_ids(summaries: list[dict], checklist_id: str, at: datetime) -> list[str]:
    """Ids of the occurrences of plans using ``checklist_id`` that started last before ``at``
    (one per series of the plan whose starts hold that one)."""
    found = []
    for plan in summaries:
        if plan["checklist_id"] != checklist_id:
            continue
        for segment in plan.get("segments") or [{**plan, "series": 0}]:  # older summaries
            tz = zone(segment["timezone"])
            rule = parse_rule(segment["rrule"], datetime.fromisoformat(segment["dtstart"]))
            local = at.astimezone(tz).replace(tzinfo=None)
            start = rule.before(local, inc=True)
            if start is not None and _within(segment, start.replace(tzinfo=tz)):
                found.append(occurrence_id(plan["id"], start, segment["series"]))
    return found


def _within(segment: dict, start: datetime) -> bool:
    moment = start.astimezone(UTC)
    since, until = segment.get("since"), segment.get("until")
    return (since is None or moment > _utc(since)) and (until is None or moment <= _utc(until))


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


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
