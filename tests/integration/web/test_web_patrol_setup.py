"""A site's patrol set-up from the supervisor's pages: the checkpoints, routes and schedules
listed, each route's QR labels, and checkpoints added, edited and deleted -- through the
same services as the patrol API, refusals under their fields (400) with nothing stored."""
from __future__ import annotations

import html

from server.services.accounts.users import actor_of
from server.services.patrol import checkpoints
from tests.integration.patrol.conftest import patrol_site  # noqa: F401 (the fixture)
from tests.integration.patrol.test_labels import pdf_text

EN = {"Accept-Language": "en"}
NEW_CP = {"name": "东门", "tag": "NHG-10", "checklist_id": "", "lat": "31.21", "lon": "121.41",
          "radius_m": "25"}


def stored_checkpoints(app_store, team) -> dict:
    return {c["id"]: c for c in checkpoints.list_checkpoints(
        app_store, actor_of(team.users["admin"]), team.site_a["id"])}


def errors_of(text: str) -> list[str]:
    """The problems a page shows, with the field each is under."""
    out, marker = [], 'class="error" data-field="'
    for chunk in text.split(marker)[1:]:
        field, _, rest = chunk.partition('">')
        out.append(f"{field}: {html.unescape(rest[:rest.index('</p>')])}")
    return out


def test_the_setup_page_lists_checkpoints_routes_and_schedules(web, team, patrol_site):
    browser = web("supervisor-a", **EN)
    day = browser.get("/patrol", headers=EN)
    assert f'href="/patrol/setup?site={team.site_a["id"]}"' in day.text
    page = browser.get("/patrol/setup", headers=EN)
    assert page.status_code == 200
    checkpoints_part = page.text[page.text.index('id="checkpoints"'):page.text.index('id="routes"')]
    for name, tag in [("北门", "TAG-1"), ("南门", "TAG-5"), ("泳池", "TAG-9")]:
        assert name in checkpoints_part and f"<code>{tag}</code>" in checkpoints_part
    route = page.text[page.text.index('id="route-night-walk"'):page.text.index('id="schedules"')]
    assert "夜巡路线" in route and "version 1" in route and "300 s ± 300 s" in route
    assert route.index("北门") < route.index("1栋") < route.index("南门") and "泳池" not in route
    assert 'href="/patrol/routes/night-walk/labels.pdf"' in route
    schedules_part = page.text[page.text.index('id="schedules"'):]
    assert "Every day: at 22:00、00:00、02:00、04:00、06:00" in schedules_part
    assert "guard-a" in schedules_part and "15 / 60 min" in schedules_part
    assert "夜巡路线 · version 1" in schedules_part


def test_a_schedule_timed_by_windows_shows_them(web, client, team, patrol_site):
    windows = [{"checkpoint_id": "cp1", "open_min": 0, "close_min": 10},
               {"checkpoint_id": "cp5", "open_min": 20, "close_min": 40}]
    body = {**patrol_site.schedule_body(timing={"mode": "window", "windows": windows}),
            "id": "windowed"}
    assert patrol_site.post(f"/sites/{patrol_site.site_id}/schedules", body).status_code == 201
    page = web("supervisor-a", **EN).get("/patrol/setup", headers=EN).text
    row = page[page.index('id="schedule-windowed"'):][:1500]
    assert "北门: 0–10 min after the start" in row and "南门: 20–40 min after the start" in row


def test_a_rule_the_words_cannot_say_is_shown_as_stored(web, team, patrol_site):
    body = {**patrol_site.schedule_body(rrule="FREQ=DAILY;BYHOUR=22;BYMINUTE=0;COUNT=3"),
            "id": "three-nights"}
    assert patrol_site.post(f"/sites/{patrol_site.site_id}/schedules", body).status_code == 201
    page = web("supervisor-a", **EN).get("/patrol/setup", headers=EN).text
    row = page[page.index('id="schedule-three-nights"'):][:1500]
    assert ">FREQ=DAILY;BYHOUR=22;BYMINUTE=0;COUNT=3" in row


