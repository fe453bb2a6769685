import pytest

from server.store.journal_store import JournalStore
from server.store.memory import MemoryStore
from server.photos import VariantCache
from server.uploads import UploadStore


@pytest.fixture(params=["journal", "memory"])
def store(request, tmp_path):
    """Both backends: the durable JournalStore and the in-memory reference."""
    s = JournalStore(str(tmp_path / "store")) if request.param == "journal" else MemoryStore()
    yield s
    s.close()


@pytest.fixture
def journal(tmp_path):
    """The JournalStore alone, for tests that break its fsync."""
    s = JournalStore(str(tmp_path / "store"))
    yield s
    s.close()


@pytest.fixture
def uploads(tmp_path):
    return UploadStore(str(tmp_path / "photos"))


@pytest.fixture
def variants(tmp_path):
    return VariantCache(tmp_path / "derived")
