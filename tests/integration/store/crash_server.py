"""The child of the crash test: a real fieldsync server on a SQLite data dir.

Run as ``python -m tests.integration.store.crash_server DATA_DIR``. It seeds a
site, a guard with a device token and a published checklist (first run only),
starts waitress on a free port and prints ``ready <port> <token> <site_id>
<token of a second device>`` once it listens -- the parent's readiness signal, so the test never guesses
start-up time with a sleep.
"""
import json
import os
import sys

from waitress.server import create_server

from server import create_app
from server.services.accounts import devices, sites, users
from server.extensions import STORE_KEY
from server.services import definitions
from tests.integration.http_sync.conftest import DEFINITION

SEED = "crash-seed.json"


def seed(app) -> dict:
    path = os.path.join(app.config["DATA_DIR"], SEED)
    if os.path.exists(path):
        with open(path) as f:
            return json.load(f)
    store = app.extensions[STORE_KEY]
    site = sites.create_site(store, code="CR", name="crash site")
    guard = users.create_user(store, username="guard", password="pw-pw-pw-pw", role="guard",
                              site_ids=[site["id"]], hash_method="pbkdf2:sha256:1000")
    token = devices.register_device(store, guard, name="phone")[1]
    second = devices.register_device(store, guard, name="phone 2")[1]
    definitions.install(store, DEFINITION, by="crash test")
    info = {"token": token, "site_id": site["id"], "second_token": second}
    with open(path, "w") as f:
        json.dump(info, f)
    return info


def main(data_dir: str) -> None:
    app = create_app({"DATA_DIR": data_dir, "SECRET_KEY": "crash"})
    info = seed(app)
    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    print(f"ready {server.effective_port} {info['token']} {info['site_id']} "
          f"{info['second_token']}", flush=True)
    server.run()


if __name__ == "__main__":
    main(sys.argv[1])
