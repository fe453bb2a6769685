"""Reading a definition from an XLSForm-style workbook, every problem placed in a cell."""
from __future__ import annotations

import io
import re
import zipfile
from typing import Any

import orjson

from checklists.definitions import load_definition
from checklists.errors import DefinitionInvalid
from checklists.model import Definition
from checklists.xlsform.columns import (
    BAND_COLUMNS, BAND_HEADERS, BAND_REQUIRED, BOOL, CHOICE_COLUMNS, CHOICE_HEADERS,
    CHOICE_REQUIRED, FIELD_COLUMNS, INT, ITEM_COLUMNS, JSON, NUMBER, SECTION_COLUMNS,
    SETTINGS_COLUMNS, SETTINGS_FIELD_COLUMNS, SETTINGS_HEADERS, SETTINGS_REQUIRED,
    SURVEY_HEADERS, SURVEY_REQUIRED, SURVEY_TYPES, TEXT, plant,
)
from checklists.xlsform.problems import Problem, SpreadsheetInvalid

MAX_BYTES = 5 * 1024 * 1024
_TRUE, _FALSE = {"yes", "true", "1"}, {"no", "false", "0"}


def load_xlsx(content: bytes) -> Definition:
    """Import and validate a workbook; raise :class:`SpreadsheetInvalid` naming each cell."""
    reader = _Reader(content)
    data = reader.definition()
    try:
        return load_definition(data)
    except DefinitionInvalid as err:
        raise SpreadsheetInvalid([reader.locate(path, messages[0])
                                  for path, messages in err.errors.items()]) from None


def import_xlsx(content: bytes) -> dict[str, Any]:
    """The definition's JSON form read from a workbook (structure checked, not yet validated)."""
    return _Reader(content).definition()


