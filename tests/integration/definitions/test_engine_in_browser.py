"""The engine's ES modules load and score in a browser (Debian's Chromium), not only in node.

The field app imports them as they are, with no build step; this checks that
nothing node-only slipped in and that a browser scores a built-in template as
the server does.
"""
from __future__ import annotations

import json
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from checklists import builtin_definitions, load_definition, score_result
from tests.browsers import launch_chromium

pytestmark = pytest.mark.slow  # a browser start

ROOT = Path(__file__).resolve().parents[3]
STATIC = ROOT / "server" / "field_app" / "static"
PAGE = """<!doctype html><meta charset="utf-8"><script type="module">
import { compileDefinition, evaluate } from './js/engine/index.js';
const form = compileDefinition({definition: DEFINITION, status: 'published'});
const ev = evaluate(form, ANSWERS);
window.result = {total: ev.score.total, max: ev.score.max, band: ev.score.band,
                 problems: ev.problems.map((p) => p.path)};
</script>"""


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass


def test_a_browser_scores_a_template_like_the_server(tmp_path):
    definition = load_definition(builtin_definitions()[0])
    answers = {item.id: {"value": "pass"} for _, item in definition.iter_items()
               if item.type == "check"}
    expected = score_result(definition, answers)
    (tmp_path / "js").symlink_to(STATIC / "js")
    page_text = PAGE.replace("DEFINITION", json.dumps(definition.to_dict())).replace(
        "ANSWERS", json.dumps(answers))
    (tmp_path / "index.html").write_text(page_text, encoding="utf-8")
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(tmp_path)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as pw:
            browser = launch_chromium(pw)
            page = browser.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(f"http://127.0.0.1:{server.server_port}/index.html")
            page.wait_for_function("window.result !== undefined", timeout=20_000)
            result = page.evaluate("window.result")
            browser.close()
    finally:
        server.shutdown()
    assert errors == []
    assert result == {"total": expected.total, "max": expected.max,
                      "band": expected.band.id if expected.band else None, "problems": []}
