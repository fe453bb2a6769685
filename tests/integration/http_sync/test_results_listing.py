"""GET /api/v1/results and /summary: filters, ranges, paging, scope and bad queries."""
from datetime import datetime, timezone

import pytest

from server.services import definitions, sync_service
from checklists.actors import Actor

RUBRIC = {
    "id": "monthly-rubric", "version": 1, "kind": "inspection",
    "title": {"zh": "月度检查", "en": "Monthly check"},
    "scoring": {"bands": [{"id": "fail", "label": {"zh": "不及格", "en": "Fail"}, "min": 0},
                          {"id": "good", "label": {"zh": "良好", "en": "Good"},
                           "min": 80}]},
    "sections": [{"id": "s", "title": {"zh": "环境", "en": "Environment"}, "items": [
        {"id": "s.clean", "type": "check", "label": {"zh": "地面清洁", "en": "Clean"},
         "points": 10, "deduction": {"min": 1, "max": 5}}]}],
}
# (result id, site, when, defects' total deduction): 10 - deduction is the score
PLAN = [("a1", "A", "2026-09-03T02:00:00+00:00", 0), ("a2", "A", "2026-09-20T02:00:00+00:00", 5),
        ("a3", "A", "2026-10-01T00:30:00+00:00", 3), ("a4", "A", "2026-10-15T02:00:00+00:00", 1),
        ("b1", "B", "2026-10-02T02:00:00+00:00", 4)]


@pytest.fixture
def stored(app, app_store, team):
    """Results submitted at known times through the push service itself."""
    definitions.install(app_store, RUBRIC, by="test")
    find = lambda i, v: definitions.get_version(app_store, i, v)["definition"]  # noqa: E731
    sites = {"A": team.site_a["id"], "B": team.site_b["id"]}
    inspector = Actor(team.users["engineer"]["id"], "engineer", set(sites.values()), "dev-e")
    for n, (rid, site, at, deduction) in enumerate(PLAN, start=1):
        answer = {"value": "fail", "defects": [{"deduction": deduction}]} if deduction \
            else {"value": "pass"}
        sync_service.apply_push(
            app_store, inspector, "client-e",
            [{"id": n, "name": "submit_result", "client_ts": at, "args": {
                "result_id": rid, "site_id": sites[site],
                "checklist": {"id": "monthly-rubric", "version": 1},
                "answers": {"s.clean": answer}}}],
            find_definition=find, uploads=app.extensions["fieldsync.uploads"],
            now=datetime.fromisoformat(at).astimezone(timezone.utc))
    return sites


def ids(response):
    assert response.status_code == 200, response.json
    return [row["id"] for row in response.json["items"]]


def test_filters_ranges_and_sorts(client, team, stored):
    sup = team.headers["admin"]
    assert ids(client.get("/api/v1/results", headers=sup)) == ["a4", "b1", "a3", "a2", "a1"]
    site_a = f"site={stored['A']}"
    got = client.get(f"/api/v1/results?{site_a}&from=2026-10-01&to=2026-10-31&band=good",
                     headers=sup)
    assert ids(got) == ["a4"]  # a3 scored 7: fail band
    assert got.json["items"][0] | {"score": 9.0, "band": "good", "review_state": "submitted",
                                   "definition_id": "monthly-rubric"} == got.json["items"][0]
    assert ids(client.get(f"/api/v1/results?{site_a}&to=2026-09-30&sort=score",
                          headers=sup)) == ["a2", "a1"]
    # a date names its whole day: a3 at 00:30 on the 1st is in "to the 1st"
    assert ids(client.get(f"/api/v1/results?{site_a}&from=2026-10-01&to=2026-10-01",
                          headers=sup)) == ["a3"]
    assert ids(client.get("/api/v1/results?flagged=false", headers=sup)) == ["a1"]
    counted = client.get("/api/v1/results?band=fail&count=true&definition=monthly-rubric@1",
                         headers=sup)
    assert ids(counted) == ["b1", "a3", "a2"] and counted.json["total"] == 3


def test_keyset_paging_visits_every_row_once(client, team, stored):
    seen, cursor = [], None
    while True:
        url = "/api/v1/results?limit=2&sort=score" + (f"&cursor={cursor}" if cursor else "")
        got = client.get(url, headers=team.headers["admin"])
        seen += ids(got)
        cursor = got.json["next_cursor"]
        if cursor is None:
            break
    assert seen == ["a2", "b1", "a3", "a4", "a1"]


def test_scope_is_the_sites_the_caller_works_at(client, team, stored):
    assert ids(client.get("/api/v1/results", headers=team.headers["supervisor"])) == [
        "a4", "a3", "a2", "a1"]
    assert ids(client.get("/api/v1/results", headers=team.guard_b_headers)) == ["b1"]
    refused = client.get(f"/api/v1/results?site={stored['A']}", headers=team.guard_b_headers)
    assert refused.status_code == 403
    summary = client.get("/api/v1/results/summary", headers=team.guard_b_headers)
    assert [m["site_id"] for m in summary.json["months"]] == [stored["B"]]
    assert client.get("/api/v1/results").status_code == 401


