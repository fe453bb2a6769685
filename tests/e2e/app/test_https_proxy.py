"""The README's deployment path: Caddy (Debian's ``caddy``) with ``tls internal`` in front
of the server. A phone that trusts Caddy's authority (here: Chromium told to accept the
key of its intermediate certificate, as a phone with the root installed would) logs in at a LAN host name over HTTPS, gets a secure context and the service worker,
and reopens the app offline."""
from __future__ import annotations

import base64
import hashlib
import os
import shutil
import socket
import ssl
import subprocess
import time

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from playwright.sync_api import sync_playwright

from tests.browsers import launch_chromium
from tests.conftest import PASSWORD

from .conftest import PHONE, TICKET, shot

pytestmark = pytest.mark.slow

HOST = "fieldsync.lan"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_tls(port: int, proc: subprocess.Popen, seconds: float = 30) -> None:
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    deadline = time.monotonic() + seconds
    while True:
        assert proc.poll() is None, proc.stderr.read().decode()[-2000:]
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as raw, \
                    context.wrap_socket(raw, server_hostname=HOST):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)  # polling a process we started for readiness, not a test's timing


@pytest.fixture
def caddy(live_server, tmp_path):
    """Caddy on a free port proxying to the live server, its own CA under tmp_path."""
    binary = shutil.which("caddy")
    assert binary, "install Debian's caddy to run the HTTPS deployment test"
    port, upstream = free_port(), live_server.removeprefix("http://")
    config = tmp_path / "Caddyfile"
    config.write_text(f"""{{
    admin off
    skip_install_trust
    storage file_system {tmp_path / "caddy-data"}
}}
https://{HOST}:{port} {{
    tls internal
    reverse_proxy {upstream}
}}
""")
    env = {**os.environ, "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "xdg-data"),
           "XDG_CONFIG_HOME": str(tmp_path / "xdg-config")}
    proc = subprocess.Popen([binary, "run", "--config", str(config), "--adapter", "caddyfile"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for_tls(port, proc)
        # Chromium matches keys of the chain the server presents (leaf + intermediate)
        authority = tmp_path / "caddy-data" / "pki" / "authorities" / "local"
        yield f"https://{HOST}:{port}", authority / "intermediate.crt"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def spki_hash(pem_path) -> str:
    """base64 sha256 of a certificate's public key: what Chromium's SPKI list takes."""
    cert = x509.load_pem_x509_certificate(pem_path.read_bytes())
    spki = cert.public_key().public_bytes(serialization.Encoding.DER,
                                          serialization.PublicFormat.SubjectPublicKeyInfo)
    return base64.b64encode(hashlib.sha256(spki).digest()).decode()


def test_the_app_installs_and_opens_offline_over_https_behind_caddy(caddy, work):
    base, authority = caddy
    port = base.rsplit(":", 1)[1]
    with sync_playwright() as pw:
        browser = launch_chromium(pw, f"--host-resolver-rules=MAP {HOST} 127.0.0.1",
                                  f"--ignore-certificate-errors-spki-list={spki_hash(authority)}")
        context = browser.new_context(viewport=PHONE, locale="zh-CN", service_workers="allow")
        page = context.new_page()
        page.goto(f"{base}/app/")
        assert page.evaluate("window.isSecureContext") is True
        page.fill("#login input[name=username]", "engineer-a")
        page.fill("#login input[name=password]", PASSWORD)
        page.click("#login button[type=submit]")
        page.wait_for_selector(f"#today-tickets a[data-id='{TICKET}']")
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        assert page.url.startswith(f"https://{HOST}:{port}/app/")

        context.set_offline(True)
        page.reload()
        page.wait_for_selector(f"#today-tickets a[data-id='{TICKET}']")
        assert page.evaluate("navigator.serviceWorker.controller !== null")
        shot(page, "7-https-offline")
        browser.close()
