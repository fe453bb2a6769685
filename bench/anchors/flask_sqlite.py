"""The plainest credible sync server: Flask + stdlib sqlite3, the anchor of issue 10's benchmarks.

    python bench/anchors/flask_sqlite.py DB_FILE PORT THREADS

It serves what a device needs from our server and nothing else, written the
way a careful developer would write it in an afternoon:

* ``POST /api/v1/sync/push`` takes our push envelope (``client_id``,
  ``mutations`` of ``submit_result``), checks the bearer token and the site,
  scores each result with the same ``checklists.evaluate`` on the published
  definition, and then -- in ONE ``BEGIN IMMEDIATE`` transaction -- inserts
  the results (insert-once by result id) and moves the client's
  ``last_mutation_id``: exactly-once, the same bookkeeping as ours. Ids at or
  below ``last_mutation_id`` are duplicates; a gap is a 409.
* ``POST /api/v1/sync/pull`` answers ``{cursors: {"site:<id>": seq}, limit}``
  with each site bucket's results after its cursor, read in one snapshot
  with the client's ``last_mutation_id`` (the same response shape as ours,
  so one bench device speaks to both).
* SQLite in WAL with ``synchronous=FULL`` (a push is durable before it is
  answered, as ours), one connection per server thread, served by the same
  waitress settings as ``fieldsync serve`` (``server.wsgi_server``).

What it leaves out, on purpose (it is an anchor, not a product): schema
validation of each mutation beyond what scoring needs, other mutation
kinds, photos, tombstones, epochs, rejection records. Scoring runs before
the write lock is taken, which favours it under concurrency.
"""
from __future__ import annotations

import hashlib
import sqlite3
import sys
import threading
from datetime import datetime, timezone
from pathlib import Path

import orjson
from flask import Flask, Response, abort, request

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import checklists  # noqa: E402

SCHEMA = """
CREATE TABLE IF NOT EXISTS devices (token_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL,
                                    site_ids TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS definitions (id TEXT, version INTEGER, body TEXT NOT NULL,
                                        PRIMARY KEY (id, version));
CREATE TABLE IF NOT EXISTS clients (client_id TEXT PRIMARY KEY, device TEXT NOT NULL,
                                    last_mutation_id INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS results (seq INTEGER PRIMARY KEY AUTOINCREMENT,
                                    id TEXT NOT NULL UNIQUE, site_id TEXT NOT NULL,
                                    body TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS results_feed ON results (site_id, seq);
"""
MAX_PULL = 1000


def connect(path: str) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=5)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    return conn


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def setup(path: str, definition: dict, devices: dict[str, tuple[str, list[str]]]) -> None:
    """Create the database with one published definition and ``{token: (user, sites)}``."""
    conn = connect(path)
    conn.executescript(SCHEMA)
    conn.execute("INSERT OR REPLACE INTO definitions VALUES (?, ?, ?)",
                 (definition["id"], definition["version"], orjson.dumps(definition).decode()))
    conn.executemany("INSERT OR REPLACE INTO devices VALUES (?, ?, ?)",
                     [(token_hash(t), u, orjson.dumps(s).decode())
                      for t, (u, s) in devices.items()])
    conn.close()


