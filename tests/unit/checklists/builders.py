"""Small builders for definition and answer data used across the checklist tests."""
from __future__ import annotations

from typing import Any

import checklists

PHOTO = "a" * 64
PHOTO2 = "b" * 64


def label(text: str) -> dict[str, str]:
    return {"zh": f"{text}(中)", "en": text}


def item(item_id: str, item_type: str = "check", **fields: Any) -> dict[str, Any]:
    return {"id": item_id, "type": item_type, "label": label(item_id), **fields}


def deduction_item(item_id: str, points: float, low: float, high: float, criteria: int = 0,
                   **fields: Any) -> dict[str, Any]:
    data = item(item_id, points=points, deduction={"min": low, "max": high}, **fields)
    if criteria:
        data["criteria"] = [{"id": f"{item_id}.{k}", "label": label(f"c{k}")}
                            for k in range(1, criteria + 1)]
    return data


def choice(item_id: str, scores: dict[str, float], flagged: tuple[str, ...] = (),
           **fields: Any) -> dict[str, Any]:
    options = [{"id": oid, "label": label(oid), "score": score, "flag": oid in flagged}
               for oid, score in scores.items()]
    return item(item_id, "choice", options=options, **fields)


def section(section_id: str, *items: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {"id": section_id, "title": label(section_id), "items": list(items), **fields}


def definition(*sections: dict[str, Any], **fields: Any) -> dict[str, Any]:
    data = {"id": "test-def", "version": 1, "kind": "inspection", "title": label("test"),
            "sections": list(sections)}
    data.update(fields)
    return data


def load(*sections: dict[str, Any], **fields: Any) -> checklists.Definition:
    return checklists.load_definition(definition(*sections, **fields))


def errors_of(data: Any) -> dict[str, list[str]]:
    """The flat error dict ``load_definition`` raises for ``data`` when publishing it
    (fails if it loads)."""
    try:
        checklists.load_definition(data, publishing=True)
    except checklists.DefinitionInvalid as err:
        return err.errors
    raise AssertionError("definition unexpectedly valid")


def answer_errors(defn: checklists.Definition, answers: Any) -> dict[str, list[str]]:
    try:
        checklists.validate_answers(defn, answers)
    except checklists.AnswersInvalid as err:
        return err.errors
    raise AssertionError("answers unexpectedly valid")


SEED002_BANDS = {
    "bands": [{"id": "fail", "label": label("fail"), "min": 0},
              {"id": "good", "label": label("good"), "min": 80},
              {"id": "excellent", "label": label("excellent"), "min": 91}],
    "marks": [{"id": "team_bonus", "label": label("team bonus"), "min": 96}],
}
