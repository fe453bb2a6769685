"""The stored results of bench/scale.py: N real result documents, built once and kept.

How they are made (and why it is honest): each document is what a push of
``submit_result`` stores -- ``sync.results.new_result`` on the args a device
sends, scored by ``checklists.evaluate`` on the published definition -- and
it is written through the store's own commit path (``store.transaction()``
and ``tx.commit`` of ``Put`` s placed by ``sync_service.placed_put``), so the
change feed, the index and the typed ``fs_results`` rows are the store's,
in batches of ``BATCH`` per commit rather than 100 per HTTP push (pushing
1M results through HTTP would take hours here). What is cheaper than a real
push: the 11 answer patterns are scored once each, and ids are time-ordered
(``<counter><random>``, like UUIDv7) rather than uuid4.

The data dir lives in ``bench/out/scale-<N>/`` and is resumable: a batch is
one commit, so after an interruption the store holds whole batches and the
load goes on from the count it finds; ``bench.json`` marks it complete.
"""
from __future__ import annotations

import copy
import os
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import orjson

import checklists
from server import create_app
from server.services.accounts import devices, sites, users
from server.extensions import STORE_KEY, close_store
from server.services import definitions
from server.services.sync_service import placed_put
from checklists.actors import Actor
from sync.context import MutationContext
from sync.results import new_result

from .ours import DEFINITION, ITEMS, result_args

SITES, MONTHS, BATCH = 20, 24, 5000
START = datetime(2024, 11, 1, tzinfo=timezone.utc)
BANDS = [("poor", 0), ("fair", 84), ("good", 90), ("excellent", 96)]
SCALE_DEFINITION = {**copy.deepcopy(DEFINITION), "id": "bench-scored-round", "scoring": {
    "bands": [{"id": b, "label": {"zh": b, "en": b}, "min": m} for b, m in BANDS]}}


def data_dir(out: Path, n: int) -> Path:
    return out / f"scale-{n}"


def _answers(fails: int) -> dict:
    return {item: ({"value": "fail", "defects": [{"deduction": 1, "note": "灭火器压力不足"}]}
                   if k < fails else {"value": "pass"}) for k, item in enumerate(ITEMS)}


def build(out: Path, n: int, log=print) -> dict:
    """The data dir of ``n`` results (built or finished if needed); its ``bench.json``."""
    where = data_dir(out, n)
    marker = where / "bench.json"
    info = orjson.loads(marker.read_bytes()) if marker.exists() else None
    if info and info.get("complete"):
        return info
    where.mkdir(parents=True, exist_ok=True)
    app = create_app({"DATA_DIR": str(where), "SECRET_KEY": "x",
                      "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
    store = app.extensions[STORE_KEY]
    try:
        if info is None:
            info = _accounts(store)
            marker.write_bytes(orjson.dumps(info))
        _load(store, info, n, log)
    finally:
        close_store(app)
    info["complete"] = True
    marker.write_bytes(orjson.dumps(info))
    return info


def _accounts(store) -> dict:
    site_ids, inspectors = [], []
    for k in range(SITES):
        site = sites.create_site(store, code=f"S{k:02d}", name=f"小区 {k:02d}")
        site_ids.append(site["id"])
        inspectors.append(users.create_user(
            store, username=f"guard-{k:02d}", password="correct horse battery", role="guard",
            site_ids=[site["id"]], hash_method="pbkdf2:sha256:1000"))
    token = devices.register_device(store, inspectors[0], name="bench phone")[1]
    definitions.install(store, SCALE_DEFINITION, by="bench")
    return {"sites": site_ids, "inspectors": [u["id"] for u in inspectors],
            "token": token, "complete": False}


def _load(store, info: dict, n: int, log) -> None:
    from server.repositories.results import ResultFilter, ResultsRepository
    with store.snapshot() as snap:
        done = ResultsRepository(snap).count(ResultFilter(scope=None, current_only=False))
    if done >= n:
        return
    model = checklists.load_definition(SCALE_DEFINITION)
    scores = [checklists.evaluate(model, _answers(f)).to_record() for f in range(len(ITEMS) + 1)]
    templates = {}
    for k, site in enumerate(info["sites"]):
        args = result_args(site, 1024)
        args["checklist"] = {"id": SCALE_DEFINITION["id"], "version": 1}
        templates[k] = args
    step = timedelta(days=30.4 * MONTHS) / n
    began, rand = time.perf_counter(), os.urandom(4).hex()
    log(f"loading {n - done} results into {store.location} from #{done} "
        f"(batches of {BATCH}, one commit each)")
    for first in range(done, n, BATCH):
        ops = []
        for i in range(first, min(n, first + BATCH)):
            site = i % SITES
            fails = (i * 7) % (len(ITEMS) + 1)
            args = {**templates[site], "result_id": f"{i:010d}{rand}{i % 9973:04x}",
                    "answers": _answers(fails)}
            at = (START + step * i).isoformat(timespec="milliseconds")
            actor = Actor(info["inspectors"][site], "guard", (info["sites"][site],), "bench")
            ctx = MutationContext(actor, "bench-load", i + 1, at, at)
            ops.append(placed_put("results", new_result(args, scores[fails], [], ctx)))
        with store.transaction() as tx:
            tx.commit(ops)
        loaded = min(n, first + BATCH)
        if (loaded // BATCH) % 20 == 0 or loaded == n:
            rate = (loaded - done) / (time.perf_counter() - began)
            log(f"  {loaded} / {n} results ({rate:.0f}/s)")
