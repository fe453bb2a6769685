"""VariantCache: one decode, files generated once and atomically, names that
change whenever what they show changes, refusals remembered."""
from __future__ import annotations

import hashlib
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from marshmallow import ValidationError
from PIL import Image, ImageChops

from server.photos import (AnnotationsSchema, GpsFix, PhotoConfig, PhotoRefused, StampInfo,
                           VariantCache)

from .samples import encode, exif_bytes, noisy_picture, write

CONFIG = PhotoConfig(display_long_side=512, thumb_long_side=96)
MARKUP = AnnotationsSchema().load({"shapes": [
    {"type": "arrow", "points": [[0.2, 0.2], [0.5, 0.5]]},
    {"type": "text", "points": [[0.1, 0.1]], "text": "裂缝"}]})
STAMP = StampInfo(time=datetime(2024, 5, 6, 14, 32, tzinfo=timezone(timedelta(hours=8))),
                  site="阳光花园", checkpoint="东门", inspector="张伟",
                  gps=GpsFix(31.23, 121.47))
GPS = {1: "N", 2: (31.0, 13.0, 49.5), 3: "E", 4: (121.0, 28.0, 25.3)}


@pytest.fixture(scope="module")
def upload_bytes():
    return encode(noisy_picture(1200, 900), quality=90, exif=exif_bytes(6, gps=GPS))


@pytest.fixture
def upload(tmp_path, upload_bytes):
    """A content-addressed original: 1200×900 JPEG stored sideways (orientation 6)."""
    sha = hashlib.sha256(upload_bytes).hexdigest()
    return sha, write(tmp_path, sha, upload_bytes)


@pytest.fixture
def cache(tmp_path):
    return VariantCache(tmp_path / "derived", CONFIG)


def files_in(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir() if p.name != ".lock"}


def test_intake_makes_every_variant_from_one_decode(cache, upload):
    sha, original = upload
    info = cache.intake(sha, original, MARKUP, STAMP)
    assert (info.oriented_width, info.oriented_height) == (900, 1200)
    assert info.exif.gps is not None
    assert cache.stats == {"decodes": 1, "renders": 4}
    sizes = {}
    for variant in ("display", "thumb", "annotated", "stamped"):
        with Image.open(cache.path(sha, original, variant, MARKUP, STAMP)) as im:
            sizes[variant] = im.size
    assert cache.stats == {"decodes": 1, "renders": 4}  # all four were already there
    assert sizes["thumb"] == (72, 96)
    assert sizes["display"] == sizes["annotated"] == sizes["stamped"]
    assert 460 <= max(sizes["display"]) <= 512 and sizes["display"][0] < sizes["display"][1]


def test_first_request_decodes_once_and_later_ones_reuse_the_file(cache, upload):
    sha, original = upload
    first = cache.get(sha, original, "annotated", MARKUP)
    stat = first.path.stat()
    again = cache.get(sha, original, "annotated", MARKUP)
    assert again == first
    assert (again.path.stat().st_ino, again.path.stat().st_mtime_ns) == \
        (stat.st_ino, stat.st_mtime_ns)
    assert cache.stats == {"decodes": 1, "renders": 3}  # display and thumb came with it
    cache.get(sha, original, "thumb")
    cache.get(sha, original, "stamped", stamp=STAMP)
    assert cache.stats == {"decodes": 1, "renders": 4}


def test_variants_from_a_fresh_process_start_from_the_display_copy(cache, upload, tmp_path):
    sha, original = upload
    cache.intake(sha, original)
    later = VariantCache(tmp_path / "derived", CONFIG)
    later.get(sha, original, "stamped", stamp=STAMP)
    assert later.stats == {"renders": 1}  # no decode of the original


def test_derived_files_carry_no_exif_and_are_world_readable(cache, upload):
    sha, original = upload
    for variant in ("display", "thumb", "annotated"):
        path = cache.path(sha, original, variant, MARKUP)
        assert path.stat().st_mode & 0o777 == 0o644
        with Image.open(path) as im:
            assert im.format == "JPEG" and dict(im.getexif()) == {}