def test_print_qr_labels_is_the_apis_pdf(web, patrol_site):
    resp = web("supervisor-a").get("/patrol/routes/night-walk/labels.pdf")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    assert "night-walk-labels.pdf" in resp.headers["Content-Disposition"]
    text = pdf_text(resp.data)
    assert "北门" in text and "TAG-5" in text and "泳池" not in text


def test_a_checkpoint_is_added_edited_and_deleted(web, team, app_store, patrol_site):
    browser = web("supervisor-a", **EN)
    browser.get("/patrol/setup", headers=EN)
    base = f"/patrol/sites/{team.site_a['id']}/checkpoints"
    added = browser.post(base, {**NEW_CP, "photo_required": "y"}, headers=EN)
    assert added.status_code == 302, added.text
    [new] = [c for c in stored_checkpoints(app_store, team).values() if c["tag"] == "NHG-10"]
    assert (new["name"], new["lat"], new["radius_m"], new["photo_required"]) == (
        "东门", 31.21, 25.0, True)
    edit = browser.get(f"{base}/cp9", headers=EN)
    assert edit.status_code == 200 and 'value="泳池"' in edit.text
    saved = browser.post(f"{base}/cp9", {"name": "泳池入口", "tag": "TAG-9", "lat": "31.2",
                                         "lon": "121.401", "radius_m": "20"}, headers=EN)
    assert saved.status_code == 302, saved.text
    assert stored_checkpoints(app_store, team)["cp9"]["name"] == "泳池入口"
    gone = browser.post(f"{base}/cp9/delete", headers=EN)
    assert gone.status_code == 302
    assert "cp9" not in stored_checkpoints(app_store, team)


def test_a_checklist_is_chosen_from_the_published_ones_and_taken_off(web, team, app_store, patrol_site):
    from server.services import definitions
    definitions.install(app_store, {
        "id": "gate-check", "version": 1, "kind": "inspection", "title": {"zh": "门岗检查", "en": "Gate"},
        "sections": [{"id": "g", "title": {"zh": "门岗", "en": "Gate"}, "items": [
            {"id": "g.barrier", "type": "check", "label": {"zh": "道闸正常", "en": "Barrier"}}]}]},
        by="test")
    browser = web("supervisor-a", **EN)
    base = f"/patrol/sites/{team.site_a['id']}/checkpoints/cp9"
    assert '<option value="gate-check">Gate (gate-check)</option>' in browser.get(base, headers=EN).text
    fields = {"name": "泳池", "tag": "TAG-9", "lat": "31.2", "lon": "121.401"}
    assert browser.post(base, {**fields, "checklist_id": "gate-check"}).status_code == 302
    assert stored_checkpoints(app_store, team)["cp9"]["checklist_id"] == "gate-check"
    page = browser.get(base, headers=EN).text
    assert '<option selected value="gate-check">' in page
    assert browser.post(base, {**fields, "checklist_id": ""}).status_code == 302
    assert "checklist_id" not in stored_checkpoints(app_store, team)["cp9"]


def test_a_refused_checkpoint_shows_the_services_words_under_its_fields(web, team, app_store,
                                                                         patrol_site):
    browser = web("supervisor-a", **EN)
    browser.get("/patrol/setup", headers=EN)
    before = stored_checkpoints(app_store, team)
    base = f"/patrol/sites/{team.site_a['id']}/checkpoints"
    taken = browser.post(base, {**NEW_CP, "tag": "TAG-1"}, headers=EN)
    assert taken.status_code == 400
    assert errors_of(taken.text) == ["tag: tag 'TAG-1' is already on checkpoint cp1"]
    no_place = browser.post(base, {**NEW_CP, "lat": "", "lon": "200"}, headers=EN)
    assert no_place.status_code == 400
    problems = errors_of(no_place.text)
    assert "lat: Missing data for required field." in problems
    assert any(p.startswith("lon: Must be greater than or equal to -180") for p in problems)
    assert 'value="东门"' in no_place.text                           # what was typed stays
    edit = browser.post(f"{base}/cp2", {"name": "", "tag": "TAG-3", "lat": "31", "lon": "121"},
                        headers=EN)
    assert edit.status_code == 400 and "name: This field is required." in errors_of(edit.text)
    oversized = browser.post(base, {**NEW_CP, "name": "门" * 5000, "tag": "T" * 5000}, headers=EN)
    assert oversized.status_code == 400
    assert {p.split(":")[0] for p in errors_of(oversized.text)} >= {"name", "tag"}
    on_route = browser.post(f"{base}/cp1/delete", headers=EN)
    assert on_route.status_code == 409 and "night-walk" in on_route.text
    assert stored_checkpoints(app_store, team) == before


