"""Rounds nobody walked are marked missed by the server while devices are offline.

The pass is idempotent and, run by two app servers at once, marks each round
once (its check-and-mark is one store write transaction). A round arriving
two days after its alert is judged on its own times and both facts stay.
"""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from checklists.actors import Actor
from server.services.patrol.missed import PatrolJob, mark_missed
from server.services.sync_service import apply_push
from server.uploads import UploadStore
from sync.patrol_records import ALERTS
from tests.unit.patrol.builders import local, walk

from .test_round_timelines import ON_TIME_WALK, round_args

NIGHT_OVER = local("+1 08:00")           # every round of the night is past its deadline
ROUNDS_OF_THE_NIGHT = 5                  # 22:00, 00:00, 02:00, 04:00, 06:00


def alerts(store) -> list[str]:
    return sorted(rec.id for rec in store.scan(ALERTS))


def passes_at_once(*stores) -> list[list[dict]]:
    """Run the pass on each store from its own thread, released together (a barrier)."""
    start = threading.Barrier(len(stores))
    raised: list[list[dict]] = [[] for _ in stores]

    def server(n: int) -> None:
        start.wait()
        raised[n] = mark_missed(stores[n], NIGHT_OVER)

    threads = [threading.Thread(target=server, args=(n,)) for n in range(len(stores))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return raised


def test_the_pass_marks_each_overdue_round_once(patrol_site):
    store = patrol_site.store
    assert mark_missed(store, local("22:59")) == []
    [first] = mark_missed(store, local("23:00"))
    assert first["occurrence_id"] == "night.v1.20261102T2200"
    assert len(mark_missed(store, NIGHT_OVER)) == ROUNDS_OF_THE_NIGHT - 1
    assert mark_missed(store, NIGHT_OVER) == []                                # idempotent
    occurrence = patrol_site.occurrence("2026-11-02T22:00")
    assert occurrence["status"] == "missed" and occurrence["missed_at"] is not None
    assert len(alerts(store)) == ROUNDS_OF_THE_NIGHT


def test_two_servers_running_the_pass_at_once_mark_each_round_once(patrol_site):
    store = patrol_site.store
    raised = passes_at_once(store, store)
    assert sorted(len(r) for r in raised) == [0, ROUNDS_OF_THE_NIGHT]
    assert len(alerts(store)) == ROUNDS_OF_THE_NIGHT
    occurrence = patrol_site.occurrence("2026-11-02T22:00")
    assert occurrence["v"] == 2                      # planned, then marked once


def test_a_round_arriving_two_days_after_its_alert_keeps_both_facts(app, patrol_site):
    store = patrol_site.store
    mark_missed(store, local("23:00"))
    occurrence = patrol_site.occurrence("2026-11-02T22:00")
    guard = Actor(patrol_site.guard_id, "guard", {patrol_site.site_id}, device_id="d1")
    received = local("+2 23:30")
    answer = apply_push(store, guard, "phone-1", [{
        "id": 1, "name": "submit_round", "client_ts": received.isoformat(),
        "args": round_args(occurrence, walk(ON_TIME_WALK), "22:02", finished="22:14")}],
        find_definition=lambda *a: None, uploads=UploadStore(app.config["DATA_DIR"]),
        sent_at=received.isoformat(), now=received)
    assert answer["results"][0]["status"] == "applied"
    [walked] = patrol_site.rounds()
    verdict = walked["verdict"]
    assert (verdict["status"], verdict["punctuality"]) == ("completed", 100.0)   # own times
    assert verdict["was_marked_missed"] and verdict["late_arrival"]
    assert [(f["code"], f["evidence"]) for f in verdict["flags"]] == [
        ("late_submission", {"hours": 49.3})]
    assert [ln["code"] for ln in verdict["lines"]][:3] == [
        "round_completed", "was_marked_missed", "late_arrival"]
    [alert] = patrol_site.get(f"/sites/{patrol_site.site_id}/alerts", day="2026-11-02")["items"]
    assert (alert["occurrence_id"], alert["late_round_id"]) == (occurrence["id"], "round-1")
    still = patrol_site.occurrence("2026-11-02T22:00")
    assert (still["status"], still["round_id"]) == ("missed", "round-1")


def test_the_job_thread_plans_and_marks_until_stopped(patrol_site):
    passes: list[dict | None] = []
    ran = threading.Event()

    def after(done):
        passes.append(done)
        ran.set()

    job = PatrolJob(patrol_site.store, interval_s=3600, horizon=timedelta(days=5),
                    clock=lambda: NIGHT_OVER, after_pass=after).start()
    assert ran.wait(timeout=60)
    job.stop(timeout=60)
    assert not job.thread.is_alive()
    assert passes[0]["missed"] == ROUNDS_OF_THE_NIGHT and passes[0]["planned"] > 0
    assert len(alerts(patrol_site.store)) == ROUNDS_OF_THE_NIGHT


@pytest.mark.parametrize("now, marked", [("2026-11-02T14:59", 0), ("2026-11-03T00:00", 5)])
def test_the_cli_runs_one_pass(runner, patrol_site, now, marked):
    from server.cli import main
    result = runner.invoke(main, ["patrol", "mark-missed", "--now", now])
    assert result.exit_code == 0, result.output
    assert f"marked {marked} round(s) missed" in result.output


def test_two_app_servers_on_postgresql_mark_each_round_once(postgres_cluster):
    """Two stores on one PostgreSQL database, as two app servers have: one alert per round."""
    from server.services.accounts.sites import create_site
    from server.services.patrol import checkpoints, routes, schedules
    from server.store import open_store
    from tests.unit.patrol.builders import route_doc, schedule_doc

    from .site_setup import PLANNED_FROM, checkpoint_body

    name = postgres_cluster.create_database()
    first, second = open_store(postgres_cluster.url(name)), open_store(postgres_cluster.url(name))
    try:
        site = create_site(first, code="PG", name="PG")["id"]
        admin = Actor("admin", "admin", set())
        for n in range(1, 6):
            checkpoints.create_checkpoint(first, admin, site, checkpoint_body(n))
        routes.publish_route(first, admin, {k: v for k, v in route_doc().items()
                                            if k not in ("site_id", "version")},
                             site_id=site, at="2026-11-01T00:00:00+00:00")
        body = {k: v for k, v in schedule_doc().items() if k not in ("site_id", "version")}
        schedules.save_schedule(first, admin, body, site_id=site, now=PLANNED_FROM,
                                horizon=timedelta(days=1), default_timezone="Asia/Shanghai")
        raised = passes_at_once(first, second)
        assert sorted(len(r) for r in raised) == [0, ROUNDS_OF_THE_NIGHT]
        assert len(alerts(second)) == ROUNDS_OF_THE_NIGHT
    finally:
        first.close()
        second.close()
        postgres_cluster.drop_database(name)
