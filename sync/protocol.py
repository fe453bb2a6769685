"""The protocol's version and the window of device data schemas this server speaks.

``schema_version`` is the shape of the records a device app understands.
The server serves pulls to apps from ``SCHEMA_MIN`` to ``SCHEMA_MAX``: an
older app would misread what it pulls, so its pull is answered 426
``upgrade_required`` (``check_pull_schema``). Its *push* is still taken when
it parses -- field data must never be stranded on a device because the app
is old (anchors-sync §4.4). A version above ``SCHEMA_MAX`` comes from an app
newer than the server and is refused as invalid input (422), since the
server cannot know what it means.

Raise ``SCHEMA_MIN`` only together with a release of the app; the device
client's ``SCHEMA_VERSION`` must stay within the window (a unit test holds
it there).
"""
from __future__ import annotations

from .errors import UpgradeRequired

PROTOCOL = 1
SCHEMA_MIN = 1
SCHEMA_MAX = 1


def check_pull_schema(schema_version: int) -> None:
    """Raise ``UpgradeRequired`` (426) for an app too old to read what a pull sends."""
    if schema_version < SCHEMA_MIN:
        raise UpgradeRequired(schema_version, SCHEMA_MIN)


def schema_window() -> dict:
    return {"min": SCHEMA_MIN, "max": SCHEMA_MAX}
