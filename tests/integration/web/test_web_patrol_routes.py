"""Routes published and schedules added or stopped from the patrol set-up pages, through
``publish_route``, ``save_schedule`` and ``deactivate_schedule`` as the API calls them."""
from __future__ import annotations

import pytest

from server.services.accounts.users import actor_of
from server.services.patrol import routes, schedules

from tests.integration.patrol.conftest import patrol_site  # noqa: F401 (the fixture)

from .test_web_patrol_setup import EN, errors_of

ROWS = ["cp1", "cp2", "cp3", "cp4", "cp5", "cp9"]  # the form's rows: on the route first


def route_form(name: str, places: dict[str, int], **fields) -> dict:
    """The route form for checkpoints in ``ROWS`` order: ``places`` = {checkpoint: place}."""
    data = {"name": name, "order": "strict"}
    for n, cp in enumerate(ROWS):
        data[f"stops-{n}-checkpoint_id"] = cp
        data[f"stops-{n}-position"] = str(places.get(cp, ""))
    return data | fields


def newest(app_store, team, route_id):
    return routes.get_route(app_store, actor_of(team.users["admin"]), route_id)["route"]


def site_schedules(app_store, team) -> dict:
    return {s["id"]: s for s in schedules.list_schedules(
        app_store, actor_of(team.users["admin"]), team.site_a["id"])}


SCHEDULE = {"repeat": "times", "times": "21:30, 23:30", "starts_on": "2030-01-07",
            "timing_mode": "offset",
            "early_start_min": "5", "grace_min": "10", "deadline_min": "45"}


def test_a_route_is_published_and_its_next_version_too(web, team, app_store, patrol_site):
    browser = web("supervisor-a", **EN)
    new = browser.get(f"/patrol/sites/{team.site_a['id']}/routes/new", headers=EN)
    assert new.status_code == 200 and new.text.count('name="stops-') == 6 * 5
    published = browser.post(f"/patrol/sites/{team.site_a['id']}/routes/new", route_form(
        "泳池巡查", {"cp9": 1, "cp1": 2}, route_id="pool-walk",
        **{"stops-0-travel_s": "90", "stops-0-tolerance_s": "30", "stops-0-min_dwell_s": "10"}),
        headers=EN)
    assert published.status_code == 302, errors_of(published.text)
    route = newest(app_store, team, "pool-walk")
    assert (route["name"], route["version"]) == ("泳池巡查", 1)
    assert route["stops"] == [
        {"checkpoint_id": "cp9", "travel_s": 0, "tolerance_s": 60, "min_dwell_s": 0},
        {"checkpoint_id": "cp1", "travel_s": 90, "tolerance_s": 30, "min_dwell_s": 10}]
    edit = browser.get("/patrol/routes/night-walk/edit", headers=EN)
    assert edit.status_code == 200 and "publish version 2" in edit.text
    assert 'name="stops-0-travel_s" style="width:6rem" type="number" value="300"' in edit.text
    walk = {cp: n for n, cp in enumerate(["cp1", "cp2", "cp4", "cp5"], start=1)}
    again = browser.post("/patrol/routes/night-walk/edit", route_form("夜巡路线", walk, order="any"),
                         headers=EN)
    assert again.status_code == 302, errors_of(again.text)
    route = newest(app_store, team, "night-walk")
    assert route["version"] == 2 and route["order"] == "any"
    assert [s["checkpoint_id"] for s in route["stops"]] == ["cp1", "cp2", "cp4", "cp5"]
    assert routes.get_route(app_store, actor_of(team.users["admin"]), "night-walk", 1)[
        "route"]["stops"][2]["checkpoint_id"] == "cp3"                  # version 1 kept


