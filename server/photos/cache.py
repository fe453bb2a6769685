"""Derived images on disk: generated once, named by everything they depend on.

``VariantCache`` is what the HTTP layer calls. ``get()`` returns the path,
media type and ETag of a variant, generating it on first request; the route
only has to serve the file (with Range support) and ``Cache-Control:
immutable``, because a file name never changes meaning:

* layout ``<root>/<sha[:2]>/<sha>/<variant>-<recipe>.jpg``, where ``recipe`` is
  a hash of the render version, the relevant ``PhotoConfig`` values, the font
  (and whether it loaded), and the markup or stamp drawn. Change any of those
  and a new file is made; the ETag is ``<sha>-<variant>-<recipe>``;
* each file is written to a temporary name in the same directory, fsynced and
  ``os.replace``d, so a reader sees the whole file or none of it, even after a
  crash;
* generation for one photo holds an ``flock`` on ``<dir>/.lock`` (which also
  excludes threads: each call opens its own file description), so concurrent
  first requests produce the file once and the others find it done;
* all derived variants come from the display copy. If it is not on disk yet
  the original is decoded once (full intake checks) and both display and
  thumb are written on the way;
* a refusal is remembered (``refused-<recipe>.json``) so a bad file is not
  decoded again on every request;
* every decode and every render reserves its memory in ``budget`` first (one
  reservation at a time, never nested, so waiters cannot deadlock), and
  raises ``DecodeBusy`` when no room came within the configured wait.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import tempfile
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Callable, Iterator, Mapping

from PIL import Image

from sync.annotations import markup_digest
from .budget import DecodeBudget
from .config import RENDER_VERSION, PhotoConfig
from .derive import Derivation
from .fonts import FontBook
from .info import PhotoInfo
from .intake import ALLOWED_FORMATS, DecodedPhoto, PhotoRefused, decode_for_display
from .sniff import media_type_of
from .stamp import StampInfo
from .weasyprint_loader import settle_before_decoding

VARIANTS = ("original", "display", "thumb", "annotated", "stamped")
DERIVED_MEDIA_TYPE = "image/jpeg"
_SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True, slots=True)
class CachedVariant:
    """A file ready to serve. ``etag`` is the strong entity tag without quotes."""

    path: Path
    media_type: str
    etag: str


class VariantCache:
    """Derived copies of content-addressed photos under ``root``."""

    def __init__(self, root: str | os.PathLike[str], config: PhotoConfig | None = None):
        self.root = Path(root)
        self.config = config or PhotoConfig()
        self.fonts = FontBook(self.config)
        #: Shared by every decode and render of this cache (``budget``).
        self.budget = DecodeBudget(self.config.decode_memory,
                                   wait_seconds=self.config.decode_wait_seconds)
        #: ``decodes`` of originals and ``renders`` of variant files, for tests and benchmarks.
        self.stats: Counter[str] = Counter()

    def intake(self, sha256: str, original: str | os.PathLike[str],
               annotations: Mapping[str, Any] | None = None,
               stamp: StampInfo | None = None) -> PhotoInfo:
        """Check a completed upload and make its variants from one decode.

        Writes display and thumb, plus annotated/stamped when their data is
        given. Returns the facts for the photo record, or raises
        ``PhotoRefused`` (remembered for later requests).
        """
        folder = self._folder(sha256)
        _check_stamp(stamp)
        self._raise_if_refused(folder)
        with self._locked(folder):
            decoded = self._decode_original(folder, original)
            with self.budget.reserve(self._render_bytes()):
                derivation = Derivation(lambda: decoded.display, self.config, self.fonts,
                                        annotations, stamp)
                for variant in VARIANTS[1:]:
                    if self._inputs_present(variant, annotations, stamp):
                        self._ensure(folder, variant, derivation, annotations, stamp)
        return decoded.info

    def get(self, sha256: str, original: str | os.PathLike[str], variant: str,
            annotations: Mapping[str, Any] | None = None,
            stamp: StampInfo | None = None) -> CachedVariant:
        """The file of ``variant``, generated on first use.

        ``annotations`` (``AnnotationsSchema`` data) is required for
        ``annotated`` and optional for ``stamped`` (drawn under the stamp);
        ``stamp`` is required for ``stamped``. Raises ``PhotoRefused`` for a
        refused original, ``ValueError`` for a bad argument, and marshmallow's
        ``ValidationError`` for bad markup.
        """
        if variant not in VARIANTS:
            raise ValueError(f"unknown variant {variant!r}; expected one of {', '.join(VARIANTS)}")
        folder = self._folder(sha256)
        _check_stamp(stamp)
        if variant == "original":
            return CachedVariant(Path(original), media_type_of(original), sha256)
        if not self._inputs_present(variant, annotations, stamp):
            needed = "annotations" if variant == "annotated" else "stamp"
            raise ValueError(f"variant {variant!r} needs {needed}")
        name = self._file_name(variant, annotations, stamp)
        target = folder / name
        if not target.exists():
            self._raise_if_refused(folder)
            with self._locked(folder):
                self._raise_if_refused(folder)  # another request may have just found out
                decoded = self._decode_unless_displayed(folder, original)
                # Reserved after the decode released its share: never two at once,
                # so a waiter never holds memory another waiter needs.
                with self.budget.reserve(self._render_bytes()):
                    source = (lambda: decoded) if decoded is not None else \
                        (lambda: self._read_display(folder))
                    derivation = Derivation(source, self.config, self.fonts, annotations, stamp)
                    self._ensure(folder, variant, derivation, annotations, stamp)
        return CachedVariant(target, DERIVED_MEDIA_TYPE, f"{sha256}-{name.removesuffix('.jpg')}")

    def path(self, sha256: str, original: str | os.PathLike[str], variant: str,
             annotations: Mapping[str, Any] | None = None,
             stamp: StampInfo | None = None) -> Path:
        """Shorthand for ``get(...).path``."""
        return self.get(sha256, original, variant, annotations, stamp).path

    # -- generation ---------------------------------------------------------

    def _ensure(self, folder: Path, variant: str, derivation: Derivation,
                annotations: Mapping[str, Any] | None, stamp: StampInfo | None) -> None:
        """Write ``variant`` unless present; the caller holds the folder lock."""
        target = folder / self._file_name(variant, annotations, stamp)
        if target.exists():
            return
        image = derivation.image(variant)
        if not target.exists():  # making the display copy also writes display and thumb
            self._write_jpeg(image, target)

    def _decode_unless_displayed(self, folder: Path,
                                 original: str | os.PathLike[str]) -> Image.Image | None:
        """Without a display copy on disk: decode the original (writing display and
        thumb) and return the display image; with one, None (read it when needed)."""
        if (folder / self._file_name("display", None, None)).exists():
            return None
        decoded = self._decode_original(folder, original)
        with self.budget.reserve(self._render_bytes()):
            by_product = Derivation(lambda: decoded.display, self.config, self.fonts)
            self._ensure(folder, "thumb", by_product, None, None)
        return decoded.display

    def _read_display(self, folder: Path) -> Image.Image:
        settle_before_decoding()  # a display copy cut short must fail, not render half
        with Image.open(folder / self._file_name("display", None, None), formats=["JPEG"]) as im:
            im.load()
            return im.copy()

    def _render_bytes(self) -> int:
        """What making derived variants holds at once: the display image read
        back, plus the annotated and stamped copies and the stamp band, at
        4 bytes a pixel (Pillow's RGB)."""
        side = self.config.display_long_side
        return 4 * side * side * 4

    def _decode_original(self, folder: Path, original: str | os.PathLike[str]) -> DecodedPhoto:
        self.stats["decodes"] += 1
        try:
            decoded = decode_for_display(original, self.config, self.budget)
        except PhotoRefused as refusal:
            memo = {"reason": refusal.reason, "code": refusal.code}
            self._atomic_write(folder / self._refusal_name(),
                               lambda fh: fh.write(json.dumps(memo).encode()))
            raise
        target = folder / self._file_name("display", None, None)
        if not target.exists():
            self._write_jpeg(decoded.display, target)
        return decoded

    def _write_jpeg(self, image: Image.Image, target: Path) -> None:
        icc = image.info.get("icc_profile")
        self._atomic_write(target, lambda fh: image.save(
            fh, "JPEG", quality=self.config.jpeg_quality, icc_profile=icc))
        self.stats["renders"] += 1

    @staticmethod
    def _atomic_write(target: Path, write: Callable[[BinaryIO], Any]) -> None:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        try:
            os.fchmod(fd, 0o644)  # mkstemp makes 0600; a front proxy may serve these files
            with os.fdopen(fd, "wb") as fh:
                write(fh)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    # -- naming ---------------------------------------------------------------

    def _file_name(self, variant: str, annotations: Mapping[str, Any] | None,
                   stamp: StampInfo | None) -> str:
        cfg = self.config
        parts: list[Any] = [RENDER_VERSION, cfg.display_long_side, cfg.display_min_fraction,
                            cfg.jpeg_quality]
        if variant == "thumb":
            parts.append(cfg.thumb_long_side)
        if variant in ("annotated", "stamped"):
            parts += [cfg.font_path, cfg.font_index, self.fonts.has_cjk_font,
                      markup_digest(annotations) if annotations is not None else None]
        if variant == "stamped" and stamp is not None:
            parts.append(stamp.digest())
        recipe = hashlib.sha256(json.dumps([variant, *parts]).encode()).hexdigest()[:16]
        return f"{variant}-{recipe}.jpg"

    def _refusal_name(self) -> str:
        parts = [RENDER_VERSION, self.config.max_pixels, list(ALLOWED_FORMATS)]
        return f"refused-{hashlib.sha256(json.dumps(parts).encode()).hexdigest()[:16]}.json"

    def _raise_if_refused(self, folder: Path) -> None:
        try:
            memo = json.loads((folder / self._refusal_name()).read_bytes())
        except FileNotFoundError:
            return
        raise PhotoRefused(memo["reason"], memo["code"])

    def _folder(self, sha256: str) -> Path:
        if not isinstance(sha256, str) or not _SHA256.fullmatch(sha256):
            raise ValueError("sha256 must be 64 lowercase hex digits")
        return self.root / sha256[:2] / sha256

    @staticmethod
    def _inputs_present(variant: str, annotations: Any, stamp: Any) -> bool:
        return ((variant != "annotated" or annotations is not None)
                and (variant != "stamped" or stamp is not None))

    @staticmethod
    @contextmanager
    def _locked(folder: Path) -> Iterator[None]:
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / ".lock", "a+b") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)


def _check_stamp(stamp: Any) -> None:
    if stamp is not None and not isinstance(stamp, StampInfo):
        raise ValueError("stamp must be a StampInfo")
