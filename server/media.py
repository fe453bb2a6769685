"""The app's photo resources: the upload store and the cache of derived images.

Both live under the data directory: ``photos/`` holds the originals named by
their sha256 (the evidence, never modified), ``photos-derived/`` the
display, thumbnail, annotated and stamped copies, which can be deleted at
any time and are regenerated on demand.
"""
from __future__ import annotations

import os

from flask import Flask, current_app

from server.photos import PhotoConfig, VariantCache
from server.uploads import UploadStore

UPLOADS_KEY = "fieldsync.uploads"
VARIANTS_KEY = "fieldsync.variants"


def init_app(app: Flask) -> None:
    """Open the photo stores; finish media bookkeeping a crash may have cut short."""
    from server.extensions import STORE_KEY
    from server.services.photos import finish_upload
    from server.services.sync_service import reconcile_media

    data = app.config["DATA_DIR"]
    uploads = UploadStore(os.path.join(data, "photos"), max_bytes=app.config["PHOTO_MAX_BYTES"])
    app.extensions[UPLOADS_KEY] = uploads
    config = PhotoConfig(max_pixels=app.config["PHOTO_MAX_PIXELS"],
                         font_path=app.config["PHOTO_FONT_PATH"],
                         decode_memory=app.config["PHOTO_DECODE_MEMORY"],
                         decode_wait_seconds=app.config["PHOTO_DECODE_WAIT_SECONDS"])
    variants = VariantCache(os.path.join(data, "photos-derived"), config)
    app.extensions[VARIANTS_KEY] = variants
    store = app.extensions[STORE_KEY]
    reconcile_media(store, uploads, lambda sha256: finish_upload(store, uploads, variants,
                                                                  sha256))


def get_uploads() -> UploadStore:
    return current_app.extensions[UPLOADS_KEY]


def get_variants() -> VariantCache:
    return current_app.extensions[VARIANTS_KEY]
