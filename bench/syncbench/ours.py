"""Our side of the sync benchmark: the workload, our server process and our device.

Split from ``bench/sync.py`` (which runs the workloads and prints the
figures) so each file keeps one job. The device speaks the protocol with the
stdlib ``http.client`` on one keep-alive connection, so the figures measure
the server, not a client library.
"""
from __future__ import annotations

import base64
import hashlib
import http.client
import os
import subprocess
import sys
import uuid
from pathlib import Path

import orjson

from anchor import free_port, wait_http
from server import create_app
from server.services.accounts import devices, sites, users
from server.extensions import STORE_KEY, close_store
from server.services import definitions

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "bench" / "sync.py"  # its ``serve-ours`` command runs our server

ITEMS = [f"r.{n:02d}" for n in range(1, 11)]
DEFINITION = {
    "id": "bench-round", "version": 1, "kind": "inspection",
    "title": {"zh": "日常巡查", "en": "Daily round"},
    "sections": [{"id": "r", "title": {"zh": "巡查", "en": "Round"}, "items": [
        {"id": item, "type": "check", "label": {"zh": f"检查项 {item}", "en": f"Item {item}"},
         "points": 5, "deduction": {"min": 1, "max": 1}} for item in ITEMS]}],
}
FILLER = "东门消防通道畅通，灭火器压力正常。Fire lane clear, extinguisher pressure OK. "
PUSH_BATCH, PULL_PAGE = 100, 500
CUTS = (0.3, 0.7)
MIB = 1024 * 1024