def test_a_refused_route_names_the_row_and_stores_nothing(web, team, app_store, patrol_site):
    browser = web("supervisor-a", **EN)
    browser.get(f"/patrol/sites/{team.site_a['id']}/routes/new", headers=EN)
    url = f"/patrol/sites/{team.site_a['id']}/routes/new"
    none = browser.post(url, route_form("空路线", {}), headers=EN)
    assert none.status_code == 400 and "Length must be between 1 and 200." in none.text
    too_long = browser.post(url, route_form("慢", {"cp2": 1}, **{"stops-1-travel_s": "90000"}),
                            headers=EN)
    assert too_long.status_code == 400
    assert errors_of(too_long.text) == [
        "stops-1-travel_s: Must be greater than or equal to 0 and less than or equal to 86400."]
    ghost = browser.post(url, route_form("鬼", {"cp1": 1, "cp2": 2}, **{
        "stops-1-checkpoint_id": "ghost"}), headers=EN)               # deleted meanwhile
    assert errors_of(ghost.text) == ["stops-1-position: no checkpoint 'ghost' in the site"]
    taken = browser.post(url, route_form("重名", {"cp1": 1}, route_id="night-walk"), headers=EN)
    assert taken.status_code == 409 and "already exists" in taken.text
    assert [r["route"]["id"] for r in routes.list_routes(
        app_store, actor_of(team.users["admin"]), team.site_a["id"])] == ["night-walk"]
    assert newest(app_store, team, "night-walk")["version"] == 1


def test_a_schedule_is_added_in_words_and_stopped(web, team, app_store, patrol_site):
    browser = web("supervisor-a", **EN)
    form = browser.get(f"/patrol/sites/{team.site_a['id']}/schedules/new", headers=EN)
    assert form.status_code == 200 and ">guard-a<" in form.text and "guard-b" not in form.text
    added = browser.post(f"/patrol/sites/{team.site_a['id']}/schedules/new", {
        **SCHEDULE, "route_id": "night-walk", "guards": team.users["guard"]["id"],
        "weekdays": ["MO", "FR"]}, headers=EN)
    assert added.status_code == 302, errors_of(added.text)
    [new] = [s for k, s in site_schedules(app_store, team).items() if k != "night"]
    body = new["schedule"]
    assert body["rrule"] == "FREQ=WEEKLY;BYDAY=MO,FR;BYHOUR=21,23;BYMINUTE=30"
    assert (body["dtstart"], body["route_version"], body["timezone"]) == (
        "2030-01-07T21:30", 1, "Asia/Shanghai")
    assert body["assignees"] == {"guards": [team.users["guard"]["id"]]}
    assert (body["grace_min"], body["deadline_min"]) == (10, 45)
    page = browser.get("/patrol/setup", headers=EN).text
    assert "Mon, Fri: at 21:30、23:30" in page
    stopped = browser.post(f"/patrol/schedules/{new['id']}/stop", headers=EN)
    assert stopped.status_code == 302
    assert site_schedules(app_store, team)[new["id"]]["active"] is False
    assert browser.post(f"/patrol/schedules/{new['id']}/stop", headers=EN).status_code == 409


def test_a_fixed_post_every_half_hour(web, team, app_store, patrol_site):
    browser = web("supervisor-a", **EN)
    browser.get(f"/patrol/sites/{team.site_a['id']}/schedules/new", headers=EN)
    added = browser.post(f"/patrol/sites/{team.site_a['id']}/schedules/new", {
        **SCHEDULE, "route_id": "night-walk", "repeat": "interval", "interval_min": "30",
        "from_hour": "7", "to_hour": "9", "post": "east-gate", "deadline_min": "20"}, headers=EN)
    assert added.status_code == 302, errors_of(added.text)
    [new] = [s for k, s in site_schedules(app_store, team).items() if k != "night"]
    assert new["schedule"]["rrule"] == "FREQ=MINUTELY;INTERVAL=30;BYHOUR=7,8,9"
    assert new["schedule"]["dtstart"] == "2030-01-07T07:00"
    assert new["schedule"]["assignees"] == {"post": "east-gate"}
    assert "Every day: every 30 minutes between 07:00–09:59" in browser.get(
        "/patrol/setup", headers=EN).text


def windows(*rows: tuple[str, str, str]) -> dict:
    """The schedule form's window rows: (checkpoint, from, to) minutes after the start."""
    out = {}
    for n, (cp, start, end) in enumerate(rows):
        out |= {f"windows-{n}-checkpoint_id": cp, f"windows-{n}-open_min": start,
                f"windows-{n}-close_min": end}
    return out


