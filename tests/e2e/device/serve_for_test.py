"""A real fieldsync server for the device end-to-end test: ``python -m ... DATA_DIR PORT``.

Seeds (idempotently) site A, the user ``guard-a`` and the test checklist, then
serves with waitress on 127.0.0.1 -- the same app object production runs.
"""
from __future__ import annotations

import sys


def main(data_dir: str, port: int) -> None:
    from waitress import serve

    from server.services.accounts import sites, users
    from server.extensions import STORE_KEY
    from server.services import definitions
    from tests.conftest import FAST_HASH, PASSWORD, make_app
    from tests.e2e.device.conftest import DEFINITION

    app = make_app(data_dir)
    store = app.extensions[STORE_KEY]
    site = sites.find_site(store, "A") or sites.create_site(store, code="A", name="Site A")
    if users.find_user(store, "guard-a") is None:
        users.create_user(store, username="guard-a", password=PASSWORD, role="guard",
                          site_ids=[site["id"]], hash_method=FAST_HASH)
    definitions.install(store, DEFINITION, by="test")
    print("ready", flush=True)
    serve(app, host="127.0.0.1", port=port, threads=4, ident="fieldsync-test")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
