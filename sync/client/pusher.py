"""Push the outbox until it is empty, exactly once (anchors-sync §4.4, §4.9).

Batches of at most 200 mutations (and about 256 KB) go out in id order.
The server's ``last_mutation_id`` decides what leaves the outbox, never the
fact that a request was sent: a lost response is harmless because the next
push (or pull) reports the same ``last_mutation_id`` and the replayed ids
are answered ``duplicate``.

* 409 ``expected`` > our first id: the server already has the ones before
  (their response was lost) -- drop them and go on from ``expected``.
* 409 ``expected`` < our first id: the server lost acknowledged work (a
  restore from backup). Re-send it from the archive when it is still there,
  else start a new client id -- every mutation is idempotent by its record id.
* 403 ``client_not_owned``: this client id belongs to an older login of
  this install; start a new client id.
* ``rejected``: kept whole with its reason in ``Outbox.rejected()``; the
  queue goes on (a rejected mutation still consumed its id).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from .api import ServerApi
from .errors import ServerError
from .outbox import Outbox, now_text

BATCH_MAX = 200
BATCH_BYTES = 256 * 1024
SCHEMA_VERSION = 1
MAX_ROTATIONS = 2


@dataclass
class PushReport:
    applied: int = 0
    duplicate: int = 0
    rejected: list[dict] = field(default_factory=list)
    missing_photos: set[str] = field(default_factory=set)
    requests: int = 0
    requeued: int = 0  # results queued again because the server's epoch changed


class Pusher:
    def __init__(self, api: ServerApi, outbox: Outbox, *, batch_max: int = BATCH_MAX):
        self.api, self.outbox = api, outbox
        self.batch_max = min(batch_max, BATCH_MAX)

    def run(self, on_changes: Callable[[int, int], None] | None = None) -> PushReport:
        """Push until the outbox is empty; ``on_changes(answered, total)`` after each batch."""
        report, resend, rotations = PushReport(), [], 0
        while True:
            if on_changes is not None:
                answered = report.applied + report.duplicate + len(report.rejected)
                on_changes(answered, answered + len(resend) + self.outbox.size())
            batch = resend[:self.batch_max] or self.outbox.pending(self.batch_max, BATCH_BYTES)
            if not batch:
                return report
            answer = self.api.push({"client_id": self.outbox.client_id,
                                    "schema_version": SCHEMA_VERSION, "sent_at": now_text(),
                                    "epoch": self.outbox.epoch, "mutations": batch})
            report.requests += 1
            body = answer.body if isinstance(answer.body, dict) else {}
            if answer.status == 200:
                resend = resend[len(batch):] if resend else []
                self._take(body, report, batch)
            elif answer.status == 409 and isinstance(body.get("expected"), int):
                resend = self._gap(body["expected"], batch[0]["id"])
                if resend is None:
                    rotations = self._rotate(rotations)
                    resend = []
            elif answer.status == 403 and body.get("error") == "client_not_owned":
                rotations, resend = self._rotate(rotations), []
            else:
                raise ServerError(f"push refused (HTTP {answer.status}): "
                                  f"{body.get('message', '')}", status=answer.status, body=body)

    def _take(self, body: dict, report: PushReport, batch: list[dict]) -> None:
        last = body.get("last_mutation_id")
        if not isinstance(last, int) or last < batch[-1]["id"]:
            raise ServerError(f"push answer acknowledged {last}, not {batch[-1]['id']}")
        results = body.get("results", [])
        for result in results:
            if result["status"] == "rejected":
                report.rejected.append(result)
            else:
                setattr(report, result["status"], getattr(report, result["status"]) + 1)
            report.missing_photos.update(result.get("missing_photos", ()))
        self.outbox.acknowledge(last, results)
        report.requeued += self.outbox.note_epoch(body.get("epoch"))

    def _gap(self, expected: int, first: int) -> list[dict] | None:
        """Handle a 409; return mutations to re-send first ([] = none, None = unrecoverable)."""
        if expected > first:
            self.outbox.acknowledge(expected - 1)
            return []
        if expected < first:
            return self.outbox.archived(expected, first - 1)
        raise ServerError(f"server reported a gap at {expected}, the id it was sent")

    def _rotate(self, rotations: int) -> int:
        if rotations >= MAX_ROTATIONS:
            raise ServerError("the server refuses every client id of this device; log in again")
        self.outbox.rotate()
        return rotations + 1
