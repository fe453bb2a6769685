"""A throwaway PostgreSQL cluster for the benchmark, started like the tests' but durable.

``tests/pg_server.py`` runs its cluster with ``fsync=off`` (the tests prove
our logic, not PostgreSQL's durability). A throughput comparison with
SQLite under ``synchronous=FULL`` must not let one side skip its fsync, so
this cluster keeps PostgreSQL's defaults (``fsync=on``,
``synchronous_commit=on``) and only listens on a unix socket in its temp dir.
"""
from __future__ import annotations

import os

from tests.pg_server import PostgresCluster


class DurableCluster(PostgresCluster):
    def start_server(self) -> None:
        options = (f"-c listen_addresses='' -k {self.root} -c max_connections=100 "
                   "-c shared_buffers=128MB")
        self._run(os.path.join(self.bindir, "pg_ctl"), "-D", self.data, "-l",
                  os.path.join(self.root, "server.log"), "-o", options, "-w", "start")
