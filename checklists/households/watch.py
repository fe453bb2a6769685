"""What guards may know of the key households: the place, the category, what to watch.

The guard view is built from an allow-list of fields (``GUARD_FIELDS``),
never by deleting personal ones from a copy of the file, so a field added
to the record later cannot leak to devices by being forgotten here.
"""
from __future__ import annotations

from typing import Any, Iterable, Mapping

from .categories import LABELS, watch_items_for

#: the only household fields a guard's view carries
GUARD_FIELDS = ("id", "building", "unit", "checkpoint_tag")


def watch_items(household: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Per category of ``household``: its label and what a patrol watches.

    Categories with nothing to watch on patrol (bad credit) are left out,
    so a guard is not told about them at all.
    """
    seen: set[str] = set()
    out = []
    for category in household["categories"]:
        items = [i.to_doc() for i in watch_items_for(category) if i.code not in seen]
        seen.update(i["code"] for i in items)
        if watch_items_for(category):
            out.append({"category": category, "label": LABELS[category], "watch": items})
    return out


def guard_entry(household: Mapping[str, Any]) -> dict[str, Any] | None:
    """The guard's line for one household, or None when there is nothing to watch."""
    watch = watch_items(household)
    if not watch:
        return None
    entry = {name: household.get(name) for name in GUARD_FIELDS}
    entry["household_id"] = entry.pop("id")
    entry["categories"] = watch
    return entry


def guard_view(site_id: str, households: Iterable[Mapping[str, Any]],
               generated_at: str) -> dict[str, Any]:
    """The per-site document guards read and pull: households by building and unit."""
    entries = [e for e in map(guard_entry, households) if e is not None]
    entries.sort(key=lambda e: (e["building"], e["unit"], e["household_id"]))
    return {"id": site_id, "site_id": site_id, "generated_at": generated_at,
            "households": entries}
