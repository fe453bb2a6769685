import pytest

from server.store.sql_store import SqlStore
from server.photos import VariantCache
from server.uploads import UploadStore


@pytest.fixture(params=["sqlite", "postgres"])
def store(request, tmp_path):
    """The SQL store on both engines: SQLite in a temp dir, a fresh PostgreSQL database."""
    if request.param == "sqlite":
        s = SqlStore.sqlite(str(tmp_path / "fieldsync.db"))
        yield s
        s.close()
        return
    cluster = request.getfixturevalue("postgres_cluster")
    name = cluster.create_database()
    s = SqlStore.postgres(cluster.url(name))
    yield s
    s.close()
    cluster.drop_database(name)


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
