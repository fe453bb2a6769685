"""The built-in templates: all valid, each citing its seed, and faithful to the seed's numbers."""
from __future__ import annotations

from pathlib import Path

import pytest

import checklists
from checklists import builtin_definition, builtin_definitions, score_result, validate_answers

from .builders import PHOTO

SEEDS = {"000_61abcc6ef7c68228.txt", "001_7df03b06ad26a40d.txt", "002_ab23c18301050884.txt",
         "003_64356618085b6b4e.txt", "004_b5d8a18060d0a74f.txt"}
EXPECTED_IDS = {"cs-supervision", "facilities-supervision", "quality-monthly",
                "handover-acceptance", "building-maintenance-plan", "renovation-inspection",
                "night-patrol"}


def loaded(definition_id: str) -> checklists.Definition:
    return checklists.load_definition(builtin_definition(definition_id))


def all_labels(data):
    if isinstance(data, dict):
        if set(data) == {"zh", "en"}:
            yield data
        for value in data.values():
            yield from all_labels(value)
    elif isinstance(data, list):
        for value in data:
            yield from all_labels(value)


def test_the_seven_templates_are_shipped_as_package_data():
    ids = [d["id"] for d in builtin_definitions()]
    assert set(ids) == EXPECTED_IDS and len(ids) == 7
    paths = list(Path(checklists.__file__).with_name("templates").glob("*.json"))
    assert len(paths) == 7


@pytest.mark.parametrize("data", builtin_definitions(), ids=lambda d: d["id"])
def test_every_template_is_valid_bilingual_and_cites_its_seed(data):
    definition = checklists.load_definition(data)
    assert definition.source.seed in SEEDS
    assert definition.source.section and definition.source.note
    labels = list(all_labels(data))
    assert labels and all(lab["zh"].strip() and lab["en"].strip() for lab in labels)
    assert checklists.load_definition(definition.to_dict()) == definition


def test_customer_service_rubric_has_19_categories_summing_to_100():
    rubric = loaded("cs-supervision")
    items = list(rubric.items_by_id.values())
    assert len(items) == 19
    assert sum(i.points for i in items) == 100
    assert [i.id for i in items] == [f"cs.{n:02d}" for n in range(1, 20)]
    assert all(i.scoring == "deduction" and i.required for i in items)
    by_id = rubric.items_by_id
    # the seed's exact points and ranges
    ranges = {k: (i.deduction.min, i.deduction.max) for k, i in by_id.items()}
    assert by_id["cs.03"].points == 10 and ranges["cs.03"] == (1, 2)
    assert {k for k, r in ranges.items() if r == (0.5, 1)} == {"cs.02", "cs.10"}
    assert {k for k, r in ranges.items() if r == (0.5, 2)} == set(by_id) - {"cs.02", "cs.03", "cs.10"}
    assert by_id["cs.01"].deduction.label.zh == "1.符合5分;2.每缺一项扣0.5-2分"
    assert [len(i.criteria) for i in items] == [4, 5, 4, 4, 4, 4, 5, 3, 4, 3, 4, 3, 4, 4, 3, 4, 3, 4, 3]
    assert rubric.scoring.weight_in_overall == 0.25
    assert [(b.id, b.min) for b in rubric.scoring.bands] == [("fail", 0), ("good", 80), ("excellent", 91)]
    assert [(m.id, m.min) for m in rubric.scoring.marks] == [("team_bonus", 96)]


def test_customer_service_rubric_scores_like_the_seed_says():
    rubric = loaded("cs-supervision")
    perfect = {i: {"value": "pass"} for i in rubric.items_by_id}
    report = score_result(rubric, perfect)
    assert (report.total, report.max, report.band.id) == (100.0, 100.0, "excellent")
    assert [m.id for m in report.marks] == ["team_bonus"]
    assert checklists.explain_record(rubric, perfect, report.to_record()) == report.to_dict()
    answers = dict(perfect)
    answers["cs.03"] = {"value": "fail", "defects": [{"criterion": "cs.03.2", "deduction": 2},
                                                     {"criterion": "cs.03.4", "deduction": 1}]}
    answers["cs.11"] = {"value": "fail", "defects": [{"criterion": f"cs.11.{k}", "deduction": 2}
                                                     for k in (1, 2, 3, 4)]}
    answers["cs.02"] = {"value": "fail", "defects": [{"criterion": "cs.02.5", "deduction": 1}]}
    validate_answers(rubric, answers)
    report = score_result(rubric, answers)
    # 100 - 3 (cs.03) - 5 (cs.11: 8 capped at 5) - 1 (cs.02) = 91
    assert (report.total, report.band.id, report.marks) == (91.0, "excellent", [])
    lines = {ln.item_id: ln for s in report.sections for ln in s.lines}
    assert lines["cs.03"].explanation("zh") == "1.符合10分;2.每缺一项扣1-2分: 缺2项(2、1) → −3, 本项得7/10"
    assert "扣完为止" in lines["cs.11"].explanation("zh")
    assert [s.max for s in report.sections] == [45.0, 35.0, 5.0, 15.0]


