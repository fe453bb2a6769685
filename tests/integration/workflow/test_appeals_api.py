"""Appeals through the API: who may file and decide, the chain, deadlines, 409s, both scores."""
from datetime import datetime, timedelta, timezone

from tests.integration.http_sync.conftest import Device

from .conftest import answers


def _responsible(client, chain, result_id, key, role="guard"):
    got = client.put(f"/api/v1/results/{result_id}/responsibility", headers=chain.headers[
        "supervisor"], json={"assignments": [{"deduction": key,
                                               "user_id": chain.users[role]["id"]}]})
    assert got.status_code == 200, got.json
    return got.json["deductions"]


def _file(client, headers, result_id, deduction="s.1", **extra):
    return client.post("/api/v1/appeals", headers=headers, json={
        "result_id": result_id, "deduction": deduction, "reason": "当时已整改", **extra})


def _decide(client, headers, appeal_id, move, **extra):
    return client.post(f"/api/v1/appeals/{appeal_id}/decision", headers=headers,
                       json={"move": move, **extra})


def test_an_adjusted_deduction_rescores_the_result_and_keeps_the_original(client, chain, submit):
    rid = submit(answers(s_1=4, s_2=2))
    deductions = _responsible(client, chain, rid, "s.1")
    assert {(d["deduction"], d["person_id"], d["source"]) for d in deductions} == {
        ("s.1", chain.users["guard"]["id"], "assigned"),
        ("s.2", chain.users["supervisor"]["id"], "lead")}
    filed = _file(client, chain.headers["guard"], rid)
    assert filed.status_code == 201, filed.json
    appeal = filed.json
    assert (appeal["level"], appeal["status"], appeal["allowed"]) == ("project_lead", "open", [])
    lead = chain.headers["supervisor"]
    assert client.get(f"/api/v1/appeals/{appeal['id']}", headers=lead).json["allowed"] == [
        "uphold", "adjust", "escalate"]
    adjusted = _decide(client, lead, appeal["id"], "adjust", points=1, level="project_lead",
                       explanation="整改记录齐全, 按轻微扣分")
    assert adjusted.status_code == 200, adjusted.json
    assert adjusted.json["status"] == "adjusted"

    result = client.get(f"/api/v1/results/{rid}", headers=chain.headers["admin"]).json
    assert result["score"]["total"] == 94.0          # 100 - 4 - 2, never overwritten
    after = result["score_after_appeals"]
    assert after["total"] == 97.0 and after["band"]["id"] == "excellent"  # 100 - 1 - 2
    assert after["adjustments"] == [{
        "deduction": "s.1", "from_points": 4.0, "to_points": 1.0, "appeal_id": appeal["id"],
        "level": "project_lead", "by": chain.users["supervisor"]["id"],
        "at": adjusted.json["history"][-1]["at"], "explanation": "整改记录齐全, 按轻微扣分"}]
    assert any(line.startswith("申诉调整: s.1 扣分 4 → 1") for line in after["explanation"]["zh"])
    assert [a["id"] for a in result["appeals"]] == [appeal["id"]]

    # the appellant takes it further; the project department upholds: the adjustment stands
    further = _decide(client, chain.headers["guard"], appeal["id"], "appeal_further")
    assert further.status_code == 200 and further.json["level"] == "project_department"
    upheld = _decide(client, chain.headers["pd"], appeal["id"], "uphold")
    assert upheld.status_code == 200 and upheld.json["status"] == "upheld"
    result = client.get(f"/api/v1/results/{rid}", headers=chain.headers["admin"]).json
    assert (result["score"]["total"], result["score_after_appeals"]["total"]) == (94.0, 97.0)


def test_wrong_people_wrong_level_stale_moves_and_bad_adjustments(client, chain, submit):
    rid = submit(answers(s_1=4, s_2=2))
    _responsible(client, chain, rid, "s.1")
    refused = _file(client, chain.headers["engineer"], rid)   # s.1 is the guard's
    assert refused.status_code == 403 and "responsible" in refused.json["message"]
    assert _file(client, chain.headers["guard"], rid, deduction="s.9").status_code == 422
    appeal = _file(client, chain.headers["guard"], rid).json
    again = _file(client, chain.headers["guard"], rid)
    assert again.status_code == 409, again.json

    wrong = _decide(client, chain.headers["pd"], appeal["id"], "uphold")
    assert wrong.status_code == 403 and "project_lead level" in wrong.json["message"]
    # the level is checked before the numbers: not a 422 about points to the wrong person
    assert _decide(client, chain.headers["pd"], appeal["id"], "adjust", points=99,
                   explanation="x").status_code == 403
    own = _decide(client, chain.headers["guard"], appeal["id"], "uphold")
    assert own.status_code == 403
    up = _decide(client, chain.headers["supervisor"], appeal["id"], "escalate",
                 level="project_lead")
    assert up.status_code == 200 and up.json["level"] == "project_department"
    stale = _decide(client, chain.headers["supervisor"], appeal["id"], "uphold",
                    level="project_lead")
    assert stale.status_code == 409 and stale.json["errors"] == {"allowed": []}
    no_why = _decide(client, chain.headers["pd"], appeal["id"], "adjust", points=1)
    assert no_why.status_code == 422 and "explanation" in no_why.json["errors"]["json"]
    too_much = _decide(client, chain.headers["pd"], appeal["id"], "adjust", points=5,
                       explanation="x")
    assert too_much.status_code == 422 and "points" in too_much.json["errors"]["json"]
    assert client.get(f"/api/v1/appeals/{appeal['id']}",
                      headers=chain.headers["pd"]).json["v"] == 2   # nothing half-applied
    top = _decide(client, chain.headers["pd"], appeal["id"], "escalate")
    assert top.json["level"] == "general_manager"
    final = _decide(client, chain.headers["admin"], appeal["id"], "escalate")
    assert final.status_code == 409 and final.json["errors"]["allowed"] == ["uphold", "adjust"]
    done = _decide(client, chain.headers["admin"], appeal["id"], "uphold")
    assert done.status_code == 200 and done.json["allowed"] == []
    after = _decide(client, chain.headers["admin"], appeal["id"], "adjust", points=1,
                    explanation="late")
    assert after.status_code == 409 and after.json["errors"] == {"allowed": []}


