"""Errors raised by the checklist domain, with flat, path-named messages.

Both exceptions carry ``.errors``: a flat ``{path: [message, ...]}`` dict that
lists *every* problem found, not only the first, so a definition author or a
device developer can fix everything in one round trip.

Paths read like the JSON they describe: ``sections[2].items[5].deduction.max``
for definitions and ``answers.<item_id>.<field>`` for answers (item ids may
contain dots; the field is always the last segment).
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: marshmallow's key for errors that belong to a whole (sub)schema.
_SCHEMA_KEY = "_schema"


class ChecklistError(ValueError):
    """Base class: a checklist input was refused; ``.errors`` says why."""

    kind = "input"

    def __init__(self, errors: Mapping[str, list[str]]):
        self.errors: dict[str, list[str]] = {k: list(v) for k, v in errors.items()}
        first = next(iter(self.errors.items()), ("", ["invalid"]))
        more = len(self.errors) - 1
        suffix = f" (and {more} more)" if more > 0 else ""
        super().__init__(f"invalid {self.kind}: {first[0]}: {first[1][0]}{suffix}")


class DefinitionInvalid(ChecklistError):
    """A checklist definition failed validation."""

    kind = "definition"


class AnswersInvalid(ChecklistError):
    """A set of answers does not fit the definition version it names."""

    kind = "answers"


def flatten_errors(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    """Turn marshmallow's nested error dict into ``{"a.b[2].c": [...]}``.

    Integer keys are list indexes (``[2]``); ``_schema`` errors belong to the
    object they sit in, so they are filed under that object's own path (or
    ``_schema`` at the root).
    """
    flat: dict[str, list[str]] = {}
    _flatten_into(flat, messages, prefix)
    return flat


def _flatten_into(flat: dict[str, list[str]], messages: Any, path: str) -> None:
    if isinstance(messages, Mapping):
        for key, sub in messages.items():
            _flatten_into(flat, sub, _join(path, key))
        return
    if isinstance(messages, (list, tuple)):
        for sub in messages:
            if isinstance(sub, (Mapping, list, tuple)):
                _flatten_into(flat, sub, path)
            else:
                flat.setdefault(path or _SCHEMA_KEY, []).append(str(sub))
        return
    flat.setdefault(path or _SCHEMA_KEY, []).append(str(messages))


def _join(path: str, key: Any) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    if key == _SCHEMA_KEY:
        return path
    return f"{path}.{key}" if path else str(key)
