"""Transports for device tests: the Flask test client, and a fault injector around any.

``FlaskTransport`` is our ``sync.client.Transport`` interface over the real
app's test client. ``FaultyTransport`` wraps another transport and breaks
the link the ways a field network does: it drops the response after the
server processed the request, sends a request twice, and cuts PATCH bodies
at a random byte (the server gets the first bytes, the device an error).
Faults are drawn from a seeded ``random.Random`` so a failure replays.
"""
from __future__ import annotations

import random
from collections import Counter

from sync.client.errors import ServerUnreachable
from sync.client.transport import encode_body


class FlaskTransport:
    def __init__(self, test_client):
        self.client = test_client

    def request(self, method, path, *, json=None, data=None, headers=None):
        body, hdrs = encode_body(json, data, headers)
        content_type = hdrs.pop("Content-Type", None)
        resp = self.client.open(path, method=method, data=body, headers=hdrs,
                                content_type=content_type)
        return resp.status_code, dict(resp.headers), resp.get_data()


class FaultyTransport:
    """Injects faults on sync/photo calls; logins and reads of the account pass through."""

    def __init__(self, inner, seed: int, *, drop: float = 0.3, duplicate: float = 0.2,
                 cut: float = 0.0, faulty_paths=("/sync/", "/photos/")):
        self.inner, self.rng = inner, random.Random(seed)
        self.drop, self.duplicate, self.cut = drop, duplicate, cut
        self.faulty_paths = faulty_paths
        self.counts = Counter()
        self.enabled = True

    def request(self, method, path, *, json=None, data=None, headers=None):
        if not self.enabled or not any(p in path for p in self.faulty_paths):
            return self.inner.request(method, path, json=json, data=data, headers=headers)
        if method == "PATCH" and data and self.rng.random() < self.cut:
            cut_at = self.rng.randrange(0, len(data))
            self.inner.request(method, path, data=data[:cut_at], headers=headers)
            self.counts["cut"] += 1
            raise ServerUnreachable(f"injected: connection cut after {cut_at} bytes")
        if self.rng.random() < self.duplicate:
            self.inner.request(method, path, json=json, data=data, headers=headers)
            self.counts["duplicate"] += 1
        answer = self.inner.request(method, path, json=json, data=data, headers=headers)
        if self.rng.random() < self.drop:
            self.counts["drop"] += 1
            raise ServerUnreachable("injected: response lost after the server processed it")
        return answer


class CountingTransport:
    """Counts requests and bytes sent per (method, path prefix) -- for upload assertions."""

    def __init__(self, inner):
        self.inner = inner
        self.requests = Counter()
        self.bytes_sent = 0

    def request(self, method, path, *, json=None, data=None, headers=None):
        self.requests[(method, path.split("?")[0].rsplit("/", 1)[0])] += 1
        self.bytes_sent += len(data or b"")
        return self.inner.request(method, path, json=json, data=data, headers=headers)
