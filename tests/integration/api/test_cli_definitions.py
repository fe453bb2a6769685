"""``fieldsync definitions import/export``: a workbook round trip through the store."""
from __future__ import annotations

import checklists
from checklists.xlsform import export_xlsx
from server.cli import main
from server.services import definitions as service


def test_export_then_import_publishes_the_next_version(runner, app_store, tmp_path):
    body = checklists.builtin_definition("night-patrol")
    service.install(app_store, body, by="test")
    out = tmp_path / "np.xlsx"
    result = runner.invoke(main, ["definitions", "export", "night-patrol@2", "-o", str(out)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["definitions", "import", str(out), "--publish"])
    assert result.exit_code == 0, result.output
    assert "night-patrol@3 published" in result.output
    stored = service.get_version(app_store, "night-patrol", 3)["definition"]
    assert checklists.load_definition(stored) == checklists.load_definition(
        {**body, "version": 3})


def test_a_bad_workbook_names_each_cell_and_stores_nothing(runner, app_store, tmp_path):
    data = checklists.builtin_definition("night-patrol")
    data["sections"][0]["items"][1]["show_if"] = {"item": "np.key.present", "equals": "none"}
    path = tmp_path / "bad.xlsx"
    path.write_bytes(export_xlsx(data))
    result = runner.invoke(main, ["definitions", "import", str(path)])
    assert result.exit_code == 1
    assert "survey, row 4, column relevant: refers to 'np.key.present', which comes later" in (
        result.output)
    assert "bad.xlsx: 1 problem(s), nothing stored" in result.output
    assert app_store.get("definition_drafts", "night-patrol") is None
