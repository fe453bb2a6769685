"""Retention classes: which records are past their period and may be purged.

A record carries ``retention {class, years, keep_until}`` (violations: 1
year, major ones 5; seed 001 第二篇 4.5). Past ``keep_until`` it may go --
unless an open ticket or appeal still refers to it. "Refers" is read
generously: any string anywhere in an open ticket or appeal equal to the
record's id holds it, so a new kind of link can never let evidence slip away.
"""
from __future__ import annotations

from datetime import date
from typing import Any, Iterable

from checklists.workflow.appeals import ADJUSTED, UPHELD

#: states in which a ticket or appeal no longer holds what it refers to: a closed
#: ticket (a verified one can still be reopened), a decided appeal
FINISHED = frozenset({"closed", UPHELD, ADJUSTED})


def expired(docs: Iterable[dict], today: date) -> list[dict]:
    """The documents whose retention ended before ``today``."""
    return [d for d in docs if (d.get("retention") or {}).get("keep_until")
            and date.fromisoformat(d["retention"]["keep_until"]) < today]


def held_ids(referrers: Iterable[dict]) -> set[str]:
    """Every string inside the open ones of ``referrers`` (tickets, appeals)."""
    found: set[str] = set()
    for doc in referrers:
        if doc.get("status") not in FINISHED:
            _strings(doc, found)
    return found


def _strings(value: Any, found: set[str]) -> None:
    if isinstance(value, str):
        found.add(value)
    elif isinstance(value, dict):
        for inner in value.values():
            _strings(inner, found)
    elif isinstance(value, list):
        for inner in value:
            _strings(inner, found)


def split(candidates: list[dict], held: set[str]) -> tuple[list[dict], list[dict]]:
    """``(purgeable, held)`` among expired ``candidates``."""
    return ([d for d in candidates if d["id"] not in held],
            [d for d in candidates if d["id"] in held])
