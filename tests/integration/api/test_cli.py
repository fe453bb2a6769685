"""The ``fieldsync`` console script: account admin, demo, serve, and clear failures."""
import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from server.services.accounts import users
from server.cli import main

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(__file__))))


def ok(result):
    assert result.exit_code == 0, result.output
    return result.output


def fails(result, message):
    assert result.exit_code == 1, result.output
    assert f"Error: {message}" in result.output
    assert "Traceback" not in result.output
    return result.output


def fieldsync(*args, **kw):
    """Run the CLI as its own process, as an operator would."""
    return subprocess.run([sys.executable, "-m", "server.cli", *args], cwd=REPO,
                          capture_output=True, text=True, timeout=60, **kw)


@pytest.mark.parametrize("command", [[], ["init"], ["serve"], ["demo"], ["user"], ["user", "add"],
                                     ["user", "list"], ["user", "disable"], ["site", "add"],
                                     ["site", "list"], ["devices", "list"], ["devices", "revoke"],
                                     ["device", "show"], ["device", "answers-template"],
                                     ["device", "fill"]])
def test_every_command_has_help(runner, command):
    assert "Usage:" in ok(runner.invoke(main, [*command, "--help"]))


def test_user_add_list_disable_enable(runner, app_store):
    ok(runner.invoke(main, ["site", "add", "NHG", "南湖花园"]))
    out = ok(runner.invoke(main, ["user", "add", "wang", "--role", "supervisor",
                                  "--password", "long enough", "--name", "王经理",
                                  "--site", "nhg"]))
    assert "created supervisor wang" in out
    wang = users.find_user(app_store, "wang")
    assert wang["display_name"] == "王经理" and len(wang["site_ids"]) == 1
    listing = ok(runner.invoke(main, ["user", "list"]))
    assert "wang" in listing and "NHG" in listing and "active" in listing
    ok(runner.invoke(main, ["user", "disable", "wang"]))
    assert users.find_user(app_store, "wang")["disabled"] is True
    assert "DISABLED" in ok(runner.invoke(main, ["user", "list"]))
    ok(runner.invoke(main, ["user", "enable", "WANG"]))
    assert users.find_user(app_store, "wang")["disabled"] is False


def test_password_is_prompted_for_when_not_given(runner, app_store):
    ok(runner.invoke(main, ["user", "add", "liwei", "--role", "guard"],
                     input="a good password\na good password\n"))
    assert users.check_password(app_store, "liwei", "a good password")["role"] == "guard"


def test_user_add_errors_are_one_clear_line(runner, accounts):
    accounts.user("guard", username="taken")
    result = runner.invoke(main, ["user", "add", "x1", "--role", "boss", "--password", "p" * 9])
    assert result.exit_code == 2 and "'boss' is not one of" in result.output
    fails(runner.invoke(main, ["user", "add", "TAKEN", "--role", "guard", "--password",
                               "p" * 9]), "username 'TAKEN' is already taken")
    fails(runner.invoke(main, ["user", "add", "new", "--role", "guard", "--password", "short"]),
          "password: Use at least 8 characters.")
    fails(runner.invoke(main, ["user", "add", "new", "--role", "guard", "--password", "p" * 9,
                               "--site", "NOPE"]), "no site with code 'NOPE'")
    fails(runner.invoke(main, ["user", "disable", "ghost"]), "no user named 'ghost'")


def test_site_add_list_and_duplicate(runner):
    ok(runner.invoke(main, ["site", "add", "BJT", "滨江大厦"]))
    assert "滨江大厦" in ok(runner.invoke(main, ["site", "list"]))
    fails(runner.invoke(main, ["site", "add", "bjt", "again"]), "site code 'bjt' is already in use")
    fails(runner.invoke(main, ["site", "add", "bad code", "x"]), "code:")


def test_device_list_and_revoke(runner, accounts, client):
    guard = accounts.user("guard", username="zhao")
    token = accounts.token(guard, device_name="phone 3")
    listing = ok(runner.invoke(main, ["devices", "list", "--user", "zhao"]))
    assert "zhao" in listing and "phone 3" in listing and "active" in listing
    device_id = listing.split()[0]
    assert "revoked" in ok(runner.invoke(main, ["devices", "revoke", device_id]))
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}
                      ).status_code == 401
    assert "revoked" in ok(runner.invoke(main, ["devices", "list"]))
    fails(runner.invoke(main, ["devices", "revoke", "nope"]), "device nope not found")


def test_demo_creates_every_role_once_and_prints_credentials(runner, app_store, client):
    first = ok(runner.invoke(main, ["demo", "--no-serve"]))
    for role in ("admin", "supervisor", "engineer", "guard"):
        assert role in first
    assert first.count("(published)") == 7 and "cs-supervision@3" in first
    again = ok(runner.invoke(main, ["demo", "--no-serve"]))  # idempotent
    assert again == first.replace("(published)", "(already there)")
    assert app_store.count("definitions", "all", "all") == 7
    assert app_store.count("users", "all", "all") == 5
    assert app_store.count("sites", "all", "all") == 2
    resp = client.post("/api/v1/auth/login", json={"username": "guard", "password": "demo-guard"})
    assert resp.status_code == 200


