"""A PDF's photos are files handed over by name: nothing else is opened, whatever the
page refers to (a result's text could name any address)."""
from __future__ import annotations

import io

from PIL import Image
from pypdf import PdfReader

from server.services.pdf_rendering import file_address, html_to_pdf


def images_in(pdf: bytes) -> int:
    return sum(len(page.images) for page in PdfReader(io.BytesIO(pdf)).pages)


def test_only_the_files_handed_over_are_embedded(tmp_path):
    photo = tmp_path / "photo.jpg"
    Image.new("RGB", (64, 48), (200, 40, 40)).save(photo, "JPEG")
    page = f'<img src="{file_address("a")}">'
    assert images_in(html_to_pdf(page, {"a": (str(photo), "image/jpeg")})) == 1
    others = (f'<img src="{file_address("b")}"><img src="file://{photo}">'
              f'<img src="{file_address("../photo.jpg")}">')
    assert images_in(html_to_pdf(others, {"a": (str(photo), "image/jpeg")})) == 0
