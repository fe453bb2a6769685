"""Reading a pushed result: the stored score is numbers only, the API explains it."""
from .conftest import submit


def test_a_result_is_read_back_with_every_point_explained(client, guard, team, published,
                                                          app_store):
    r = guard.push(submit(team.site_a["id"], "r1", value="fail",
                          defects=[{"deduction": 1, "note": "积水"}]))
    assert r.json["results"][0]["status"] == "applied"
    stored = app_store.get("results", "r1").doc["score"]
    assert "explanation" not in stored and "label" not in stored["sections"][0]["lines"][0]

    got = client.get("/api/v1/results/r1", headers=team.headers["supervisor"])
    assert got.status_code == 200, got.json
    score = got.json["score"]
    assert (score["total"], score["max"]) == (4, 5)
    [line] = score["sections"][0]["lines"]
    assert line["label"] == {"zh": "地面清洁", "en": "Floor clean"}
    assert line["explanation"]["zh"] == "每项扣1分: 1处问题 → −1, 本项得4/5"
    assert score["explanation"]["en"] == ["total 4/5 = 80%"]
    assert got.json["answers"]["env.clean"]["defects"][0]["note"] == "积水"


def test_results_of_other_sites_and_unknown_ids_are_404(client, guard, team, published):
    guard.push(submit(team.site_a["id"], "r1"))
    assert client.get("/api/v1/results/r1", headers=team.guard_b_headers).status_code == 404
    assert client.get("/api/v1/results/nope", headers=team.headers["supervisor"]).status_code == 404
    assert client.get("/api/v1/results/r1").status_code == 401
