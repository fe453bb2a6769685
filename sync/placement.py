"""Which sync bucket each kind of record lives in.

Placement is a pure function of the document, so any code that re-writes a
record (a push, a completed photo) puts it back exactly where it was -- the
store refuses to move a record between buckets. What a record is *queried*
by (site, dates, score, band...) is the server store's business: typed
read-model columns (``server.store.read_models``), not the protocol's.
Collections the sync core writes:

* ``results``  -- bucket ``site:<id>``;
* ``tickets``  -- bucket ``site:<id>``, indexed for listings (``ticket_index``);
* ``rejections`` -- bucket ``user:<id>``: what the server refused, kept whole
  so no field data is lost even when it cannot be applied;
* ``clients``  -- server-private: one per device install, holds
  ``last_mutation_id``;
* ``photo_refs`` -- server-private: sha256 -> the results citing it;
* ``plan_occurrences`` -- bucket ``user:<assignee>`` (a plan assigned to a
  person) or ``site:<id>`` (assigned to a role), indexed by site, plan and
  assignee; a ``submit_result`` fulfilling one closes it;
* the ``patrol_*`` collections -- bucket ``site:<id>`` (``sync.patrol_records``);
* ``complaint_links`` -- bucket ``site:<id>``: a finding of a result linked to the
  complaint that caused it (ids only, no personal data; ``sync.complaint_links``).

Written by a service, synced to devices:

* ``household_watch`` -- bucket ``site:<id>``: the guards' view of the key
  households (category and what to watch, no personal field); the register
  itself is server-private (``server.services.households``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from checklists.workflow.tickets import SETTLED, state_name
from .actor import site_bucket, user_bucket
from .patrol_records import COLLECTIONS as PATROL_COLLECTIONS
from .patrol_records import place_patrol

RESULTS, TICKETS, REJECTIONS, CLIENTS, PHOTO_REFS = (
    "results", "tickets", "rejections", "clients", "photo_refs")
#: what the server learnt of each complete photo (accepted or refused, and why);
#: server-private, written by the photo pipeline, read by pushes citing a photo
PHOTOS = "photos"
#: one document per site (id = site id), computed by the server from its register
HOUSEHOLD_WATCH = "household_watch"
#: a result's failed item linked to the complaint that caused it
COMPLAINT_LINKS = "complaint_links"
OCCURRENCES = "plan_occurrences"


@dataclass(frozen=True, slots=True)
class Placement:
    bucket: str | None
    index: dict[str, tuple[str, str]] = field(default_factory=dict)


def place(collection: str, doc: dict[str, Any]) -> Placement:
    """The bucket (and generic index entries, none today) of ``doc`` in ``collection``."""
    if collection == TICKETS:
        return Placement(site_bucket(doc["site_id"]), ticket_index(doc))
    if collection in (RESULTS, HOUSEHOLD_WATCH):
        return Placement(site_bucket(doc["site_id"]))
    if collection == REJECTIONS:
        return Placement(user_bucket(doc["user_id"]))
    if collection in (CLIENTS, PHOTO_REFS):
        return Placement(None)
    if collection in PATROL_COLLECTIONS:
        return Placement(*place_patrol(collection, doc))
    if collection == OCCURRENCES:
        return _place_occurrence(doc)
    if collection == COMPLAINT_LINKS:
        return Placement(site_bucket(doc["site_id"]), {
            "result": (doc["result_id"], doc["item"]), "complaint": (doc["complaint_id"],
                                                                     doc["at"])})
    raise ValueError(f"the sync core does not write collection {collection!r}")


#: ticket listings: newest first per site, by state and assignee; open ones by due time
TICKETS_BY_SITE, TICKETS_BY_STATE, TICKETS_BY_ASSIGNEE, TICKETS_BY_ASSIGNEE_STATE, \
    OPEN_TICKETS_BY_DUE = ("site", "site_status", "site_assignee", "site_assignee_status",
                           "site_open_due")
UNASSIGNED = "-"


def ticket_index(doc: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """Index entries of a ticket: every filter a listing offers is one key, no scan."""
    site, status = doc["site_id"], state_name(doc["status"])
    created = _utc(doc["created"]["at"])
    assignee = doc.get("assignee") or UNASSIGNED
    index = {TICKETS_BY_SITE: (site, created),
             TICKETS_BY_STATE: (f"{site}/{status}", created),
             TICKETS_BY_ASSIGNEE: (f"{site}/{assignee}", created),
             TICKETS_BY_ASSIGNEE_STATE: (f"{site}/{assignee}/{status}", created)}
    if status not in SETTLED and doc.get("due_at"):
        index[OPEN_TICKETS_BY_DUE] = (site, _utc(doc["due_at"]))
    return index


def _utc(stamp: str) -> str:
    """An instant as sortable text: UTC, one format whatever offset it was written with.

    Text that is no instant (odd stored data) sorts as it is: placing a
    record must never fail on one value.
    """
    try:
        moment = datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        return str(stamp)
    return moment.astimezone(timezone.utc).isoformat() if moment.tzinfo else moment.isoformat()


def _place_occurrence(doc: dict[str, Any]) -> Placement:
    """A person's occurrence goes to their device; a role's to every device of the site."""
    user = doc.get("assignee_user_id")
    index = {"site": (doc["site_id"], doc["start"]), "plan": (doc["plan_id"], doc["start"])}
    if user is not None:
        index["assignee"] = (user, doc["start"])
    return Placement(user_bucket(user) if user else site_bucket(doc["site_id"]), index)
