"""Re-inspection through the push: the original shows its score at inspection and after."""
import pytest

from server.services import definitions
from tests.integration.http_sync.conftest import Device

L = lambda text: {"zh": text, "en": text}  # noqa: E731
RUBRIC = {"id": "handover-lite", "version": 1, "kind": "inspection", "title": L("交付查验"),
          "sections": [{"id": "s", "title": L("户内"), "items": [
              {"id": f"s.{k}", "type": "check", "label": L(k), "points": 5,
               "deduction": {"min": 5, "max": 5}} for k in "abc"]}]}
FAIL = {"value": "fail", "defects": [{"deduction": 5}]}
PASS = {"value": "pass"}


@pytest.fixture
def engineer(client, team, app_store):
    definitions.install(app_store, RUBRIC, by="test")
    return Device(client, team.headers["engineer"])


def submit(site_id, result_id, answers, reinspects=None, checklist=("handover-lite", 1)):
    args = {"result_id": result_id, "site_id": site_id, "answers": answers,
            "checklist": {"id": checklist[0], "version": checklist[1]}}
    if reinspects:
        args["reinspects"] = reinspects
    return "submit_result", args


def statuses(response):
    assert response.status_code == 200, response.json
    return [(r["status"], (r.get("error") or {}).get("code")) for r in response.json["results"]]


def test_rounds_until_closed_out(client, team, engineer):
    site = team.site_a["id"]
    assert statuses(engineer.push(
        submit(site, "orig", {"s.a": FAIL, "s.b": FAIL, "s.c": PASS}),
        submit(site, "round-1", {"s.a": PASS}, reinspects="orig"))) == [("applied", None)] * 2
    sup = team.headers["supervisor"]
    original = client.get("/api/v1/results/orig", headers=sup).json
    assert original["score"]["total"] == 5.0  # the score at inspection stays
    rect = original["rectification"]
    assert rect["score_at_inspection"]["total"] == 5.0
    assert rect["score_after"]["total"] == 10.0 and rect["score_after"]["explanation"]
    assert [f["item_id"] for f in rect["open_items"]] == ["s.b"] and not rect["closed_out"]
    assert [(r["round"], r["result_id"], r["total"], r["open_items"]) for r in rect["rounds"]] \
        == [(1, "round-1", 10.0, 1)]
    round_1 = client.get("/api/v1/results/round-1", headers=sup).json
    assert round_1["reinspection"] == {"of": "orig", "round": 1, "rechecked": {"s.a": PASS}}
    assert round_1["answers"] == {"s.a": PASS, "s.b": FAIL, "s.c": PASS}

    assert statuses(engineer.push(submit(site, "round-2", {"s.b": PASS}, reinspects="orig"))) \
        == [("applied", None)]
    rect = client.get("/api/v1/results/orig", headers=sup).json["rectification"]
    assert rect["closed_out"] and rect["open_items"] == [] and rect["latest"] == "round-2"
    assert [(r["round"], r["total"], r["by"]) for r in rect["rounds"]] == [
        (1, 10.0, team.users["engineer"]["id"]), (2, 15.0, team.users["engineer"]["id"])]
    assert client.get("/api/v1/results/orig", headers=sup).json["score"]["total"] == 5.0


def test_bad_reinspections_are_rejected_and_change_nothing(client, team, engineer, published):
    site = team.site_a["id"]
    engineer.push(submit(site, "orig", {"s.a": FAIL}),
                  submit(site, "round-1", {"s.a": PASS}, reinspects="orig"))
    got = statuses(engineer.push(
        submit(site, "x1", {"s.a": PASS}, reinspects="nope"),
        submit(site, "x2", {"s.a": PASS}, reinspects="round-1"),
        submit(site, "x3", {"env.clean": PASS}, reinspects="orig",
               checklist=("daily-round", 1)),
        submit(site, "x4", {}, reinspects="orig"),
        submit(site, "x5", {"s.a": {"value": "fail"}}, reinspects="orig"),
        ("amend_result", {"result_id": "x6", "supersedes": "round-1", "answers": {}})))
    assert got == [("rejected", "invalid_reference"), ("rejected", "invalid_reference"),
                   ("rejected", "checklist_mismatch"), ("rejected", "invalid_answers"),
                   ("rejected", "invalid_answers"), ("rejected", "not_supported")]
    original = client.get("/api/v1/results/orig", headers=team.headers["admin"]).json
    assert len(original["rectification"]["rounds"]) == 1
    for missing in ("x1", "x2", "x3", "x4", "x5", "x6"):
        assert client.get(f"/api/v1/results/{missing}",
                          headers=team.headers["admin"]).status_code == 404


def test_a_result_of_another_site_is_not_confirmed(client, team, accounts, engineer):
    both = accounts.user("engineer", site_ids=[team.site_a["id"], team.site_b["id"]])
    roaming = Device(client, accounts.headers(both))
    roaming.push(submit(team.site_b["id"], "at-b", {"s.a": FAIL}))
    got = engineer.push(submit(team.site_a["id"], "x", {"s.a": PASS}, reinspects="at-b"))
    assert got.json["results"][0]["error"]["message"] == "result at-b is no result at this site"
