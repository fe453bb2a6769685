"""A published checklist, a guard's device at site A, and photo bytes."""
import hashlib
import io
import uuid
from urllib.parse import unquote

import pytest
from PIL import Image

from server.services import definitions

DEFINITION = {
    "id": "daily-round", "version": 1, "kind": "inspection",
    "title": {"zh": "日常巡查", "en": "Daily round"},
    "sections": [{"id": "env", "title": {"zh": "环境", "en": "Environment"}, "items": [
        {"id": "env.clean", "type": "check", "label": {"zh": "地面清洁", "en": "Floor clean"},
         "points": 5, "deduction": {"min": 1, "max": 1}},
    ]}],
}


@pytest.fixture
def published(app_store):
    return definitions.install(app_store, DEFINITION, by="test")


def jpeg_bytes(color=(200, 30, 30), size=(64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "JPEG")
    return out.getvalue()


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Device:
    """One install of the field app talking to the test client."""

    def __init__(self, client, headers):
        self.client, self.headers = client, headers
        self.client_id = uuid.uuid4().hex
        self.next_id = 1

    def push(self, *mutations, first_id=None, **extra):
        first = self.next_id if first_id is None else first_id
        body = {"client_id": self.client_id, "schema_version": 1, **extra,
                "sent_at": "2026-11-23T08:00:00+00:00",
                "mutations": [{"id": first + n, "name": name, "args": args,
                               "client_ts": "2026-11-23T07:59:00+00:00"}
                              for n, (name, args) in enumerate(mutations)]}
        r = self.client.post("/api/v1/sync/push", json=body, headers=self.headers)
        if r.status_code == 200:
            self.next_id = max(self.next_id, first + len(mutations))
        return r

    def pull(self, cursors=None, limit=500, **extra):
        return self.client.post("/api/v1/sync/pull", headers=self.headers, json={
            "client_id": self.client_id, "schema_version": 1,
            "cursors": cursors or {}, "limit": limit, **extra})

    def upload(self, data, *, offset=0, chunk=None, checksum=None, name=None):
        chunk = data[offset:] if chunk is None else chunk
        headers = {**self.headers, "Upload-Offset": str(offset),
                   "Upload-Length": str(len(data)),
                   "Content-Type": "application/offset+octet-stream"}
        if checksum:
            headers["Upload-Checksum"] = checksum
        return self.client.patch(f"/api/v1/photos/{name or sha(data)}", data=chunk,
                                 headers=headers)


def photo_state(r) -> str | None:
    """``accepted``/``refused`` when the upload answer says the photo is complete (tus: 204)."""
    return r.headers.get("Photo-State") if r.status_code == 204 else None


def refusal(r) -> str:
    """The reason a complete upload's image was refused (``Photo-Refused``, percent-encoded)."""
    return unquote(r.headers["Photo-Refused"])


def submit(site_id, result_id=None, value="pass", photos=(), defects=None):
    answer = {"value": value}
    if defects:
        answer["defects"] = defects
    return ("submit_result", {
        "result_id": result_id or uuid.uuid4().hex, "site_id": site_id,
        "checklist": {"id": "daily-round", "version": 1},
        "answers": {"env.clean": answer},
        "photos": [{"sha256": p} for p in photos],
        "gps": {"lat": 31.23, "lon": 121.47}})


@pytest.fixture
def guard(client, team):
    return Device(client, team.headers["guard"])
