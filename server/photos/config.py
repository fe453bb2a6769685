"""Settings of the photo pipeline, in one immutable value.

Everything a deployment may want to tune lives here so the pipeline functions
take one argument instead of reading Flask config or module globals; the app
builds a ``PhotoConfig`` from its own settings once and hands it in.
"""
from __future__ import annotations

from dataclasses import dataclass

#: Debian/Ubuntu package ``fonts-wqy-microhei`` installs its one font here.
DEFAULT_FONT_PATH = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"

#: Bump when the rendering of derived images changes, so cached copies (whose
#: names carry this) are regenerated instead of served stale forever.
RENDER_VERSION = 1


@dataclass(frozen=True, slots=True)
class PhotoConfig:
    """Limits and output settings for photo intake and derived images.

    ``max_pixels`` is our own ceiling, checked from the header before any pixel
    is decoded (50 MP covers every current phone camera in its default mode).

    ``display_min_fraction`` is what keeps the pipeline to one cheap decode: a
    JPEG can be decoded directly at 1/2, 1/4 or 1/8 scale (DCT scaling), which
    costs about half of a full decode. A 12 MP photo (4000 px) at 1/2 is 2000 px,
    just short of a 2048 px display size, so we accept a reduced decode whose
    long side is at least this fraction of ``display_long_side`` and use it as is
    (never upscaled). Set it to 1.0 for exactly 2048 px at roughly 2.5x the cost.
    """

    max_pixels: int = 50_000_000
    display_long_side: int = 2048
    thumb_long_side: int = 320
    display_min_fraction: float = 0.9
    jpeg_quality: int = 85
    font_path: str | None = DEFAULT_FONT_PATH
    #: Face inside a font collection (.ttc): 0 is "WenQuanYi Micro Hei"; for
    #: Noto CJK pick the index whose ``getname()`` is "Noto Sans CJK SC".
    font_index: int = 0
    #: Decoded pixels held at once by all decodes and renders (``budget``), and
    #: how long one waits for room before the request gets 503 + Retry-After.
    decode_memory: int = 1 << 30
    decode_wait_seconds: float = 30.0

    def __post_init__(self) -> None:
        problems = []
        if self.max_pixels < 1:
            problems.append("max_pixels must be positive")
        if not 16 <= self.thumb_long_side <= self.display_long_side:
            problems.append("thumb_long_side must be between 16 and display_long_side")
        if not 0.5 <= self.display_min_fraction <= 1.0:
            problems.append("display_min_fraction must be between 0.5 and 1.0")
        if not 1 <= self.jpeg_quality <= 95:
            problems.append("jpeg_quality must be between 1 and 95")
        if self.decode_memory < 1:
            problems.append("decode_memory must be positive")
        if self.decode_wait_seconds < 0:
            problems.append("decode_wait_seconds must not be negative")
        if self.font_index < 0:
            problems.append("font_index must not be negative")
        if problems:
            raise ValueError("invalid PhotoConfig: " + "; ".join(problems))

    @property
    def max_megapixels_label(self) -> str:
        """``50 MP`` -- the ceiling as people say it, for refusal reasons."""
        return f"{self.max_pixels / 1_000_000:g} MP"
