"""The production WSGI server: waitress, tuned for sync traffic.

One process owns the data dir (the store locks it), so concurrency is
threads. Two waitress defaults are tuned for pushes, whose bodies are
~0.1-2 MiB of JSON (100 results of 1-10 KB, up to 200 per batch):

* ``recv_bytes`` 8 KiB -> 256 KiB: each ``recv`` is one turn of waitress's
  event loop, so a 1 MiB push took 128 turns on the thread that serves every
  connection;
* ``inbuf_overflow`` 512 KiB -> 4 MiB: a body above it is spilled to a
  temporary file and read back, a disk round trip for every large push.
  (Photo chunks are 1 MiB by default; memory stays flat in photo size.)
"""
from __future__ import annotations

from flask import Flask

RECV_BYTES = 256 << 10
BODY_IN_MEMORY = 4 << 20


def serve_app(app: Flask, host: str, port: int, threads: int) -> None:
    from waitress import serve
    serve(app, host=host, port=port, threads=threads, ident="fieldsync",
          recv_bytes=RECV_BYTES, inbuf_overflow=BODY_IN_MEMORY)
