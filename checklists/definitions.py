"""Loading definitions from dicts, JSON or YAML text, and files.

All roads go through ``DefinitionSchema``, so a definition posted to the API,
shipped as a template file or pulled onto a device is validated identically,
and every error is reported at once with its exact path.

YAML is read with ``yaml.SafeLoader`` minus the implicit timestamp rule: an
unquoted ``2024-05-01`` stays the string ``"2024-05-01"`` (what a ``date``
answer is), instead of becoming a ``datetime.date`` no answer could equal.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import yaml
from marshmallow import ValidationError

from checklists import expressions
from checklists.errors import DefinitionInvalid, flatten_errors
from checklists.model import Definition
from checklists.schema import DefinitionSchema

_SCHEMA = DefinitionSchema()


def load_definition(data: Any, *, publishing: bool = False) -> Definition:
    """Validate ``data`` and build the immutable definition.

    ``publishing``: also apply the checks only new definitions must pass
    (``checklists.expressions.publishing``); a stored one is loaded without them.
    Raises :class:`DefinitionInvalid` whose ``.errors`` lists every problem as
    ``{"sections[2].items[5].deduction.max": ["..."]}``.
    """
    if not isinstance(data, dict):
        raise DefinitionInvalid({"_schema": ["a definition must be a JSON object"]})
    try:
        if publishing:
            with expressions.publishing():
                return _SCHEMA.load(data)
        return _SCHEMA.load(data)
    except ValidationError as err:
        raise DefinitionInvalid(flatten_errors(err.messages)) from None


class _NoTimestampLoader(yaml.SafeLoader):
    """SafeLoader that leaves dates as strings (see module docstring)."""


_NoTimestampLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def parse_definition_text(text: str | bytes, fmt: str = "json") -> Any:
    """Parse JSON or YAML text into plain data (no validation)."""
    try:
        if fmt == "json":
            return orjson.loads(text)
        if fmt in ("yaml", "yml"):
            return yaml.load(text, Loader=_NoTimestampLoader)  # noqa: S506 - safe loader subclass
    except (orjson.JSONDecodeError, yaml.YAMLError) as err:
        raise DefinitionInvalid({"_schema": [f"not valid {fmt.upper()}: {err}"]}) from None
    raise ValueError(f"unknown definition format {fmt!r} (json or yaml)")


def load_definition_text(text: str | bytes, fmt: str = "json") -> Definition:
    """Parse and validate a definition given as JSON or YAML text."""
    return load_definition(parse_definition_text(text, fmt))


def load_definition_file(path: str | Path) -> Definition:
    """Load a ``.json``, ``.yaml`` or ``.yml`` definition file."""
    path = Path(path)
    fmt = "json" if path.suffix.lower() == ".json" else "yaml"
    return load_definition_text(path.read_bytes(), fmt)
