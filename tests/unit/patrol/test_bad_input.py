"""Bad patrol input is refused with the field named, or judged and flagged — never a crash."""
from __future__ import annotations

import copy
import json
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checklists.patrol import (
    PatrolInvalid, judge_round, load_checkpoint, load_round_result, load_route, tag_clashes,
)
from tests.unit.patrol.builders import (
    checkpoint_doc, checkpoints, context, local, occurrence_at, result, route, route_doc, schedule,
    walk,
)

ROUTE = route()
OCC = occurrence_at(schedule(), "22:00")
GOOD = result(OCC, walk(["22:05", "22:07", "22:09", "22:11", "22:13"]), "22:02", "22:14").to_doc()


def errors_of(load, data, *args) -> dict[str, list[str]]:
    with pytest.raises(PatrolInvalid) as err:
        load(data, *args)
    return err.value.errors


def test_a_checkpoint_names_each_bad_field():
    errors = errors_of(load_checkpoint, checkpoint_doc(1, lat=95, lon="121", radius_m=0, tag=" "))
    assert set(errors) == {"lat", "lon", "radius_m", "tag"}


def test_a_checkpoint_document_round_trips():
    checkpoint = load_checkpoint(checkpoint_doc(1, checklist_id="night-lighting", photo_required=True))
    assert load_checkpoint(checkpoint.to_doc()) == checkpoint


def test_two_checkpoints_of_a_site_cannot_share_a_tag():
    cps = list(checkpoints().values())
    assert tag_clashes(cps) == {}
    twin = load_checkpoint(checkpoint_doc(2, id="cp2b"))
    assert tag_clashes(cps + [twin]) == {"cp2b.tag": ["tag 'TAG-2' is already on checkpoint cp2"]}
    elsewhere = load_checkpoint(checkpoint_doc(2, id="cp2c", site_id="other-site"))
    assert tag_clashes(cps + [elsewhere]) == {}


def test_a_route_names_unknown_and_repeated_checkpoints():
    doc = route_doc()
    doc["stops"][1]["checkpoint_id"] = "cp-nowhere"
    assert errors_of(load_route, doc, checkpoints()) == {
        "stops[1].checkpoint_id": ["no checkpoint 'cp-nowhere' in the site"]}
    doc["stops"][1]["checkpoint_id"] = "cp1"
    assert errors_of(load_route, doc) == {"stops[1].checkpoint_id": ["checkpoint is already on the route"]}
    assert set(errors_of(load_route, route_doc(order="random", stops=[]))) == {"order", "stops"}


def test_a_route_document_round_trips():
    assert load_route(ROUTE.to_doc()) == ROUTE


@pytest.mark.parametrize("path, value, field", [
    (("scans", 0, "gps"), {"lat": 200, "lon": 121.4, "accuracy_m": 10}, "scans[0].gps.lat"),
    (("scans", 1, "gps"), {"lat": 31.2, "lon": 121.4, "accuracy_m": -5}, "scans[1].gps.accuracy_m"),
    (("scans", 1, "gps"), {"lat": 31.2, "lon": 121.4, "accuracy_m": 1e9}, "scans[1].gps.accuracy_m"),
    (("scans", 2, "at"), "2026-11-02T22:09:00", "scans[2].at"),
    (("scans", 2, "method"), "telepathy", "scans[2].method"),
    (("scans", 3, "tag"), "", "scans[3].tag"),
    (("finished_at",), "2026-11-02T21:00:00+08:00", "finished_at"),
    (("visits",), {"cp1": {"photos": [{"sha256": "xyz"}]}}, "visits.cp1.photos[0].sha256"),
    (("visits",), {"cp1": {"answers": ["pass"]}}, "visits.cp1.answers"),
    (("visits",), {"cp1": {"checklist_id": "gate", "checklist_version": "2"}},
     "visits.cp1.checklist_version"),
    (("visits",), {"cp1": {"checklist_id": "gate", "checklist_version": 0}},
     "visits.cp1.checklist_version"),
    (("visits",), {"cp1": {"checklist_id": "gate"}}, "visits.cp1.checklist_version"),
    (("visits",), {"cp1": {"checklist_version": 2}}, "visits.cp1.checklist_id"),
    (("visits",), {"cp1": {"checklist_id": "no spaces", "checklist_version": 1}},
     "visits.cp1.checklist_id"),
])
def test_a_round_result_names_the_field_it_cannot_judge(path, value, field):
    doc = copy.deepcopy(GOOD)
    target = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    assert field in errors_of(load_round_result, doc)


def test_a_gps_checkin_needs_its_fix():
    doc = copy.deepcopy(GOOD)
    doc["scans"][0]["method"] = "gps"
    assert errors_of(load_round_result, doc) == {"scans[0].gps": ["a gps check-in needs its fix"]}


def test_a_result_document_round_trips():
    loaded = load_round_result(GOOD)
    assert load_round_result(loaded.to_doc()) == loaded
    named = {**GOOD, "visits": {"cp1": {"answers": {"g.ok": {"value": "pass"}},
                                        "checklist_id": "gate", "checklist_version": 2}}}
    loaded = load_round_result(named)
    assert loaded.visits["cp1"].checklist == ("gate", 2)
    assert load_round_result(loaded.to_doc()) == loaded


def test_a_coarse_fix_is_kept_and_flagged_not_refused():
    doc = copy.deepcopy(GOOD)
    doc["scans"][0]["gps"] = {"lat": 31.3, "lon": 121.4, "accuracy_m": 3000}
    verdict = judge_round(ROUTE, OCC, load_round_result(doc), context())
    assert [f.code for f in verdict.flags] == ["gps_unusable"]
    assert verdict.status == "completed"


def test_a_result_judged_against_another_round_is_refused_naming_the_fields():
    doc = {**GOOD, "occurrence_id": "night.v1.20261103T0000", "route_version": 2}
    assert set(errors_of(lambda d: judge_round(ROUTE, OCC, load_round_result(d), context()),
                         doc)) == {"occurrence_id", "route_version"}


def test_judging_a_result_against_another_route_version_is_refused():
    with pytest.raises(ValueError, match="night-walk@1, not night-walk@2"):
        judge_round(route(version=2), OCC, load_round_result(GOOD), context())


scan_strategy = st.fixed_dictionaries({
    "tag": st.sampled_from(["TAG-1", "TAG-2", "TAG-3", "TAG-4", "TAG-5", "TAG-9", "??"]),
    "at": st.integers(-3 * 3600, 6 * 3600).map(
        lambda s: (local("22:00") + timedelta(seconds=s))
        .isoformat()),
    "method": st.sampled_from(["qr", "nfc", "manual"]),
}, optional={"gps": st.fixed_dictionaries({
    "lat": st.floats(-90, 90), "lon": st.floats(-180, 180),
    "accuracy_m": st.floats(0.1, 100_000)})})


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(scan_strategy, max_size=25), st.floats(-7200, 7200),
       st.sampled_from(["strict", "any"]))
def test_any_loadable_result_is_judged_without_crashing(scans, offset, order):
    doc = {**GOOD, "scans": scans}
    verdict = judge_round(route(order=order), OCC, load_round_result(doc),
                          context(clock_offset_s=offset, received_at=local("+1 08:00")))
    record = verdict.to_dict()
    assert json.loads(json.dumps(verdict.to_record(), allow_nan=False)) == verdict.to_record()
    assert len(record["checkpoints"]) == 5
    assert all(line["zh"] and line["en"] for line in record["lines"])
    assert verdict.status in ("completed", "partial", "missed")
