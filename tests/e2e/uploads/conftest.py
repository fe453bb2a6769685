"""A real server on a loopback port that counts the upload bytes it was handed.

tus clients (tuspy, tus-js-client in Chromium) speak HTTP, not the Flask
test client. ``PatchCounter`` sits in front of the app and records every
PATCH body that reached it, so a test can prove a resumed upload did not
re-send what the server already had; ``drop_patches`` makes it cut the
connection of chosen PATCH requests before the app sees them (a network
outage, as the client experiences it).
"""
from __future__ import annotations

import socket
from dataclasses import dataclass, field

import pytest

from tests.browsers import serving


@dataclass
class PatchCounter:
    app: object
    bodies: list[tuple[int, int]] = field(default_factory=list)  # (bytes, status) per PATCH
    drop_patches: set[int] = field(default_factory=set)  # 1-based PATCH numbers to cut
    dropped: int = 0
    seen: int = 0

    def __call__(self, environ, start_response):
        if environ["REQUEST_METHOD"] == "PATCH":
            self.seen += 1
            if self.seen in self.drop_patches:
                self.dropped += 1
                environ["werkzeug.socket"].shutdown(socket.SHUT_RDWR)
                start_response("500 Dropped", [])
                return [b""]
            size = int(environ.get("CONTENT_LENGTH") or 0)

            def answered(status, headers, *args):
                self.bodies.append((size, int(status.split()[0])))
                return start_response(status, headers, *args)
            return self.app(environ, answered)
        return self.app(environ, start_response)

    @property
    def received(self) -> int:
        """Bytes of the PATCH requests the server took (204)."""
        return sum(size for size, status in self.bodies if status == 204)

    def refused(self) -> list[tuple[int, int]]:
        return [(size, status) for size, status in self.bodies if status != 204]


@dataclass
class LiveServer:
    url: str
    counter: PatchCounter


@pytest.fixture
def live_server(app):
    counter = PatchCounter(app)
    with serving(counter) as base:
        yield LiveServer(base, counter)
