"""Backends under the contract suite: every one must pass every contract test."""
import pytest

from server.store.journal_store import JournalStore
from server.store.memory import MemoryStore


class Backend:
    """Opens (and for durable backends, reopens) one store under test."""

    def __init__(self, name, tmp_path):
        self.name, self.tmp_path, self.store = name, tmp_path, None

    def open(self, **kw):
        if self.name == "memory":
            self.store = MemoryStore()
        else:
            self.store = JournalStore(str(self.tmp_path / "store"), **kw)
        return self.store

    def reopen(self, **kw):
        self.store.close()
        return self.open(**kw)


@pytest.fixture(params=["memory", "journal"])
def backend(request, tmp_path):
    b = Backend(request.param, tmp_path)
    yield b
    if b.store is not None:
        b.store.close()


@pytest.fixture
def store(backend):
    return backend.open()
