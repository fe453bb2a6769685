"""What bench/web.py adds to the scale store: a supervisor of its 20 sites and a
result with 20 photos.

WHY here and not a store of its own: the 1M results are ``scale_store``'s
(tens of minutes to build), so the web bench reuses that data dir and adds
only these, once (``web.json`` marks them done). The photo result is pushed
and its photos uploaded the way a device does (push, then one PATCH per
photo), so its media, photo records and holders are the server's own. It is
stamped with today's receive time, outside ``scale.py``'s 24 months, so
that bench's figures do not move.
"""
from __future__ import annotations

import hashlib
import io
import random
from pathlib import Path

import orjson
from PIL import Image

from server.extensions import STORE_KEY
from server.services.accounts import users
from sync.placement import RESULTS

from .ours import ITEMS, result_args
from .scale_store import SCALE_DEFINITION

SUPERVISOR, PASSWORD = "bench-supervisor", "correct horse battery"
PHOTO_RESULT, PHOTOS = "bench-web-20-photos", 20
MARKUP = {"shapes": [{"type": "arrow", "points": [[0.2, 0.2], [0.5, 0.45]]},
                     {"type": "text", "points": [[0.52, 0.47]], "text": "裂缝"}]}


def photo_jpeg(n: int, size=(1600, 1200)) -> bytes:
    """A phone-like JPEG (noise over a colour gradient, ~0.5 MB), different for each ``n``."""
    rng = random.Random(n)
    base = Image.linear_gradient("L").resize(size).convert("RGB")
    tint = Image.new("RGB", size, tuple(rng.randrange(60, 200) for _ in range(3)))
    noise = Image.effect_noise(size, 40 + n).convert("RGB")
    picture = Image.blend(Image.blend(base, tint, 0.5), noise, 0.3)
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=85)
    return out.getvalue()


def prepare(app, info: dict, where: Path, device_class) -> dict:
    """Add the supervisor and the photo result to the store at ``where`` (once);
    ``device_class`` is ``sync_cpu.InProcessDevice`` (a device over the test client)."""
    marker = where / "web.json"
    if marker.exists():
        return orjson.loads(marker.read_bytes())
    store = app.extensions[STORE_KEY]
    if users.find_user(store, SUPERVISOR) is None:
        users.create_user(store, username=SUPERVISOR, password=PASSWORD, role="supervisor",
                          site_ids=info["sites"], hash_method="pbkdf2:sha256:1000")
    client, site = app.test_client(), info["sites"][0]
    pictures = [photo_jpeg(n) for n in range(PHOTOS)]
    if store.get(RESULTS, PHOTO_RESULT) is None:
        args = {**result_args(site, 4096), "result_id": PHOTO_RESULT,
                "checklist": {"id": SCALE_DEFINITION["id"], "version": 1},
                "photos": [{"sha256": hashlib.sha256(p).hexdigest(),
                            "item": ITEMS[n % len(ITEMS)],
                            **({"annotations": MARKUP} if n % 2 else {})}
                           for n, p in enumerate(pictures)]}
        device_class(client, info["token"], site).push([args])
    for picture in pictures:
        _upload(client, info["token"], picture)
    extras = {"supervisor": SUPERVISOR, "password": PASSWORD, "photo_result": PHOTO_RESULT}
    marker.write_bytes(orjson.dumps(extras))
    return extras


def _upload(client, token: str, data: bytes) -> None:
    """One PATCH of the whole photo; a 503 (decode budget busy) is sent again."""
    for _attempt in range(10):
        response = client.patch(
            f"/api/v1/photos/{hashlib.sha256(data).hexdigest()}", data=data,
            headers={"Authorization": f"Bearer {token}", "Upload-Offset": "0",
                     "Upload-Length": str(len(data)),
                     "Content-Type": "application/offset+octet-stream"})
        if response.status_code in (200, 204, 409):  # 409: there already (a rerun)
            return
        if response.status_code != 503:
            raise RuntimeError(f"photo upload: {response.status_code} {response.data[:300]!r}")
    raise RuntimeError("photo upload: the server stayed busy")
