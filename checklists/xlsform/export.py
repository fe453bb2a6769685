"""Writing a definition as an XLSForm-style workbook (see :mod:`checklists.xlsform.columns`)."""
from __future__ import annotations

import io
from typing import Any

import orjson

from checklists.model import Definition
from checklists.xlsform.columns import (
    BAND_COLUMNS, BAND_HEADERS, BOOL, CHOICE_COLUMNS, CHOICE_HEADERS, ITEM_COLUMNS,
    ITEM_TYPES_TO_SURVEY, JSON, SECTION_COLUMNS, SETTINGS_COLUMNS, SETTINGS_HEADERS,
    SURVEY_HEADERS, dig,
)


def export_xlsx(definition: Definition | dict[str, Any]) -> bytes:
    """The workbook (``.xlsx`` bytes) of a definition or of its JSON form."""
    data = definition.to_dict() if isinstance(definition, Definition) else definition
    from openpyxl import Workbook  # imported when used: a third of a second off every start

    book = Workbook()
    survey = book.active
    survey.title = "survey"
    choices = book.create_sheet("choices")
    settings = book.create_sheet("settings")
    bands = book.create_sheet("bands")
    survey.append(SURVEY_HEADERS)
    choices.append(CHOICE_HEADERS)
    for section in data["sections"]:
        repeated = section.get("repeat") is not None
        _append(survey, SURVEY_HEADERS, {
            "type": "begin_repeat" if repeated else "begin_group",
            **_cells(SECTION_COLUMNS, section)})
        for item in section["items"]:
            _append(survey, SURVEY_HEADERS, _item_row(item, choices))
        _append(survey, SURVEY_HEADERS, {"type": "end_repeat" if repeated else "end_group",
                                         "name": section["id"]})
    settings.append(SETTINGS_HEADERS)
    _append(settings, SETTINGS_HEADERS, _cells(SETTINGS_COLUMNS, data))
    bands.append(BAND_HEADERS)
    for kind in ("bands", "marks"):
        for band in (data.get("scoring") or {}).get(kind, ()):
            _append(bands, BAND_HEADERS, {"kind": kind[:-1], **_cells(BAND_COLUMNS, band)})
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _item_row(item: dict, choices) -> dict[str, Any]:
    row = _cells(ITEM_COLUMNS, item)
    if item["type"] == "choice":
        select = "select_multiple" if item.get("multiple") else "select_one"
        row["type"] = f"{select} {item['id']}"
        for option in item["options"]:
            _append(choices, CHOICE_HEADERS, {"list_name": item["id"],
                                              **_cells(CHOICE_COLUMNS, option)})
    else:
        row["type"] = ITEM_TYPES_TO_SURVEY[item["type"]]
    if item.get("criteria"):
        row["criteria"] = f"{item['id']}.criteria"
        for criterion in item["criteria"]:
            _append(choices, CHOICE_HEADERS, {"list_name": row["criteria"],
                                              **_cells(CHOICE_COLUMNS, criterion)})
    if item.get("required_if") is not None:
        row["required"] = orjson.dumps(item["required_if"]).decode()
    return row


def _cells(columns, data: dict) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for header, path, kind in columns:
        value = dig(data, path)
        if value is None or (kind == BOOL and value is False):
            continue
        if kind == BOOL:
            value = "yes"
        elif kind == JSON:
            value = orjson.dumps(value).decode()
        row[header] = value
    return row


def _append(sheet, headers: tuple, row: dict[str, Any]) -> None:
    sheet.append([row.get(h) for h in headers])
    for cell in sheet[sheet.max_row]:
        if cell.data_type == "f":       # a text that starts with "=" is text, not a formula
            cell.data_type = "s"
