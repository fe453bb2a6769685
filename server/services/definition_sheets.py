"""Checklist definitions as spreadsheets: one door for the CLI and the API.

A workbook is turned into a definition by ``checklists.xlsform`` and then
saved (and optionally published) by the same service calls a JSON body
goes through, so it is validated exactly alike. A refused workbook is
``Invalid`` with every problem keyed by its sheet, row and column, and
nothing is stored.
"""
from __future__ import annotations

from checklists.xlsform import SpreadsheetInvalid, export_xlsx, load_xlsx
from server.store import Store
from server.store.base import Reader

from . import definitions
from .errors import Invalid

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def import_workbook(store: Store, data: bytes, *, by: str, publish: bool) -> dict:
    """Save the workbook as its definition's draft; publish it too if asked.

    Returns the stored draft (or, with ``publish``, the published version).
    """
    body = read_workbook(data)
    draft = definitions.save_draft(store, body["id"], body, by=by)
    return definitions.publish(store, body["id"], by=by) if publish else draft


def read_workbook(data: bytes) -> dict:
    """The definition a workbook describes, validated, as a JSON body; nothing is stored.

    ``Invalid`` names each problem by sheet, row and column (under ``workbook``).
    """
    try:
        return load_xlsx(data).to_dict()
    except SpreadsheetInvalid as exc:
        raise Invalid({"workbook": exc.errors}, location="body") from None


def export_workbook(reader: Reader, def_id: str, version: int) -> bytes:
    """A published (or retired) version as ``.xlsx`` bytes; ``NotFound`` if there is none."""
    return export_xlsx(definitions.get_version(reader, def_id, version)["definition"])
