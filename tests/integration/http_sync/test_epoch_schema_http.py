"""Epoch, schema window and /sync/info over HTTP (anchors-sync §4.3-4.5, §5.8, §5.12)."""
from sync import protocol
from sync.schemas import PUSH_MAX_MUTATIONS

from .conftest import submit


def buckets_of(page):
    return {s["name"]: s for s in page["buckets"]}


def test_info_is_public_and_states_protocol_window_limits_and_epoch(client, app_store, app):
    r = client.get("/api/v1/sync/info")
    assert r.status_code == 200
    assert r.json == {"protocol": 1, "epoch": app_store.epoch(),
                      "schema": {"min": protocol.SCHEMA_MIN, "max": protocol.SCHEMA_MAX},
                      "limits": {"push_max_mutations": PUSH_MAX_MUTATIONS,
                                 "pull_max_rows": 1000,
                                 "photo_max_bytes": app.config["PHOTO_MAX_BYTES"],
                                 "photo_query_max": 500}}


def test_pushes_and_pulls_answer_the_epoch(guard, team, published, app_store):
    r = guard.push(submit(team.site_a["id"]))
    assert r.json["epoch"] == app_store.epoch()
    assert guard.pull().json["epoch"] == app_store.epoch()


def test_a_new_epoch_resets_every_bucket_of_the_next_pull(guard, team, published, app_store,
                                                           runner):
    from server.cli import main
    guard.push(submit(team.site_a["id"], "r1"))
    first = guard.pull().json
    cursors = {s["name"]: s["cursor"] for s in first["buckets"]}
    same = guard.pull(cursors, epoch=first["epoch"]).json
    assert not any(s["reset"] for s in same["buckets"])

    out = runner.invoke(main, ["new-epoch"])
    assert out.exit_code == 0 and app_store.epoch() in out.output
    assert app_store.epoch() != first["epoch"]
    after = guard.pull(cursors, epoch=first["epoch"]).json
    assert after["epoch"] == app_store.epoch()
    assert all(s["reset"] for s in after["buckets"]) and not after["has_more"]
    refetched = {c["id"] for s in after["buckets"] for c in s["changes"]}
    assert {"r1", "daily-round@1"} <= refetched
    # a device that never saw an epoch (an older app) is trusted with its cursors
    assert not any(s["reset"] for s in guard.pull(cursors).json["buckets"])


def test_a_push_with_another_epoch_is_still_applied(guard, team, published, app_store):
    guard.push(submit(team.site_a["id"], "r1"))
    old = app_store.epoch()
    app_store.new_epoch()
    r = guard.push(submit(team.site_a["id"], "r2"), epoch=old)
    assert r.status_code == 200 and r.json["results"][0]["status"] == "applied"
    assert r.json["epoch"] == app_store.epoch() and app_store.get("results", "r2")


def test_an_old_app_may_push_but_must_upgrade_to_pull(guard, team, published, app_store,
                                                      monkeypatch):
    monkeypatch.setattr(protocol, "SCHEMA_MIN", protocol.SCHEMA_MAX + 1)  # v1 retired
    r = guard.push(submit(team.site_a["id"], "kept"))
    assert r.status_code == 200 and r.json["results"][0]["status"] == "applied"
    assert app_store.get("results", "kept") is not None  # field data is never stranded
    r = guard.pull()
    assert r.status_code == 426
    assert r.json["error"] == "upgrade_required" and r.json["min"] == protocol.SCHEMA_MAX + 1
    assert "upgrade the app" in r.json["message"]


def test_a_schema_newer_than_the_server_is_422_naming_it(guard, team, client):
    too_new = protocol.SCHEMA_MAX + 1
    r = client.post("/api/v1/sync/pull", headers=team.headers["guard"], json={
        "client_id": guard.client_id, "schema_version": too_new})
    assert r.status_code == 422 and "schema_version" in r.json["errors"]["json"]
    r = client.post("/api/v1/sync/push", headers=team.headers["guard"], json={
        "client_id": guard.client_id, "schema_version": too_new,
        "mutations": [{"id": 1, "name": "x", "args": {}}]})
    assert r.status_code == 422 and "schema_version" in r.json["errors"]["json"]


def test_gc_and_new_epoch_commands(runner, app_store):
    from server.cli import main
    for command in (["gc"], ["new-epoch"]):
        assert "Usage:" in runner.invoke(main, [*command, "--help"]).output
    dry = runner.invoke(main, ["gc", "--dry-run"])
    assert dry.exit_code == 0 and "would purge 0 tombstone(s)" in dry.output
    before = app_store.high_water()
    out = runner.invoke(main, ["gc", "--retention-days", "30"])
    assert out.exit_code == 0 and "purged 0 tombstone(s); horizon 0 -> 0" in out.output
    assert app_store.high_water() == before + 1  # the run laid its seq-clock mark


def test_gc_over_http_is_for_admins_and_names_a_bad_retention(client, team, app_store):
    admin = team.headers["admin"]
    first = client.post("/api/v1/sync/gc?dry_run=true", headers=admin)
    assert first.status_code == 200, first.json
    assert first.json["dry_run"] is True and first.json["purged"] == 0
    assert app_store.get("sync_gc", "seq_clock") is None   # a dry run writes nothing
    real = client.post("/api/v1/sync/gc", headers=admin)
    assert real.status_code == 200 and real.json["horizon"] == app_store.tombstone_horizon()
    assert app_store.get("sync_gc", "seq_clock") is not None  # this run's seq-clock mark
    assert client.post("/api/v1/sync/gc", headers=team.headers["supervisor"]).status_code == 403
    bad = client.post("/api/v1/sync/gc?retention_days=0", headers=admin)
    assert bad.status_code == 422 and "retention_days" in str(bad.json)
