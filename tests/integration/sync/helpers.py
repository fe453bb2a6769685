"""Shared test doubles for the sync tests: actors, a checklist evaluator, a push driver.

The evaluator is a fake of the checklist engine's interface (validate +
score): a definition lists its item ids; unknown items are invalid. The
store and the upload store are always the real ones.
"""
from __future__ import annotations

import hashlib
from datetime import datetime, timezone

from server.services import sync_service
from checklists.actors import Actor

SITE_A, SITE_B, SITE_X = "site-a", "site-b", "site-x"
GUARD = Actor("u-guard", "guard", {SITE_A, SITE_B}, "dev-guard")
ENGINEER = Actor("u-eng", "engineer", {SITE_A}, "dev-eng")
SUPERVISOR = Actor("u-sup", "supervisor", {SITE_A, SITE_B}, "dev-sup")
DEFINITIONS = {("cl-fire", 1): {"items": ["q1", "q2", "q3"]}}
NOW = datetime(2026, 11, 23, 8, 0, tzinfo=timezone.utc)


class AnswersInvalid(Exception):
    def __init__(self, errors):
        super().__init__("invalid answers")
        self.errors = errors


def evaluate(definition: dict, answers: dict) -> dict:
    unknown = sorted(set(answers) - set(definition["items"]))
    if unknown:
        raise AnswersInvalid({k: ["Unknown item."] for k in unknown})
    return {"total": sum(1 for v in answers.values() if v == "pass"), "max": len(answers)}


def find_definition(checklist_id: str, version: int):
    return DEFINITIONS.get((checklist_id, version))


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def push(store, uploads, actor, client_id, mutations, **kw):
    kw.setdefault("now", NOW)
    kw.setdefault("evaluate", evaluate)
    return sync_service.apply_push(store, actor, client_id, mutations,
                                   find_definition=find_definition, uploads=uploads, **kw)


def submit(mid, result_id, site=SITE_A, answers=None, photos=(), **extra):
    args = {"result_id": result_id, "site_id": site,
            "checklist": {"id": "cl-fire", "version": 1},
            "answers": answers if answers is not None else {"q1": "pass"},
            "photos": [{"sha256": p} for p in photos], **extra}
    return {"id": mid, "name": "submit_result", "client_ts": "2026-11-23T15:59:00+08:00",
            "args": args}


def mutation(mid, name, **args):
    return {"id": mid, "name": name, "client_ts": None, "args": args}


class Replica:
    """A device's pulled rows and cursors, applied the way the protocol prescribes."""

    def __init__(self):
        self.rows: dict[tuple[str, str], tuple[str, dict]] = {}
        self.cursors: dict[str, int] = {}

    def apply(self, page: dict) -> None:
        for seg in page["buckets"]:
            if seg["reset"]:
                self.rows = {k: r for k, r in self.rows.items() if r[0] != seg["name"]}
            for ch in seg["changes"]:
                key = (ch["type"], ch["id"])
                if ch["op"] == "del":
                    self.rows.pop(key, None)
                else:
                    self.rows[key] = (seg["name"], ch["data"])
            self.cursors[seg["name"]] = seg["cursor"]
        for name in page["removed_buckets"]:
            self.rows = {k: r for k, r in self.rows.items() if r[0] != name}
            self.cursors.pop(name, None)

    def pull(self, store, actor, client_id, limit=1000, **kw) -> dict:
        """Pull until has_more is false; return the last page (``kw``: to ``build_pull``)."""
        while True:
            page = sync_service.build_pull(store, actor, client_id, self.cursors, limit, **kw)
            self.apply(page)
            if not page["has_more"]:
                return page

    def records(self) -> dict:
        return {k: d for k, (_, d) in self.rows.items()}


def pull_all(store, actor, client_id, limit=1000):
    """A fresh device's full pull: (records by (type, id), cursors, last page)."""
    replica = Replica()
    page = replica.pull(store, actor, client_id, limit)
    return replica.records(), replica.cursors, page


def server_view(store, buckets) -> dict:
    """What a device with these buckets should hold: every live record in them."""
    wanted = set(buckets)
    out = {}
    for collection in ("results", "tickets", "rejections", "notes", "definitions"):
        for rec in store.scan(collection):
            if rec.bucket in wanted:
                out[(collection, rec.id)] = dict(rec.doc)
    return out