def create_app(path: str) -> Flask:
    app = Flask("flask_sqlite_anchor")
    local = threading.local()
    parsed: dict[tuple[str, int], checklists.Definition] = {}

    def db() -> sqlite3.Connection:
        if not hasattr(local, "conn"):
            local.conn = connect(path)
        return local.conn

    def answer(body, status: int = 200) -> Response:
        return Response(orjson.dumps(body), status, mimetype="application/json")

    def device() -> tuple[str, str, set[str]] | None:
        auth = request.headers.get("Authorization", "")
        row = db().execute("SELECT user_id, site_ids FROM devices WHERE token_hash = ?",
                           (token_hash(auth.removeprefix("Bearer ")),)).fetchone()
        return None if row is None else (auth, row[0], set(orjson.loads(row[1])))

    def envelope() -> tuple[tuple[str, str, set[str]], dict]:
        """The device behind the bearer token and the JSON body (else a 401 or 422)."""
        who = device()
        if who is None:
            abort(answer({"message": "unknown token"}, 401))
        try:
            return who, orjson.loads(request.get_data())
        except orjson.JSONDecodeError:
            abort(answer({"message": "the body is not JSON"}, 422))

    def definition(def_id: str, version: int) -> checklists.Definition | None:
        if (def_id, version) not in parsed:
            row = db().execute("SELECT body FROM definitions WHERE id = ? AND version = ?",
                               (def_id, version)).fetchone()
            if row is None:
                return None
            parsed[(def_id, version)] = checklists.load_definition(orjson.loads(row[0]))
        return parsed[(def_id, version)]

    @app.get("/api/v1/sync/info")
    def info():
        return answer({"protocol": 1})

    @app.post("/api/v1/sync/push")
    def push():
        (token, user_id, sites), body = envelope()
        try:
            client_id, mutations = body["client_id"], body["mutations"]
        except (KeyError, TypeError):
            return answer({"message": "client_id and mutations are required"}, 422)
        now = datetime.now(timezone.utc).isoformat()
        scored = []
        for m in sorted(mutations, key=lambda m: m["id"]):
            args = m["args"]
            if m["name"] != "submit_result" or args["site_id"] not in sites:
                return answer({"message": f"mutation {m['id']} refused"}, 422)
            model = definition(args["checklist"]["id"], args["checklist"]["version"])
            if model is None:
                return answer({"message": f"mutation {m['id']}: unknown checklist"}, 422)
            try:
                score = checklists.evaluate(model, args["answers"]).to_record()
            except checklists.AnswersInvalid as exc:
                return answer({"message": f"mutation {m['id']}", "errors": exc.errors}, 422)
            doc = {**args, "id": args["result_id"], "score": score,
                   "submitted": {"by": user_id, "at": now, "mutation": m["id"]}}
            scored.append((m["id"], args["result_id"], args["site_id"], doc))
        conn = db()
        conn.execute("BEGIN IMMEDIATE")
        try:
            row = conn.execute("SELECT device, last_mutation_id FROM clients WHERE client_id = ?",
                               (client_id,)).fetchone()
            if row is not None and row[0] != token:
                conn.execute("ROLLBACK")
                return answer({"message": "client belongs to another device"}, 403)
            last = row[1] if row else 0
            fresh = [s for s in scored if s[0] > last]
            if fresh and fresh[0][0] != last + 1:
                conn.execute("ROLLBACK")
                return answer({"error": "mutation_gap", "expected": last + 1}, 409)
            results = [{"id": s[0], "status": "duplicate"} for s in scored if s[0] <= last]
            for mutation_id, result_id, site_id, doc in fresh:
                seq = conn.execute("INSERT INTO results (id, site_id, body) VALUES (?, ?, ?) "
                                   "ON CONFLICT (id) DO NOTHING RETURNING seq",
                                   (result_id, site_id, orjson.dumps(doc).decode())).fetchone()
                results.append({"id": mutation_id, "status": "applied" if seq else "duplicate",
                                **({"seq": seq[0]} if seq else {})})
            if fresh:
                last = fresh[-1][0]
                conn.execute("INSERT INTO clients VALUES (?, ?, ?) ON CONFLICT (client_id) "
                             "DO UPDATE SET last_mutation_id = excluded.last_mutation_id",
                             (client_id, token, last))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return answer({"last_mutation_id": last, "results": results})

    @app.post("/api/v1/sync/pull")
    def pull():
        (token, _, sites), body = envelope()
        try:
            client_id, cursors = body["client_id"], body.get("cursors") or {}
            limit = min(int(body.get("limit", 100)), MAX_PULL)
        except (KeyError, TypeError, ValueError, AttributeError):
            return answer({"message": "client_id, cursors and limit are required"}, 422)
        conn, remaining, buckets = db(), limit, []
        conn.execute("BEGIN")  # one snapshot: no page shows a result without its mutation id
        try:
            row = conn.execute("SELECT device, last_mutation_id FROM clients WHERE client_id = ?",
                               (client_id,)).fetchone()
            if row is not None and row[0] != token:
                return answer({"message": "client belongs to another device"}, 403)
            for site in sorted(sites):
                name = f"site:{site}"
                cursor = int(cursors.get(name, 0))
                rows = conn.execute("SELECT seq, id, body FROM results WHERE site_id = ? AND "
                                    "seq > ? ORDER BY seq LIMIT ?",
                                    (site, cursor, remaining + 1)).fetchall() if remaining else []
                complete = len(rows) <= remaining and remaining > 0
                rows = rows[:remaining]
                remaining -= len(rows)
                buckets.append({"name": name, "cursor": rows[-1][0] if rows else cursor,
                                "complete": complete,
                                "changes": [{"type": "results", "id": i, "seq": s,
                                             "data": orjson.Fragment(b)} for s, i, b in rows]})
        finally:
            conn.execute("COMMIT")
        return answer({"last_mutation_id": row[1] if row else 0, "buckets": buckets,
                       "has_more": not all(b["complete"] for b in buckets)})

    return app


def main() -> None:
    from server.wsgi_server import serve_app  # the same waitress settings as ``fieldsync serve``
    path, port, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    serve_app(create_app(path), "127.0.0.1", port, threads)


if __name__ == "__main__":
    main()
