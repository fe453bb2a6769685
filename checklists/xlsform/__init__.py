"""Definitions as XLSForm-style ``.xlsx`` workbooks (pure: bytes in, bytes out).

The people who own checklists keep them in spreadsheets; this lets them write
and review a definition there and publish it like any other::

    data = export_xlsx(definition)          # bytes of a .xlsx
    definition = load_xlsx(data)            # SpreadsheetInvalid(.problems) if bad

Import reports every problem at its sheet, row and column — a missing column,
a merged cell, a formula where a value is expected, a value of the wrong kind,
and anything the definition schema refuses, mapped back to the row it came
from. ``export → import`` gives an identical definition. The sheet layout is
described in :mod:`checklists.xlsform.columns`.
"""
from checklists.xlsform.export import export_xlsx
from checklists.xlsform.importer import import_xlsx, load_xlsx
from checklists.xlsform.problems import Problem, SpreadsheetInvalid

__all__ = ["Problem", "SpreadsheetInvalid", "export_xlsx", "import_xlsx", "load_xlsx"]
