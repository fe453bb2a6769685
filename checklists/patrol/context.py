"""What the server knows beyond the round itself when it judges: the site, the clocks.

Kept as an input (not looked up) so judging stays a pure function: the
service reads the site's checkpoints, the clock offset it measured at the
device's sync, when the result arrived, whether the round was already
alerted as missed and the checklist versions its visits name, and passes them in.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime

from checklists.model import Definition
from checklists.patrol.model import Checkpoint


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Where a finding becomes a flag (the duplicate-scan minute follows the guard-tour
    exception reports in the research notes; the others are judgement calls)."""

    clock_skew_s: float = 120.0         # device clock off by more: flagged (times still corrected)
    max_speed_m_s: float = 8.0          # a person running hard; faster between checkpoints: flagged
    min_travel_check_m: float = 30.0    # nearer checkpoints are not checked for speed
    unusable_accuracy_m: float = 500.0  # a coarser fix is not a position
    rapid_duplicate_s: float = 60.0     # the same tag again within this: padding the count
    photo_time_s: float = 600.0         # EXIF time this far from the scan: flagged
    late_submission_s: float = 6 * 3600.0  # submitted this long after the round ended: flagged


@dataclass(frozen=True, slots=True)
class JudgeContext:
    """``checkpoints``: the site's, by id. ``clock_offset_s``: server time minus device time,
    measured at the device's sync (added to every device time). ``now`` is needed only to
    judge an occurrence without a result. ``checklists``: the definitions of the versions
    the visits name (:func:`checklists.patrol.visit_answers.named_checklists`)."""

    checkpoints: Mapping[str, Checkpoint]
    clock_offset_s: float = 0.0
    received_at: datetime | None = None
    now: datetime | None = None
    marked_missed_at: datetime | None = None
    thresholds: Thresholds = Thresholds()
    #: the checklist versions the visits name, loaded by the service (None: not known)
    checklists: Mapping[tuple[str, int], Definition | None] = field(default_factory=dict)
    by_tag: dict[str, Checkpoint] = field(init=False, compare=False, repr=False)
    names: dict[str, str] = field(init=False, compare=False, repr=False)
    #: tag -> (lat, lon, name, checkpoint id): where a scan of that tag happened
    places: dict[str, tuple[float, float, str, str]] = field(init=False, compare=False, repr=False)
    photo_required: frozenset[str] = field(init=False, compare=False, repr=False)
    # metres between two checkpoints, filled as rounds are judged: the same pairs recur
    # every round, so a context reused for a site's rounds computes each one once
    distances: dict[tuple[str, str], float] = field(init=False, compare=False, repr=False)

    def __post_init__(self):
        cps = self.checkpoints.values()
        object.__setattr__(self, "by_tag", {c.tag: c for c in cps})
        object.__setattr__(self, "names", {c.id: c.name for c in cps})
        object.__setattr__(self, "places", {c.tag: (c.lat, c.lon, c.name, c.id) for c in cps})
        object.__setattr__(self, "photo_required", frozenset(c.id for c in cps if c.photo_required))
        object.__setattr__(self, "distances", {})

    def name_of(self, checkpoint_id: str) -> str:
        return self.names.get(checkpoint_id, checkpoint_id)

    def with_round(self, **changes) -> "JudgeContext":
        """This site's context for one round (its clock offset, arrival...), sharing the caches."""
        copy = replace(self, **changes)
        object.__setattr__(copy, "distances", self.distances)
        return copy
