"""Answer errors grouped by checklist item, for a person fixing an answers file.

The checklist code names each error by a flat path
(``answers.qm.environment.stairs.photos``), marshmallow by nested dicts; item
ids contain dots themselves, so only the definition can tell where the item
id ends and the field begins. An inspector with 27 errors needs them listed
item by item, with the label they see on the form, not one long line.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .errors import flat_errors


@dataclass
class ItemProblems:
    """The errors of one item (``item_id`` None: errors not about any one item)."""

    item_id: str | None
    label: dict = field(default_factory=dict)  # {"zh": ..., "en": ...}
    errors: list[tuple[str, str]] = field(default_factory=list)  # (field or "", message)


def item_labels(definition: dict) -> dict[str, dict]:
    """Item id -> label of a definition in its JSON form, in document order."""
    return {item["id"]: item.get("label") or {}
            for section in definition.get("sections", []) for item in section.get("items", [])}


def group_by_item(definition: dict, errors) -> list[ItemProblems]:
    """``errors`` grouped by item in the checklist's order; other errors come first."""
    labels = item_labels(definition)
    by_item: dict[str | None, ItemProblems] = {}
    for path, message in flat_errors(errors):
        item_id, rest = _split(path, labels)
        group = by_item.setdefault(item_id, ItemProblems(item_id, labels.get(item_id, {})))
        group.errors.append((rest, message))
    order = {item_id: n for n, item_id in enumerate(labels)}
    return sorted(by_item.values(),
                  key=lambda g: -1 if g.item_id is None else order.get(g.item_id, len(order)))


def _split(path: str, labels: dict[str, dict]) -> tuple[str | None, str]:
    """``answers.<item id>[.<field>]`` -> (item id, field); the longest known id wins."""
    if not path.startswith("answers."):
        return None, path
    tail = path[len("answers."):]
    known = [i for i in labels if tail == i or tail.startswith(i + ".") or
             tail.startswith(i + "[")]
    if not known:  # an item the checklist does not have ("unknown item"): its own group
        return tail, ""
    item_id = max(known, key=len)
    return item_id, tail[len(item_id):].lstrip(".")
