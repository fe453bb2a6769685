"""create_app: configuration precedence, derived settings, store lifecycle."""
import json
import os

import pytest

from server import create_app
from server.config import ConfigError
from server.extensions import STORE_KEY, close_store
from server.store import Put, StoreLocked
from tests.conftest import make_app


@pytest.fixture
def env(monkeypatch):
    for key in list(os.environ):
        if key.startswith("FIELDSYNC_"):
            monkeypatch.delenv(key)
    return monkeypatch


def build(config=None):
    app = create_app(config)
    close_store(app)
    return app


def test_defaults_derive_store_url_from_data_dir(env, tmp_path):
    app = build({"DATA_DIR": str(tmp_path / "d")})
    assert app.config["STORE_URL"] == f"sqlite:///{tmp_path}/d/fieldsync.db"
    assert app.config["PORT"] == 8000 and app.config["HOST"] == "127.0.0.1"
    assert app.config["OPENAPI_VERSION"] == "3.0.3"


@pytest.mark.parametrize("suffix, text", [
    (".py", "PORT = 9001\nMAX_CONTENT_LENGTH = 1234\nHOST = 'from-file'\n"),
    (".toml", "PORT = 9001\nMAX_CONTENT_LENGTH = 1234\nHOST = 'from-file'\n"),
    (".json", json.dumps({"PORT": 9001, "MAX_CONTENT_LENGTH": 1234, "HOST": "from-file"})),
])
def test_file_then_env_then_mapping(env, tmp_path, suffix, text):
    path = tmp_path / f"fieldsync{suffix}"
    path.write_text(text)
    env.setenv("FIELDSYNC_CONFIG", str(path))
    env.setenv("FIELDSYNC_PORT", "9002")            # env beats the file (and is parsed: int)
    env.setenv("FIELDSYNC_DATA_DIR", str(tmp_path / "env-data"))
    app = build({"HOST": "from-mapping"})           # the mapping beats everything
    assert app.config["MAX_CONTENT_LENGTH"] == 1234  # only the file set it
    assert app.config["PORT"] == 9002
    assert app.config["HOST"] == "from-mapping"
    assert app.config["DATA_DIR"] == str(tmp_path / "env-data")
    assert app.config["STORE_URL"] == f"sqlite:///{tmp_path}/env-data/fieldsync.db"
    assert "CONFIG" not in app.config


@pytest.mark.parametrize("name, text, needle", [
    ("missing.toml", None, "no such file"),
    ("bad.toml", "PORT = = 1", "bad.toml"),
    ("bad.json", "{nope", "bad.json"),
    ("conf.yaml", "PORT: 1", "use a .py, .toml or .json file"),
])
def test_unusable_config_file_is_a_clear_error(env, tmp_path, name, text, needle):
    path = tmp_path / name
    if text is not None:
        path.write_text(text)
    env.setenv("FIELDSYNC_CONFIG", str(path))
    with pytest.raises(ConfigError, match=needle):
        create_app({"DATA_DIR": str(tmp_path / "d")})


def test_secret_key_is_generated_once_and_kept(env, tmp_path):
    first = build({"DATA_DIR": str(tmp_path / "d")}).config["SECRET_KEY"]
    second = build({"DATA_DIR": str(tmp_path / "d")}).config["SECRET_KEY"]
    assert len(first) == 64 and first == second
    assert (tmp_path / "d" / "secret_key").stat().st_mode & 0o777 == 0o600
    assert build({"DATA_DIR": str(tmp_path / "d"), "SECRET_KEY": "given"}).config[
        "SECRET_KEY"] == "given"


def test_store_is_opened_once_per_app_and_outlives_requests(tmp_path):
    app = make_app(tmp_path / "d")
    store = app.extensions[STORE_KEY]
    client = app.test_client()
    client.get("/api/v1/me")
    client.get("/api/v1/me")
    assert app.extensions[STORE_KEY] is store
    store.commit([Put("probe", "x", {"n": 1})])  # still open after requests
    close_store(app)
    close_store(app)  # idempotent
    reopened = make_app(tmp_path / "d")  # lock released, data durable
    assert reopened.extensions[STORE_KEY].get("probe", "x").doc == {"n": 1}
    close_store(reopened)


def test_a_second_server_on_the_same_sqlite_file_is_refused(app, tmp_path):
    app.extensions[STORE_KEY].claim_serving()
    admin_tool = make_app(tmp_path / "data")  # the CLI opens it beside the server: allowed
    try:
        with pytest.raises(StoreLocked, match="in use by another fieldsync server"):
            admin_tool.extensions[STORE_KEY].claim_serving()
    finally:
        close_store(admin_tool)
