"""The liability summary page and CSV, and the key-household register (audited reads)."""
from __future__ import annotations

from tests.integration.households.conftest import (  # noqa: F401 (fixtures)
    grant, register, site_lead,
)
from tests.integration.households.conftest import sites_url
from tests.unit.households.builders import NAME


def audit_entries(client, team) -> list[dict]:
    resp = client.get(sites_url(team, "household-audit"), headers=team.headers["admin"])
    assert resp.status_code == 200
    return resp.json["items"]


def test_the_liability_page_and_its_csv(web, team, seeded):
    browser = web("supervisor-a")
    page = browser.get("/liability?month=2026-11")
    assert page.status_code == 200 and 'id="csv"' in page.text
    assert 'href="/liability.csv?month=2026-11"' in page.text
    csv_ = browser.get(f"/liability.csv?month=2026-11&site={seeded.site_a}")
    assert csv_.status_code == 200 and csv_.mimetype == "text/csv"
    assert csv_.data.startswith("\ufeff".encode()) and "部门" in csv_.data.decode("utf-8-sig")


def test_liability_scope_and_bad_month(web, accounts, team, seeded):
    bad = web("supervisor-a").get("/liability?month=2026-13x")
    assert bad.status_code == 400 and "month" in bad.text
    assert web("supervisor-a").get(f"/liability?site={seeded.site_b}").status_code == 404
    assert web("supervisor-a").get(f"/liability.csv?site={seeded.site_b}").status_code == 404
    for name in ("guard-a", "engineer-a"):
        assert web(name).get("/liability").status_code == 403


def test_the_register_lists_where_and_why_and_an_opened_file_is_audited(
        client, web, team, register, grant):  # noqa: F811
    browser = web("supervisor-a")
    listing = browser.get("/households")
    assert listing.status_code == 200 and NAME not in listing.text  # no personal fields
    elderly = register["elderly"]["id"]
    grant("supervisor", elderly)
    assert not any(e.get("action") == "read" for e in audit_entries(client, team))
    opened = browser.get(f"/households/{team.site_a['id']}/{elderly}")
    assert opened.status_code == 200 and NAME in opened.text
    reads = [e for e in audit_entries(client, team) if e.get("action") == "read"]
    assert len(reads) == 1 and reads[0]["door"].startswith("web GET /households/")


def test_the_register_is_for_the_sites_supervisors_and_admins(web, accounts, team, register,
                                                               grant):  # noqa: F811
    elderly = register["elderly"]["id"]
    grant("admin", elderly)
    url = f"/households/{team.site_a['id']}/{elderly}"
    accounts.user("supervisor", username="supervisor-b", site_ids=[team.site_b["id"]])
    other = web("supervisor-b")
    assert other.get(url).status_code == 404
    assert other.get(f"/households?site={team.site_a['id']}").status_code == 404
    assert NAME not in other.get("/households").text
    for name in ("guard-a", "engineer-a"):
        resp = web(name).get(url)
        assert resp.status_code == 403 and NAME not in resp.text
    assert web("admin-a").get(url).status_code == 200


def test_the_register_csv_is_the_list_without_personal_fields(web, team, register):  # noqa: F811
    browser = web("supervisor-a")
    resp = browser.get("/households.csv")
    assert resp.status_code == 200 and resp.data.startswith("\ufeff".encode())
    text = resp.data.decode("utf-8-sig")
    assert text.startswith("id,site,building,unit") and register["elderly"]["id"] in text
    assert NAME not in text
    assert browser.get(f"/households.csv?site={team.site_b['id']}").status_code == 404
    for name in ("guard-a", "engineer-a"):
        assert web(name).get("/households.csv").status_code == 403


def test_opening_a_file_on_the_web_needs_an_approved_request(client, web, accounts, team,
                                                             register, site_lead):  # noqa: F811
    elderly = register["elderly"]["id"]
    url = f"/households/{team.site_a['id']}/{elderly}"
    browser = web("supervisor-a")
    refused = browser.get(url)
    assert refused.status_code == 403 and NAME not in refused.text
    assert "request it" in refused.text
    assert not any(e.get("action") == "read" for e in audit_entries(client, team))
    page = browser.get("/households")
    assert 'class="access-request"' in page.text and 'id="access-requests"' not in page.text
    assert browser.post(f"/households/{team.site_a['id']}/{elderly}/access-requests",
                        {"reason": ""}).status_code == 400
    asked = browser.post(f"/households/{team.site_a['id']}/{elderly}/access-requests",
                         {"reason": "welfare follow-up"})
    assert asked.status_code == 302
    lead = web("lead-a")
    listing = lead.get("/households")
    assert 'id="access-requests"' in listing.text and "welfare follow-up" in listing.text
    rid = next(e["request_id"] for e in audit_entries(client, team)
               if e["action"] == "access-request")
    decision = f"/households/{team.site_a['id']}/access-requests/{rid}/decision"
    assert browser.post(decision, {"decision": "approve"}).status_code == 403  # own request
    assert lead.post(decision, {"decision": "approve"}).status_code == 302
    assert lead.post(decision, {"decision": "refuse", "reason": "x"}).status_code == 409
    opened = browser.get(url)
    assert opened.status_code == 200 and NAME in opened.text
    assert 'id="access-expires"' in opened.text


def test_the_register_csv_needs_no_grant_because_it_has_no_personal_fields(
        web, team, register):  # noqa: F811
    text = web("supervisor-a").get("/households.csv").data.decode("utf-8-sig")
    assert register["rental"]["id"] in text
    for secret in (NAME, "李租客", "13700137000", "张阿姨"):
        assert secret not in text
