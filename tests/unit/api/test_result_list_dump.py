"""A results page is dumped by compiled code that agrees with marshmallow or declines.

The page (``GET /api/v1/results``) spent ~2/3 of its CPU in marshmallow dumping
50 rows; its schemas are ``CompiledSchema`` now. Same promise and same mangled
inputs as ``tests/unit/sync/test_compiled_schema.py``.
"""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from marshmallow import Schema

from server.api.results import ResultListOut
from sync.compiled_schema import _Unsure, compile_dump
from tests.unit.sync.test_compiled_schema import canonical, mangled

ROW = {"id": "r-1", "site_id": "s1", "definition_id": "patrol", "definition_version": 2,
       "submitted_at": "2026-11-23T08:00:00.000000Z", "inspector": "u1", "score": 87.5,
       "percent": 0.875, "band": "good", "review_state": "pending", "flagged": False,
       "media": "complete", "root_id": "r-1"}
PAGE = {"items": [ROW, {**ROW, "id": "r-2", "score": None, "percent": None, "band": None}],
        "next_cursor": "abc", "total": 2}


def compiled_dump(obj):
    try:
        return compile_dump(ResultListOut())(obj)
    except _Unsure:
        return None


def test_a_page_takes_the_compiled_dump_and_matches():
    got = compiled_dump(PAGE)
    assert got is not None
    assert canonical(got) == canonical(Schema.dump(ResultListOut(), PAGE))


def test_a_page_without_its_items_is_left_to_marshmallow():
    """``items`` is also a dict method: marshmallow's getter would find that."""
    assert compiled_dump({"next_cursor": None}) is None


@pytest.mark.parametrize("score", [87, "87.5", True])
def test_a_score_that_is_not_a_float_is_left_to_marshmallow(score):
    assert compiled_dump({**PAGE, "items": [{**ROW, "score": score}]}) is None


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_mangled_pages_are_declined_or_dumped_as_marshmallow_does(data):
    obj = data.draw(mangled(PAGE))
    got = compiled_dump(obj)
    if got is not None:
        assert canonical(got) == canonical(Schema.dump(ResultListOut(), obj))
