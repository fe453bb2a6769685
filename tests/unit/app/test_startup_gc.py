"""The collector is paused while the app is built and left as the caller had it."""
import gc

import pytest

from server import create_app
from server.config import ConfigError
from server.extensions import close_store


@pytest.mark.parametrize("enabled", [True, False])
def test_create_app_leaves_the_collector_as_it_found_it(tmp_path, enabled):
    (gc.enable if enabled else gc.disable)()
    try:
        app = create_app({"DATA_DIR": str(tmp_path), "STORE_URL": "memory://"})
        assert gc.isenabled() is enabled
        close_store(app)
    finally:
        gc.enable()


def test_a_failed_start_leaves_the_collector_on(tmp_path, monkeypatch):
    (tmp_path / "bad.toml").write_text("not toml [")
    monkeypatch.setenv("FIELDSYNC_CONFIG", str(tmp_path / "bad.toml"))
    with pytest.raises(ConfigError):
        create_app({"DATA_DIR": str(tmp_path), "STORE_URL": "memory://"})
    assert gc.isenabled()
