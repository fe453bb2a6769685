"""A throwaway PostgreSQL cluster for tests, run from Debian's binaries.

The cluster lives in a temp dir, listens only on a unix socket there (no TCP
port to collide with a system PostgreSQL or a parallel run), and runs with
``fsync=off`` -- durability across an OS crash is PostgreSQL's business, not
what our tests prove. PostgreSQL refuses to run as root, so under uid 0 (CI)
the server runs as the ``postgres`` OS user the Debian package creates.

Missing binaries are an error, not a skip: a contract suite that silently
skips a backend would pass while proving nothing about it.
"""
from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile

import psycopg

INSTALL_HINT = ("PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin/initdb); "
                "install Debian's package: apt-get install -y postgresql")
SUPERUSER = "fieldsync_test"


def find_bindir() -> str:
    """The newest ``/usr/lib/postgresql/<version>/bin`` that has initdb and pg_ctl."""
    candidates = [os.path.dirname(p) for p in glob.glob("/usr/lib/postgresql/*/bin/initdb")
                  if os.path.exists(os.path.join(os.path.dirname(p), "pg_ctl"))]
    if not candidates:
        raise RuntimeError(INSTALL_HINT)
    return max(candidates, key=lambda d: int(d.split("/")[-2].split(".")[0]))


class PostgresCluster:
    """``start()`` a cluster, ``create_database()`` per test, ``stop()`` removes it all."""

    def __init__(self):
        self.bindir = find_bindir()
        self.root = tempfile.mkdtemp(prefix="fieldsync-pg-")
        self.data = os.path.join(self.root, "data")
        self._names = itertools.count(1)
        self._as_user: list[str] = []
        if os.geteuid() == 0:
            try:
                owner = pwd.getpwnam("postgres")
            except KeyError:
                raise RuntimeError("running as root needs the 'postgres' OS user "
                                   "(created by Debian's postgresql package)") from None
            os.chmod(self.root, 0o700)
            os.chown(self.root, owner.pw_uid, owner.pw_gid)
            self._as_user = ["runuser", "-u", "postgres", "--"]

    def _run(self, *cmd: str) -> None:
        done = subprocess.run([*self._as_user, *cmd], capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd[:2])} failed ({done.returncode}):\n"
                               f"{done.stdout}\n{done.stderr}")

    def start(self) -> "PostgresCluster":
        # An ICU natural-language default collation ("B" sorts after "a"), so a
        # listing that forgets COLLATE "C" disagrees with the other backends here.
        self._run(os.path.join(self.bindir, "initdb"), "-D", self.data, "-U", SUPERUSER,
                  "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8",
                  "--locale-provider=icu", "--icu-locale=en-US", "--no-sync")
        self.start_server()
        return self

    def start_server(self) -> None:
        """Start (or restart after ``stop_server``) the server on the existing cluster."""
        options = (f"-F -c fsync=off -c listen_addresses='' -k {self.root} "
                   "-c max_connections=200 -c shared_buffers=32MB")
        self._run(os.path.join(self.bindir, "pg_ctl"), "-D", self.data, "-l",
                  os.path.join(self.root, "server.log"), "-o", options, "-w", "start")

    def stop_server(self) -> None:
        """Stop the server, keep the cluster (a database outage)."""
        self._run(os.path.join(self.bindir, "pg_ctl"), "-D", self.data, "-m", "immediate",
                  "-w", "stop")

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://{SUPERUSER}@/{dbname}?host={self.root}"

    def create_database(self) -> str:
        """A fresh empty database; returns its name (``url(name)`` connects to it)."""
        name = f"t{next(self._names)}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name} TEMPLATE template0 STRATEGY file_copy")
        return name

    def drop_database(self, name: str) -> None:
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def stop(self) -> None:
        """Stop the server (if running) and remove the cluster."""
        try:
            if os.path.exists(os.path.join(self.data, "postmaster.pid")):  # not stopped yet
                self.stop_server()
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
