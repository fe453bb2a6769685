"""Who this device is logged in as, and where its server is (``session.json``).

The file holds the bearer token, so it is written atomically with mode 0600.
``install_id`` is generated once per data dir and sent at every login, so
logging in again from this install revokes its previous token on the server.
"""
from __future__ import annotations

import os
import uuid

import orjson

from .errors import DeviceError, NotLoggedIn
from .storage import write_atomic


class Session:
    def __init__(self, path: str):
        self.path = path
        self.data = self._load()
        if not self.data.get("install_id"):
            self.data["install_id"] = uuid.uuid4().hex
            self._save()

    def _load(self) -> dict:
        try:
            with open(self.path, "rb") as fh:
                return orjson.loads(fh.read())
        except FileNotFoundError:
            return {}
        except orjson.JSONDecodeError:
            raise DeviceError(f"{self.path} is damaged; log in again after moving it "
                              "aside") from None

    def _save(self) -> None:
        write_atomic(self.path, orjson.dumps(self.data, option=orjson.OPT_INDENT_2), mode=0o600)
        os.chmod(self.path, 0o600)

    def update(self, **values) -> None:
        self.data.update(values)
        self._save()

    @property
    def install_id(self) -> str:
        return self.data["install_id"]

    @property
    def server_url(self) -> str | None:
        return self.data.get("server_url")

    @property
    def token(self) -> str | None:
        return self.data.get("token")

    @property
    def user(self) -> dict | None:
        return self.data.get("user")

    @property
    def sites(self) -> list[dict]:
        return self.data.get("sites") or []

    def require_login(self) -> None:
        if not self.token:
            raise NotLoggedIn("not logged in: run `fieldsync device login URL` first")
