"""How the device client talks to the server: one small seam, one stdlib HTTP adapter.

``Transport.request`` is the only thing the client needs from a network: it
sends one request and returns ``(status, headers, body)`` with header names
lower-cased and the body as bytes. Tests put the Flask test client (and
fault injectors) behind the same interface; field devices use
``HttpTransport`` (``http.client``, no extra dependency).

A broken connection -- refused, reset, timed out, cut mid-body -- raises
``ServerUnreachable``. The caller cannot know whether the server processed
the request, which is exactly why push is idempotent and uploads resume.
"""
from __future__ import annotations

import http.client
import socket
from typing import Mapping, Protocol
from urllib.parse import urlsplit

import orjson

from .errors import ServerUnreachable

Response = tuple[int, dict[str, str], bytes]


class Transport(Protocol):
    def request(self, method: str, path: str, *, json=None, data: bytes | None = None,
                headers: Mapping[str, str] | None = None) -> Response:
        """Send one request to ``path`` (e.g. ``/api/v1/sync/push``) and return the answer."""
        ...


def encode_body(json, data: bytes | None, headers: Mapping[str, str] | None
                ) -> tuple[bytes | None, dict[str, str]]:
    """The body bytes and headers of a request given as ``json`` or raw ``data``."""
    out = dict(headers or {})
    if json is not None:
        out.setdefault("Content-Type", "application/json")
        return orjson.dumps(json), out
    return data, out


def check_base_url(base_url: str) -> str:
    """``base_url`` without a trailing slash; ``ValueError`` unless it is an http(s) URL."""
    parts = urlsplit(base_url.rstrip("/"))
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {base_url!r}")
    return base_url.rstrip("/")


class HttpTransport:
    """``Transport`` over ``http.client``: one connection per request, plain and robust.

    A fresh connection per request costs a handshake, but a field device's
    link drops often and a stale keep-alive socket is the commonest way to
    turn a good request into a confusing failure.
    """

    def __init__(self, base_url: str, *, timeout: float = 60.0):
        self.base_url = check_base_url(base_url)
        parts = urlsplit(self.base_url)
        self._https = parts.scheme == "https"
        self._host, self._port = parts.hostname, parts.port
        self._prefix = parts.path
        self.timeout = timeout

    def _connection(self) -> http.client.HTTPConnection:
        cls = http.client.HTTPSConnection if self._https else http.client.HTTPConnection
        return cls(self._host, self._port, timeout=self.timeout)

    def request(self, method: str, path: str, *, json=None, data: bytes | None = None,
                headers: Mapping[str, str] | None = None) -> Response:
        body, hdrs = encode_body(json, data, headers)
        conn = self._connection()
        try:
            conn.request(method, self._prefix + path, body=body, headers=hdrs)
            resp = conn.getresponse()
            payload = resp.read()
            return resp.status, {k.lower(): v for k, v in resp.getheaders()}, payload
        except (OSError, socket.timeout, http.client.HTTPException) as exc:
            raise ServerUnreachable(f"cannot reach {self.base_url}: {exc}") from None
        finally:
            conn.close()


def json_body(body: bytes):
    """The decoded JSON of a response body, or None when it is empty or not JSON."""
    if not body:
        return None
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        return None
