"""Recomputing stored scores after a scoring-rule fix (the pure part).

Definitions are immutable per version, so a stored score can only go stale
when the *rules* change (``RULES_VERSION``). ``rescore`` recomputes every
result of one definition version and reports what moved; storing the new
scores, and the command that drives it, belong to the server.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from collections.abc import Iterable, Mapping
from typing import Any

from checklists.model import Definition
from checklists.report import RULES_VERSION
from checklists.scoring import score_result


@dataclass(frozen=True)
class ScoreChange:
    """A result whose total, maximum, percent or band differs after rescoring."""

    result_id: str
    old_total: float | None
    new_total: float
    old_band: str | None
    new_band: str | None
    old_percent: float | None
    new_percent: float | None
    old_max: float | None
    new_max: float
    old_rules_version: str | None
    new_rules_version: str = RULES_VERSION

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class WrongDefinitionVersion(ValueError):
    """A result handed to ``rescore`` was filled against another definition version."""


def rescore(definition: Definition, results: Iterable[Mapping[str, Any]]) -> list[ScoreChange]:
    """Rescore ``results`` and list those whose score changed, in input order.

    Each result is ``{"id", "answers", "score", "definition_id"?,
    "definition_version"?}`` where ``score`` is the stored report (its
    ``to_dict()`` or at least ``{total, max, percent, band}``; ``band`` may be
    the band id or the band object) or ``None`` when never scored. A result that
    names another definition id or version raises :class:`WrongDefinitionVersion`
    before anything is returned, so a caller cannot store a half-done rescore.
    """
    changes: list[ScoreChange] = []
    for result in results:
        _check_version(definition, result)
        new = score_result(definition, result["answers"])
        old = result.get("score") or {}
        old_band = _band_id(old.get("band"))
        new_band = new.band.id if new.band else None
        moved = (old.get("total") != new.total or old.get("max") != new.max
                 or old.get("percent") != new.percent or old_band != new_band)
        if moved:
            changes.append(ScoreChange(
                result_id=result["id"], old_total=old.get("total"), new_total=new.total,
                old_band=old_band, new_band=new_band, old_percent=old.get("percent"),
                new_percent=new.percent, old_max=old.get("max"), new_max=new.max,
                old_rules_version=old.get("rules_version")))
    return changes


def _check_version(definition: Definition, result: Mapping[str, Any]) -> None:
    def_id = result.get("definition_id", definition.id)
    version = result.get("definition_version", definition.version)
    if def_id != definition.id or version != definition.version:
        raise WrongDefinitionVersion(
            f"result {result.get('id')!r} was filled against {def_id}@{version}, "
            f"not {definition.ref}")


def _band_id(band: Any) -> str | None:
    if isinstance(band, Mapping):
        return band.get("id")
    return band
