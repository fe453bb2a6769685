"""Plans and maintenance, complaints (clocks, callbacks) and violations pages: scope, CSV,
CSRF, bad filters, both languages."""
from __future__ import annotations

import re

import pytest

from .plan_complaint_seeding import (RESIDENT, seed_complaint, seed_plan, seed_tasks,
                                     seed_violation)

EN = {"Accept-Language": "en"}


def csv_text(resp) -> str:
    assert resp.status_code == 200 and resp.mimetype == "text/csv", resp.text[:300]
    assert resp.data.startswith("\ufeff".encode())
    return resp.data.decode("utf-8-sig")


def test_the_plans_page_lists_occurrences_and_tasks_with_their_csvs(web, app_store, team):
    seed_plan(app_store, team)
    seed_tasks(app_store, team)
    browser = web("supervisor-a", **EN)
    page = browser.get("/plans", headers=EN)
    assert page.status_code == 200
    occurrences = page.text[page.text.index('id="occurrences"'):page.text.index('id="maintenance"')]
    assert "manager weekly check" in occurrences and "missed" in occurrences
    assert 'class="overdue"' in page.text[page.text.index('id="maintenance"'):]
    only_missed = browser.get("/plans?state=missed&site=", headers=EN)
    assert only_missed.status_code == 200 and "upcoming" not in only_missed.text.split(
        'id="occurrences"')[1].split('id="maintenance"')[0].replace('value="upcoming"', "")
    lines = csv_text(browser.get("/plans/occurrences.csv?state=missed")).splitlines()
    assert lines[0].startswith("id,site,plan,name,state") and len(lines) >= 2
    assert all(",missed," in line for line in lines[1:])
    tasks = csv_text(browser.get("/plans/tasks.csv?overdue=true")).splitlines()
    assert tasks[0].startswith("id,site,name,team") and len(tasks) > 5


def test_the_plans_page_in_chinese_shows_words_not_codes(web, app_store, team):
    seed_plan(app_store, team)
    page = web("supervisor-a").get("/plans")
    assert page.status_code == 200 and 'lang="zh"' in page.text
    states = page.text.split('class="occ-state">')[1:]
    assert states and all(not s.startswith(("missed", "upcoming", "due", "overdue"))
                          for s in states)
    assert "漏检" in page.text


def test_complaints_list_shows_clocks_and_keeps_residents_out_of_the_csv(web, app_store, team):
    seed_complaint(app_store, team, resolve=False, description="门口积水")
    seed_complaint(app_store, team, days_ago=1)                 # resolved in time
    browser = web("supervisor-a", **EN)
    page = browser.get("/complaints", headers=EN)
    assert page.status_code == 200
    assert "门口积水" in page.text and "卫生间漏水" in page.text
    assert re.search(r"\d+ (hours|days?) overdue", page.text)  # the open one's clock ran out
    overdue = browser.get("/complaints?overdue=true", headers=EN)
    assert "门口积水" in overdue.text and "卫生间漏水" not in overdue.text
    text = csv_text(browser.get("/complaints.csv"))
    assert text.splitlines()[0].startswith("id,site,unit,channel,category")
    assert "5-1-602" in text and RESIDENT["phone"] not in text and RESIDENT["name"] not in text


def test_a_callback_is_recorded_from_the_page(web, app_store, team):
    cid = seed_complaint(app_store, team)["id"]
    browser = web("supervisor-a", **EN)
    page = browser.get(f"/complaints/{cid}", headers=EN)
    assert page.status_code == 200 and 'id="add-callback"' in page.text
    assert RESIDENT["phone"] in page.text                      # the site's supervisor handles it
    form = {"quality": "good", "service_effect": "fair", "satisfaction": "4",
            "resolved": "true", "remarks": "住户满意"}
    assert browser.post(f"/complaints/{cid}/callbacks", form, token=False).status_code == 403
    done = browser.post(f"/complaints/{cid}/callbacks", form, headers=EN)
    assert done.status_code == 302, done.text
    after = browser.get(f"/complaints/{cid}", headers=EN)
    assert "住户满意" in after.text and 'id="add-callback"' not in after.text
    assert 'id="complaint-status" data-status="closed"' in after.text


def test_a_callback_not_resolved_needs_the_next_date_and_says_so(web, app_store, team):
    cid = seed_complaint(app_store, team)["id"]
    browser = web("supervisor-a", **EN)
    browser.get(f"/complaints/{cid}", headers=EN)
    refused = browser.post(f"/complaints/{cid}/callbacks", {
        "quality": "poor", "service_effect": "poor", "satisfaction": "1", "resolved": "false"},
        headers=EN)
    assert refused.status_code == 400 and "next callback" in refused.text
    assert 'id="add-callback"' in refused.text
    bad = browser.post(f"/complaints/{cid}/callbacks", {
        "quality": "superb", "service_effect": "poor", "satisfaction": "9", "resolved": "true"},
        headers=EN)
    assert bad.status_code == 400 and "Not a valid choice" in bad.text


def test_the_complaint_page_in_chinese(web, app_store, team):
    cid = seed_complaint(app_store, team)["id"]
    page = web("supervisor-a").get(f"/complaints/{cid}")
    element = page.text[page.text.index('id="complaint-status"'):]
    status = element[element.index(">") + 1:][:60]               # its text, not its attributes
    assert "已解决" in status and "resolved" not in status
    assert "维修" in page.text                                   # the category, translated


def test_violations_for_managers_with_csv(web, app_store, team):
    seed_violation(app_store, team)
    browser = web("supervisor-a", **EN)
    page = browser.get("/violations", headers=EN)
    assert page.status_code == 200 and "高空抛物" in page.text and "persuasion" in page.text
    assert "高空抛物" in csv_text(browser.get("/violations.csv"))
    bad = browser.get("/violations?month=2026-13", headers=EN)
    assert bad.status_code == 400 and "month" in bad.text


@pytest.mark.parametrize("url", ["/plans", "/plans/occurrences.csv", "/plans/tasks.csv",
                                 "/complaints", "/complaints.csv", "/violations",
                                 "/violations.csv"])
def test_another_sites_lists_are_not_found_and_field_roles_are_refused(web, team, url):
    browser = web("supervisor-a")
    assert browser.get(f"{url}?site={team.site_b['id']}").status_code == 404
    for name in ("guard-a", "engineer-a"):
        assert web(name).get(url).status_code == 403


def test_another_sites_complaint_is_not_found_through_page_list_or_csv(web, app_store, team):
    theirs = seed_complaint(app_store, team, site="site_b", description="B栋噪音")["id"]
    browser = web("supervisor-a")
    assert browser.get(f"/complaints/{theirs}").status_code == 404
    assert "B栋噪音" not in browser.get("/complaints").text
    assert "B栋噪音" not in browser.get("/complaints.csv").data.decode("utf-8-sig")
    assert browser.post(f"/complaints/{theirs}/callbacks", {"quality": "good"}).status_code \
        in (400, 404)
    assert "B栋噪音" in web("admin-a").get(f"/complaints?site={team.site_b['id']}").text


@pytest.mark.parametrize("url, field", [("/plans?state=later", "state"),
                                        ("/plans?overdue=perhaps", "overdue"),
                                        ("/complaints?status=lost", "status"),
                                        ("/complaints.csv?category=gossip", "category")])
def test_bad_filters_are_a_readable_400(web, team, url, field):
    resp = web("supervisor-a", **EN).get(url, headers=EN)
    assert resp.status_code == 400 and field in resp.text and "Please check" in resp.text
