"""Free-form JSON values: bounds with a path, storability, and text at any depth."""
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sync.json_values import JsonBounds, json_text, storage_problem

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=30)


def nested(depth):
    value = 0
    for _ in range(depth):
        value = {"k": [value]}
    return value


@given(json_values)
def test_json_text_is_what_json_would_write(value):
    assert json.loads(json_text(value)) == value


def test_json_text_and_bounds_work_at_any_depth():
    deep = nested(5000)
    assert json_text(deep).startswith('{"k":[{"k":[')
    assert storage_problem(deep) is not None and storage_problem(nested(10)) is None


@pytest.mark.parametrize("value, problem", [
    (nested(3), "is nested deeper than 4 levels at k.0.k.0"),
    ({"a": list(range(6))}, "has more than 5 items at a"),
    ({str(n): n for n in range(6)}, "has more than 5 keys"),
    ({"a": {"b": "x" * 11}}, "has a text longer than 10 characters at a.b"),
    ({"a": [0, {"z": 2 ** 64}]}, "has an integer beyond 64 bits at a.1.z"),
    ([[1, 2, 3], [4, 5, 6]], "holds more than 6 values in all"),
])
def test_bounds_name_the_problem_and_where(value, problem):
    bounds = JsonBounds(max_depth=4, max_keys=5, max_items=5, max_string=10, max_values=6)
    assert bounds.problem(value) == problem


def test_values_within_bounds_pass():
    assert JsonBounds().problem({"temp": 21.5, "ok": True, "readings": [1, 2, None]}) is None
