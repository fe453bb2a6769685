"""Spreadsheet authoring: XLSForm-style workbooks in and out, problems named by cell."""
from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook

import checklists
from checklists.xlsform import SpreadsheetInvalid, export_xlsx, load_xlsx

from .test_expressions import office_checklist
from .test_repeats import handover, unit_answers

SURVEY = ["type", "name", "label::zh", "label::en", "relevant", "required", "constraint",
          "constraint_message::zh", "constraint_message::en", "calculation", "points",
          "deduction_min", "deduction_max", "unit", "veto", "weight"]


def authored_workbook(**changes) -> Workbook:
    """A small checklist as its owner would type it."""
    book = Workbook()
    survey = book.active
    survey.title = "survey"
    survey.append(SURVEY)
    rows = [
        ["begin_group", "site", "现场", "Site"],
        ["decimal", "site.area", "总建筑面积", "Total floor area", None, "yes", None, None, None,
         None, None, None, None, "m²"],
        ["decimal", "site.office", "管理用房面积", "Office area", None, "yes",
         '{"and": [{">=": [{"var": "site.office"}, {"*": [{"var": "site.area"}, 0.003]}]}, '
         '{">=": [{"var": "site.office"}, 80]}]}', "管理用房不足", "office too small", None, None,
         None, None, "m²"],
        ["select_multiple kinds", "site.kinds", "重点户", "Key households", None, "yes", None,
         None, None, None, None, None, None, None, None, 0],
        ["check", "site.kinds.check", "重点户走访", "Key households visited",
         '{"not": {"item": "site.kinds", "equals": "none"}}', None, None, None, None, None, 10,
         2, 2, None, '{"effect": "cap", "cap_percent": 60}'],
        ["end_group", "site"],
    ]
    for row in rows:
        survey.append(row)
    choices = book.create_sheet("choices")
    choices.append(["list_name", "name", "label::zh", "label::en", "exclusive"])
    choices.append(["kinds", "none", "无", "None", "yes"])
    choices.append(["kinds", "rental", "租赁户", "Rented"])
    settings = book.create_sheet("settings")
    settings.append(["form_id", "version", "kind", "form_title::zh", "form_title::en"])
    settings.append(["site-check", 1, "inspection", "现场检查", "Site check"])
    for name, change in changes.items():
        change(book)
    return book


def xlsx(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def problems_of(book: Workbook) -> list[tuple]:
    with pytest.raises(SpreadsheetInvalid) as err:
        load_xlsx(xlsx(book))
    return [(p.sheet, p.row, p.column, p.message) for p in err.value.problems]


@pytest.mark.parametrize("data", checklists.builtin_definitions(), ids=lambda d: d["id"])
def test_export_then_import_gives_an_identical_builtin_definition(data):
    definition = checklists.load_definition(data)
    assert load_xlsx(export_xlsx(definition)) == definition


@pytest.mark.parametrize("make", [office_checklist, handover], ids=["office", "rooms"])
def test_round_trip_keeps_calculations_constraints_and_repeats(make):
    definition = make()
    assert load_xlsx(export_xlsx(definition)) == definition


def test_an_authored_sheet_is_imported_published_filled_and_scored():
    definition = load_xlsx(xlsx(authored_workbook()))
    assert definition.items_by_id["site.kinds"].options_by_id["none"].exclusive is True
    answers = {"site.area": {"value": 20000}, "site.office": {"value": 85},
               "site.kinds": {"value": ["rental"]},
               "site.kinds.check": {"value": "fail", "defects": [{"note": "未走访"}]}}
    checklists.validate_answers(definition, answers)
    report = checklists.score_result(definition, answers)
    # 10 - 2 = 8 of 10 (80 %), capped at 60 % by the veto: 6 of 10
    assert (report.total, report.max, report.percent, report.veto["effect"]) == (
        6.0, 10.0, 60.0, "cap")
    refused = {**answers, "site.office": {"value": 70}}
    assert checklists.answer_errors(definition, refused) == {
        "answers.site.office.value": ["office too small (管理用房不足)"]}
    assert "answers.site.kinds.value" in checklists.answer_errors(
        definition, {**answers, "site.kinds": {"value": ["none", "rental"]}})


def test_a_missing_column_is_named():
    def drop_label(book):
        book["survey"].delete_cols(4)                 # label::en
    assert problems_of(authored_workbook(drop=drop_label)) == [
        ("survey", 1, "label::en", "missing column")]


def test_a_merged_cell_is_named():
    def merge(book):
        book["survey"].merge_cells("D3:D4")
    assert problems_of(authored_workbook(merge=merge)) == [
        ("survey", 3, "D", "merged cells D3:D4: unmerge them and give each cell its own value")]


def test_a_formula_where_a_value_is_expected_is_named():
    def formula(book):
        book["survey"]["K6"] = "=5*2"                 # points of site.kinds.check
    assert problems_of(authored_workbook(formula=formula)) == [
        ("survey", 6, "points", "a formula where a value is expected: type the value itself")]


def test_a_number_stored_as_text_and_a_schema_error_are_placed_in_their_cells():
    def text_points(book):
        book["survey"]["K6"] = "10"
    assert problems_of(authored_workbook(text=text_points)) == [
        ("survey", 6, "points", "expected a number, got '10' (a number stored as text?)")]

    def later_reference(book):
        book["survey"]["E3"] = '{"item": "site.kinds", "equals": "none"}'
    assert problems_of(authored_workbook(later=later_reference)) == [
        ("survey", 3, "relevant", "refers to 'site.kinds', which comes later; conditions may "
                                  "only use earlier items (sections[0].items[0].show_if.item)")]


def test_not_a_workbook_is_refused_clearly():
    with pytest.raises(SpreadsheetInvalid) as err:
        load_xlsx(b"PK not really")
    assert err.value.problems[0].sheet == "workbook"


def test_exported_repeat_answers_still_score_the_same():
    definition = load_xlsx(export_xlsx(handover()))
    assert checklists.score_result(definition, unit_answers()).total == 91.0
    book = load_workbook(io.BytesIO(export_xlsx(handover())))
    assert [c.value for c in book["survey"]["A"]][1:3] == ["begin_repeat", "select_one ho.room.kind"]
