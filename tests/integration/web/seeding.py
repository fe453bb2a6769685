"""Results at sites A and B, pushed by devices over HTTP, one with an annotated photo."""
from __future__ import annotations

import hashlib
import io
import uuid
from dataclasses import dataclass

from PIL import Image

from server.extensions import STORE_KEY
from server.services import definitions

DEFINITION = {
    "id": "web-check", "version": 1, "kind": "inspection",
    "title": {"zh": "环境巡查", "en": "Environment round"},
    "scoring": {"bands": [{"id": "poor", "label": {"zh": "差", "en": "Poor"}, "min": 0},
                          {"id": "good", "label": {"zh": "良好", "en": "Good"}, "min": 80}]},
    "sections": [{"id": "env", "title": {"zh": "公共环境", "en": "Common areas"}, "items": [
        {"id": "env.floor", "type": "check", "label": {"zh": "地面清洁", "en": "Floor clean"}},
        {"id": "env.exit", "type": "check", "label": {"zh": "消防通道畅通", "en": "Fire exit clear"}},
        {"id": "env.remark", "type": "text", "label": {"zh": "其他情况", "en": "Remarks"}},
    ]}],
}
MARKUP = {"shapes": [{"type": "arrow", "points": [[0.2, 0.2], [0.5, 0.45]]},
                     {"type": "text", "points": [[0.52, 0.47]], "text": "垃圾"}]}


def jpeg(color=(120, 160, 90), size=(320, 240)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "JPEG")
    return out.getvalue()


@dataclass
class Seeded:
    site_a: str
    site_b: str
    photo: str        # sha256 of the photo of result "a-fail"
    photo_b: str      # sha256 of the photo of result "b-1"


def push(client, headers, *results):
    body = {"client_id": uuid.uuid4().hex, "schema_version": 1,
            "sent_at": "2026-11-23T08:00:00+00:00",
            "mutations": [{"id": n, "name": "submit_result", "args": args,
                           "client_ts": "2026-11-23T07:59:00+00:00"}
                          for n, args in enumerate(results, start=1)]}
    resp = client.post("/api/v1/sync/push", json=body, headers=headers)
    assert resp.status_code == 200, resp.json
    assert all(r["status"] == "applied" for r in resp.json["results"]), resp.json


def upload(client, headers, data: bytes) -> None:
    resp = client.patch(f"/api/v1/photos/{hashlib.sha256(data).hexdigest()}", data=data,
                        headers={**headers, "Upload-Offset": "0",
                                 "Upload-Length": str(len(data)),
                                 "Content-Type": "application/offset+octet-stream"})
    assert resp.status_code == 204 and "Photo-State" in resp.headers, resp.json


def result_args(result_id, site_id, floor="pass", exit_="pass", photos=(), remark="") -> dict:
    answers = {"env.floor": {"value": floor}, "env.exit": {"value": exit_}}
    if remark:
        answers["env.remark"] = {"value": remark}
    return {"result_id": result_id, "site_id": site_id,
            "checklist": {"id": "web-check", "version": 1}, "answers": answers,
            "photos": list(photos), "gps": {"lat": 31.23, "lon": 121.47}}


def seed_results(app, client, team) -> Seeded:
    definitions.install(app.extensions[STORE_KEY], DEFINITION, by="test")
    a, b = team.site_a["id"], team.site_b["id"]
    photo, photo_b = jpeg(), jpeg((30, 60, 200))
    sha, sha_b = hashlib.sha256(photo).hexdigest(), hashlib.sha256(photo_b).hexdigest()
    engineer = team.headers["engineer"]
    push(client, engineer,
          result_args("a-pass", a, remark="一切正常"),
          result_args("a-fail", a, floor="fail", photos=[
              {"sha256": sha, "item": "env.floor", "annotations": MARKUP}]))
    upload(client, engineer, photo)
    push(client, team.guard_b_headers, result_args("b-1", b, exit_="fail",
                                                photos=[{"sha256": sha_b}]))
    upload(client, team.guard_b_headers, photo_b)
    return Seeded(a, b, sha, sha_b)