def test_rounds_timed_by_windows(web, team, app_store, patrol_site):
    browser = web("supervisor-a", **EN)
    form = browser.get(f"/patrol/sites/{team.site_a['id']}/schedules/new", headers=EN)
    assert form.text.count('name="windows-') == 6 * 3                  # every checkpoint
    added = browser.post(f"/patrol/sites/{team.site_a['id']}/schedules/new", {
        **SCHEDULE, "route_id": "night-walk", "guards": team.users["guard"]["id"],
        "timing_mode": "window", **windows(("cp1", "0", "10"), ("cp2", "", ""),
                                           ("cp5", "20", "40"))}, headers=EN)
    assert added.status_code == 302, errors_of(added.text)
    [new] = [s for k, s in site_schedules(app_store, team).items() if k != "night"]
    assert new["schedule"]["timing"] == {"mode": "window", "windows": [
        {"checkpoint_id": "cp1", "open_min": 0, "close_min": 10},
        {"checkpoint_id": "cp5", "open_min": 20, "close_min": 40}]}


@pytest.mark.parametrize(("fields", "expected"), [
    ({"timing_mode": "window"}, ["timing_mode: mode 'window' needs windows"]),
    ({"timing_mode": "offset", **windows(("cp1", "0", "10"))},
     ["timing_mode: windows are for mode 'window'"]),
    ({"timing_mode": "window", **windows(("cp1", "0", "10"), ("cp9", "5", "9"))},
     ["windows-1-open_min: not a stop of route night-walk@1"]),
    ({"timing_mode": "window", **windows(("cp1", "0", ""), ("cp2", "9", "5"))},
     ["windows-0-close_min: Missing data for required field.",
      "windows-1-close_min: must not be before open_min"]),
    ({"times": "22:00, 25:00"}, ["times: Not a time of day (HH:MM): 25:00"]),
    ({"times": "22:00, 23:30"}, ["times: All times need the same minutes (22:00, 00:00, 02:00); "
                                 "make another schedule for the others."]),
    ({"repeat": "interval", "interval_min": "5"},
     ["interval_min: produces more than 96 rounds on 2030-01-07 (at most one every 15 minutes)"]),
    ({"guards": []}, ["guards: give guards or a post (one of them)"]),
    ({"post": "东门"}, ["guards: give guards or a post (one of them)"]),
    ({"route_id": "nowhere"}, ["route_id: no route 'nowhere' at this site"]),
    ({"grace_min": "60", "deadline_min": "30"}, ["deadline_min: must be after the grace (60 min)"]),
])
def test_a_refused_schedule_says_why_under_the_field(web, team, app_store, patrol_site, fields,
                                                      expected):
    browser = web("supervisor-a", **EN)
    browser.get(f"/patrol/sites/{team.site_a['id']}/schedules/new", headers=EN)
    refused = browser.post(f"/patrol/sites/{team.site_a['id']}/schedules/new", {
        **SCHEDULE, "route_id": "night-walk", "guards": team.users["guard"]["id"], **fields},
        headers=EN)
    assert refused.status_code == 400
    assert errors_of(refused.text) == expected
    assert list(site_schedules(app_store, team)) == ["night"]


def test_route_and_schedule_forms_keep_to_roles_and_sites(web, accounts, team, app_store, patrol_site):
    accounts.user("supervisor", username="supervisor-b", site_ids=[team.site_b["id"]])
    site_a = team.site_a["id"]
    for name, status in [("guard-a", 403), ("engineer-a", 403), ("supervisor-b", 404)]:
        browser = web(name)
        assert browser.get(f"/patrol/sites/{site_a}/routes/new").status_code == status
        assert browser.post(f"/patrol/sites/{site_a}/routes/new",
                            route_form("x", {"cp1": 1})).status_code == status
        assert browser.get("/patrol/routes/night-walk/edit").status_code == status
        assert browser.post("/patrol/routes/night-walk/edit",
                            route_form("x", {"cp1": 1})).status_code == status
        assert browser.get(f"/patrol/sites/{site_a}/schedules/new").status_code == status
        assert browser.post(f"/patrol/sites/{site_a}/schedules/new", {
            **SCHEDULE, "route_id": "night-walk", "post": "gate"}).status_code == status
        assert browser.post("/patrol/schedules/night/stop").status_code == status
    assert newest(app_store, team, "night-walk")["version"] == 1
    assert list(site_schedules(app_store, team)) == ["night"]
    assert site_schedules(app_store, team)["night"]["active"] is True