def test_admin_commands_work_while_a_server_serves_the_same_data_dir(tmp_path):
    data = str(tmp_path / "d")
    with running_server(data) as port:
        added = fieldsync("--data-dir", data, "user", "add", "late", "--role", "guard",
                          "--password", "pw-pw-pw-pw")
        assert added.returncode == 0, added.stderr
        # the serving process sees the new user at once: it can log in
        body = json.dumps({"username": "late", "password": "pw-pw-pw-pw",
                           "device_name": "phone"}).encode()
        request = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/auth/device-login",
                                         data=body, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request) as r:
            assert r.status == 201 and json.load(r)["token"]
        second = fieldsync("--data-dir", data, "serve", "--port", str(free_port()))
        assert second.returncode == 1 and "in use by another fieldsync server" in second.stderr
        assert "Traceback" not in second.stderr


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_server(data_dir):
    """``fieldsync serve`` as its own process; yields its port once it answers HTTP."""
    port = free_port()
    assert fieldsync("--data-dir", data_dir, "init").returncode == 0
    proc = subprocess.Popen([sys.executable, "-m", "server.cli", "--data-dir", data_dir,
                             "serve", "--port", str(port)], cwd=REPO,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:  # readiness is the server answering, polled (not a fixed sleep)
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/openapi.json") as r:
                    assert json.load(r)["openapi"] == "3.0.3"
                    break
            except OSError:
                assert proc.poll() is None, proc.stdout.read()
                assert time.monotonic() < deadline, "server did not come up"
                time.sleep(0.1)
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        proc.stdout.close()


def test_serve_answers_http(tmp_path):
    with running_server(str(tmp_path / "d")):
        pass


def test_unusable_config_file_is_a_clear_cli_error(tmp_path):
    result = fieldsync("--data-dir", str(tmp_path / "d"), "site", "list",
                       env={**os.environ, "FIELDSYNC_CONFIG": str(tmp_path / "missing.toml")})
    assert result.returncode == 1 and "no such file" in result.stderr
    assert "Traceback" not in result.stderr


def test_db_current_backup_and_copy(runner, team, tmp_path):
    from server.store.sql_migrate import head_revision
    head = head_revision()
    assert f"revision {head}; this server needs {head}" in ok(runner.invoke(main, ["db", "current"]))
    assert f"already at {head}" in ok(runner.invoke(main, ["db", "upgrade"]))
    backup = str(tmp_path / "backup.db")
    assert "backup written to" in ok(runner.invoke(main, ["db", "backup", backup]))
    fails(runner.invoke(main, ["db", "backup", backup]), f"{backup} exists")
    copied = runner.invoke(main, ["db", "copy", f"sqlite:///{backup}",
                                  f"sqlite:///{tmp_path / 'moved.db'}"])
    assert "copied and verified" in ok(copied)
    fails(runner.invoke(main, ["db", "copy", f"sqlite:///{backup}",
                               f"sqlite:///{tmp_path / 'moved.db'}"]),
          f"{tmp_path / 'moved.db'} is not empty")
    fails(runner.invoke(main, ["db", "copy", "mysql://x", f"sqlite:///{tmp_path / 'z.db'}"]),
          "mysql://x: unknown STORE_URL")


def test_a_missing_data_dir_is_refused_and_not_created(tmp_path):
    typo = tmp_path / "fieldsync-dta"
    for args in (["--data-dir", str(typo), "user", "list"], ["serve"]):
        result = fieldsync(*args, env={**os.environ, "FIELDSYNC_DATA_DIR": str(typo)})
        assert result.returncode == 1, result.stdout
        assert result.stderr.strip() == (f"Error: no data directory {typo} (create one with "
                                         f"`fieldsync --data-dir {typo} init`)")
    assert not typo.exists()


def test_init_creates_the_data_dir_and_then_commands_work(tmp_path):
    data_dir = tmp_path / "new" / "data"
    created = fieldsync("--data-dir", str(data_dir), "init")
    assert created.returncode == 0 and f"data directory {data_dir} is ready" in created.stdout
    assert data_dir.is_dir()
    assert fieldsync("--data-dir", str(data_dir), "init").returncode == 0  # idempotent
    added = fieldsync("--data-dir", str(data_dir), "site", "add", "NHG", "南湖花园")
    assert added.returncode == 0, added.stderr
    assert "NHG" in fieldsync("--data-dir", str(data_dir), "site", "list").stdout


def test_demo_creates_a_missing_data_dir(tmp_path):
    data_dir = tmp_path / "demo-data"
    result = fieldsync("--data-dir", str(data_dir), "demo", "--no-serve")
    assert result.returncode == 0, result.stderr
    assert "engineer" in result.stdout and data_dir.is_dir()
