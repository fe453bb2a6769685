import pytest

from server.store.journal_store import JournalStore
from server.uploads import UploadStore


@pytest.fixture
def store(tmp_path):
    s = JournalStore(str(tmp_path / "store"))
    yield s
    s.close()


@pytest.fixture
def uploads(tmp_path):
    return UploadStore(str(tmp_path / "photos"))
