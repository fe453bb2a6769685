"""The one status line ``fieldsync device push / sync`` redraws while sending.

Drawn on stderr only when it is a terminal: piped or redirected output (a
script, a log file) gets the summary lines and nothing else.
"""
from __future__ import annotations

from typing import TextIO

from .progress import SyncProgress

_CLEAR_LINE = "\r\x1b[K"


class ProgressLine:
    def __init__(self, stream: TextIO):
        self.stream = stream
        self.enabled = stream.isatty()
        self.drawn = False

    def __call__(self, progress: SyncProgress) -> None:
        if not self.enabled:
            return
        parts = []
        if progress.changes_total:
            parts.append(f"{progress.changes_sent}/{progress.changes_total} changes")
        if progress.photo_bytes_total:
            parts.append(f"{_size(progress.photo_bytes_sent)}/"
                         f"{_size(progress.photo_bytes_total)} of photos")
        if parts:
            self.stream.write(f"{_CLEAR_LINE}Sending: {', '.join(parts)}")
            self.stream.flush()
            self.drawn = True

    def close(self) -> None:
        """End the line, so what is printed next starts on its own."""
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()
            self.drawn = False

    def __enter__(self) -> "ProgressLine":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n / (1024 * 1024):.1f} MB"
