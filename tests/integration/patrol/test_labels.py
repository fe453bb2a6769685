"""QR label sheets: the PDF's text has every checkpoint's name and code (Chinese included),
and the QR code printed for a checkpoint decodes to its tag."""
from __future__ import annotations

import io

import pypdf
import pytest
import zxingcpp
from PIL import Image, ImageFile

from server.photos import PhotoConfig, PhotoRefused, inspect_photo
from server.services.patrol.labels import qr_code

from .site_setup import API


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_a_route_prints_as_an_a4_sheet_of_named_qr_labels(patrol_site):
    r = patrol_site.client.get(f"{API}/routes/night-walk/labels.pdf", headers=patrol_site.boss)
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(r.data))
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (210, 297)   # A4 in mm
    text = pdf_text(r.data)
    for name, tag in [("北门", "TAG-1"), ("1栋", "TAG-2"), ("地下车库", "TAG-4"), ("南门", "TAG-5")]:
        assert name in text and tag in text
    assert "泳池" not in text                                  # not on this route


def test_printing_labels_leaves_the_servers_photo_checks_as_they_were(patrol_site, tmp_path):
    """WeasyPrint switches on Pillow's LOAD_TRUNCATED_IMAGES for its whole process; printed
    in the server's, a label sheet let truncated photos through the photo checks after it."""
    r = patrol_site.client.get(f"{API}/routes/night-walk/labels.pdf", headers=patrol_site.boss)
    assert r.status_code == 200
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
    picture = io.BytesIO()
    Image.effect_noise((320, 240), 60).convert("RGB").save(picture, "JPEG", quality=90)
    cut = picture.getvalue()[: len(picture.getvalue()) // 2]
    path = tmp_path / "cut.jpg"
    path.write_bytes(cut)
    with pytest.raises(PhotoRefused) as refused:
        inspect_photo(str(path), PhotoConfig())
    assert refused.value.code == "truncated"


def test_the_qr_code_on_a_label_decodes_to_the_tag():
    for tag in ("TAG-1", "NHG-B2-地下车库-07"):
        png = io.BytesIO()
        qr_code(tag).save(png, kind="png", scale=6, border=4)
        [decoded] = zxingcpp.read_barcodes(Image.open(io.BytesIO(png.getvalue())))
        assert decoded.text == tag


def test_the_cli_writes_the_same_sheet(runner, patrol_site, tmp_path):
    from server.cli import main
    out = tmp_path / "labels.pdf"
    result = runner.invoke(main, ["patrol", "labels", "night-walk", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "2栋" in pdf_text(out.read_bytes())
    missing = runner.invoke(main, ["patrol", "labels", "no-route", "-o", str(out)])
    assert missing.exit_code == 1 and "no route 'no-route'" in missing.output
