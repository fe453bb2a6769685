"""Problems found in a definition workbook, each placed at its sheet, row and column."""
from __future__ import annotations

from dataclasses import asdict, dataclass

from checklists.errors import ChecklistError


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the workbook; ``row`` is 1-based as Excel shows it (None: whole sheet)."""

    sheet: str
    row: int | None
    column: str | None
    message: str

    @property
    def where(self) -> str:
        parts = [self.sheet]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column {self.column}")
        return ", ".join(parts)

    def to_dict(self) -> dict:
        return asdict(self)


class SpreadsheetInvalid(ChecklistError):
    """A definition workbook was refused. ``.problems`` lists each with its sheet, row, column;
    ``.errors`` is the same as ``{"survey, row 7, column constraint": [message]}``."""

    kind = "spreadsheet"

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        errors: dict[str, list[str]] = {}
        for problem in self.problems:
            errors.setdefault(problem.where, []).append(problem.message)
        super().__init__(errors)
