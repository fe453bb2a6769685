"""Patrol pages: a day's rounds with verdicts and missed-round alerts, and one round."""
from __future__ import annotations

import pytest

from server.services.patrol.missed import mark_missed
from tests.integration.patrol.site_setup import GuardDevice, PatrolSite
from tests.integration.patrol.test_round_timelines import round_args
from tests.unit.patrol.builders import local, walk

LATE_WALK = ["22:36", "22:38", "22:40", "22:42", "22:44"]
NIGHT = "2026-11-02"


@pytest.fixture
def night(client, team, app_store):
    """Site A's night of 2 Nov: the 22:00 round walked late, the others missed."""
    site = PatrolSite(client, team, app_store)
    site.set_up()
    occurrence = site.occurrence(f"{NIGHT}T22:00")
    [answer] = GuardDevice(client, team.headers["guard"]).push(
        round_args(occurrence, walk(LATE_WALK), "22:35", finished="22:45"))
    assert answer["status"] == "applied", answer
    mark_missed(app_store, local("+1 08:00"))
    return site


def test_the_day_lists_rounds_with_verdicts_and_missed_alerts(web, team, night):
    page = web("supervisor-a").get(f"/patrol?day={NIGHT}")
    assert page.status_code == 200
    assert 'href="/patrol/rounds/round-1"' in page.text
    assert "迟开始" in page.text and ">start_late<" not in page.text  # words, not codes
    after_midnight = web("supervisor-a").get("/patrol?day=2026-11-03").text
    alerts = after_midnight[after_midnight.index('id="alerts"'):after_midnight.index('id="rounds"')]
    assert alerts.count('class="overdue"') == 4  # 00:00 to 06:00 nobody walked


def test_a_round_page_shows_scans_against_windows_and_flags(web, team, night):
    page = web("supervisor-a").get("/patrol/rounds/round-1")
    assert page.status_code == 200
    assert 'id="timeline"' in page.text and "北门" in page.text and "22:36:00" in page.text
    assert 'id="flags"' in page.text and "延迟上传" in page.text
    assert 'title="late_submission"' in page.text                    # the code as a tooltip
    assert page.text.count('class="cp-status"') == 5


def test_patrol_scope_and_bad_day(web, accounts, team, night):
    accounts.user("supervisor", username="supervisor-b", site_ids=[team.site_b["id"]])
    other = web("supervisor-b")
    assert other.get("/patrol/rounds/round-1").status_code == 404
    assert other.get(f"/patrol?site={team.site_a['id']}&day={NIGHT}").status_code == 404
    assert "round-1" not in other.get(f"/patrol?day={NIGHT}").text
    for name in ("guard-a", "engineer-a"):
        assert web(name).get("/patrol").status_code == 403
        assert web(name).get("/patrol/rounds/round-1").status_code == 403
    bad = web("supervisor-a").get("/patrol?day=2026-13-45")
    assert bad.status_code == 400 and "day" in bad.text


def test_the_days_rounds_and_alerts_as_csv(web, team, night):
    browser = web("supervisor-a")
    resp = browser.get(f"/patrol.csv?day={NIGHT}")
    assert resp.status_code == 200 and resp.data.startswith("\ufeff".encode())
    lines = resp.data.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("id,site,local_start,route,status")
    assert lines[1].startswith("round-1,") and "late_submission" in lines[1]
    assert browser.get(f"/patrol.csv?site={team.site_b['id']}").status_code == 404
    assert browser.get("/patrol.csv?day=yesterday").status_code == 400


def test_the_punctuality_grid_counts_late_and_missed_visits_per_checkpoint(app, team, night):
    from datetime import date

    from server.services.accounts.users import actor_of
    from server.web.charts import heatmap_svg
    from server.web.dashboard_blocks import patrol_grid

    grid = patrol_grid(app.extensions["fieldsync.store"], actor_of(team.users["supervisor"]),
                       team.site_a["id"], date(2026, 11, 3), days=3)
    assert grid["columns"] == ["2026-11-01", "2026-11-02", "2026-11-03"]
    assert "北门" in grid["rows"] and len(grid["rows"]) == 5
    first, night_of, after = zip(*grid["values"])
    assert set(first) == {None}                     # nothing was due before the route existed
    assert set(night_of) == {100}                   # started late, each stop in its window
    assert all(v == 0 for v in after)               # 00:00-06:00: every round missed
    with app.app_context():
        svg = heatmap_svg(grid["values"], rows=grid["rows"], columns=grid["columns"],
                          label="%", font_path=app.config["PHOTO_FONT_PATH"])
    assert svg.startswith("<svg") and "<path" in svg


def test_a_round_page_shows_what_was_answered_and_photographed_at_each_checkpoint(
        web, client, team, app_store):
    """cp2's checklist gives labels and words; cp3 has none, so its answers show by id."""
    from server.services import definitions
    from server.services.accounts.users import actor_of
    from server.services.patrol import checkpoints
    definitions.install(app_store, {
        "id": "gate-check", "version": 1, "kind": "inspection", "title": {"zh": "门岗检查", "en": "Gate"},
        "sections": [{"id": "g", "title": {"zh": "门岗", "en": "Gate"}, "items": [
            {"id": "g.barrier", "type": "check", "label": {"zh": "道闸正常", "en": "Barrier works"}},
            {"id": "g.staff", "type": "reading", "unit": "人",
             "label": {"zh": "在岗人数", "en": "Staff on duty"}}]}]},
        by="test")
    site = PatrolSite(client, team, app_store)
    site.set_up()
    checkpoints.update_checkpoint(app_store, actor_of(team.users["supervisor"]),
                                  team.site_a["id"], "cp2", {"checklist_id": "gate-check"})
    occurrence = site.occurrence(f"{NIGHT}T22:00")
    sha = "cd" * 32
    [answer] = GuardDevice(client, team.headers["guard"]).push(
        round_args(occurrence, walk(LATE_WALK), "22:35", finished="22:45") | {"visits": {
            "cp2": {"answers": {"g.barrier": {"value": "fail", "note": "抬杆卡住"},
                                "g.staff": {"value": 2}},
                    "photos": [{"sha256": sha}]},
            "cp3": {"answers": {"x.lights": {"value": "on"}, "x.odd": 7}}}})
    assert answer["status"] == "applied", answer
    page = web("supervisor-a", **{"Accept-Language": "en"}).get(
        "/patrol/rounds/round-1", headers={"Accept-Language": "en"})
    assert page.status_code == 200
    visits = page.text[page.text.index('id="visits"'):page.text.index('id="flags"')]
    cp2 = visits[visits.index('data-checkpoint="cp2"'):visits.index('data-checkpoint="cp3"')]
    assert "Barrier works" in cp2 and "fail" in cp2 and "抬杆卡住" in cp2
    assert "Staff on duty" in cp2 and ">2 人<" in cp2
    assert f"/api/v1/photos/{sha}?variant=thumb&amp;result=round-1" in cp2
    cp3 = visits[visits.index('data-checkpoint="cp3"'):]
    assert "x.lights" in cp3 and ">on<" in cp3 and ">7<" in cp3
