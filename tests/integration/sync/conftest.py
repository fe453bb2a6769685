import pytest

from server.store.sql_store import SqlStore
from server.photos import VariantCache
from server.uploads import UploadStore


@pytest.fixture
def store(tmp_path):
    """The embedded SQL store (SQLite in a temp dir); PostgreSQL runs the store contract suite."""
    s = SqlStore.sqlite(str(tmp_path / "fieldsync.db"))
    yield s
    s.close()


@pytest.fixture
def impatient(tmp_path):
    """A store that gives up on a held write lock after 50 ms (see ``locked_database``)."""
    s = SqlStore.sqlite(str(tmp_path / "fieldsync.db"), busy_timeout_ms=50)
    yield s
    s.close()


@pytest.fixture
def uploads(tmp_path):
    return UploadStore(str(tmp_path / "photos"))


@pytest.fixture
def variants(tmp_path):
    return VariantCache(tmp_path / "derived")
