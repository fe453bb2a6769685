"""Backends under the contract suite: every one must pass every contract test."""
import pytest

from server.store.sql_store import SqlStore


class Backend:
    """Opens (and reopens) one store under test: SQLite in a temp dir, or PostgreSQL.

    For "postgres" the store is a fresh database on the session's throwaway
    cluster; reopening makes a new store object on the same database.
    """

    def __init__(self, name, tmp_path, request):
        self.name, self.tmp_path, self.store = name, tmp_path, None
        self.dbname = None
        if name == "postgres":
            self.cluster = request.getfixturevalue("postgres_cluster")
            self.dbname = self.cluster.create_database()
            self.url = self.cluster.url(self.dbname)

    def open(self, **kw):
        if self.name == "postgres":
            self.store = SqlStore.postgres(self.url)
        else:
            self.store = SqlStore.sqlite(str(self.tmp_path / "fieldsync.db"), **kw)
        return self.store

    def reopen(self, **kw):
        self.store.close()
        return self.open(**kw)

    def drop(self):
        if self.store is not None:
            self.store.close()
        if self.dbname is not None:
            self.cluster.drop_database(self.dbname)


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request, tmp_path):
    b = Backend(request.param, tmp_path, request)
    yield b
    b.drop()


@pytest.fixture
def store(backend):
    return backend.open()
