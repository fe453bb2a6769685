"""``Acting``: who does something and when -- what every workflow rule is given.

A push builds it from its ``MutationContext`` (the mutation's name and the
device install it came from); a web request from the session's actor and the
server clock. ``origin`` names where successive edits come from (a device
install, or a user's browser), so edits from one origin chain instead of
conflicting with each other.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from checklists.actors import Actor


@dataclass(frozen=True, slots=True)
class Acting:
    actor: Actor
    at: str  # ISO instant of the server clock (the only clock that orders changes)
    ref: str | None = None  # the mutation (``client#id``) or request that made the change
    origin: str | None = None
    device_ts: str | None = None
    clock_offset_ms: int | None = None

    @classmethod
    def web(cls, actor: Actor, at: datetime) -> "Acting":
        """A change made from a browser session (or any API call) at ``at``."""
        return cls(actor, at.isoformat(), origin=f"web:{actor.user_id}")

    @property
    def now(self) -> datetime:
        return datetime.fromisoformat(self.at)

    def stamp(self) -> dict:
        """Provenance recorded next to a change."""
        return {"by": self.actor.user_id, "role": self.actor.role, "mutation": self.ref,
                "at": self.at, "device_ts": self.device_ts,
                "clock_offset_ms": self.clock_offset_ms}
