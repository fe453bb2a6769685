"""The device side of sync protocol v1: a library a field device runs, and its CLI.

Use::

    from sync.client import DeviceClient, HttpTransport

    device = DeviceClient("~/.fieldsync-device", HttpTransport("https://fs.example"))
    device.login("guard1", "secret", "Gate phone")
    device.pull()                                    # definitions, tickets, results
    receipt = device.fill("fire-check", None, answers, photos=["door.jpg"], site_id="NHG-01")
    receipt.preview["total"]                         # the score the server will compute
    device.sync(on_progress=print)                   # push, upload photos, pull;
                                                     # SyncProgress(changes_sent, ...)
    device.status()                                  # outbox, photo bytes left, rejected

Every step is safe to interrupt and repeat (DESIGN §3, anchors-sync §4.9).
``fieldsync device ...`` (``sync.client.cli.device``) is the same from a shell.
"""
from .device import DeviceClient
from .errors import (DeviceError, InvalidInput, LoginFailed, NotLoggedIn, ServerError,
                     ServerUnreachable, UnknownDefinition, UpgradeRequired)
from .fill import FillReceipt, PhotoInput
from .progress import SyncProgress
from .transport import HttpTransport, Transport

__all__ = ["DeviceClient", "DeviceError", "FillReceipt", "HttpTransport", "InvalidInput",
           "LoginFailed", "NotLoggedIn", "PhotoInput", "ServerError", "ServerUnreachable",
           "SyncProgress", "Transport", "UnknownDefinition", "UpgradeRequired"]
