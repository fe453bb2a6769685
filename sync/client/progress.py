"""How far a push has got, for whoever shows it (the CLI draws a line on a terminal).

A push of many results and photos can take minutes on a field network; a
caller passes ``on_progress`` to ``DeviceClient.push / upload_photos / sync``
and receives a :class:`SyncProgress` after every answered batch of changes
and every photo chunk the server confirmed. Counts only: the library never
prints.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable


@dataclass(frozen=True)
class SyncProgress:
    changes_sent: int = 0        # mutations the server answered (applied, duplicate, rejected)
    changes_total: int = 0       # answered + still queued
    photo_bytes_sent: int = 0    # bytes the server confirmed, over every queued photo
    photo_bytes_total: int = 0


OnProgress = Callable[[SyncProgress], None]


class ProgressTracker:
    """Keeps the latest :class:`SyncProgress` of one push or sync and reports each change."""

    def __init__(self, on_progress: OnProgress):
        self.on_progress, self.state = on_progress, SyncProgress()

    def changes(self, sent: int, total: int) -> None:
        self._set(changes_sent=sent, changes_total=total)

    def photos(self, queued: list[dict]) -> Callable[[str, int, int], None]:
        """A per-photo ``Uploader`` callback that sums the bytes of ``queued`` photos."""
        sent = {p["sha256"]: p["sent"] for p in queued}
        total = sum(p["size"] for p in queued)
        running = sum(sent.values())
        self._set(photo_bytes_sent=running, photo_bytes_total=total)

        def photo_progress(sha256: str, confirmed: int, size: int) -> None:
            nonlocal running
            running += confirmed - sent.get(sha256, 0)
            sent[sha256] = confirmed
            self._set(photo_bytes_sent=running, photo_bytes_total=total)
        return photo_progress

    def _set(self, **changed) -> None:
        state = replace(self.state, **changed)
        if state != self.state:
            self.state = state
            self.on_progress(state)