class _Reader:
    def __init__(self, content: bytes):
        self.problems: list[Problem] = []
        self.section_rows: list[int] = []
        self.item_rows: list[list[int]] = []
        if len(content) > MAX_BYTES:
            raise SpreadsheetInvalid([Problem("workbook", None, None,
                                              f"larger than {MAX_BYTES // 1024 // 1024} MiB")])
        from openpyxl import load_workbook  # imported when used: a third of a second off every start

        try:
            self.book = load_workbook(io.BytesIO(content), data_only=False)
        except (zipfile.BadZipFile, KeyError, ValueError, OSError) as err:
            raise SpreadsheetInvalid([Problem("workbook", None, None,
                                              f"not an .xlsx workbook ({err})")]) from None

    def definition(self) -> dict[str, Any]:
        survey = self._rows("survey", SURVEY_HEADERS, SURVEY_REQUIRED)
        choices = self._rows("choices", CHOICE_HEADERS, CHOICE_REQUIRED)
        settings = self._rows("settings", SETTINGS_HEADERS, SETTINGS_REQUIRED)
        bands = self._rows("bands", BAND_HEADERS, BAND_REQUIRED, optional=True)
        if self.problems:
            raise SpreadsheetInvalid(self.problems)
        lists: dict[str, list[dict]] = {}
        for row, cells in choices:
            entry = self._record("choices", row, cells, CHOICE_COLUMNS)
            lists.setdefault(str(cells.get("list_name")), []).append(entry)
        data: dict[str, Any] = {}
        if not settings:
            self.problems.append(Problem("settings", 2, None, "the settings row is missing"))
        else:
            data = self._record("settings", settings[0][0], settings[0][1], SETTINGS_COLUMNS)
        data["sections"] = self._sections(survey, lists)
        for row, cells in bands:
            kind = cells.get("kind")
            if kind not in ("band", "mark"):
                self.problems.append(Problem("bands", row, "kind", "must be band or mark"))
                continue
            data.setdefault("scoring", {}).setdefault(kind + "s", []).append(
                self._record("bands", row, cells, BAND_COLUMNS))
        if self.problems:
            raise SpreadsheetInvalid(self.problems)
        return data

    # -- sheets ---------------------------------------------------------------

    def _rows(self, name: str, headers: tuple, required: tuple, optional: bool = False
              ) -> list[tuple[int, dict[str, Any]]]:
        """``(row number, {header: value})`` of every non-empty row of a sheet."""
        if name not in self.book.sheetnames:
            if not optional:
                self.problems.append(Problem(name, None, None, "missing sheet"))
            return []
        from openpyxl.utils import get_column_letter

        sheet = self.book[name]
        for merged in sheet.merged_cells.ranges:
            self.problems.append(Problem(
                name, merged.min_row, get_column_letter(merged.min_col),
                f"merged cells {merged.coord}: unmerge them and give each cell its own value"))
        rows = sheet.iter_rows()
        header_cells = next(rows, ())
        columns = {}
        for cell in header_cells:
            if cell.value is None:
                continue
            header = str(cell.value).strip()
            if header not in headers:
                self.problems.append(Problem(name, 1, header, "unknown column (a typo?)"))
            columns[cell.column] = header
        for header in required:
            if header not in columns.values():
                self.problems.append(Problem(name, 1, header, "missing column"))
        out = []
        for cells in rows:
            values = {}
            for cell in cells:
                header = columns.get(cell.column)
                if header is None or cell.value is None:
                    continue
                if cell.data_type == "f" or type(cell.value).__name__ == "ArrayFormula":
                    self.problems.append(Problem(
                        name, cell.row, header, "a formula where a value is expected: "
                                                "type the value itself"))
                    continue
                if isinstance(cell.value, str) and not cell.value.strip():
                    continue
                values[header] = cell.value
            if values:
                out.append((cells[0].row, values))
        return out

    def _sections(self, survey: list, lists: dict) -> list[dict]:
        sections: list[dict] = []
        current: dict | None = None
        for row, cells in survey:
            kind = str(cells.get("type", "")).strip()
            if kind in ("begin_group", "begin_repeat"):
                if current is not None:
                    self.problems.append(Problem("survey", row, "type",
                                                 f"groups do not nest: end {current['id']!r} "
                                                 f"first"))
                current = self._record("survey", row, cells, SECTION_COLUMNS)
                current["items"] = []
                if kind == "begin_repeat" and "repeat" not in current:
                    self.problems.append(Problem("survey", row, "repeat_max",
                                                 "a begin_repeat needs repeat_max and its label"))
                sections.append(current)
                self.section_rows.append(row)
                self.item_rows.append([])
            elif kind in ("end_group", "end_repeat"):
                if current is None:
                    self.problems.append(Problem("survey", row, "type", f"{kind} without begin"))
                current = None
            elif current is None:
                self.problems.append(Problem("survey", row, "type",
                                             "an item must sit inside a begin_group … end_group"))
            else:
                current["items"].append(self._item(row, cells, kind, lists))
                self.item_rows[-1].append(row)
        if current is not None:
            self.problems.append(Problem("survey", None, "type",
                                         f"group {current.get('id')!r} is never ended"))
        return sections

    def _item(self, row: int, cells: dict, kind: str, lists: dict) -> dict:
        required = cells.get("required")
        condition = isinstance(required, str) and required.lstrip().startswith("{")
        if condition:  # required is "yes" or a condition (required_if)
            cells = {k: v for k, v in cells.items() if k != "required"}
        item = self._record("survey", row, cells, ITEM_COLUMNS)
        if condition:
            item["required_if"] = self._convert("survey", row, "required", required, JSON)
        select = re.fullmatch(r"(select_one|select_multiple)\s+(\S+)", kind)
        if select:
            item["type"] = "choice"
            item["multiple"] = select.group(1) == "select_multiple"
            item["options"] = self._list(lists, select.group(2), row, "type")
        elif kind in SURVEY_TYPES:
            item["type"] = SURVEY_TYPES[kind]
        else:
            self.problems.append(Problem("survey", row, "type", f"unknown type {kind!r} (one of "
                                         f"{', '.join(SURVEY_TYPES)}, select_one L, "
                                         f"select_multiple L)"))
        if "criteria" in cells:
            item["criteria"] = self._list(lists, str(cells["criteria"]), row, "criteria")
        return item

    def _list(self, lists: dict, name: str, row: int, column: str) -> list[dict]:
        if name not in lists:
            self.problems.append(Problem("survey", row, column,
                                         f"no list {name!r} in the choices sheet"))
            return []
        return lists[name]

    # -- cells ------------------------------------------------------------------

    def _record(self, sheet: str, row: int, cells: dict, columns: tuple) -> dict:
        out: dict[str, Any] = {}
        for header, path, kind in columns:
            if header in cells:
                value = self._convert(sheet, row, header, cells[header], kind)
                if value is not None:
                    plant(out, path, value)
        return out

    def _convert(self, sheet: str, row: int, header: str, value: Any, kind: str) -> Any:
        def refuse(message: str) -> None:
            self.problems.append(Problem(sheet, row, header, message))

        if kind == TEXT:
            if isinstance(value, bool) or not isinstance(value, (str, int)):
                return refuse(f"expected text, got {value!r}")
            return str(value)
        if kind in (NUMBER, INT):
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                return refuse(f"expected a number, got {value!r}"
                              + (" (a number stored as text?)" if isinstance(value, str) else ""))
            if kind == INT:
                if not float(value).is_integer():
                    return refuse(f"expected a whole number, got {value!r}")
                return int(value)
            return value
        if kind == BOOL:
            if isinstance(value, bool):
                return value or None
            text = str(value).strip().lower()
            if text in _TRUE:
                return True
            if text in _FALSE:
                return None
            return refuse(f"expected yes or no, got {value!r}")
        if not isinstance(value, str):
            return refuse(f"expected JSON text, got {value!r}")
        try:
            return orjson.loads(value)
        except orjson.JSONDecodeError as err:
            return refuse(f"not valid JSON: {err}")

    # -- mapping schema errors back to cells --------------------------------------

    def locate(self, path: str, message: str) -> Problem:
        """The cell a ``load_definition`` error path (``sections[2].items[5].weight``) came from."""
        match = re.match(r"sections\[(\d+)\](?:\.items\[(\d+)\])?\.?([A-Za-z_]*)", path)
        if match:
            s_idx, i_idx, field = int(match[1]), match[2], match[3]
            try:
                row = (self.item_rows[s_idx][int(i_idx)] if i_idx is not None
                       else self.section_rows[s_idx])
            except IndexError:
                row = None
            column = FIELD_COLUMNS.get(field, field or None)
            return Problem("survey", row, column, f"{message} ({path})")
        if path.startswith("scoring.bands") or path.startswith("scoring.marks"):
            return Problem("bands", None, None, f"{message} ({path})")
        field = path.split(".")[0].split("[")[0]
        column = SETTINGS_FIELD_COLUMNS.get(field) or next(
            (h for h, p, _ in SETTINGS_COLUMNS if ".".join(p) == path), field)
        return Problem("settings", 2, column, f"{message} ({path})")
