"""Why the server will not take a file as a photo (its own module so the checks can share it)."""
from __future__ import annotations


class PhotoRefused(Exception):
    """The file is not a photo we accept. ``reason`` is shown to the device user
    for that hash; ``code`` is for programs (``empty``, ``unsupported_format``,
    ``not_an_image``, ``too_large``, ``truncated``, ``damaged``)."""

    def __init__(self, reason: str, code: str):
        super().__init__(reason)
        self.reason = reason
        self.code = code
