"""Free-form JSON values from devices: bounded at validation, storable or not.

WHY: a few mutation fields (a ticket's ``measurements``, checklist answers)
take any JSON a device sends. Unbounded, one such value -- nested 253 deep,
say -- passed validation and then failed to serialise at commit, answering
500 on every resend so the device's queue never drained. ``JsonBounds``
refuses such values at validation (the mutation is rejected naming the
field); ``storage_problem`` is the last check before a document joins a
commit; ``json_text`` writes any parsed value as JSON text, however deep, so
a mutation that cannot be stored as a document is still kept as evidence.
"""
from __future__ import annotations

import json
from typing import Any

import orjson
from marshmallow import ValidationError, validate

INT_MIN, INT_MAX = -(2 ** 63), 2 ** 64 - 1  # what orjson (and so the store) keeps as ints


class JsonBounds(validate.Validator):
    """Refuse a free-form value deeper, wider or longer than a device ever needs."""

    def __init__(self, *, max_depth: int = 8, max_keys: int = 200, max_items: int = 1000,
                 max_string: int = 4000, max_values: int = 10_000):
        self.max_depth, self.max_keys, self.max_items = max_depth, max_keys, max_items
        self.max_string, self.max_values = max_string, max_values

    def __call__(self, value: Any) -> Any:
        problem = self.problem(value)
        if problem is not None:
            raise ValidationError(problem)
        return value

    def problem(self, value: Any) -> str | None:
        """Why ``value`` is out of bounds (with the path inside it), or None."""
        # Paths are kept as (key, parent) links and spelt out only for the answer:
        # this runs on every pushed result's answers.
        stack: list[tuple[Any, int, tuple | None]] = [(value, 0, None)]
        seen = 0
        while stack:
            item, depth, trail = stack.pop()
            seen += 1
            kind = type(item)
            if kind is dict or kind is list:
                if depth >= self.max_depth:
                    return f"is nested deeper than {self.max_depth} levels{_where(trail)}"
                if kind is dict:
                    if len(item) > self.max_keys:
                        return f"has more than {self.max_keys} keys{_where(trail)}"
                    for key, inner in item.items():
                        if len(key) > self.max_string:
                            return f"has a key longer than {self.max_string} " \
                                   f"characters{_where(trail)}"
                        stack.append((inner, depth + 1, (key, trail)))
                else:
                    if len(item) > self.max_items:
                        return f"has more than {self.max_items} items{_where(trail)}"
                    stack.extend((inner, depth + 1, (n, trail)) for n, inner in enumerate(item))
                if seen + len(stack) > self.max_values:
                    return f"holds more than {self.max_values} values in all"
            elif kind is str:
                if len(item) > self.max_string:
                    return f"has a text longer than {self.max_string} characters{_where(trail)}"
            elif kind is int and not INT_MIN <= item <= INT_MAX:
                return f"has an integer beyond 64 bits{_where(trail)}"
        return None


def _where(trail: tuple | None) -> str:
    steps = []
    while trail is not None:
        key, trail = trail
        steps.append(str(key))
    return " at " + ".".join(reversed(steps)) if steps else ""


def storage_problem(doc: dict) -> str | None:
    """Why ``doc`` cannot be stored as a JSON document, or None.

    orjson is the strictest encoder the stores use (at most 254 levels,
    integers within 64 bits, string keys), so what it encodes every store keeps.
    """
    try:
        orjson.dumps(doc)
    except orjson.JSONEncodeError as exc:
        return str(exc)
    return None


class _Token(str):
    """Literal JSON text queued by ``json_text`` (not a value to encode)."""


def json_text(value: Any) -> str:
    """``value`` (parsed JSON) as compact JSON text, without recursion: any depth works."""
    out: list[str] = []
    stack: list[Any] = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, _Token):
            out.append(item)
        elif isinstance(item, dict):
            parts: list[Any] = []
            for n, (key, inner) in enumerate(item.items()):
                parts += [_Token(("," if n else "") + json.dumps(key, ensure_ascii=False) + ":"),
                          inner]
            stack += [_Token("}"), *reversed(parts), _Token("{")]
        elif isinstance(item, list):
            parts = []
            for n, inner in enumerate(item):
                parts += [_Token(",")] * bool(n) + [inner]
            stack += [_Token("]"), *reversed(parts), _Token("[")]
        else:
            out.append(json.dumps(item, ensure_ascii=False))
    return "".join(out)
