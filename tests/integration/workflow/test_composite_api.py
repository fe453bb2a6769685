"""GET /api/v1/sites/<id>/composite over the month's latest results of the built-in rubrics."""
from datetime import datetime, timezone

import checklists
from checklists.actors import Actor
from server.services import definitions, sync_service


def _cs_answers(**defects):
    """cs-supervision all passed except the given items, each losing its defects' points."""
    out = {f"cs.{n:02d}": {"value": "pass"} for n in range(1, 20)}
    for item, points in defects.items():
        out[item.replace("_", ".")] = {"value": "fail", "defects": [
            {"deduction": p, "criterion": f"{item.replace('_', '.')}.{k}"}
            for k, p in enumerate(points, start=1)]}
    return out


def _fac_answers(lost_on_01=0.0):
    out = {f"fac.0{n}": {"value": "pass"} for n in range(1, 7)}
    out["fac.06.retention"] = {"value": 15}
    if lost_on_01:
        out["fac.01"] = {"value": "fail", "defects": [{"deduction": lost_on_01,
                                                       "criterion": "fac.01.1"}]}
    return out


def _push(app, app_store, team, rid, def_id, answers, at):
    version = checklists.builtin_definition(def_id)["version"]
    inspector = Actor(team.users["supervisor"]["id"], "supervisor", {team.site_a["id"]}, "d")
    got = sync_service.apply_push(
        app_store, inspector, f"c-{rid}",
        [{"id": 1, "name": "submit_result", "client_ts": at, "args": {
            "result_id": rid, "site_id": team.site_a["id"],
            "checklist": {"id": def_id, "version": version}, "answers": answers}}],
        find_definition=lambda i, v: definitions.get_version(app_store, i, v)["definition"],
        uploads=app.extensions["fieldsync.uploads"],
        now=datetime.fromisoformat(at).astimezone(timezone.utc))
    assert got["results"][0]["status"] == "applied", got


def test_the_composite_weights_the_latest_result_of_each_block(app, app_store, client, team):
    for def_id in ("cs-supervision", "facilities-supervision"):
        definitions.install(app_store, checklists.builtin_definition(def_id), by="test")
    # customer service: an early 100 replaced by the month's latest, 89 (100 - 4 - 6 - 1)
    _push(app, app_store, team, "cs-early", "cs-supervision", _cs_answers(),
          "2026-11-05T02:00:00+00:00")
    _push(app, app_store, team, "cs-late", "cs-supervision",
          _cs_answers(cs_01=[2, 2], cs_03=[2, 2, 2], cs_05=[1]), "2026-11-26T02:00:00+00:00")
    # facilities: 19 of its 20 points = 95%
    _push(app, app_store, team, "fac", "facilities-supervision", _fac_answers(1),
          "2026-11-26T03:00:00+00:00")
    url = f"/api/v1/sites/{team.site_a['id']}/composite?month=2026-11"
    got = client.get(url, headers=team.headers["supervisor"])
    assert got.status_code == 200, got.json
    body = got.json
    # 0.25 * 89 + 0.75 * 95 = 22.25 + 71.25 = 93.5
    assert body["percent"] == 93.5 and body["band"]["id"] == "excellent" and body["complete"]
    assert [b["source"]["result_id"] for b in body["blocks"]] == ["cs-late", "fac"]
    assert [b["percent"] for b in body["blocks"]] == [89.0, 95.0]
    assert body["marks"] == []
    assert "综合得分 93.5 分 (各版块得分按权重加权)。" in body["explanation"]["zh"]

    october = client.get(url.replace("2026-11", "2026-10"), headers=team.headers["supervisor"])
    assert october.json["percent"] is None and not october.json["complete"]
    assert client.get(url, headers=team.guard_b_headers).status_code == 404
    bad = client.get(url + "&plan=nope", headers=team.headers["admin"])
    assert bad.status_code == 422 and "plan" in bad.json["errors"]["query"]
    assert client.get(url.replace("2026-11", "11-2026"),
                      headers=team.headers["admin"]).status_code == 422