def test_facilities_rubric_marks_where_the_seed_is_cut():
    rubric = loaded("facilities-supervision")
    scored = [i for i in rubric.items_by_id.values() if i.scoring == "deduction"]
    assert sum(i.points for i in scored) == 20
    cut = rubric.items_by_id["fac.07"]
    assert cut.scoring is None and "SEED CUT" in cut.note
    assert "截断" in cut.help.zh
    retention = rubric.items_by_id["fac.06.retention"]
    assert (retention.type, retention.thresholds.min) == ("reading", 7)
    answers = {i.id: {"value": "pass"} for i in scored}
    answers.update({"fac.06.retention": {"value": 5, "note": "硬盘仅存5天", "photos": [PHOTO]},
                    "fac.07": {"value": "fail"}})
    validate_answers(rubric, answers)
    report = score_result(rubric, answers)
    assert (report.total, report.max) == (20.0, 20.0)
    assert [(f.item_id, f.reason) for f in report.flags] == [
        ("fac.06.retention", "out_of_range"), ("fac.07", "fail")]


def test_handover_shows_unit_or_public_items_and_needs_location_and_photo_per_defect():
    handover = loaded("handover-acceptance")
    assert handover.version == 2        # v1 (published, immutable) asked room items once per unit
    assert [i.id for i in handover.sections[1].items] == [
        "ho.unit.structure", "ho.unit.stairs", "ho.unit.junction_boxes", "ho.unit.plumbing",
        "ho.unit.meters", "ho.unit.keys"]
    rooms = handover.sections[2]
    assert rooms.repeat.scoring == "sum" and [i.id for i in rooms.items] == [
        "ho.room.kind", "ho.room.walls", "ho.room.floors", "ho.room.doors_windows",
        "ho.room.sockets", "ho.room.switches", "ho.room.lighting", "ho.room.waterproofing"]
    shown = checklists.visible_items(handover, {"ho.scope": {"value": "unit"}})
    assert shown["ho.unit.stairs"] and not shown["ho.pub.fire"] and not shown["ho.area"]

    def room(name, kind, **fails):
        answers = {i.id: {"value": "pass"} for i in rooms.items[1:7]}
        answers["ho.room.kind"] = {"value": kind}
        if kind == "wet":
            answers["ho.room.waterproofing"] = {"value": "pass"}
        answers.update(fails)
        return {"label": name, "answers": answers}

    answers = {"ho.scope": {"value": "unit"}, "ho.unit_no": {"value": "3-2-501"},
               "ho.date": {"value": "2024-06-01"},
               "ho.sign.handover": {"value": {"signer": "开发商代表", "image": PHOTO}},
               "ho.sign.receiver": {"value": {"signer": "验收工程师", "image": PHOTO}},
               "ho.unit.keys": {"value": "pass"},
               "ho.rooms": [room("客厅", "dry"),
                            room("主卧", "dry", **{"ho.room.walls": {
                                "value": "fail", "defects": [{"note": "空鼓"}]}}),
                            room("卫生间", "wet")]}
    answers.update({i.id: {"value": "pass"} for i in handover.sections[1].items[:5]})
    with pytest.raises(checklists.AnswersInvalid) as err:
        validate_answers(handover, answers)
    assert set(err.value.errors) == {"answers.ho.rooms[1].answers.ho.room.walls.defects[0].location",
                                     "answers.ho.rooms[1].answers.ho.room.walls.defects[0].photos"}
    answers["ho.rooms"][1]["answers"]["ho.room.walls"]["defects"][0].update(
        location="北墙", photos=[PHOTO])
    validate_answers(handover, answers)
    report = score_result(handover, answers)
    # whole unit 5 + rooms 6 + 6 + 7 = 24 items, one failed
    assert (report.total, report.max) == (23.0, 24.0)
    lost = [ln.explanation("zh") for s in report.sections for ln in s.lines
            if ln.status == "scored" and ln.points < ln.max]
    assert lost == ["主卧: 墙面 — 不合格 → 0/1"]


def test_handover_lists_the_technical_documents_and_checks_the_office_area():
    handover = loaded("handover-acceptance")
    docs = [i.id for i in handover.sections[4].items]
    assert len(docs) == 13 and "ho.docs.tech.mortar_concrete" in docs
    assert "ho.docs.tech.settlement" in docs and "ho.docs.tech.design_changes" in docs
    public = {"ho.scope": {"value": "public"}, "ho.office.project_area": {"value": 20000}}
    errors = checklists.answer_errors(handover, {**public, "ho.office.area": {"value": 70},
                                                 "ho.office.compliant": {"value": "pass"}})
    assert errors["answers.ho.office.compliant.value"] == [
        "the office is smaller than 3‰ of the floor area or 80 m²: it cannot pass "
        "(面积不足(应不少于总建筑面积的3‰且不少于80㎡), 不能判合格)"]
    errors = checklists.answer_errors(handover, {**public, "ho.office.area": {"value": 85},
                                                 "ho.office.compliant": {"value": "pass"}})
    assert not any(k.startswith("answers.ho.office") for k in errors)


