"""The device's answers skeleton validates as it is, for every built-in checklist,
once the files it cannot make up (signature images, photos) are attached."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

import checklists
from sync.client.answers_template import answers_template
from sync.client.fill import cite_photo

SHA = "ab" * 32
NOW = datetime(2026, 11, 29, 9, 30, tzinfo=timezone.utc)


def answered(answers: dict) -> set[str]:
    keys = set()
    for key, value in answers.items():
        if isinstance(value, list):  # a repeated section's instances
            keys |= {f"{key}[{n}].{item}" for n, inst in enumerate(value)
                     for item in inst["answers"]}
        else:
            keys.add(key)
    return keys


@pytest.mark.parametrize("body", checklists.builtin_definitions(), ids=lambda b: b["id"])
@pytest.mark.parametrize("include_optional", [False, True])
def test_every_builtin_template_validates_once_its_files_are_attached(body, include_optional):
    definition = checklists.load_definition(body)
    template = answers_template(definition, signer="王工", now=NOW,
                                include_optional=include_optional)
    required = {i.id for _, i in definition.iter_items() if i.required}
    shown = checklists.visible_items(definition, template.answers)
    # repeated sections' items are keyed "<section>[<n>].<item>"
    assert {key for key, on in shown.items() if on and key.split("].")[-1] in required} \
        <= answered(template.answers)
    answers = template.answers
    for item_id, todo in template.todo:
        item = definition.items_by_id[item_id.split("].")[-1]]
        if item.type == "checkpoint":
            answers[item_id]["value"] = "TAG-7"
        elif item.type in ("signature", "photo"):
            cite_photo(answers, item_id, SHA, item.type == "signature")
        else:
            assert todo == "enter the measured value"
    assert checklists.answer_errors(definition, answers) == {}
    assert checklists.score_result(definition, answers).to_dict()["total"] is not None


def test_the_quality_monthly_skeleton_answers_pass_and_today():
    definition = checklists.load_definition(checklists.builtin_definition("quality-monthly"))
    template = answers_template(definition, signer="王工", now=NOW)
    assert template.answers["qm.environment.stairs"] == {"value": "pass"}
    assert template.answers["qm.type"] == {"value": "self"}
    assert template.answers["qm.date"] == {"value": "2026-11-29"}
    assert template.answers["qm.inspector"] == {"value": {"signer": "王工", "image": ""}}
    assert "qm.rectification" not in template.answers  # optional
    assert template.todo == [("qm.inspector", "the signature image: attach with "
                                              "--photo qm.inspector=FILE")]
