"""The benchmark anchor keeps the bookkeeping it is compared on (issue 10).

``bench/anchors/flask_sqlite.py`` is only a fair anchor if it really does
what our server is measured doing: exactly-once pushes (replays answered as
duplicates, a gap refused with nothing written), scoring on the published
definition, and pulls that carry ``last_mutation_id`` with the rows.
"""
from __future__ import annotations

import importlib.util
from pathlib import Path

import orjson
import pytest

ROOT = Path(__file__).resolve().parents[3]
DEFINITION = {
    "id": "round", "version": 1, "kind": "inspection", "title": {"zh": "巡查", "en": "Round"},
    "sections": [{"id": "r", "title": {"zh": "巡查", "en": "Round"}, "items": [
        {"id": "r.01", "type": "check", "label": {"zh": "消防通道", "en": "Fire lane"},
         "points": 5, "deduction": {"min": 1, "max": 1}}]}],
}


def load_anchor():
    spec = importlib.util.spec_from_file_location(
        "flask_sqlite_anchor", ROOT / "bench" / "anchors" / "flask_sqlite.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def device(tmp_path):
    anchor = load_anchor()
    db = str(tmp_path / "anchor.db")
    anchor.setup(db, DEFINITION, {"tok": ("u1", ["site-a"])})
    client = anchor.create_app(db).test_client()

    def post(path: str, body: dict, token: str = "tok"):
        response = client.post(path, data=orjson.dumps(body),
                               headers={"Authorization": f"Bearer {token}"})
        return response.status_code, orjson.loads(response.data)
    return post


def mutation(n: int, value: str = "pass", site: str = "site-a") -> dict:
    return {"id": n, "name": "submit_result", "args": {
        "result_id": f"r{n}", "site_id": site, "checklist": {"id": "round", "version": 1},
        "answers": {"r.01": {"value": value, **({"defects": [{"deduction": 1}]}
                                                if value == "fail" else {})}}}}


def pull(device, cursors=None):
    return device("/api/v1/sync/pull", {"client_id": "c1", "cursors": cursors or {},
                                        "limit": 100})


def test_push_is_exactly_once_and_pull_carries_the_mutation_id(device):
    status, body = device("/api/v1/sync/push", {"client_id": "c1",
                                                 "mutations": [mutation(1), mutation(2, "fail")]})
    assert status == 200 and body["last_mutation_id"] == 2
    assert [r["status"] for r in body["results"]] == ["applied", "applied"]
    status, body = device("/api/v1/sync/push", {"client_id": "c1",
                                                 "mutations": [mutation(2), mutation(3)]})
    assert [r["status"] for r in body["results"]] == ["duplicate", "applied"]
    status, page = pull(device)
    assert status == 200 and page["last_mutation_id"] == 3 and not page["has_more"]
    rows = {c["id"]: c["data"] for c in page["buckets"][0]["changes"]}
    assert sorted(rows) == ["r1", "r2", "r3"]
    assert rows["r1"]["score"]["total"] == 5 and rows["r2"]["score"]["total"] == 4
    status, page = pull(device, {"site:site-a": page["buckets"][0]["cursor"]})
    assert page["buckets"][0]["changes"] == []


def test_a_gap_or_a_foreign_site_writes_nothing(device):
    status, body = device("/api/v1/sync/push", {"client_id": "c1", "mutations": [mutation(2)]})
    assert status == 409 and body["expected"] == 1
    status, _ = device("/api/v1/sync/push",
                       {"client_id": "c1", "mutations": [mutation(1), mutation(2, site="x")]})
    assert status == 422
    assert pull(device)[1]["buckets"][0]["changes"] == []


def test_unknown_token_and_bad_body_are_refused(device):
    assert device("/api/v1/sync/pull", {"client_id": "c1"}, token="nope")[0] == 401
    assert device("/api/v1/sync/push", {"mutations": []})[0] == 422