def test_maintenance_plan_names_the_responsible_team_of_every_task():
    plan = loaded("building-maintenance-plan")
    assert plan.version == 2            # v1 dropped the plan's 负责 column
    tasks = [(s.id, i) for s in plan.sections[1:] for i in s.items]
    assert tasks and all("负责: " in i.help.zh and "By: " in i.help.en for _, i in tasks)
    assert plan.items_by_id["mp.fire.cabinets"].help.zh.endswith("负责: 消防、机电、维修专业人员")
    assert plan.items_by_id["mp.roof.drains"].help.zh == "负责: 工程部"


def test_maintenance_plan_shows_tasks_by_cycle_due():
    plan = loaded("building-maintenance-plan")
    frequencies = {o.id for o in plan.items_by_id["mp.due"].options}
    assert frequencies == {"half_year", "year", "two_years", "three_years"}
    def due(*cycles):
        shown = checklists.visible_items(plan, {"mp.due": {"value": list(cycles)}})
        return {k for k, v in shown.items() if v} - {"mp.due", "mp.building", "mp.date"}

    assert due("half_year") == {"mp.roof.drains", "mp.common.floors"}
    assert due("three_years") == {"mp.common.replaster"}
    assert due("half_year", "three_years") == {"mp.roof.drains", "mp.common.floors",
                                               "mp.common.replaster"}
    yearly = checklists.visible_items(plan, {"mp.due": {"value": ["year"]}})
    assert yearly["mp.fire.intact_rate"] and not yearly["mp.common.repaint"]


def test_renovation_structural_change_is_a_veto():
    renovation = loaded("renovation-inspection")
    # v2: one structural check carrying the veto (v1 asked it twice, vetoing only one)
    assert renovation.version == 2 and "rn.function.structure" not in renovation.items_by_id
    assert [i for i, item in renovation.items_by_id.items() if item.veto] == ["rn.rules.load_bearing"]
    assert {"rn.rules.drain_cover", "rn.appearance.exterior"} <= set(renovation.items_by_id)
    answers = {i: {"value": "pass"} for i, item in renovation.items_by_id.items()
               if item.type == "check" and not i.startswith("rn.site")}
    answers.update({"rn.unit": {"value": "5-1-1201"}, "rn.stage": {"value": "approval"},
                    "rn.date": {"value": "2024-06-01"},
                    "rn.inspector": {"value": {"signer": "李工", "image": PHOTO}}})
    validate_answers(renovation, answers)
    assert score_result(renovation, answers).percent == 100.0
    answers["rn.rules.load_bearing"] = {"value": "fail", "note": "拆除承重墙", "photos": [PHOTO]}
    report = score_result(renovation, answers)
    assert (report.total, report.veto["item_id"]) == (0.0, "rn.rules.load_bearing")
    # the stored record (no labels, no sentences) renders back the same veto and lines
    assert checklists.explain_record(renovation, answers, report.to_record()) == report.to_dict()


def test_night_patrol_checks_key_households_only_where_present():
    patrol = loaded("night-patrol")
    assert patrol.kind == "patrol_checkpoint"
    assert patrol.items_by_id["np.checkpoint"].type == "checkpoint"
    answers = {"np.checkpoint": {"value": "TAG-7"}, "np.time": {"value": "02:15"},
               "np.lighting.ok": {"value": "pass"}, "np.fire.passage": {"value": "pass"},
               "np.fire.equipment": {"value": "pass"}, "np.fire.hazards": {"value": "pass"},
               "np.key.present": {"value": ["vulnerable"]},
               "np.key.vulnerable": {"value": "fail", "note": "独居老人两日未出门, 敲门无应答, 已报客服中心"}}
    validate_answers(patrol, answers)
    report = score_result(patrol, answers)
    assert [f.item_id for f in report.flags] == ["np.key.vulnerable"]
    answers["np.key.rental"] = {"value": "pass"}
    with pytest.raises(checklists.AnswersInvalid) as err:
        validate_answers(patrol, answers)
    assert list(err.value.errors) == ["answers.np.key.rental"]


def test_night_patrol_none_excludes_the_household_categories():
    patrol = loaded("night-patrol")
    assert patrol.version == 2          # version 1 (published, immutable) let both be ticked
    answers = {"np.checkpoint": {"value": "TAG-7"}, "np.time": {"value": "02:15"},
               "np.lighting.ok": {"value": "pass"}, "np.fire.passage": {"value": "pass"},
               "np.fire.equipment": {"value": "pass"}, "np.fire.hazards": {"value": "pass"},
               "np.key.present": {"value": ["none", "rental"]}}
    with pytest.raises(checklists.AnswersInvalid) as err:
        validate_answers(patrol, answers)
    assert err.value.errors["answers.np.key.present.value"] == [
        "'none' (无 / None) excludes every other option: pick it alone"]
    validate_answers(patrol, {**answers, "np.key.present": {"value": ["none"]}})
