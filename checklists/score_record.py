"""A stored score record rendered back into the full, explained report.

Results store ``ScoreReport.to_record()``: the numbers and statuses, no
labels and no sentences. ``explain_record`` joins the record with the
definition version it was scored against (labels, options, thresholds) and
the result's answers (the facts: which option, which defects, which
reading) and gives exactly what ``ScoreReport.to_dict()`` gave at scoring
time. The numbers are always the stored ones -- rendering never rescores --
so an explanation cannot drift from the score it explains; only its wording
follows the current ``checklists.explain``.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from checklists.rescore import WrongDefinitionVersion
from checklists.model import Band, Definition
from checklists.report import Flag, ItemLine, ScoreReport, SectionScore
from checklists.scoring import item_points


def explain_record(definition: Definition, answers: Mapping[str, Any],
                   record: Mapping[str, Any]) -> dict[str, Any]:
    """The ``to_dict()`` form of a stored ``record`` of ``answers`` scored on ``definition``."""
    return report_from_record(definition, answers, record).to_dict()


def report_from_record(definition: Definition, answers: Mapping[str, Any],
                       record: Mapping[str, Any]) -> ScoreReport:
    if (record["definition_id"], record["definition_version"]) != (definition.id,
                                                                   definition.version):
        raise WrongDefinitionVersion(
            f"the score is of {record['definition_id']}@{record['definition_version']}, "
            f"not {definition.ref}")
    plan = definition.plan
    titles = {s.id: s.title for s in definition.sections}
    sections = [SectionScore(s["section_id"], titles[s["section_id"]], s["status"],
                             s["points"], s["max"], s["weight"],
                             [_line(plan.by_id[ln["item_id"]], ln, answers) for ln in s["lines"]],
                             s["effective_weight"]) for s in record["sections"]]
    flags = [Flag(f["item_id"], f["reason"], plan.by_id[f["item_id"]].item.label,
                  (answers.get(f["item_id"]) or {}).get("value")) for f in record["flags"]]
    veto = record["veto"]
    if veto is not None:
        veto = {"item_id": veto["item_id"],
                "label": plan.by_id[veto["item_id"]].item.label.to_dict(),
                **{k: v for k, v in veto.items() if k != "item_id"}}
    bands = {b.id: b for b in definition.scoring.bands}
    marks = {m.id: m for m in definition.scoring.marks}
    return ScoreReport(
        definition_id=definition.id, definition_version=definition.version,
        total=record["total"], max=record["max"], percent=record["percent"],
        band=_band(bands, record["band"]), marks=[marks[m] for m in record["marks"]],
        flags=flags, sections=sections, veto=veto, weighted=record["weighted"],
        rules_version=record["rules_version"])


def _line(planned, line: Mapping[str, Any], answers: Mapping[str, Any]) -> ItemLine:
    detail = None
    if line["status"] == "scored":
        answer = answers[planned.id]
        detail = item_points(planned, planned.mode, answer.get("value"), answer)[1]
    return ItemLine(planned, line["status"], line["points"], line["max"], line["counted"],
                    detail)


def _band(bands: dict[str, Band], band_id: str | None) -> Band | None:
    return None if band_id is None else bands[band_id]
