"""The one CSV writer of the pages' list views (``/<list>.csv``).

UTF-8 with a BOM, so Excel opens Chinese text right; rows are streamed a
batch at a time, so a long export (results, tickets) never sits in memory
whole. Each list view passes its header and an iterable of rows; the rows
are read inside the request (``stream_with_context``), under the same
session and scope as the page.
"""
from __future__ import annotations

import csv
import io
from typing import Any, Iterable, Sequence

from flask import Response, stream_with_context

BOM = "\ufeff"
#: rows written per chunk sent to the browser
BATCH = 500


def _chunks(header: Sequence[str], rows: Iterable[Sequence[Any]]):
    out = io.StringIO()
    writer = csv.writer(out)
    out.write(BOM)
    writer.writerow(header)
    for n, row in enumerate(rows, start=1):
        writer.writerow(["" if value is None else value for value in row])
        if n % BATCH == 0:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Response:
    """A download of ``rows`` under ``header``, named ``filename`` (ASCII)."""
    return Response(stream_with_context(_chunks(header, rows)), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
