"""The built-in templates shipped as data files in ``checklists/templates``.

Each file is one definition in the same JSON form the API takes, with zh and
en labels and a ``source`` naming the seed procedure it transcribes (and
saying where the seed text is cut or where the template had to add
something the seed does not state). They are data, not code, so an operator
can read, diff and fork them like any other definition.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

TEMPLATES_DIR = Path(__file__).with_name("templates")


def builtin_template_paths() -> list[Path]:
    """The template files, in a stable order (by file name)."""
    return sorted(TEMPLATES_DIR.glob("*.json"))


def builtin_definitions() -> list[dict[str, Any]]:
    """Fresh copies of every built-in definition as plain data (not yet validated)."""
    return [orjson.loads(path.read_bytes()) for path in builtin_template_paths()]


def builtin_definition(definition_id: str) -> dict[str, Any]:
    """One built-in definition by id; ``KeyError`` when there is none."""
    for data in builtin_definitions():
        if data.get("id") == definition_id:
            return data
    raise KeyError(definition_id)
