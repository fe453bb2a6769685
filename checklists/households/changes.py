"""The monthly change list (《重点户异动表》, seed 003 §4.2.5) for each team.

Compares two states of a site's register by household id. Each team gets the
households whose categories concern it (``TEAM_CATEGORIES``), with where
they are, their categories and the *names* of the fields that changed --
never the values, so the list can be forwarded without the personal file.
"""
from __future__ import annotations

from typing import Any, Iterable, Mapping

from .categories import TEAM_CATEGORIES, TEAMS

#: fields a change of which is not news to the teams (bookkeeping)
_IGNORED = frozenset({"id", "site_id", "created_at", "updated_at", "updated_by", "version"})
ADDED, CHANGED, REMOVED = "added", "changed", "removed"


def monthly_changes(before: Iterable[Mapping[str, Any]],
                    after: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, list[dict]]]:
    """``{team: {"added": [...], "changed": [...], "removed": [...]}}`` from before to after.

    A household changed from categories one team does not see to ones it
    does appears to that team as added (and the other way round as removed).
    """
    old = {h["id"]: h for h in before}
    new = {h["id"]: h for h in after}
    out = {}
    for team in TEAMS:
        concerns = TEAM_CATEGORIES[team]
        lists: dict[str, list[dict]] = {ADDED: [], CHANGED: [], REMOVED: []}
        for hid in sorted(old.keys() | new.keys()):
            was = _seen_by(old.get(hid), concerns)
            now = _seen_by(new.get(hid), concerns)
            if was and now:
                fields = _changed_fields(old[hid], new[hid])
                if fields:
                    lists[CHANGED].append(_line(new[hid], concerns, fields))
            elif now:
                lists[ADDED].append(_line(new[hid], concerns))
            elif was:
                lists[REMOVED].append(_line(old[hid], concerns))
        for entries in lists.values():
            entries.sort(key=lambda e: (e["building"], e["unit"], e["household_id"]))
        out[team] = lists
    return out


def _seen_by(household: Mapping[str, Any] | None, concerns: frozenset[str]) -> bool:
    return household is not None and bool(concerns.intersection(household["categories"]))


def _changed_fields(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    return sorted(k for k in (old.keys() | new.keys())
                  if k not in _IGNORED and old.get(k) != new.get(k))


def _line(household: Mapping[str, Any], concerns: frozenset[str],
          fields: list[str] | None = None) -> dict[str, Any]:
    line = {"household_id": household["id"], "building": household["building"],
            "unit": household["unit"],
            "categories": [c for c in household["categories"] if c in concerns]}
    if fields is not None:
        line["changed_fields"] = fields
    return line
