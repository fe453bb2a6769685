"""Per-type checks of an answer's ``value`` (see :mod:`checklists.answers`).

Each checker returns an error message or ``None``. They are plain functions
rather than marshmallow fields because the accepted shape depends on the item
(its options, limits, length), and because validating a result must stay
cheap enough to run on every pushed mutation.
"""
from __future__ import annotations

import math
import re
from datetime import date, time
from typing import Any, Callable

from checklists.model import Item

SHA256 = re.compile(r"^[0-9a-f]{64}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"^\d{2}:\d{2}(:\d{2})?$")
MAX_CODE_LENGTH = 256


def is_sha256(value: Any) -> bool:
    """A photo reference: 64 lowercase hex digits."""
    return isinstance(value, str) and SHA256.match(value) is not None


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _check(item: Item, value: Any) -> str | None:
    if value not in ("pass", "fail"):
        return "must be 'pass' or 'fail'"
    return None


def _choice(item: Item, value: Any) -> str | None:
    known = item.options_by_id
    if item.multiple:
        if not isinstance(value, list) or not value:
            return "must be a non-empty list of option ids"
        bad = [v for v in value if not isinstance(v, str) or v not in known]
        if bad:
            return f"unknown option {bad[0]!r} (options: {', '.join(known)})"
        if len(set(value)) != len(value):
            return "an option is picked twice"
        alone = [v for v in value if known[v].exclusive]
        if alone and len(value) > 1:
            option = known[alone[0]].label
            return (f"{alone[0]!r} ({option.zh} / {option.en}) excludes every other option: "
                    f"pick it alone")
        return None
    if not isinstance(value, str) or value not in known:
        return f"must be one of the option ids: {', '.join(known)}"
    return None


def _reading(item: Item, value: Any) -> str | None:
    if not is_number(value):
        return "must be a number"
    limits = item.limits
    if limits is not None and not limits.contains(value):
        low = "…" if limits.min is None else f"{limits.min:g}"
        high = "…" if limits.max is None else f"{limits.max:g}"
        return f"{value:g} is outside the plausible range [{low}, {high}] (a typo?)"
    return None


def _text(item: Item, value: Any) -> str | None:
    if not isinstance(value, str):
        return "must be a string"
    if len(value) > item.max_length:
        return f"longer than {item.max_length} characters"
    return None


def _signature(item: Item, value: Any) -> str | None:
    if not isinstance(value, dict) or set(value) != {"signer", "image"}:
        return "must be {signer: name, image: sha256 of the signature image}"
    if not isinstance(value["signer"], str) or not value["signer"].strip():
        return "signer must be a non-blank name"
    if not is_sha256(value["image"]):
        return "image must be a sha256 (64 lowercase hex digits)"
    return None


def _checkpoint(item: Item, value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_CODE_LENGTH:
        return f"must be the scanned tag code (1-{MAX_CODE_LENGTH} characters)"
    return None


def _date(item: Item, value: Any) -> str | None:
    if isinstance(value, str) and _DATE.match(value):
        try:
            date.fromisoformat(value)
            return None
        except ValueError:
            pass
    return "must be a date YYYY-MM-DD"


def _time(item: Item, value: Any) -> str | None:
    if isinstance(value, str) and _TIME.match(value):
        try:
            time.fromisoformat(value)
            return None
        except ValueError:
            pass
    return "must be a time HH:MM or HH:MM:SS"


def _calculated(item: Item, value: Any) -> str | None:
    return "a calculated item is computed, not answered"


def _photo(item: Item, value: Any) -> str | None:
    return "photo items take no value: list the photos under 'photos'"


VALUE_CHECKERS: dict[str, Callable[[Item, Any], str | None]] = {
    "check": _check, "choice": _choice, "reading": _reading, "text": _text,
    "photo": _photo, "signature": _signature, "checkpoint": _checkpoint,
    "date": _date, "time": _time, "calculate": _calculated,
}


def value_error(item: Item, value: Any) -> str | None:
    """Why ``value`` is not a valid answer to ``item`` (None when it is)."""
    return VALUE_CHECKERS[item.type](item, value)
