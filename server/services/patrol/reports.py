"""What supervisors read: rounds with their verdicts explained, alerts, flags, punctuality.

A round stores its verdict as a record of codes and numbers; the zh/en
sentences are rendered when it is read (``explain_record``), so wording can
change without re-judging. Guards read their own rounds only.
"""
from __future__ import annotations

from checklists.actors import Actor
from checklists.patrol import explain_record
from server.services.errors import Forbidden
from server.store.base import Reader, Store
from sync.patrol_records import ALERTS, ROUNDS, day_key, month_key

from .records import every_doc, require_site_exists, visible_doc


def explained(doc: dict) -> dict:
    return {**doc, "verdict": explain_record(doc["verdict"])}


def _mine(actor: Actor, doc: dict) -> bool:
    return actor.supervises or doc["guard_id"] == actor.user_id


def get_round(reader: Reader, actor: Actor, round_id: str) -> dict:
    doc = visible_doc(reader, actor, ROUNDS, round_id, "round")
    if not _mine(actor, doc):
        raise Forbidden("guards read their own rounds only")
    return explained(doc)


def rounds_of_day(reader: Reader, actor: Actor, site_id: str, day: str) -> list[dict]:
    """The rounds walked for the site's local ``day``, by scheduled start, explained."""
    require_site_exists(reader, actor, site_id)
    return [explained(d) for d in every_doc(reader, ROUNDS, "site_day", day_key(site_id, day))
            if _mine(actor, d)]


def flagged_rounds(reader: Reader, actor: Actor, site_id: str, month: str) -> list[dict]:
    """The site's rounds of a local month (YYYY-MM) with at least one anti-fraud flag."""
    _require_supervisor(reader, actor, site_id)
    return [explained(d) for d in every_doc(reader, ROUNDS, "flagged", month_key(site_id, month))]


def alerts_of_day(reader: Reader, actor: Actor, site_id: str, day: str) -> list[dict]:
    """Missed-round alerts of the site's local ``day``; each says whether a round came later."""
    _require_supervisor(reader, actor, site_id)
    alerts = list(every_doc(reader, ALERTS, "site_day", day_key(site_id, day)))
    late = {d["occurrence_id"]: d["id"] for a in alerts
            for d in every_doc(reader, ROUNDS, "occurrence", a["occurrence_id"])}
    return [{**a, "late_round_id": late.get(a["occurrence_id"])} for a in alerts]


def days_at_site(store: Store, actor: Actor, site_id: str,
                 days: list[str]) -> list[tuple[list[dict], list[dict]]]:
    """Each local day's rounds and missed-round alerts at a site, in one snapshot.

    WHY: the dashboard's week read each day's rounds and alerts apart, two
    snapshots and two site checks each: 280 snapshots for 20 sites on a
    Sunday, ~60% of the page (``bench/web.py``).
    """
    with store.snapshot() as snap:
        return [(rounds_of_day(snap, actor, site_id, day),
                 alerts_of_day(snap, actor, site_id, day)) for day in days]


def punctuality(reader: Reader, actor: Actor, guard_id: str, month: str) -> dict:
    """A guard's rounds of a month at the sites the caller works at, summed up.

    ``punctuality`` is the share of route stops visited on time over all the
    rounds (a round's own figure is in its verdict); guards see their own.
    """
    if not actor.supervises and guard_id != actor.user_id:
        raise Forbidden("guards see their own punctuality only")
    rounds = [d["verdict"] for d in every_doc(reader, ROUNDS, "guard_month",
                                              month_key(guard_id, month))
              if actor.works_at(d["site_id"])]
    stops = sum(v["stops"] for v in rounds)
    on_time = sum(v["on_time"] for v in rounds)
    count = {status: sum(v["status"] == status for v in rounds)
             for status in ("completed", "partial")}
    return {"guard_id": guard_id, "month": month, "rounds": len(rounds), **count,
            "late_starts": sum(v["start_status"] == "start_late" for v in rounds),
            "flagged": sum(bool(v["flags"]) for v in rounds),
            "after_missed_alert": sum(v["was_marked_missed"] for v in rounds),
            "stops": stops, "stops_on_time": on_time,
            "punctuality": round(100.0 * on_time / stops, 1) if stops else None}


def _require_supervisor(reader: Reader, actor: Actor, site_id: str) -> None:
    require_site_exists(reader, actor, site_id)
    if not actor.supervises:
        raise Forbidden("this report is for supervisors and admins")
