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

import ctypes
import gc

from flask import Flask

RECV_BYTES = 256 << 10
BODY_IN_MEMORY = 4 << 20
M_ARENA_MAX = -8  # glibc's mallopt parameter numbers
M_MMAP_THRESHOLD = -3
LARGE_BLOCK = 1 << 20


def _mallopt(parameter: int, value: int) -> bool:
    try:
        libc = ctypes.CDLL("libc.so.6")
        return libc.mallopt(parameter, value) == 1
    except (OSError, AttributeError):
        return False


def limit_malloc_arenas(arenas: int = 2) -> bool:
    """Cap glibc's malloc arenas before the worker threads start.

    glibc gives each thread that allocates its own arena (up to 8 per core)
    and each keeps the memory its requests freed: after 20k pushes of 10 KB
    results the server's RSS was 317 MiB with the default and 262 MiB with
    two arenas, at the same throughput (the well-known MALLOC_ARENA_MAX=2 of
    threaded Python servers). Elsewhere (musl, macOS) this does nothing.
    """
    return _mallopt(M_ARENA_MAX, arenas)


def return_large_blocks(threshold: int = LARGE_BLOCK) -> bool:
    """Have glibc give blocks of ``threshold`` bytes and more back to the system on free.

    Pillow holds decoded photos in 16 MiB blocks. glibc raises its mmap
    threshold after such a block is freed, so later ones come from the arenas
    and their memory stays with the process: under 8 parallel 50 MP PNG
    uploads the peak RSS was ~1.1-1.25 GB with a 1 GiB decode budget, ~1.0 GB
    with a fixed 1 MiB threshold (``bench/photos.py``). Elsewhere a no-op.
    """
    return _mallopt(M_MMAP_THRESHOLD, threshold)


def freeze_startup_objects() -> None:
    """Move every object alive now out of the garbage collector's sight, once, at start.

    A server keeps nearly all it built at start (modules, the app, schemas,
    compiled statements: ~200k objects) for its whole life, and each full
    collection walked them all again: ~10 % of a push's CPU in
    ``bench/sync_cpu.py``. ``gc.freeze`` after a collection is the standard
    cure (the gc module's documentation); objects made later are collected
    as before.
    """
    gc.collect()
    gc.freeze()


def serve_app(app: Flask, host: str, port: int, threads: int) -> None:
    from waitress import serve
    limit_malloc_arenas()
    return_large_blocks()
    freeze_startup_objects()
    serve(app, host=host, port=port, threads=threads, ident="fieldsync",
          recv_bytes=RECV_BYTES, inbuf_overflow=BODY_IN_MEMORY)