def test_filing_after_the_deadline_is_refused_with_the_reason(client, chain, submit):
    rid = submit(answers(s_1=4), at=datetime.now(timezone.utc) - timedelta(days=8))
    late = _file(client, chain.headers["supervisor"], rid)   # the lead answers for s.1
    assert late.status_code == 422, late.json
    assert "closed at" in late.json["errors"]["json"]["deadline"][0]


def test_whole_result_and_retaliation_appeals_start_higher(client, chain, submit):
    rid = submit(answers(s_1=4, s_2=2))
    project = client.post("/api/v1/appeals", headers=chain.headers["supervisor"],
                          json={"result_id": rid, "reason": "检查标准理解有误"})
    assert project.status_code == 201 and project.json["level"] == "project_department"
    need_which = _decide(client, chain.headers["pd"], project.json["id"], "adjust", points=1,
                         explanation="x")
    assert need_which.status_code == 422 and "deduction" in need_which.json["errors"]["json"]
    fixed = _decide(client, chain.headers["pd"], project.json["id"], "adjust", points=0,
                    deduction="s.2", explanation="标准不适用")
    assert fixed.status_code == 200, fixed.json
    _responsible(client, chain, rid, "s.1")
    revenge = _file(client, chain.headers["guard"], rid, retaliation=True)
    assert revenge.json["level"] == "general_manager"
    # a complaint of retaliation is not shown to the site's supervisors, only to admins
    assert client.get(f"/api/v1/appeals/{revenge.json['id']}",
                      headers=chain.headers["supervisor"]).status_code == 404
    seen = client.get(f"/api/v1/results/{rid}", headers=chain.headers["supervisor"]).json
    assert [a["id"] for a in seen["appeals"]] == [project.json["id"]]
    assert revenge.json["id"] not in [a["id"] for a in client.get(
        f"/api/v1/appeals?result={rid}", headers=chain.headers["pd"]).json["items"]]
    assert client.get(f"/api/v1/appeals/{revenge.json['id']}",
                      headers=chain.headers["admin"]).status_code == 200
    assert _decide(client, chain.headers["supervisor"], revenge.json["id"],
                   "uphold").status_code == 404
    assert _decide(client, chain.headers["admin"], revenge.json["id"], "adjust", points=2,
                   explanation="打击报复属实").status_code == 200
    after = client.get(f"/api/v1/results/{rid}", headers=chain.headers["admin"]).json
    assert after["score_after_appeals"]["total"] == 98.0   # 100 - 2 - 0


def test_appeals_stay_within_scope_and_sync_to_the_appellant(client, chain, submit):
    rid = submit(answers(s_1=4))
    _responsible(client, chain, rid, "s.1")
    appeal = _file(client, chain.headers["guard"], rid).json
    assert client.get(f"/api/v1/appeals/{appeal['id']}",
                      headers=chain.guard_b_headers).status_code == 404
    assert _file(client, chain.guard_b_headers, rid).status_code == 404
    assert client.put(f"/api/v1/results/{rid}/responsibility", headers=chain.headers["guard"],
                      json={"assignments": [{"deduction": "s.1", "user_id": "x"}]}
                      ).status_code == 403
    device = Device(client, chain.headers["guard"])
    changes = [c for b in device.pull().json["buckets"] for c in b["changes"]]
    synced = next(c["data"] for c in changes if c["id"] == appeal["id"])
    assert synced["status"] == "open" and synced["deduction"] == "s.1"


def test_deciders_find_the_appeals_waiting_for_them(client, chain, submit):
    rid = submit(answers(s_1=4, s_2=2))
    _responsible(client, chain, rid, "s.1")
    first = _file(client, chain.headers["guard"], rid).json
    second = client.post("/api/v1/appeals", headers=chain.headers["supervisor"],
                         json={"result_id": rid, "reason": "整体评分有误"}).json
    site = f"/api/v1/appeals?site={chain.site_a['id']}"
    by_lead = client.get(site, headers=chain.headers["supervisor"]).json["items"]
    assert {a["id"]: a["allowed"] for a in by_lead} == {
        first["id"]: ["uphold", "adjust", "escalate"], second["id"]: []}
    by_pd = client.get(f"/api/v1/appeals?result={rid}", headers=chain.headers["pd"]).json
    assert {a["id"]: a["allowed"] for a in by_pd["items"]} == {
        first["id"]: [], second["id"]: ["uphold", "adjust", "escalate"]}
    mine = client.get("/api/v1/appeals?limit=1", headers=chain.headers["guard"]).json
    assert [a["id"] for a in mine["items"]] == [first["id"]] and mine["next_cursor"] is None
    assert client.get(site, headers=chain.guard_b_headers).status_code == 403
    assert client.get(f"/api/v1/appeals?result={rid}",
                      headers=chain.guard_b_headers).status_code == 404
