"""Device tests: the real app and store (tests/conftest.py), a published checklist,
and ``DeviceClient``s on their own data dirs talking through ``FlaskTransport``."""
from __future__ import annotations

import hashlib
import io

import pytest
from PIL import Image

from server.services import definitions
from sync.client import DeviceClient
from tests.conftest import PASSWORD

from .transports import FlaskTransport

DEFINITION = {
    "id": "daily-round", "version": 1, "kind": "inspection",
    "title": {"zh": "日常巡查", "en": "Daily round"},
    "sections": [{"id": "env", "title": {"zh": "环境", "en": "Environment"}, "items": [
        {"id": "env.clean", "type": "check", "label": {"zh": "地面清洁", "en": "Floor clean"},
         "points": 5, "deduction": {"min": 1, "max": 1}},
        {"id": "env.lights", "type": "check", "label": {"zh": "照明", "en": "Lights"},
         "points": 5, "deduction": {"min": 1, "max": 1}},
    ]}],
}
PASS = {"env.clean": {"value": "pass"}, "env.lights": {"value": "pass"}}


def jpeg_bytes(seed: int = 0, size=(64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (seed % 256, (seed * 7) % 256, 90)).save(out, "JPEG")
    return out.getvalue()


def noisy_jpeg(size=(400, 300), seed: int = 1) -> bytes:
    """A JPEG of random pixels: large enough (~100 KB+) for many small chunks."""
    import random
    rng = random.Random(seed)
    pixels = rng.randbytes(size[0] * size[1] * 3)
    img = Image.frombytes("RGB", size, pixels)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=95)
    return out.getvalue()


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def published(app_store):
    return definitions.install(app_store, DEFINITION, by="test")


@pytest.fixture
def transport(client):
    return FlaskTransport(client)


@pytest.fixture
def make_device(tmp_path, team, published):
    """``make_device(name, transport=..., user="guard")``: a logged-in device."""
    def make(name="phone", transport=None, *, username="guard-a", **kw):
        device = DeviceClient(str(tmp_path / f"device-{name}"), transport, sleep=lambda s: None,
                              **kw)
        device.login(username, PASSWORD, f"test {name}")
        return device
    return make


@pytest.fixture
def device(make_device, transport):
    return make_device("phone", transport)
