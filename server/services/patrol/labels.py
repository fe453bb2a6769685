"""A route's checkpoints as a printable A4 sheet of QR labels (PDF).

Each label carries the QR code of the checkpoint's tag (what a guard's phone
reads: segno, drawn as SVG so it prints sharp at any size), the checkpoint's
name and the code in plain text (for a guard to type when a label is
damaged: a ``manual`` scan, flagged on the verdict). The page is HTML
rendered by WeasyPrint (``server.services.pdf_rendering``) with the CJK font
Debian's fonts-wqy-microhei installs, so Chinese names print.
"""
from __future__ import annotations

import html
from typing import TYPE_CHECKING


from checklists.actors import Actor
from server.services.pdf_rendering import html_to_pdf
from server.store.base import Reader

from .checkpoints import checkpoints_record
from .routes import get_route

if TYPE_CHECKING:
    import segno

FONT = "'WenQuanYi Micro Hei', 'Noto Sans CJK SC', sans-serif"
_STYLE = f"""
@page {{ size: A4; margin: 12mm; }}
body {{ font-family: {FONT}; margin: 0; }}
h1 {{ font-size: 11pt; margin: 0 0 4mm; }}
.sheet {{ display: flex; flex-wrap: wrap; gap: 4mm; }}
.label {{ width: 58mm; height: 66mm; border: 0.3mm dashed #888; box-sizing: border-box;
          padding: 3mm; text-align: center; break-inside: avoid; }}
.label svg {{ width: 40mm; height: 40mm; }}
.name {{ font-size: 12pt; font-weight: bold; margin-top: 1mm; }}
.tag {{ font-family: monospace; font-size: 9pt; }}
"""


def qr_code(tag: str) -> segno.QRCode:
    """The QR code of a tag (medium error correction: labels get scuffed outdoors)."""
    import segno  # imported when a sheet is printed, not at every start

    return segno.make(tag, micro=False, error="m", boost_error=False)


def labels_html(route_record: dict, checkpoints: dict[str, dict]) -> str:
    route = route_record["route"]
    cells = []
    for n, stop in enumerate(route["stops"], start=1):
        checkpoint = checkpoints.get(stop["checkpoint_id"])
        if checkpoint is None:  # deleted since this version was published: nothing to print
            continue
        svg = qr_code(checkpoint["tag"]).svg_inline(scale=4, border=2)
        cells.append(f'<div class="label">{svg}<div class="name">{n}. '
                     f'{html.escape(checkpoint["name"])}</div>'
                     f'<div class="tag">{html.escape(checkpoint["tag"])}</div></div>')
    title = html.escape(f'{route["name"]} ({route["id"]} v{route["version"]})')
    return (f'<!doctype html><html><head><meta charset="utf-8"><style>{_STYLE}</style></head>'
            f'<body><h1>{title}</h1><div class="sheet">{"".join(cells)}</div></body></html>')


def route_labels_pdf(reader: Reader, actor: Actor, route_id: str,
                     version: int | None = None) -> bytes:
    """The PDF label sheet of a route version (default: its newest)."""
    record = get_route(reader, actor, route_id, version)
    checkpoints = checkpoints_record(reader, record["site_id"])["checkpoints"]
    return html_to_pdf(labels_html(record, checkpoints))
