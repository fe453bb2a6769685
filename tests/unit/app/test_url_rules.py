"""Every route builds the URL werkzeug builds, with its builders compiled on first use."""
from __future__ import annotations

import re

import pytest
from werkzeug.routing import BuildError, Map, Rule

from server import create_app
from server.extensions import close_store

SAMPLE = {"int": 7, "sha256": "ab" * 32, "path": "a/b 1"}


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    app = create_app({"DATA_DIR": str(tmp_path_factory.mktemp("data")),
                      "STORE_URL": "memory://"})
    yield app
    close_store(app)


def _built(urls, endpoint: str, values: dict, method: str | None):
    try:
        return urls.build(endpoint, values, method=method)
    except BuildError:
        return "refused"


def test_no_builder_is_compiled_until_a_url_is_built(app):
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == "results.list_results")
    assert rule._build.__name__ == "compile_and_build"
    before = rule._build_unknown
    assert app.url_map.bind("h").build("results.list_results", {"site": "s 1"}) == \
        "/api/v1/results?site=s+1"
    assert rule._build_unknown is not before  # compiled now, and kept


def test_every_route_builds_what_a_stock_rule_builds(app):
    stock = Map([Rule(r.rule, endpoint=r.endpoint, defaults=r.defaults, methods=r.methods,
                      strict_slashes=r.strict_slashes) for r in app.url_map.iter_rules()],
                converters=app.url_map.converters)
    ours, theirs = app.url_map.bind("h", "/root"), stock.bind("h", "/root")
    compared = 0
    for rule in app.url_map.iter_rules():
        values = {arg: _sample(rule, arg) for arg in rule.arguments}
        for extra in ({}, {"q": "一 two", "n": 2}):  # both builders: with unknown values too
            for method in sorted(rule.methods or {None}):
                got = _built(ours, rule.endpoint, {**values, **extra}, method)
                assert got == _built(theirs, rule.endpoint, {**values, **extra}, method)
                compared += got != "refused"
    assert compared > 300


def _sample(rule: Rule, arg: str):
    """A value the argument's converter takes (``<int:id>``: 7; ``<any(a, b):x>``: a)."""
    found = re.search(rf"<(?:(\w+)(?:\(([^)]*)\))?:)?{arg}>", rule.rule)
    if found.group(1) == "any":
        return found.group(2).split(",")[0].strip()
    return SAMPLE.get(found.group(1), "x-1")
