"""What the rules need to know about the mutation being applied.

Every change a mutation makes is stamped with who made it, from which
client and mutation (so a supervisor can trace any value back to the device
queue entry that produced it), the device's own clock reading, and the
server's receive time, which is the only clock used for ordering. The
device's clock offset measured at this push lets a report correct device
timestamps (patrol times) without ever trusting them for ordering.
"""
from __future__ import annotations

from dataclasses import dataclass

from checklists.actors import Actor
from checklists.workflow import Acting


@dataclass(frozen=True, slots=True)
class MutationContext:
    actor: Actor
    client_id: str
    mutation_id: int
    device_ts: str | None
    received_at: str
    clock_offset_ms: int | None = None  # server minus device clock at this push

    @property
    def ref(self) -> str:
        """A stable name for the mutation: ``<client_id>#<id>``."""
        return f"{self.client_id}#{self.mutation_id}"

    def acting(self) -> Acting:
        """Who and when, as the workflow rules take it; edits chain per device install."""
        return Acting(self.actor, self.received_at, self.ref, origin=self.client_id,
                      device_ts=self.device_ts, clock_offset_ms=self.clock_offset_ms)

    def stamp(self) -> dict:
        """Provenance recorded next to a change."""
        return self.acting().stamp()