def test_monthly_summary(client, team, stored):
    got = client.get(f"/api/v1/results/summary?site={stored['A']}", headers=team.headers["admin"])
    assert got.status_code == 200, got.json
    assert got.json["months"] == [
        {"site_id": stored["A"], "month": "2026-09", "count": 2, "scored": 2,
         "mean_score": 7.5, "bands": {"good": 1, "fail": 1}},
        {"site_id": stored["A"], "month": "2026-10", "count": 2, "scored": 2,
         "mean_score": 8.0, "bands": {"fail": 1, "good": 1}}]


@pytest.mark.parametrize("query, field", [
    ("colour=red", "colour"),
    ("from=2026-10-05&to=2026-10-01", "to"),
    ("limit=201", "limit"),
    ("limit=0", "limit"),
    ("sort=price", "sort"),
    ("cursor=bm9wZQ", "cursor"),
    ("review_state=lost", "review_state"),
    ("from=yesterday", "from"),
    ("definition=x@one", "definition"),
])
def test_bad_queries_are_422_naming_the_parameter(client, team, stored, query, field):
    got = client.get(f"/api/v1/results?{query}", headers=team.headers["admin"])
    assert got.status_code == 422, got.json
    assert field in got.json["errors"]["query"], got.json


def test_a_cursor_from_another_query_is_refused(client, team, stored):
    first = client.get("/api/v1/results?limit=1", headers=team.headers["admin"])
    other = client.get(f"/api/v1/results?limit=1&band=fail&cursor={first.json['next_cursor']}",
                       headers=team.headers["admin"])
    assert other.status_code == 422 and "another query" in str(other.json["errors"])


def test_monthly_totals_follow_changes_and_match_the_rows(client, team, stored, app_store):
    """The kept totals (whole months) and grouping the rows (any other filter) agree,
    also after a result is rewritten (a rescore) and a totals rebuild."""
    from server.services.rescoring import rescore_version
    from server.store.read_models import reindex
    admin = team.headers["admin"]

    def summary(query):
        got = client.get(f"/api/v1/results/summary?{query}", headers=admin)
        assert got.status_code == 200, got.json
        return got.json["months"]

    kept = summary("from=2026-09-01T00:00:00Z&to=2026-11-01T00:00:00Z")
    grouped = summary("from=2026-09-01T00:00:01Z&to=2026-11-01T00:00:00Z")  # not aligned
    assert kept == grouped and sum(m["count"] for m in kept) == 5
    assert rescore_version(app_store, "monthly-rubric", 1, apply=True, by="t") == []
    # a correction supersedes a2 (5 -> 10 points): the old row leaves the current totals
    inspector = Actor(team.users["engineer"]["id"], "engineer", {stored["A"]}, "dev-e")
    sync_service.apply_push(
        app_store, inspector, "client-e",
        [{"id": 6, "name": "amend_result", "client_ts": "2026-10-20T02:00:00+00:00",
          "args": {"result_id": "a2b", "supersedes": "a2", "reason": "misread",
                   "answers": {"s.clean": {"value": "pass"}}}}],
        find_definition=lambda i, v: definitions.get_version(app_store, i, v)["definition"],
        uploads=client.application.extensions["fieldsync.uploads"],
        now=datetime(2026, 10, 20, 2, tzinfo=timezone.utc))
    kept = summary("from=2026-09-01T00:00:00Z&to=2026-11-01T00:00:00Z")
    assert kept == summary("from=2026-09-01T00:00:01Z&to=2026-11-01T00:00:00Z")
    assert [m["mean_score"] for m in kept if m["site_id"] == stored["A"]] == [10.0, 8.67]
    with app_store.transaction() as tx:  # a rebuild from the documents gives the same totals
        reindex(tx.conn, "results")
    assert summary("") == kept
    assert summary("band=good") == [
        {"site_id": stored["A"], "month": "2026-09", "count": 1, "scored": 1,
         "mean_score": 10.0, "bands": {"good": 1}},
        {"site_id": stored["A"], "month": "2026-10", "count": 2, "scored": 2,
         "mean_score": 9.5, "bands": {"good": 2}}]


def test_month_bounds_are_recognised_however_they_are_written():
    from server.repositories.results import ResultFilter
    for start in ("2026-09-01", "2026-09-01T00:00:00", "2026-09-01T00:00:00Z",
                  "2026-09-01T00:00:00+00:00"):
        assert ResultFilter(scope=None, date_from=start).whole_months() == ("2026-09", None)
    for not_a_month_start in ("2026-09-02", "2026-09-01T00:00:01", "2026-09-01T08:00:00+08:00"):
        assert ResultFilter(scope=None, date_from=not_a_month_start).whole_months() is None
