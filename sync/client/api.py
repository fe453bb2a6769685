"""The server's sync endpoints as Python calls, over any ``Transport``.

Each call returns the decoded body of a success and turns the statuses the
client cannot act on into ``DeviceError``s with the server's message:
401 means the token is gone (log in again), 5xx and a broken connection
mean "try again later". Statuses the sync loop handles itself (409 gap,
upload 409/460/422) come back as ``ApiAnswer`` for the caller to decide.
"""
from __future__ import annotations

import base64
import hashlib
import time
from dataclasses import dataclass
from typing import Callable

from .errors import LoginFailed, NotLoggedIn, ServerError, ServerUnreachable, UpgradeRequired
from .transport import Transport, json_body

PREFIX = "/api/v1"
OCTETS = "application/offset+octet-stream"
#: Photo uploads speak tus 1.0.0 (the server answers 412 to another version).
TUS_RESUMABLE = {"Tus-Resumable": "1.0.0"}


@dataclass(frozen=True, slots=True)
class ApiAnswer:
    status: int
    headers: dict
    body: object

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    def header_int(self, name: str) -> int | None:
        value = self.headers.get(name.lower())
        try:
            return int(value) if value is not None else None
        except ValueError:
            return None


def _message(answer: ApiAnswer) -> str:
    body = answer.body if isinstance(answer.body, dict) else {}
    return str(body.get("message") or body.get("error") or f"HTTP {answer.status}")


class ServerApi:
    """Authenticated calls with bounded retries of 503 (nothing was committed then)."""

    def __init__(self, transport: Transport, token: str | None = None, *,
                 retries: int = 4, sleep: Callable[[float], None] = time.sleep,
                 max_wait: float = 30.0):
        self.transport, self.token = transport, token
        self.retries, self.sleep, self.max_wait = retries, sleep, max_wait

    def _send(self, method: str, path: str, *, json=None, data=None, headers=None,
              auth: bool = True) -> ApiAnswer:
        hdrs = dict(headers or {})
        if auth:
            if not self.token:
                raise NotLoggedIn("not logged in: run `fieldsync device login URL` first")
            hdrs["Authorization"] = f"Bearer {self.token}"
        for attempt in range(self.retries + 1):
            status, rh, raw = self.transport.request(method, PREFIX + path, json=json,
                                                     data=data, headers=hdrs)
            answer = ApiAnswer(status, {k.lower(): v for k, v in rh.items()}, json_body(raw))
            if status in (502, 503, 504) and attempt < self.retries:
                self.sleep(self._wait(answer, attempt))
                continue
            break
        if status == 401 and auth:
            raise NotLoggedIn(f"the server refused this device's token ({_message(answer)}); "
                              "log in again")
        if status == 426:
            body = answer.body if isinstance(answer.body, dict) else {}
            raise UpgradeRequired(f"upgrade the app: this version is too old for the server "
                                  f"(it needs data schema {body.get('min', '?')} or newer). "
                                  f"Your unsent work is kept and will be sent after the upgrade.",
                                  status=426, body=body)
        if status >= 500:
            raise ServerUnreachable(f"the server could not take the request now "
                                    f"({_message(answer)}); nothing was lost, try again later")
        return answer

    def _wait(self, answer: ApiAnswer, attempt: int) -> float:
        retry_after = answer.header_int("Retry-After")
        wait = retry_after if retry_after is not None else 0.5 * 2 ** attempt
        return min(float(wait), self.max_wait)

    @staticmethod
    def expect(answer: ApiAnswer, *ok: int) -> dict:
        if answer.status not in ok:
            raise ServerError(f"server answered {answer.status}: {_message(answer)}",
                              status=answer.status, body=answer.body)
        return answer.body if isinstance(answer.body, dict) else {}

    # -- endpoints ---------------------------------------------------------------
    def device_login(self, username: str, password: str, device_name: str,
                     install_id: str) -> dict:
        answer = self._send("POST", "/auth/device-login", auth=False, json={
            "username": username, "password": password, "device_name": device_name,
            "install_id": install_id})
        if answer.status in (401, 429):
            raise LoginFailed(f"login refused: {_message(answer)}")
        return self.expect(answer, 200, 201)

    def push(self, body: dict) -> ApiAnswer:
        """200 with results, or 409 with ``expected`` (handled by the caller)."""
        answer = self._send("POST", "/sync/push", json=body)
        if answer.status in (200, 409, 403):
            return answer
        self.expect(answer, 200)
        return answer

    def pull(self, body: dict) -> ApiAnswer:
        answer = self._send("POST", "/sync/pull", json=body)
        if answer.status in (200, 403):
            return answer
        self.expect(answer, 200)
        return answer

    def me(self) -> dict:
        return self.expect(self._send("GET", "/me"), 200)

    def photo_query(self, hashes: list[str]) -> dict[str, dict]:
        answer = self._send("POST", "/photos/query", json={"sha256": hashes})
        return self.expect(answer, 200).get("photos", {})

    def photo_offset(self, sha256: str) -> int:
        """Where to resume: the server's offset (0 when it has nothing)."""
        answer = self._send("HEAD", f"/photos/{sha256}", headers=TUS_RESUMABLE)
        if answer.status == 404:
            return 0
        self.expect(answer, 200)
        return answer.header_int("Upload-Offset") or 0

    def photo_patch(self, sha256: str, offset: int, total: int, chunk: bytes, *,
                    checksum: bool = True) -> ApiAnswer:
        headers = {"Upload-Offset": str(offset), "Upload-Length": str(total),
                   "Content-Type": OCTETS, **TUS_RESUMABLE}
        if checksum:
            digest = base64.b64encode(hashlib.sha256(chunk).digest()).decode()
            headers["Upload-Checksum"] = f"sha256 {digest}"
        return self._send("PATCH", f"/photos/{sha256}", data=chunk, headers=headers)

    def photo_download(self, sha256: str, variant: str = "original") -> bytes:
        status, _, raw = self.transport.request(
            "GET", f"{PREFIX}/photos/{sha256}?variant={variant}",
            headers={"Authorization": f"Bearer {self.token}"})
        if status != 200:
            raise ServerError(f"photo {sha256[:12]}… not available (HTTP {status})",
                              status=status)
        return raw
