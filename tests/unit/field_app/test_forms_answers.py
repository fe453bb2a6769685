"""The field app's answer code (answers.js, submit_args.js) against the server's rules.

One ``node`` process builds, from drafts holding answers to hidden items, blank
notes, empty lists and repeated-section instances, the answers a submit sends
and its ``submit_result`` args; Python then checks them with the server's own
code: the checklist engine must find no answer to a hidden item and nothing
unknown, SubmitResult and the annotation schema must accept the args, and a
removed instance must take its photos with it while later ones follow their items.
"""
from __future__ import annotations

import json
import os
import pathlib
import subprocess

import pytest

import checklists
from sync.annotations import AnnotationsSchema
from sync.mutation_args import SubmitResult
from tests.e2e.app.standin_server import visibility

ROOT = pathlib.Path(__file__).resolve().parents[3]
SCRIPT = ROOT / "tests" / "js" / "forms_answers.mjs"
SHA = [f"{n:x}" * 64 for n in range(1, 5)]
ARROW = {"version": 1, "shapes": [{"type": "arrow", "color": "#ff3b30", "width": 0.006,
                                   "points": [[0.1, 0.2], [0.5, 0.55]]}]}


def builtin(def_id: str) -> dict:
    return next(d for d in checklists.builtin_definitions() if d["id"] == def_id)


def run_node(cases: list[dict]) -> dict:
    done = subprocess.run(["node", str(SCRIPT)], input=json.dumps({"cases": cases}),
                          capture_output=True, text=True, timeout=60, check=False,
                          env={**os.environ, "TZ": "Asia/Shanghai"})
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def handover_draft() -> dict:
    """A unit handover whose draft still holds answers the logic now hides."""
    room = lambda label, kind, photo: {"label": label, "answers": {  # noqa: E731
        "ho.room.kind": {"value": kind},
        "ho.room.walls": {"value": "fail", "photos": [photo], "note": "墙面开裂"},
        "ho.room.waterproofing": {"value": "pass", "note": ""},  # shown for wet rooms only
    }}
    return {
        "id": "insp-1", "kind": "inspect", "definition_id": "handover-acceptance", "version": 2,
        "site_id": "site-a", "occurrence": "occ-7", "result_id": "0123456789abcdef0123456789abcdef",
        "started_at": "2026-11-29T21:00:00+08:00", "note": "  ",
        "answers": {
            "ho.scope": {"value": "unit"},
            "ho.unit_no": {"value": "3-101", "note": "", "photos": []},
            "ho.area": {"value": "东门广场"},                  # public scope only: hidden
            "ho.pub.fire": {"value": "pass"},                 # a hidden section's item
            "ho.date": {"value": "2026-11-29"},
            "ho.fix_by": {"value": ""},                       # emptied input: unanswered
            "ho.rooms": [room("主卧", "dry", SHA[0]), room("卫生间", "wet", SHA[1])],
            "ho.sign.handover": {"value": {"signer": "王工", "image": SHA[2]}},
        },
        "photos": [
            {"sha256": SHA[0], "item": "ho.rooms[0].ho.room.walls", "content_type": "image/jpeg",
             "size": 1000, "taken_at": "2026-11-29T21:05:00+08:00", "annotations": ARROW},
            {"sha256": SHA[1], "item": "ho.rooms[1].ho.room.walls", "content_type": "image/jpeg",
             "size": 1200, "annotations": {"version": 1, "shapes": []}},
            {"sha256": SHA[2], "item": "ho.sign.handover", "content_type": "image/png", "size": 300},
            {"sha256": SHA[3], "item": "ho.area", "content_type": "image/jpeg", "size": 10},
        ],
    }


@pytest.fixture(scope="module")
def handover():
    raw = builtin("handover-acceptance")
    draft = handover_draft()
    model = checklists.load_definition(raw)
    base = {"definition": raw, "draft": draft, "finished_at": "2026-11-29T13:30:00Z",
            "visible": visibility(model, draft["answers"])}
    removed = {**base, "remove_instances": [["ho.rooms", 0]],
               "read": ["ho.rooms[0].ho.room.kind"]}
    removed["visible"] = visibility(model, {**draft["answers"],
                                            "ho.rooms": draft["answers"]["ho.rooms"][1:]})
    gps = {**base, "gps": {"lat": 31.23, "lon": 121.47, "accuracy_m": 8.5,
                           "at": "2026-11-29T21:10:00+08:00"}}
    return model, run_node([base, removed, gps])


def test_only_shown_answers_are_sent_and_the_engine_takes_them(handover):
    model, out = handover
    sent = out["results"][0]["sent"]
    assert "ho.area" not in sent and "ho.pub.fire" not in sent and "ho.fix_by" not in sent
    assert [set(i["answers"]) for i in sent["ho.rooms"]] == [
        {"ho.room.kind", "ho.room.walls"}, {"ho.room.kind", "ho.room.walls", "ho.room.waterproofing"}]
    assert sent["ho.unit_no"] == {"value": "3-101"}  # blank note and empty photo list dropped
    assert "note" not in sent["ho.rooms"][1]["answers"]["ho.room.waterproofing"]
    errors = checklists.answer_errors(model, sent)
    wrong = {k: v for k, v in errors.items()
             if any(word in m for m in v for word in ("not shown", "unknown", "not an item"))}
    assert wrong == {}
    assert "answers.ho.area" not in errors and "answers.ho.unit_no" not in errors


def test_the_args_are_what_the_server_accepts(handover):
    _, out = handover
    args = out["results"][0]["args"]
    SubmitResult().load(args)
    assert args["occurrence_id"] == "occ-7" and "note" not in args  # a blank note is no note
    assert args["finished_at"] == "2026-11-29T21:30:00+08:00"       # device zone, with offset
    assert args["checklist"] == {"id": "handover-acceptance", "version": 2}
    cited = [p["sha256"] for p in args["photos"]]
    assert cited == SHA[:3]  # the hidden item's photo is not sent
    assert "annotations" not in args["photos"][1]  # empty markup is no markup
    AnnotationsSchema().load(args["photos"][0]["annotations"])
    assert args["photos"][2]["item"] == "ho.sign.handover"
    assert out["now"] == "2026-11-29T22:05:09+08:00"


def test_gps_is_sent_when_there_is_a_fix(handover):
    _, out = handover
    args = out["results"][2]["args"]
    SubmitResult().load(args)
    assert args["gps"]["accuracy_m"] == 8.5


def test_a_removed_instance_takes_its_photos_and_later_ones_follow_their_items(handover):
    model, out = handover
    result = out["results"][1]
    assert result["read"] == [{"value": "wet"}]
    items = {p["sha256"]: p.get("item") for p in result["draft"]["photos"]}
    assert SHA[0] not in items and items[SHA[1]] == "ho.rooms[0].ho.room.walls"
    args = result["args"]
    SubmitResult().load(args)
    assert [p["sha256"] for p in args["photos"]] == [SHA[1], SHA[2]]
    assert not [k for k, v in checklists.answer_errors(model, result["sent"]).items()
                if any("not shown" in m for m in v)]
