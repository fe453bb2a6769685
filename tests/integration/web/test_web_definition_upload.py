"""Admins validate and publish a definition from the browser: JSON pasted or a file, a
workbook; problems listed by path; nothing stored when refused."""
from __future__ import annotations

import io
import json

import openpyxl

from checklists.xlsform import export_xlsx
from server.extensions import STORE_KEY
from tests.integration.http_sync.conftest import DEFINITION

EN = {"Accept-Language": "en"}
URL = "/admin/definitions/new"


def broken() -> dict:
    body = json.loads(json.dumps(DEFINITION))
    body["sections"][0]["items"][0]["deduction"]["max"] = -3
    body["sections"][0]["items"].append({"id": "env.clean", "type": "check", "label": "dup"})
    return body


def published(app, def_id="daily-round") -> list[int]:
    store = app.extensions[STORE_KEY]
    return sorted(r.doc["definition"]["version"] for r in store.scan("definitions")
                  if r.doc["definition"]["id"] == def_id)


def test_validate_lists_each_problem_by_path_and_stores_nothing(app, web, team):
    admin = web("admin-a", **EN)
    assert admin.get(URL, headers=EN).status_code == 200
    for action in ("validate", "publish"):
        resp = admin.post(URL, {"text": json.dumps(broken()), "action": action}, headers=EN)
        assert resp.status_code == 400, resp.text
        problems = resp.text[resp.text.index('id="problems"'):]
        assert "<code>sections[0].items[0].deduction.max</code>" in problems
        assert problems.count("<tr><td><code>") >= 2
    assert published(app) == []
    assert app.extensions[STORE_KEY].get("definition_drafts", "daily-round") is None


def test_not_json_and_not_an_object_are_named(web, team):
    admin = web("admin-a", **EN)
    admin.get(URL, headers=EN)
    bad = admin.post(URL, {"text": '{"id": "x",', "action": "validate"}, headers=EN)
    assert bad.status_code == 400 and "<code>json</code>" in bad.text and "line 1" in bad.text
    listed = admin.post(URL, {"text": "[1, 2]", "action": "validate"}, headers=EN)
    assert listed.status_code == 400 and "JSON object" in listed.text
    empty = admin.post(URL, {"text": " ", "action": "publish"}, headers=EN)
    assert empty.status_code == 400 and "Paste a definition" in empty.text
    no_button = admin.post(URL, {"text": "{}"}, headers=EN)
    assert no_button.status_code == 400


def test_validate_then_publish_json_as_the_next_version(app, web, team):
    admin = web("admin-a", **EN)
    admin.get(URL, headers=EN)
    body = {k: v for k, v in DEFINITION.items() if k != "version"}
    checked = admin.post(URL, {"text": json.dumps(body, ensure_ascii=False),
                               "action": "validate"}, headers=EN)
    assert checked.status_code == 200 and 'id="valid"' in checked.text
    assert "Daily round" in checked.text and published(app) == []
    for expected in ([1], [1, 2]):
        done = admin.post(URL, {"text": json.dumps(body), "action": "publish"}, headers=EN)
        assert done.status_code == 302 and done.location.endswith(
            f"/admin/definitions/daily-round/{expected[-1]}")
        assert published(app) == expected


def test_a_workbook_is_validated_and_published(app, web, team):
    admin = web("admin-a", **EN)
    admin.get(URL, headers=EN)
    workbook = export_xlsx({**DEFINITION, "id": "from-sheet"})
    file = {"upload": (io.BytesIO(workbook), "round.xlsx"), "action": "validate",
            "csrf_token": admin.token}
    checked = admin.client.post(URL, data=file, headers=EN, content_type="multipart/form-data")
    assert checked.status_code == 200 and 'id="valid"' in checked.text
    file = {"upload": (io.BytesIO(workbook), "round.xlsx"), "action": "publish",
            "csrf_token": admin.token}
    done = admin.client.post(URL, data=file, headers=EN, content_type="multipart/form-data")
    assert done.status_code == 302 and published(app, "from-sheet") == [1]


def test_a_refused_workbook_names_sheet_row_and_column(app, web, team):
    sheet = openpyxl.load_workbook(io.BytesIO(export_xlsx(DEFINITION)))
    header = [cell.value for cell in sheet["survey"][1]]
    sheet["survey"].cell(row=3, column=header.index("deduction_max") + 1).value = -2
    data = io.BytesIO()
    sheet.save(data)
    admin = web("admin-a", **EN)
    admin.get(URL, headers=EN)
    resp = admin.client.post(URL, data={"upload": (io.BytesIO(data.getvalue()), "round.xlsx"),
                                        "action": "publish", "csrf_token": admin.token},
                             headers=EN, content_type="multipart/form-data")
    assert resp.status_code == 400
    problems = resp.text[resp.text.index('id="problems"'):]
    assert "<code>workbook › survey, row 3, column " in problems and "deduction.max" in problems
    assert published(app) == []


def test_a_json_file_is_read_like_pasted_text(app, web, team):
    admin = web("admin-a", **EN)
    admin.get(URL, headers=EN)
    data = json.dumps(broken()).encode()
    resp = admin.client.post(URL, data={"upload": (io.BytesIO(data), "d.json"),
                                        "action": "validate", "csrf_token": admin.token},
                             headers=EN, content_type="multipart/form-data")
    assert resp.status_code == 400 and "deduction.max" in resp.text


def test_only_admins_and_only_with_the_token(app, web, team):
    for name in ("supervisor-a", "guard-a"):
        assert web(name).get(URL).status_code == 403
    admin = web("admin-a")
    admin.get(URL)
    refused = admin.post(URL, {"text": json.dumps(DEFINITION), "action": "publish"},
                         token=False)
    assert refused.status_code == 403 and published(app) == []
