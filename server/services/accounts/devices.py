"""Devices: per-install bearer tokens obtained with a user's credentials.

A device logs in once with its user's username and password and receives a
random token, shown once. Only the token's sha256 is stored (a leaked store
does not leak usable tokens; a high-entropy token needs no slow hash). A
device can be revoked; its user can be disabled; either makes the token
answer 401 from the next request on.

"Last seen" is recorded at most once per ``touch_interval`` so a busy device
does not turn every read into a store write.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from server.services.errors import Invalid, Unauthenticated
from server.services.paging import read_page
from server.store import Page, Put, Store
from server.store.base import Reader

from checklists.actors import Actor
from .records import from_text, get_doc, new_id, to_text, utc_now
from .users import USERS, actor_of

DEVICES = "devices"
TOKEN_PREFIX = "fsd_"
NAME_MAX = 100


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _install_key(user_id: str, install_id: str) -> str:
    return f"{user_id}/{install_id}"


def device_put(doc: dict) -> Put:
    """The write of a device record: active ones indexed by token (and install),
    revoked ones only listed."""
    index = {"user": (doc["user_id"], doc["created_at"] + doc["id"]),
             "all": ("all", doc["created_at"] + doc["id"])}
    if doc["revoked_at"] is None:
        index["token"] = (doc["token_hash"], "")
        if doc["install_id"]:
            index["install"] = (_install_key(doc["user_id"], doc["install_id"]), "")
    return Put(DEVICES, doc["id"], doc, bucket=None, index=index)


def register_device(store: Store, user: dict, *, name: str, install_id: str | None = None,
                    now: datetime | None = None) -> tuple[dict, str]:
    """Issue a token for a new device of ``user``; return (device, token).

    Logging in again from the same install (same ``install_id``) revokes that
    install's previous token in the same commit, so stale tokens do not pile up.
    """
    if not name or not name.strip() or len(name) > NAME_MAX:
        raise Invalid({"device_name": [f"Give a name of 1-{NAME_MAX} characters."]})
    stamp = to_text(now or utc_now())
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    doc = {"id": new_id(), "user_id": user["id"], "name": name.strip(),
           "install_id": install_id or None, "token_hash": token_hash(token),
           "created_at": stamp, "last_seen_at": stamp, "revoked_at": None}
    with store.transaction() as tx:
        ops = [device_put(doc)]
        if install_id:
            for old in tx.list(DEVICES, "install", _install_key(user["id"], install_id),
                               limit=1000).items:
                ops.append(device_put({**old.doc, "revoked_at": stamp}))
        tx.commit(ops)
    return doc, token


def authenticate_token(store: Store, token: str, *, touch_interval: timedelta,
                       now: datetime | None = None) -> Actor:
    """The actor behind a device token, else ``Unauthenticated``."""
    now = now or utc_now()
    with store.snapshot() as snap:  # one read transaction for both lookups
        page = snap.list(DEVICES, "token", token_hash(token), limit=1)
        if not page.items:
            raise Unauthenticated("unknown or revoked device token")
        device = page.items[0].doc
        user = snap.get(USERS, device["user_id"])
    if user is None or user.doc["disabled"]:
        raise Unauthenticated("this account is disabled")
    if now - from_text(device["last_seen_at"]) >= touch_interval:
        _touch(store, device["id"], now)
    return actor_of(dict(user.doc), device_id=device["id"])


def _touch(store: Store, device_id: str, now: datetime) -> None:
    """Record last-seen, unless revoked meanwhile (re-read inside the transaction)."""
    with store.transaction() as tx:
        rec = tx.get(DEVICES, device_id)
        if rec is None or rec.doc["revoked_at"] is not None:
            return
        tx.commit([device_put({**rec.doc, "last_seen_at": to_text(now)})])


def get_device(store: Store, device_id: str) -> dict:
    return get_doc(store, DEVICES, device_id, "device")


def list_devices(store: Store, *, user_id: str | None = None, cursor: str | None = None,
                 limit: int = 50) -> Page:
    """Devices newest first -- all of them, or one user's."""
    index, key = ("user", user_id) if user_id else ("all", "all")
    return read_page(store, DEVICES, index, key, cursor=cursor, limit=limit, descending=True)


def revoke_all(reader: Reader, user_id: str, stamp: str) -> list[Put]:
    """The writes revoking every active device of a user (for a transaction to commit)."""
    ops, after = [], None
    while True:
        page = reader.list(DEVICES, "user", user_id, after=after, limit=500)
        ops += [device_put({**rec.doc, "revoked_at": stamp}) for rec in page.items
                if rec.doc["revoked_at"] is None]
        if page.next_cursor is None:
            return ops
        after = page.next_cursor


def revoke_device(store: Store, device_id: str, *, now: datetime | None = None) -> dict:
    """Revoke a device's token at once; revoking twice keeps the first time."""
    with store.transaction() as tx:
        doc = get_doc(tx, DEVICES, device_id, "device")
        if doc["revoked_at"] is not None:
            return doc
        doc["revoked_at"] = to_text(now or utc_now())
        tx.commit([device_put(doc)])
    return doc
