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
from checklists.repeats import instance_title, instances_of
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
    sections = [_section(definition, s, answers) for s in record["sections"]]
    flags = []
    for f in record["flags"]:
        instance, own = _instance(plan, f["item_id"], f.get("instance"), answers)
        flags.append(Flag(f["item_id"], f["reason"], plan.by_id[f["item_id"]].item.label,
                          (own.get(f["item_id"]) or {}).get("value"), instance))
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
        rules_version=record["rules_version"], rescaled=record.get("rescaled"))


def _section(definition: Definition, s: Mapping[str, Any], answers: Mapping[str, Any]
             ) -> SectionScore:
    plan = definition.plan
    section_id = s["section_id"]
    title = plan.sections_by_id[section_id].section.title
    labels = tuple(i.get("label") for i in instances_of(answers, section_id))
    instance = None
    if "instance" in s:
        instance = (s["instance"], labels[s["instance"]])
        title = instance_title(title, instance[1])
    return SectionScore(section_id, title, s["status"], s["points"], s["max"], s["weight"],
                        [_line(plan, ln, answers) for ln in s["lines"]], s["effective_weight"],
                        instance=instance, repeat=s.get("repeat"),
                        instance_labels=labels if "repeat" in s else ())


def _instance(plan, item_id: str, index: int | None, answers: Mapping[str, Any]
              ) -> tuple[tuple | None, Mapping[str, Any]]:
    """``(index, label)`` and the answers an instance line or flag was scored from."""
    if index is None:
        return None, answers
    section_id = plan.sections[plan.by_id[item_id].section_index].section.id
    instance = instances_of(answers, section_id)[index]
    return (index, instance.get("label")), instance.get("answers") or {}


def _line(plan, line: Mapping[str, Any], answers: Mapping[str, Any]) -> ItemLine:
    planned = plan.by_id[line["item_id"]]
    instance, own = _instance(plan, planned.id, line.get("instance"), answers)
    detail = None
    if line["status"] == "scored":
        answer = own[planned.id]
        detail = item_points(planned, planned.mode, answer.get("value"), answer)[1]
    return ItemLine(planned, line["status"], line["points"], line["max"], line["counted"],
                    detail, instance)


def _band(bands: dict[str, Band], band_id: str | None) -> Band | None:
    return None if band_id is None else bands[band_id]
