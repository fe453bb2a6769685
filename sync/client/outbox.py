"""The outbox: mutations made offline, numbered 1, 2, 3... per client id, kept until acknowledged.

One file holds the pending mutations, the ones the server rejected (kept
whole, with the reason, so no field data is ever lost and the queue never
blocks), a short archive of acknowledged ones, and the install's
``client_id`` with the next mutation id. Appending a mutation is one atomic
write, so a mutation either exists with its id or not at all.

The server binds a client id to the device registration that first used it
(``sync.push.check_owner``), and a new login is a new registration. So a
new login *rotates* the client id: the pending mutations are renumbered from
1 under the new id. That is safe because every mutation is idempotent by its
own record id (``result_id``, ``comment_id``, the ``from`` state of a move):
one that the old client id already delivered is answered ``duplicate``.
"""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import orjson
from tinydb import Query

from .storage import LocalDB

PENDING, REJECTED, ACKED = "pending", "rejected", "acked"
ARCHIVE_DAYS = 30
ARCHIVE_MAX = 1000
RESUBMITTABLE = frozenset({"submit_result", "amend_result"})  # insert-once by result_id


def now_text() -> str:
    return datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds")


def new_client_id() -> str:
    return uuid.uuid4().hex


class Outbox:
    def __init__(self, path: str):
        self.db = LocalDB(path)
        if self.db.get_meta("client_id") is None:
            self.db.set_meta(client_id=new_client_id(), device_id=None, user_id=None,
                             next_id=1, last_sync_at=None)

    # -- identity ----------------------------------------------------------------
    @property
    def client_id(self) -> str:
        return self.db.get_meta("client_id")

    @property
    def user_id(self) -> str | None:
        return self.db.get_meta("user_id")

    def bind(self, *, device_id: str, user_id: str) -> bool:
        """Tie the outbox to a new device registration; True if the client id rotated."""
        if self.db.get_meta("device_id") == device_id:
            return False
        first_binding = self.db.get_meta("device_id") is None and self.db.get_meta("next_id") == 1
        with self.db.batch():
            if not first_binding:
                self._rotate()
            self.db.set_meta(device_id=device_id, user_id=user_id)
        return not first_binding

    def rotate(self) -> None:
        """Start a new client id (the server lost or refuses the old one's history)."""
        with self.db.batch():
            self._rotate()

    def _rotate(self) -> None:
        pending = self.pending()
        table = self.db.table(PENDING)
        table.truncate()
        renumbered = [{**m, "id": n} for n, m in enumerate(pending, start=1)]
        if renumbered:
            table.insert_multiple(renumbered)
        self.db.table(ACKED).truncate()  # its ids belong to the old client id
        self.db.set_meta(client_id=new_client_id(), next_id=len(renumbered) + 1)

    # -- writing -----------------------------------------------------------------
    def append(self, name: str, args: dict) -> int:
        """Queue one mutation; return its id (durable when this returns)."""
        with self.db.batch():
            mutation_id = self.db.get_meta("next_id")
            self.db.table(PENDING).insert({"id": mutation_id, "name": name,
                                           "client_ts": now_text(), "args": args})
            self.db.set_meta(next_id=mutation_id + 1)
        return mutation_id

    def acknowledge(self, last_mutation_id: int, results: list[dict] = ()) -> int:
        """Drop pending mutations up to ``last_mutation_id``; keep rejected ones aside.

        Returns how many were dropped. ``results`` are the push answers: a
        ``rejected`` one moves, with its error, to the visible rejected list.
        """
        errors = {r["id"]: r.get("error") for r in results if r.get("status") == "rejected"}
        done = [m for m in self.pending() if m["id"] <= last_mutation_id]
        if not done:
            return 0
        at = now_text()
        with self.db.batch():
            self.db.table(PENDING).remove(Query().id <= last_mutation_id)
            rejected = [{**m, "client_id": self.client_id, "error": errors[m["id"]],
                         "rejected_at": at} for m in done if m["id"] in errors]
            if rejected:
                self.db.table(REJECTED).insert_multiple(rejected)
            self.db.table(ACKED).insert_multiple(
                [{**m, "acked_at": at} for m in done if m["id"] not in errors])
            self._prune_archive()
        return len(done)

    def _prune_archive(self) -> None:
        table = self.db.table(ACKED)
        horizon = (datetime.now(timezone.utc) - timedelta(days=ARCHIVE_DAYS)).isoformat()
        kept = sorted(table.all(), key=lambda m: m["id"])[-ARCHIVE_MAX:]
        kept = [m for m in kept if _utc(m["acked_at"]) >= horizon]
        if len(kept) != len(table):
            table.truncate()
            if kept:
                table.insert_multiple(kept)

    def requeue_results(self) -> int:
        """Queue again every archived result submission not pending; return how many.

        After a pull ``reset`` the server may have been restored from an older
        copy and lost results it had acknowledged (anchors-sync §4.9.5).
        Re-sending them is safe: the same ``result_id`` with the same content
        is answered ``duplicate``. The originals stay archived.
        """
        pending = {m["args"].get("result_id") for m in self.pending()}
        again: dict[str, dict] = {}
        for m in sorted(self.db.table(ACKED).all(), key=lambda m: m["id"]):
            result_id = m["args"].get("result_id")
            if m["name"] in RESUBMITTABLE and result_id not in pending:
                again.setdefault(result_id, m)
        with self.db.batch():
            for m in again.values():
                self.append(m["name"], m["args"])
        return len(again)

    def note_epoch(self, epoch: str | None) -> int:
        """Remember the server's epoch; on a change re-queue results, return how many.

        A new epoch means the server's data was restored from a backup: it may
        have lost results it had acknowledged (anchors-sync §4.9.5). Either a
        push or a pull answer may be the first to show it, so both call this.
        """
        if not epoch:
            return 0
        known = self.db.get_meta("epoch")
        if known == epoch:
            return 0
        with self.db.batch():
            self.db.set_meta(epoch=epoch)
            return self.requeue_results() if known is not None else 0

    @property
    def epoch(self) -> str | None:
        return self.db.get_meta("epoch")

    def note_sync(self) -> None:
        self.db.set_meta(last_sync_at=now_text())

    # -- reading -----------------------------------------------------------------
    def pending(self, limit: int | None = None, max_bytes: int | None = None) -> list[dict]:
        """Pending mutations in id order; at most ``limit`` and about ``max_bytes`` of JSON."""
        out, size = [], 0
        for doc in sorted(self.db.table(PENDING).all(), key=lambda m: m["id"]):
            mutation = {"id": doc["id"], "name": doc["name"], "client_ts": doc["client_ts"],
                        "args": doc["args"]}
            size += len(orjson.dumps(mutation))
            if out and ((limit is not None and len(out) >= limit)
                        or (max_bytes is not None and size > max_bytes)):
                break
            out.append(mutation)
        return out

    def archived(self, from_id: int, to_id: int) -> list[dict] | None:
        """Acknowledged mutations ``from_id..to_id`` if the archive still holds all of them."""
        wanted = {m["id"]: m for m in self.db.table(ACKED).all() if from_id <= m["id"] <= to_id}
        if len(wanted) != to_id - from_id + 1:
            return None
        return [{k: wanted[i][k] for k in ("id", "name", "client_ts", "args")}
                for i in range(from_id, to_id + 1)]

    def submission(self, result_id: str) -> dict | None:
        """The newest queued, acknowledged or rejected mutation that submits ``result_id``."""
        found = [m for name in (PENDING, ACKED, REJECTED) for m in self.db.table(name).all()
                 if m["name"] in RESUBMITTABLE and m["args"].get("result_id") == result_id]
        return max(found, key=lambda m: m["client_ts"], default=None)

    def rejected(self) -> list[dict]:
        return sorted(self.db.table(REJECTED).all(), key=lambda m: m["rejected_at"])

    def size(self) -> int:
        return len(self.db.table(PENDING))

    def last_sync_at(self) -> str | None:
        return self.db.get_meta("last_sync_at")


def _utc(text: str) -> str:
    return datetime.fromisoformat(text).astimezone(timezone.utc).isoformat()
