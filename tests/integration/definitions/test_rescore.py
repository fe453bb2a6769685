"""Rescoring after a scoring fix: only the derived score moves, the answers never."""
import orjson
import pytest

from server.cli import main
from server.services.sync_service import placed_put
from sync.placement import RESULTS

from ..http_sync.conftest import Device, published, submit  # noqa: F401 (a fixture)


@pytest.fixture
def stale(client, team, published, app_store):
    """Two results; one stored with the score an older (buggy) engine gave it."""
    guard = Device(client, team.headers["guard"])
    guard.push(submit(team.site_a["id"], "good"),
               submit(team.site_a["id"], "bad", value="fail", defects=[{"deduction": 1}]))
    doc = dict(app_store.get(RESULTS, "bad").doc)
    doc["score"] = {**doc["score"], "total": 2.0, "percent": 40.0, "rules_version": "old/0"}
    app_store.commit([placed_put(RESULTS, doc)])
    return doc


def test_dry_run_reports_and_stores_nothing(client, team, stale, app_store):
    before = app_store.high_water()
    r = client.post("/api/v1/definitions/daily-round/versions/1/rescore?dry_run=true",
                    headers=team.headers["admin"])
    assert r.status_code == 200
    assert [(c["result_id"], c["old_total"], c["new_total"]) for c in r.json] == [
        ("bad", 2.0, 4.0)]
    assert app_store.high_water() == before


def test_rescore_fixes_the_score_keeps_history_answers_and_bumps_the_seq(
        client, team, stale, app_store):
    seq = app_store.get(RESULTS, "bad").seq
    r = client.post("/api/v1/definitions/daily-round/versions/1/rescore",
                    headers=team.headers["admin"])
    assert [c["result_id"] for c in r.json] == ["bad"]
    rec = app_store.get(RESULTS, "bad")
    assert rec.doc["score"]["total"] == 4.0 and rec.seq > seq
    assert rec.doc["score_history"][0]["total"] == 2.0
    assert rec.doc["score_history"][0]["rules_version"] == "old/0"
    assert orjson.dumps(rec.doc["answers"]) == orjson.dumps(stale["answers"])
    again = client.post("/api/v1/definitions/daily-round/versions/1/rescore",
                        headers=team.headers["admin"])
    assert again.json == []  # nothing left to fix


def test_only_admins_rescore_and_unknown_versions_are_404(client, team, published):
    url = "/api/v1/definitions/daily-round/versions/1/rescore"
    assert client.post(url, headers=team.headers["supervisor"]).status_code == 403
    assert client.post("/api/v1/definitions/daily-round/versions/9/rescore",
                       headers=team.headers["admin"]).status_code == 404


def test_the_rescore_command(runner, stale):
    dry = runner.invoke(main, ["rescore", "daily-round@1", "--dry-run"])
    assert dry.exit_code == 0 and "bad: 2.0/5.0" in dry.output and "1 result(s) would change" \
        in dry.output
    done = runner.invoke(main, ["rescore", "daily-round@1"])
    assert "1 result(s) changed" in done.output
    assert "0 result(s) changed" in runner.invoke(main, ["rescore", "daily-round@1"]).output
    bad = runner.invoke(main, ["rescore", "daily-round"])
    assert bad.exit_code == 2 and "version" in bad.output


def test_a_rescored_latest_round_moves_the_originals_score_after(client, team, published,
                                                                 app_store):
    engineer = Device(client, team.headers["engineer"])
    name, args = submit(team.site_a["id"], "orig", value="fail", defects=[{"deduction": 1}])
    engineer.push((name, args), ("submit_result", {
        "result_id": "round-1", "site_id": team.site_a["id"], "reinspects": "orig",
        "checklist": args["checklist"], "answers": {"env.clean": {"value": "pass"}}}))
    doc = dict(app_store.get(RESULTS, "round-1").doc)  # as an older (buggy) engine scored it
    doc["score"] = {**doc["score"], "total": 3.0, "percent": 60.0, "rules_version": "old/0"}
    original = dict(app_store.get(RESULTS, "orig").doc)
    original["rectification"] = {**original["rectification"], "score_after": doc["score"]}
    app_store.commit([placed_put(RESULTS, doc), placed_put(RESULTS, original)])

    r = client.post("/api/v1/definitions/daily-round/versions/1/rescore",
                    headers=team.headers["admin"])
    assert [c["result_id"] for c in r.json] == ["round-1"]
    shown = client.get("/api/v1/results/orig", headers=team.headers["admin"]).json
    assert shown["rectification"]["score_after"]["total"] == 5.0
    assert shown["rectification"]["score_at_inspection"]["total"] == 4.0 == shown["score"]["total"]
    assert shown["rectification"]["rounds"][0]["total"] == 5.0  # as it was recorded then
