"""The font for labels and stamps, with a fallback that never crashes a render.

Labels and stamps are mostly Chinese, and Pillow's bundled font has no CJK
glyphs, so a CJK font file is configured (``PhotoConfig.font_path``; Debian
package ``fonts-wqy-microhei``). When that file is missing or unreadable we log
one clear warning per path and render with Pillow's default font: Latin text
stays readable, Chinese shows as boxes, and the photo is still served.
"""
from __future__ import annotations

import logging
import threading
from functools import lru_cache

from PIL import ImageFont

from .config import PhotoConfig

log = logging.getLogger(__name__)

AnyFont = ImageFont.FreeTypeFont | ImageFont.ImageFont
_warned_paths: set[str | None] = set()
_warned_lock = threading.Lock()


class FontBook:
    """Fonts of one configured face at any pixel size, cached."""

    def __init__(self, config: PhotoConfig):
        self._path, self._index = config.font_path, config.font_index

    @property
    def has_cjk_font(self) -> bool:
        """Whether the configured font loaded (so Chinese renders as Chinese)."""
        return _load(self._path, self._index, 12) is not None

    def get(self, size: int) -> AnyFont:
        """The configured font at ``size`` px, or Pillow's default font if it is missing."""
        size = max(6, int(size))
        return _load(self._path, self._index, size) or _fallback(self._path, size)

    def renderable(self, text: str, font: AnyFont) -> str:
        """``text`` as the font can draw it: the bitmap fallback (Pillow built
        without FreeType) only encodes Latin-1, so other characters become '?'."""
        if isinstance(font, ImageFont.FreeTypeFont):
            return text
        return text.encode("latin-1", "replace").decode("latin-1")


# Font objects are shared between threads. FreeType faces are not thread-safe,
# but Pillow holds the GIL while it uses one (and locks it on free-threaded
# builds since 12.2, python-pillow/Pillow#9498), so sharing is safe.
@lru_cache(maxsize=64)
def _load(path: str | None, index: int, size: int) -> ImageFont.FreeTypeFont | None:
    if not path:
        return None
    try:
        return ImageFont.truetype(path, size, index=index)
    except (OSError, ValueError):
        return None


@lru_cache(maxsize=64)
def _fallback(path: str | None, size: int) -> AnyFont:
    with _warned_lock:
        first = path not in _warned_paths
        _warned_paths.add(path)
    if first:
        log.warning(
            "CJK font not found or unreadable at %r: photo labels and stamps fall back to "
            "Pillow's default font, so Chinese text renders as boxes. Install the Debian "
            "package fonts-wqy-microhei or set PhotoConfig.font_path.", path)
    return ImageFont.load_default(size)