def text_of(nbytes: int) -> str:
    """Realistic note text of exactly ``nbytes`` UTF-8 bytes (mixed Chinese and English)."""
    raw = (FILLER * (nbytes // len(FILLER) + 1)).encode()[:nbytes].decode(errors="ignore")
    return raw + "." * (nbytes - len(raw.encode()))


def result_args(site_id: str, size: int) -> dict:
    """``submit_result`` args whose JSON is exactly ``size`` bytes: padded notes, all passing."""
    per_item = max(0, (size - 6000) // len(ITEMS))  # the result note holds at most 4000 chars
    args = {"result_id": uuid.uuid4().hex, "site_id": site_id,
            "checklist": {"id": DEFINITION["id"], "version": 1},
            "answers": {i: {"value": "pass", **({"note": text_of(per_item)} if per_item else {})}
                        for i in ITEMS},
            "photos": [], "gps": {"lat": 31.230416, "lon": 121.473701}, "note": ""}
    args["note"] = text_of(size - len(orjson.dumps(args)))
    assert len(orjson.dumps(args)) == size
    return args


class OurServer:
    """Accounts and the checklist made through the services, then the server in a subprocess."""

    def __init__(self, data_dir: Path, threads: int, profile: str | None = None, *,
                 store_url: str = "", devices_per_site: int = 3):
        app = create_app({"DATA_DIR": str(data_dir), "SECRET_KEY": "x",
                          "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
                          **({"STORE_URL": store_url} if store_url else {})})
        store = app.extensions[STORE_KEY]
        self.sites, self.users = {}, {}
        for code in ("A", "B"):
            site = sites.create_site(store, code=code, name=f"Site {code}")
            self.sites[code] = site["id"]
            self.users[code] = users.create_user(
                store, username=f"guard-{code.lower()}", password="correct horse battery",
                role="guard", site_ids=[site["id"]], hash_method="pbkdf2:sha256:1000")
        self.tokens = {(code, n): devices.register_device(store, self.users[code],
                                                          name=f"phone {n}")[1]
                       for code in ("A", "B") for n in range(devices_per_site)}
        definitions.install(store, DEFINITION, by="bench")
        close_store(app)  # the server process must own the data dir (the store locks it)
        self.port = free_port()
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.log = open(data_dir / "server.log", "wb")
        self.proc = subprocess.Popen([sys.executable, str(SCRIPT), "serve-ours", str(data_dir),
                                      str(self.port), str(threads), profile or "", store_url],
                                     env=env, cwd=ROOT,
                                     stdout=self.log, stderr=subprocess.STDOUT)
        wait_http(f"http://127.0.0.1:{self.port}/api/v1/sync/info", self.proc)
        self.pid = self.proc.pid

    def device(self, site: str, n: int) -> "Device":
        return Device(self.port, self.tokens[(site, n)])

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(30)
        self.log.close()


def serve_ours(data_dir: str, port: str, threads: str, profile: str, store_url: str) -> None:
    """The server process: ``fieldsync serve``'s waitress; with ``profile``, every request
    runs under one cProfile counting thread CPU time, dumped on SIGTERM."""
    import signal

    from server.wsgi_server import serve_app
    app = create_app({"DATA_DIR": data_dir, "SECRET_KEY": "x",
                      **({"STORE_URL": store_url} if store_url else {})})
    if profile:
        import cProfile
        import time
        # thread CPU, not wall: with concurrent devices a request's wall time is
        # mostly waiting for the GIL or the write lock, which is not its cost
        profiler, wsgi = cProfile.Profile(time.thread_time), app.wsgi_app

        def profiled(environ, start_response):
            profiler.enable()
            try:
                return list(wsgi(environ, start_response))
            finally:
                profiler.disable()

        def dump(*_):
            profiler.dump_stats(profile)
            os._exit(0)

        app.wsgi_app = profiled
        signal.signal(signal.SIGTERM, dump)
    serve_app(app, "127.0.0.1", int(port), int(threads))


class Device:
    """Our protocol from a device: one keep-alive connection, a mutation counter, cursors."""

    def __init__(self, port: int, token: str):
        self.port, self.auth = port, {"Authorization": f"Bearer {token}"}
        self.client_id = uuid.uuid4().hex
        self.next_id, self.cursors, self.rows = 1, {}, {}
        self.conn: http.client.HTTPConnection | None = None

    def connection(self) -> http.client.HTTPConnection:
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        return self.conn

    def drop(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def request(self, method: str, path: str, body: bytes = b"", headers=None):
        conn = self.connection()
        conn.request(method, path, body, {**self.auth, **(headers or {})})
        response = conn.getresponse()
        return response, response.read()

    def post(self, path: str, payload: dict) -> dict:
        response, data = self.request("POST", path, orjson.dumps(payload),
                                      {"Content-Type": "application/json"})
        if response.status != 200:
            raise RuntimeError(f"{path}: {response.status} {data[:500]!r}")
        return orjson.loads(data)

    def push(self, batch: list[dict]) -> None:
        body = {"client_id": self.client_id, "schema_version": 1,
                "sent_at": "2026-11-23T08:00:00+00:00",
                "mutations": [{"id": self.next_id + n, "name": "submit_result",
                               "client_ts": "2026-11-23T07:59:00+00:00", "args": args}
                              for n, args in enumerate(batch)]}
        answer = self.post("/api/v1/sync/push", body)
        bad = [r for r in answer["results"] if r["status"] != "applied"]
        if bad:
            raise RuntimeError(f"push not applied: {bad[:2]}")
        self.next_id += len(batch)

    def pull(self) -> int:
        """One pull page; keeps its rows and cursors; returns how many changes came."""
        answer = self.post("/api/v1/sync/pull", {"client_id": self.client_id,
                                                 "schema_version": 1, "cursors": self.cursors,
                                                 "limit": PULL_PAGE})
        count = 0
        for segment in answer["buckets"]:
            self.cursors[segment["name"]] = segment["cursor"]
            for change in segment["changes"]:
                self.rows[(change["type"], change["id"])] = change["data"]
                count += 1
        self.more = answer["has_more"]
        return count

    def pull_all(self) -> int:
        count = self.pull()
        while self.more:
            count += self.pull()
        return count

    def upload(self, data: bytes, chunk: int, cuts=CUTS) -> list[int]:
        """Upload in checksummed chunks, cutting the socket at each fraction in ``cuts``
        mid-PATCH body and resuming from HEAD's offset; the bytes re-sent per cut."""
        path = f"/api/v1/photos/{hashlib.sha256(data).hexdigest()}"
        size, offset, resent = len(data), 0, []
        cut_at = sorted(int(f * size) for f in cuts)
        while offset < size:
            body = data[offset:offset + chunk]
            headers = {**self.auth, "Upload-Offset": str(offset), "Upload-Length": str(size),
                       "Content-Type": "application/offset+octet-stream",
                       "Upload-Checksum": "sha256 " + base64.b64encode(
                           hashlib.sha256(body).digest()).decode()}
            if cut_at and offset < cut_at[0] < offset + len(body):
                point = cut_at.pop(0)
                conn = self.connection()
                conn.putrequest("PATCH", path)
                for name, value in {**headers, "Content-Length": str(len(body))}.items():
                    conn.putheader(name, value)
                conn.endheaders()
                conn.send(body[:point - offset])
                self.drop()  # the cut
                response, _ = self.request("HEAD", path)
                offset = int(response.headers["Upload-Offset"]) if response.status == 200 else 0
                resent.append(point - offset)  # on the wire before the cut, not kept
                continue
            response, answer = self.request("PATCH", path, body, headers)
            if response.status == 204:
                offset = int(response.headers["Upload-Offset"])
            elif response.status == 200:
                offset = size
            else:
                raise RuntimeError(f"PATCH: {response.status} {answer[:300]!r}")
        return resent
