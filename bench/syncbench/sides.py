"""The servers of one bench/sync.py run, started and stopped together."""
from __future__ import annotations

from pathlib import Path

from anchor import PouchServer

from .anchor_server import AnchorServer
from .durable_postgres import DurableCluster
from .ours import OurServer

FLEET_DEVICES = 16  # 8 per site
FLEET_FIRST = 3  # device numbers below it serve the 1-device workloads


def start_sides(opts, work: Path, missing: str | None) -> dict:
    """Every server of the run: ours (SQLite), the Flask + sqlite3 anchor, pouchdb-server,
    and ours on PostgreSQL; each ``None`` that is not run here."""
    per_site = FLEET_FIRST + FLEET_DEVICES // 2
    ours = OurServer(work / "ours", opts.threads, opts.profile, devices_per_site=per_site)
    servers = {"ours": ours, "anchor": None, "peer": None, "pg": None}
    servers["anchor"] = AnchorServer(work / "anchor", opts.threads, ours.sites, per_site)
    if not missing:
        servers["peer"] = PouchServer(work / "pouch")
    if opts.postgres:
        cluster = DurableCluster().start()
        servers["pg"] = OurServer(work / "pg", opts.threads,
                                  store_url=cluster.url(cluster.create_database()))
        servers["pg"].cluster = cluster
    return servers


def stop_sides(servers) -> None:
    for server in servers.values():
        if server is not None:
            server.stop()
            if getattr(server, "cluster", None) is not None:
                server.cluster.stop()
