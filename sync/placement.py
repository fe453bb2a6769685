"""Which sync bucket each kind of record lives in.

Placement is a pure function of the document, so any code that re-writes a
record (a push, a completed photo) puts it back exactly where it was -- the
store refuses to move a record between buckets. What a record is *queried*
by (site, dates, score, band...) is the server store's business: typed
read-model columns (``server.store.read_models``), not the protocol's.
Collections the sync core writes:

* ``results``  -- bucket ``site:<id>``;
* ``tickets``  -- bucket ``site:<id>``;
* ``rejections`` -- bucket ``user:<id>``: what the server refused, kept whole
  so no field data is lost even when it cannot be applied;
* ``clients``  -- server-private: one per device install, holds
  ``last_mutation_id``;
* ``photo_refs`` -- server-private: sha256 -> the results citing it.
* ``plan_occurrences`` -- bucket ``user:<assignee>`` (a plan assigned to a
  person) or ``site:<id>`` (assigned to a role), indexed by site, plan and
  assignee; a ``submit_result`` fulfilling one closes it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .actor import site_bucket, user_bucket

RESULTS, TICKETS, REJECTIONS, CLIENTS, PHOTO_REFS = (
    "results", "tickets", "rejections", "clients", "photo_refs")
#: what the server learnt of each complete photo (accepted or refused, and why);
#: server-private, written by the photo pipeline, read by pushes citing a photo
PHOTOS = "photos"
OCCURRENCES = "plan_occurrences"


@dataclass(frozen=True, slots=True)
class Placement:
    bucket: str | None
    index: dict[str, tuple[str, str]] = field(default_factory=dict)


def place(collection: str, doc: dict[str, Any]) -> Placement:
    """The bucket (and generic index entries, none today) of ``doc`` in ``collection``."""
    if collection in (RESULTS, TICKETS):
        return Placement(site_bucket(doc["site_id"]))
    if collection == REJECTIONS:
        return Placement(user_bucket(doc["user_id"]))
    if collection in (CLIENTS, PHOTO_REFS):
        return Placement(None)
    if collection == OCCURRENCES:
        return _place_occurrence(doc)
    raise ValueError(f"the sync core does not write collection {collection!r}")


def _place_occurrence(doc: dict[str, Any]) -> Placement:
    """A person's occurrence goes to their device; a role's to every device of the site."""
    user = doc.get("assignee_user_id")
    index = {"site": (doc["site_id"], doc["start"]), "plan": (doc["plan_id"], doc["start"])}
    if user is not None:
        index["assignee"] = (user, doc["start"])
    return Placement(user_bucket(user) if user else site_bucket(doc["site_id"]), index)
