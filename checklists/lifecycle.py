"""Definition lifecycle rules: draft → published → retired (the pure part).

* A **draft** may be edited in place; it is never used for results.
* **Publishing** freezes the version for ever: results carry ``id`` and
  ``version`` and are validated and scored against exactly that content, so an
  edit of a published definition creates the next version as a new draft.
* **Retired** versions take no new assignments, but results filled against
  them (possibly offline, before the retirement reached the device) are still
  accepted: field data is evidence and is never refused for being late.

The store side (who may publish, persisting the status) is the server's.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping

DRAFT, PUBLISHED, RETIRED = "draft", "published", "retired"
STATUSES = (DRAFT, PUBLISHED, RETIRED)
_TRANSITIONS = frozenset({(DRAFT, PUBLISHED), (PUBLISHED, RETIRED)})


class LifecycleError(ValueError):
    """A status change or edit the lifecycle does not allow."""


def can_transition(current: str, target: str) -> bool:
    """True for draft→published and published→retired only."""
    return (current, target) in _TRANSITIONS


def check_transition(current: str, target: str) -> None:
    """Raise :class:`LifecycleError` with a readable reason unless allowed."""
    for status in (current, target):
        if status not in STATUSES:
            raise LifecycleError(f"unknown status {status!r} (one of {', '.join(STATUSES)})")
    if not can_transition(current, target):
        raise LifecycleError(f"a {current} definition cannot become {target}")


def is_editable(status: str) -> bool:
    """Only drafts change in place."""
    return status == DRAFT


def accepts_results(status: str) -> bool:
    """Results are accepted against published and retired versions, never drafts."""
    return status in (PUBLISHED, RETIRED)


def next_version(existing_versions: Iterable[int]) -> int:
    """The version number a new version of a definition gets (1 for the first)."""
    return max(existing_versions, default=0) + 1


def version_for_edit(statuses: Mapping[int, str]) -> tuple[int, bool]:
    """Which version an edit writes to, given ``{version: status}`` of a definition.

    Returns ``(version, is_new)``: the open draft when there is one (edited in
    place), otherwise a new version after the highest — published and retired
    versions are never rewritten.
    """
    drafts = [v for v, s in statuses.items() if s == DRAFT]
    if len(drafts) > 1:
        raise LifecycleError(f"more than one draft: versions {sorted(drafts)}")
    if drafts:
        return drafts[0], False
    return next_version(statuses), True
