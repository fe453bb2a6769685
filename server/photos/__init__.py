"""The photo pipeline: intake checks, EXIF facts, derived images. No Flask here.

Photos arrive as verified content-addressed files (named by their sha256) from
the upload store; the original bytes are the evidence and are never modified.
What the HTTP layer calls:

* ``VariantCache(root, config).intake(sha256, original_path, annotations=None,
  stamp=None) -> PhotoInfo`` when an upload completes: all checks, EXIF facts
  (``PhotoInfo.to_record()`` for the photo record), and the display and thumb
  copies (plus annotated/stamped when given) from a single decode. Raises
  ``PhotoRefused(reason, code)``; show ``reason`` to the device for that hash.
* ``VariantCache.get(sha256, original_path, variant, annotations=None,
  stamp=None) -> CachedVariant(path, media_type, etag)`` for
  ``GET /photos/<sha256>?variant=original|display|thumb|annotated|stamped``;
  generates once, atomically; ``path(...)`` is the same returning the Path.
* ``AnnotationsSchema`` (marshmallow) validates the device's markup;
  ``StampInfo`` carries what the watermark band says.
* ``inspect_photo(path, config) -> PhotoInfo`` checks a file without caching.
* ``VariantCache.budget`` (``DecodeBudget``): every decode and render reserves
  its pixels' memory first; ``DecodeBusy(retry_after)`` when none came free.

Global state: see ``intake`` -- Pillow's ``MAX_IMAGE_PIXELS`` is untouched;
one process-wide ``warnings`` filter turns ``DecompressionBombWarning`` into an
error (ensured on every intake, never at import).
"""
from __future__ import annotations

from sync.annotations import (MAX_LABEL_CHARS, MAX_POINTS_PER_SHAPE, MAX_SHAPES, MAX_TOTAL_POINTS,
                          AnnotationsSchema, ShapeSchema)
from .budget import DecodeBudget, DecodeBusy
from .cache import VARIANTS, CachedVariant, VariantCache
from .config import DEFAULT_FONT_PATH, PhotoConfig
from .exif import ExifFacts, GpsFix
from .info import PhotoInfo, PhotoInfoSchema
from .intake import PhotoRefused, inspect_photo
from .stamp import StampInfo

__all__ = [
    "AnnotationsSchema", "CachedVariant", "DecodeBudget", "DecodeBusy", "DEFAULT_FONT_PATH", "ExifFacts", "GpsFix",
    "MAX_LABEL_CHARS", "MAX_POINTS_PER_SHAPE", "MAX_SHAPES", "MAX_TOTAL_POINTS", "PhotoConfig",
    "PhotoInfo", "PhotoInfoSchema", "PhotoRefused", "ShapeSchema", "StampInfo", "VARIANTS",
    "VariantCache", "inspect_photo",
]
