"""Where each kind of record lives: bucket, partition and index entries.

Placement is a pure function of the document, so any code that re-writes a
record (a push, a completed photo) puts it back exactly where it was -- the
store refuses to move a record between buckets, and listings must not lose
it. Collections the sync core writes:

* ``results``  -- bucket ``site:<id>``, partitioned by site and receive month,
  listed by site, by correction chain (``by_root``) and by the checklist
  version they were filled against (``by_checklist``, for rescoring);
* ``tickets``  -- bucket ``site:<id>``, partitioned by site;
* ``rejections`` -- bucket ``user:<id>``: what the server refused, kept whole
  so no field data is lost even when it cannot be applied;
* ``clients``  -- server-private: one per device install, holds
  ``last_mutation_id``;
* ``photo_refs`` -- server-private: sha256 -> the results citing it.
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


def checklist_key(checklist: dict[str, Any]) -> str:
    """``<definition id>@<version>``: how results are listed by what they were filled against."""
    return f"{checklist['id']}@{checklist['version']}"


@dataclass(frozen=True, slots=True)
class Placement:
    bucket: str | None
    partition: str | None = None
    index: dict[str, tuple[str, str]] = field(default_factory=dict)


def place(collection: str, doc: dict[str, Any]) -> Placement:
    """The bucket, partition and index entries of ``doc`` in ``collection``."""
    if collection == RESULTS:
        site, at = doc["site_id"], doc["submitted"]["at"]
        return Placement(site_bucket(site), f"{site}.{at[:7]}",
                         {"by_site": (site, f"{at}|{doc['id']}"),
                          "by_root": (doc["root_id"], f"{at}|{doc['id']}"),
                          "by_checklist": (checklist_key(doc["checklist"]), f"{at}|{doc['id']}")})
    if collection == TICKETS:
        site, at = doc["site_id"], doc["created"]["at"]
        return Placement(site_bucket(site), site,
                         {"by_site": (site, f"{at}|{doc['id']}"),
                          "by_status": (f"{site}|{doc['status']}", f"{at}|{doc['id']}")})
    if collection == REJECTIONS:
        return Placement(user_bucket(doc["user_id"]), "rejections",
                         {"by_client": (doc["client_id"], f"{doc['mutation']['id']:012d}")})
    if collection == CLIENTS:
        return Placement(None, None, {"by_user": (doc["user_id"], doc["client_id"])})
    if collection == PHOTO_REFS:
        return Placement(None)
    raise ValueError(f"the sync core does not write collection {collection!r}")
