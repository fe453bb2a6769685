"""Definitions as .xlsx through the API: export a version, import it back as the next one."""
import io

import openpyxl

from checklists import builtin_definitions
from server.services import definitions
from server.services.definition_sheets import XLSX


def test_export_then_import_gives_the_same_definition_as_the_next_version(client, team,
                                                                         app_store):
    body = builtin_definitions()[0]
    definitions.install(app_store, body, by="test")
    ref = f"/api/v1/definitions/{body['id']}/versions/{body['version']}"
    got = client.get(f"{ref}/xlsx", headers=team.headers["guard"])
    assert got.status_code == 200 and got.mimetype == XLSX
    assert "attachment" in got.headers["Content-Disposition"]
    assert client.get(f"{ref}/xlsx").status_code == 401
    assert client.get(f"/api/v1/definitions/{body['id']}/versions/99/xlsx",
                      headers=team.headers["guard"]).status_code == 404
    book = openpyxl.load_workbook(io.BytesIO(got.data))
    assert {"survey", "choices", "settings"} <= set(book.sheetnames)

    # bump the version in the sheet, as an author would, and import it published
    settings = book["settings"]
    header = [c.value for c in settings[1]]
    settings.cell(row=2, column=header.index("version") + 1, value=body["version"] + 1)
    out = io.BytesIO()
    book.save(out)
    imported = client.post("/api/v1/definitions/import?publish=true", data=out.getvalue(),
                           content_type=XLSX, headers=team.headers["admin"])
    assert imported.status_code == 201, imported.json
    new = imported.json["definition"]
    assert imported.json["status"] == "published" and new["version"] == body["version"] + 1
    old = client.get(ref, headers=team.headers["admin"]).json["definition"]
    assert {**new, "version": old["version"]} == old


def test_a_bad_workbook_is_a_422_naming_where_and_stores_nothing(client, team, app_store):
    book = openpyxl.Workbook()
    book.active.title = "survey"
    book["survey"].append(["name", "label::zh"])  # no type column
    out = io.BytesIO()
    book.save(out)
    got = client.post("/api/v1/definitions/import", data=out.getvalue(), content_type=XLSX,
                      headers=team.headers["admin"])
    assert got.status_code == 422
    assert any("survey" in where for where in got.json["errors"]["body"]["workbook"])
    assert client.get("/api/v1/definitions/drafts",
                      headers=team.headers["admin"]).json["items"] == []
    assert client.post("/api/v1/definitions/import", data=b"x", content_type="text/csv",
                       headers=team.headers["admin"]).status_code == 415
    assert client.post("/api/v1/definitions/import", data=out.getvalue(), content_type=XLSX,
                       headers=team.headers["supervisor"]).status_code == 403
