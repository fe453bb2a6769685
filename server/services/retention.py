"""The retention job: list (dry run, the default) or purge records past their retention
class, never one an open ticket or appeal refers to; every purge is logged and recorded
(``retention_log``, server-private) with what went and what was held."""
from __future__ import annotations

import logging
from datetime import datetime

from checklists import retention as rules
from checklists.patrol.recurrence import zone
from server.services.accounts.records import new_id, to_text
from server.store import Delete, Put, Store
from sync.placement import TICKETS

from .violations import VIOLATIONS

log = logging.getLogger(__name__)
RETAINED = (VIOLATIONS,)
REFERRERS = (TICKETS, "appeals")
LOG = "retention_log"


def run(store: Store, now: datetime, *, purge: bool = False, timezone: str = "UTC") -> dict:
    """What is past retention on ``now``'s date (in ``timezone``); with ``purge``, delete it."""
    today = now.astimezone(zone(timezone)).date()
    with store.transaction() as tx:
        held = rules.held_ids(rec.doc for c in REFERRERS for rec in tx.scan(c))
        report = {"date": today.isoformat(), "purge": purge, "collections": {}}
        ops = []
        for collection in RETAINED:
            gone, kept = rules.split(rules.expired((dict(r.doc) for r in tx.scan(collection)),
                                                   today), held)
            report["collections"][collection] = {"expired": [d["id"] for d in gone],
                                                 "held": [d["id"] for d in kept]}
            if purge:
                ops += [Delete(collection, d["id"]) for d in gone]
        if purge:
            entry = {"id": new_id(), "at": to_text(now), **report}
            ops.append(Put(LOG, entry["id"], entry, None, {"all": ("all", entry["at"])}))
            tx.commit(ops)
    for collection, found in report["collections"].items():
        log.info("retention %s: %s %d %s record(s), held %d by open tickets or appeals",
                 today, "purged" if purge else "would purge", len(found["expired"]),
                 collection, len(found["held"]))
    return report