def test_checkpoint_pages_and_forms_keep_to_roles_and_sites(web, accounts, team, app_store, patrol_site):
    accounts.user("supervisor", username="supervisor-b", site_ids=[team.site_b["id"]])
    before = stored_checkpoints(app_store, team)
    base = f"/patrol/sites/{team.site_a['id']}/checkpoints"
    for name, status in [("guard-a", 403), ("engineer-a", 403), ("supervisor-b", 404)]:
        browser = web(name)
        assert browser.get(f"/patrol/setup?site={team.site_a['id']}").status_code == status
        assert browser.get("/patrol/routes/night-walk/labels.pdf").status_code == status
        assert browser.get(f"{base}/cp9").status_code == status
        assert browser.post(base, NEW_CP).status_code == status
        assert browser.post(f"{base}/cp9", NEW_CP).status_code == status
        assert browser.post(f"{base}/cp9/delete").status_code == status
    assert "北门" not in web("supervisor-b").get("/patrol/setup").text   # B's own: empty
    no_token = web("supervisor-a").post(base, NEW_CP, token=False)
    assert no_token.status_code == 403
    assert stored_checkpoints(app_store, team) == before


def test_the_setup_pages_speak_chinese(web, team, patrol_site):
    browser = web("supervisor-a")
    page = browser.get("/patrol/setup").text
    assert "每天：22:00、00:00、02:00、04:00、06:00" in page and "打印二维码标签" in page
    assert "300 秒 ± 300 秒" in page and "巡查人" in page
    route = browser.get("/patrol/routes/night-walk/edit").text
    assert "路线 夜巡路线：发布第 2 版" in route and "从上一点步行 (秒)" in route
    schedule = browser.get(f"/patrol/sites/{team.site_a['id']}/schedules/new").text
    assert "每天固定时刻" in schedule and "周一" in schedule
    refused = browser.post(f"/patrol/sites/{team.site_a['id']}/schedules/new", {
        "route_id": "night-walk", "repeat": "times", "times": "22:00, 23:30",
        "starts_on": "2030-01-07", "post": "东门", "timing_mode": "offset"})
    assert refused.status_code == 400 and "所有时刻的分钟须相同" in refused.text


def test_the_checklist_choice_lists_checklists_past_the_first_page_of_versions(
        web, team, app_store, patrol_site):
    from server.services import definitions
    from server.services.paging import MAX_LIMIT

    def body(def_id, version):
        return {"id": def_id, "version": version, "kind": "inspection",
                "title": {"zh": def_id, "en": def_id},
                "sections": [{"id": "g", "title": {"zh": "门岗", "en": "Gate"}, "items": [
                    {"id": "g.ok", "type": "check", "label": {"zh": "正常", "en": "OK"}}]}]}
    for version in range(1, MAX_LIMIT + 2):  # more versions than one page holds, listed first
        definitions.install(app_store, body("aaa-many", version), by="test")
    definitions.install(app_store, body("zzz-gate", 1), by="test")
    page = web("supervisor-a", **EN).get(
        f"/patrol/sites/{team.site_a['id']}/checkpoints/cp9", headers=EN).text
    assert '<option value="zzz-gate">zzz-gate (zzz-gate)</option>' in page
