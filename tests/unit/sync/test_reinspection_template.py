"""The re-inspection answers template on the real handover checklist (rooms repeat)."""
import copy

import checklists
from checklists import builtin_definition
from checklists.workflow.reinspection import overlay, record_round
from sync.client.answers_template import answers_template, reinspection_template

SHA = "a" * 64
FLOOR_FAIL = {"value": "fail",
              "defects": [{"note": "空鼓", "location": "门口", "photos": [SHA]}]}


def handover_with_a_failed_bathroom_floor():
    definition = checklists.load_definition(builtin_definition("handover-acceptance"))
    answers = answers_template(definition, signer="张工").answers
    for signature in ("ho.sign.handover", "ho.sign.receiver"):
        answers[signature]["value"]["image"] = SHA
    bathroom = copy.deepcopy(answers["ho.rooms"][0])
    bathroom["label"] = "卫生间"
    bathroom["answers"]["ho.room.floors"] = FLOOR_FAIL
    answers["ho.rooms"].append(bathroom)
    return definition, answers


def test_open_items_only_in_their_instance_then_closed_out():
    definition, answers = handover_with_a_failed_bathroom_floor()
    score = checklists.evaluate(definition, answers).to_record()
    original = {"id": "o", "answers": answers, "score": score}

    template = reinspection_template(original, answers)
    assert template.answers == {"ho.rooms": [
        {"label": answers["ho.rooms"][0]["label"], "answers": {}},
        {"label": "卫生间", "answers": {"ho.room.floors": FLOOR_FAIL}}]}
    assert [path for path, _ in template.todo] == ["ho.rooms[1].ho.room.floors"]

    rechecked = copy.deepcopy(template.answers)
    rechecked["ho.rooms"][1]["answers"]["ho.room.floors"] = {"value": "pass"}
    after = checklists.evaluate(definition, overlay(answers, rechecked)).to_record()
    assert after["flags"] == [] and after["total"] > score["total"]
    rectified = {**original, "rectification": record_round(
        original, result_id="r1", score=after, at="t", by="u", role="engineer")}
    assert rectified["rectification"]["closed_out"]
    assert reinspection_template(rectified, overlay(answers, rechecked)).answers == {}


def test_an_unedited_template_changes_nothing():
    definition, answers = handover_with_a_failed_bathroom_floor()
    score = checklists.evaluate(definition, answers).to_record()
    template = reinspection_template({"answers": answers, "score": score}, answers)
    again = checklists.evaluate(definition, overlay(answers, template.answers)).to_record()
    assert again == score
