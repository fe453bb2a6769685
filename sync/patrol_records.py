"""Where patrol records live: their collections, sync buckets and query index entries.

Everything a guard's device needs for a round sits in the site bucket
``site:<id>``: the site's checkpoints, route versions, schedules, the planned
occurrences and the rounds walked. Occurrences go to the site bucket rather
than each guard's user bucket because a round assigned to a *post* belongs
to whoever holds the post that night, and reassigning a guard must not move
records between buckets (the store refuses that); ``fieldsync device patrol
list`` shows a guard their own rounds.

* ``patrol_checkpoints`` -- ONE record per site (id = site id) holding all its
  checkpoints: tag codes are unique within the set, and a push judging a
  round reads the site's checkpoints with one get;
* ``patrol_routes`` -- one record per published version, ``<route>@<version>``
  (never changed: rounds are judged against the version they were planned with);
* ``patrol_schedules`` -- the current version of each schedule (occurrences
  copy what judging needs, so older versions need not be kept);
* ``patrol_occurrences`` -- planned rounds (``checklists.patrol.Occurrence``
  plus ``round_id`` and ``missed_at``);
* ``patrol_rounds`` -- a walked round: the result as sent plus its verdict;
* ``patrol_alerts`` -- one per round marked missed, kept when a result
  arrives later.

Index keys are built from the documents alone (like all placement), so a
record rewritten anywhere keeps its entries. Days and months are the site's
local ones, taken from the occurrence's ``local_start``.
"""
from __future__ import annotations

from typing import Any

from .actor import site_bucket

CHECKPOINTS, ROUTES, SCHEDULES = "patrol_checkpoints", "patrol_routes", "patrol_schedules"
OCCURRENCES, ROUNDS, ALERTS = "patrol_occurrences", "patrol_rounds", "patrol_alerts"
COLLECTIONS = (CHECKPOINTS, ROUTES, SCHEDULES, OCCURRENCES, ROUNDS, ALERTS)
#: index key of the occurrences waiting for a result (the missed-round job reads it)
WAITING = "scheduled"


def route_record_id(route_id: str, version: int) -> str:
    return f"{route_id}@{version}"


def version_sort(version: int) -> str:
    return f"{version:08d}"


def day_key(site_id: str, local_start: str) -> str:
    """``<site>|YYYY-MM-DD``: the site-local day of a round."""
    return f"{site_id}|{local_start[:10]}"


def month_key(owner: str, local_start: str) -> str:
    """``<owner>|YYYY-MM``: a site's or a guard's local month."""
    return f"{owner}|{local_start[:7]}"


def patrol_index(collection: str, doc: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """The query index entries of a patrol record."""
    site = doc["site_id"]
    if collection == ROUTES:
        route = doc["route"]
        return {"site": (site, doc["id"]),
                "route": (route["id"], version_sort(route["version"]))}
    if collection == SCHEDULES:
        return {"site": (site, doc["id"])}
    if collection == OCCURRENCES:
        index = {"site_day": (day_key(site, doc["local_start"]), doc["start"]),
                 "schedule": (doc["schedule_id"], doc["start"])}
        if doc["status"] == WAITING and doc.get("round_id") is None:
            index["waiting"] = (WAITING, doc["deadline"])
        return index
    if collection == ROUNDS:
        start, verdict = doc["local_start"], doc["verdict"]
        index = {"site_day": (day_key(site, start), verdict["scheduled"]["start"]),
                 "guard_month": (month_key(doc["guard_id"], start), verdict["scheduled"]["start"]),
                 "occurrence": (doc["occurrence_id"], doc["id"])}
        if verdict["flags"]:
            index["flagged"] = (month_key(site, start), verdict["scheduled"]["start"])
        return index
    if collection == ALERTS:
        return {"site_day": (day_key(site, doc["local_start"]), doc["raised_at"])}
    return {}


def place_patrol(collection: str, doc: dict[str, Any]) -> tuple[str, dict[str, tuple[str, str]]]:
    """``(bucket, index)`` of a patrol record: always its site's bucket."""
    return site_bucket(doc["site_id"]), patrol_index(collection, doc)
