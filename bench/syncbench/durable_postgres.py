"""A throwaway PostgreSQL cluster for the benchmark, started like the tests' but durable.

``tests/pg_server.py`` runs its cluster with ``fsync=off`` (the tests prove
our logic, not PostgreSQL's durability). A throughput comparison with
SQLite under ``synchronous=FULL`` must not let one side skip its fsync, so
this cluster keeps PostgreSQL's defaults (``fsync=on``,
``synchronous_commit=on``) and only listens on a unix socket in its temp dir.
Its processes' CPU is counted with our server's: on PostgreSQL part of the
store's work runs there.
"""
from __future__ import annotations

import os

from anchor import cpu_seconds
from tests.pg_server import PostgresCluster


class DurableCluster(PostgresCluster):
    def start_server(self) -> None:
        options = (f"-c listen_addresses='' -k {self.root} -c max_connections=100 "
                   "-c shared_buffers=128MB")
        self._run(os.path.join(self.bindir, "pg_ctl"), "-D", self.data, "-l",
                  os.path.join(self.root, "server.log"), "-o", options, "-w", "start")

    def cpu_seconds(self) -> float:
        """CPU of the postmaster and its live children (the backends serving our pool)."""
        with open(os.path.join(self.data, "postmaster.pid")) as f:
            postmaster = int(f.readline())
        with open(f"/proc/{postmaster}/task/{postmaster}/children") as f:
            children = [int(pid) for pid in f.read().split()]
        total = 0.0
        for pid in [postmaster, *children]:
            try:
                total += cpu_seconds(pid)
            except FileNotFoundError:  # a backend that just exited
                pass
        return total
