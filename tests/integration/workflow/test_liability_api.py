"""The monthly liability summary: shares, the sanction and joint-liability flags, CSV, scope."""
import csv
import io
from datetime import datetime, timezone

from server import cli
from server.services.accounts import users
from server.services.liability import CSV_HEADERS

from .conftest import answers


def _at(text):
    return datetime.fromisoformat(text).astimezone(timezone.utc)


def _assign(client, chain, rid, **people):
    got = client.put(f"/api/v1/results/{rid}/responsibility", headers=chain.headers["supervisor"],
                     json={"assignments": [{"deduction": key.replace("_", "."),
                                            "user_id": chain.users[role]["id"]}
                                           for key, role in people.items()]})
    assert got.status_code == 200, got.json


def _november(client, chain, submit, app_store):
    """Guard: 3 deductions (sanction). Item s.1 fails 3 times under the lead (joint)."""
    users.edit_user(app_store, chain.users["supervisor"]["id"], department="管理处")
    r1 = submit(answers(s_1=4, s_2=2), at=_at("2026-11-03T02:00:00+00:00"))
    _assign(client, chain, r1, s_1="guard", s_2="engineer")
    r2 = submit(answers(s_1=2), at=_at("2026-11-10T02:00:00+00:00"))
    _assign(client, chain, r2, s_1="guard")
    r3 = submit(answers(s_1=3), at=_at("2026-11-20T02:00:00+00:00"))
    _assign(client, chain, r3, s_1="engineer")
    # 20:00 UTC on 31 October is 1 November in the site's zone (Asia/Shanghai)
    r4 = submit(answers(s_3=1), at=_at("2026-10-31T20:00:00+00:00"))
    _assign(client, chain, r4, s_3="guard")
    r5 = submit(answers(s_1=5), at=_at("2026-12-01T02:00:00+00:00"))   # next month
    _assign(client, chain, r5, s_1="guard")
    return r1, r2, r3, r4


def test_the_month_flags_sanction_and_joint_liability_with_evidence(client, chain, submit,
                                                                     app_store):
    r1, r2, r3, r4 = _november(client, chain, submit, app_store)
    got = client.get(f"/api/v1/liability/summary?month=2026-11&site={chain.site_a['id']}",
                     headers=chain.headers["supervisor"])
    assert got.status_code == 200, got.json
    body = got.json
    assert body["due_by"] == "2026-11-28" and body["split"]["person"] == 0.7
    people = {p["username"]: (d["department"], p) for d in body["departments"]
              for p in d["people"]}
    guard_dept, guard = people["guard-a"]
    assert guard_dept == "工程部"
    assert (guard["deductions"], guard["points_lost"], guard["own_share"], guard["sanction"]) \
        == (3, 7.0, 4.9, True)
    _, engineer = people["engineer-a"]
    assert (engineer["deductions"], engineer["own_share"], engineer["sanction"]) == (2, 3.5, False)
    lead_dept, lead = people["supervisor-a"]
    assert lead_dept == "管理处"
    assert (lead["deductions"], lead["supervisor_share"], lead["total"]) == (0, 3.6, 3.6)
    assert lead["joint_liability_items"] == ["s.1"]
    [sanction] = body["sanctions"]
    assert sanction["person_id"] == chain.users["guard"]["id"] and sanction["count"] == 3
    assert {(e["result_id"], e["deduction"]) for e in sanction["evidence"]} == {
        (r1, "s.1"), (r2, "s.1"), (r4, "s.3")}
    [joint] = body["joint_liability"]
    assert (joint["supervisor_id"], joint["item_id"], joint["count"]) == (
        chain.users["supervisor"]["id"], "s.1", 3)
    assert {e["result_id"] for e in joint["evidence"]} == {r1, r2, r3}


def test_the_month_as_csv_opens_in_excel(client, chain, submit, app_store):
    _november(client, chain, submit, app_store)
    got = client.get("/api/v1/liability/summary?month=2026-11&format=csv",
                     headers=chain.headers["admin"])
    assert got.status_code == 200
    assert got.mimetype == "text/csv" and "charset=utf-8" in got.content_type
    assert got.data.startswith(b"\xef\xbb\xbf")   # the BOM Excel needs for UTF-8
    rows = list(csv.reader(io.StringIO(got.data.decode("utf-8-sig"))))
    assert tuple(rows[0]) == CSV_HEADERS and rows[0][0] == "部门"
    by_user = {r[2]: r for r in rows[1:]}
    assert by_user["guard-a"][0] == "工程部" and by_user["guard-a"][9] == "是"
    assert by_user["supervisor-a"][10] == "s.1"


def test_scope_roles_and_bad_months(client, chain):
    url = "/api/v1/liability/summary?month=2026-11"
    assert client.get(url, headers=chain.headers["guard"]).status_code == 403
    assert client.get(f"{url}&site={chain.site_b['id']}",
                      headers=chain.headers["supervisor"]).status_code == 403
    mine = client.get(url, headers=chain.headers["supervisor"]).json
    assert mine["site_ids"] == [chain.site_a["id"]]
    assert set(client.get(url, headers=chain.headers["admin"]).json["site_ids"]) == {
        chain.site_a["id"], chain.site_b["id"]}
    bad = client.get("/api/v1/liability/summary?month=2026-13", headers=chain.headers["admin"])
    assert bad.status_code == 422 and "month" in bad.json["errors"]["query"]


def test_cli_prints_the_month(runner, client, chain, submit, app_store):
    _november(client, chain, submit, app_store)
    done = runner.invoke(cli.main, ["liability", "summary", "--month", "2026-11", "--site", "A"])
    assert done.exit_code == 0, done.output
    assert "due by 2026-11-28" in done.output and "行政处分" in done.output
    assert "连带责任: s.1" in done.output
    as_csv = runner.invoke(cli.main, ["liability", "summary", "--month", "2026-11",
                                      "--csv", "-"])
    assert as_csv.output.startswith("\ufeff部门,")