def test_stamped_shows_the_markup_when_given_it(cache, upload):
    sha, original = upload
    with Image.open(cache.path(sha, original, "stamped", stamp=STAMP)) as plain, \
            Image.open(cache.path(sha, original, "stamped", MARKUP, STAMP)) as marked, \
            Image.open(cache.path(sha, original, "annotated", MARKUP)) as annotated:
        top = (0, 0, plain.width, plain.height // 2)  # above the band
        assert ImageChops.difference(plain.crop(top), marked.crop(top)).getbbox() is not None
        same = ImageChops.difference(annotated.crop(top), marked.crop(top)).convert("L")
        assert same.getextrema()[1] < 40  # only JPEG noise between the two


def test_original_is_served_as_is(cache, upload):
    sha, original = upload
    variant = cache.get(sha, original, "original")
    assert (variant.path, variant.media_type, variant.etag) == (original, "image/jpeg", sha)


def test_names_and_etags_change_with_what_the_image_shows(cache, upload, tmp_path):
    sha, original = upload
    other_markup = AnnotationsSchema().load({"shapes": [
        {"type": "rect", "points": [[0.1, 0.1], [0.2, 0.2]]}]})
    other_stamp = StampInfo(time=STAMP.time, site="阳光花园", checkpoint="西门",
                            inspector="张伟", gps=STAMP.gps)
    tags = {
        cache.get(sha, original, "annotated", MARKUP).etag,
        cache.get(sha, original, "annotated", other_markup).etag,
        cache.get(sha, original, "stamped", stamp=STAMP).etag,
        cache.get(sha, original, "stamped", stamp=other_stamp).etag,
        cache.get(sha, original, "stamped", MARKUP, STAMP).etag,
        VariantCache(tmp_path / "derived", PhotoConfig(display_long_side=512, thumb_long_side=96,
                                                       jpeg_quality=70))
        .get(sha, original, "annotated", MARKUP).etag,
        VariantCache(tmp_path / "derived", PhotoConfig(display_long_side=512, thumb_long_side=96,
                                                       font_path=str(tmp_path / "none.ttc")))
        .get(sha, original, "annotated", MARKUP).etag,
    }
    assert len(tags) == 7
    assert all(tag.startswith(sha + "-") for tag in tags)
    assert cache.get(sha, original, "annotated", dict(MARKUP)).etag in tags


def test_concurrent_first_requests_generate_once_and_see_whole_files(cache, upload):
    sha, original = upload
    barrier, results, errors = threading.Barrier(8), [], []

    def request():
        barrier.wait()
        try:
            variant = cache.get(sha, original, "annotated", MARKUP)
            with Image.open(variant.path) as im:
                im.load()  # a half-written file would fail here
            results.append(variant)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=request) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and len(set(results)) == 1
    assert cache.stats == {"decodes": 1, "renders": 3}
    assert not [name for name in files_in(results[0].path.parent) if name.endswith(".tmp")]


def test_a_failed_write_leaves_neither_target_nor_temporary_file(tmp_path):
    target = tmp_path / "display-x.jpg"

    def half_then_crash(fh):
        fh.write(b"\xff\xd8\xff half a jpeg")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        VariantCache._atomic_write(target, half_then_crash)
    assert list(tmp_path.iterdir()) == []


def test_refusal_is_remembered_without_decoding_again(cache, tmp_path):
    data = encode(noisy_picture(640, 480))
    cut = data[: len(data) // 2]
    sha = hashlib.sha256(cut).hexdigest()
    original = write(tmp_path, sha, cut)
    with pytest.raises(PhotoRefused) as first:
        cache.intake(sha, original)
    for variant in ("display", "thumb"):
        with pytest.raises(PhotoRefused) as later:
            cache.get(sha, original, variant)
        assert (later.value.reason, later.value.code) == (first.value.reason, "truncated")
    assert cache.stats["decodes"] == 1
    assert not [name for name in files_in(cache.root / sha[:2] / sha)
                if name.startswith(("display", "thumb"))]


def test_refusal_reaches_a_first_get_too(cache, tmp_path):
    sha = "0" * 64
    original = write(tmp_path, sha, b"GIF89a" + b"\x00" * 100)
    with pytest.raises(PhotoRefused, match="unsupported format GIF"):
        cache.get(sha, original, "display")


@pytest.mark.parametrize("sha", ["../../etc/passwd", "AB" * 32, "ab" * 31, "", "g" * 64])
def test_bad_hash_is_refused_before_touching_the_disk(cache, upload, sha):
    with pytest.raises(ValueError, match="sha256"):
        cache.get(sha, upload[1], "display")
    assert not cache.root.exists()


def test_bad_arguments_are_errors(cache, upload):
    sha, original = upload
    with pytest.raises(ValueError, match="unknown variant 'poster'"):
        cache.get(sha, original, "poster")
    with pytest.raises(ValueError, match="needs annotations"):
        cache.get(sha, original, "annotated")
    with pytest.raises(ValueError, match="needs stamp"):
        cache.get(sha, original, "stamped", MARKUP)
    with pytest.raises(ValidationError):
        cache.get(sha, original, "annotated", {"shapes": [{"type": "blob"}]})
    assert not [name for name in files_in(cache.root / sha[:2] / sha)
                if name.startswith("annotated")]
