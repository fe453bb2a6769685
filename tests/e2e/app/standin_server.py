"""Serving the field app's FORMS slice to a browser test, with stand-ins for other slices.

The FORMS files are served from ``server/field_app/static`` (at ``/app/static``);
what another slice owns and this branch may not have yet (the ENGINE module) is
served from ``standins/static`` only when the real file is missing, and the test
page with its ctx stand-in is at ``/app/test``. Everything else goes to the real
fieldsync app, so pulls and pushes hit the real sync endpoints.

The engine stand-in answers ``evaluate()`` by asking ``/__test/evaluate``, which
runs the Python checklist engine -- the server's truth -- on the answers the form
would send (a synchronous request: the engine API is synchronous), in the shapes
the ENGINE slice's module returns (problems ``{item, path, code, message}`` with
the server's error key as ``path``; deductions ``{item, instance, points, reason,
explanation}``; ``band`` an id beside ``band_label``).
"""
from __future__ import annotations

import json
import pathlib
import re

from werkzeug.middleware.shared_data import SharedDataMiddleware
from werkzeug.wrappers import Request, Response

import checklists

ROOT = pathlib.Path(__file__).resolve().parents[3]
REAL_STATIC = ROOT / "server" / "field_app" / "static"
STANDINS = pathlib.Path(__file__).resolve().parent / "standins"

_INSTANCE_KEY = re.compile(r"\[(\d+)\]\.answers\.")


def visibility(definition, answers) -> dict[str, bool]:
    """Items (``visible_items``) and sections: what ``ev.relevant`` answers.

    A section's condition reads earlier top-level items only, whose visibility
    ``visible_items`` has already settled (a condition on a calculated item would
    also need its value: no built-in checklist has one).
    """
    out = dict(checklists.visible_items(definition, answers))
    shown = {key: value for key, value in out.items() if "[" not in key}
    plan = definition.plan
    for planned_section in plan.sections:
        out[planned_section.section.id] = plan.section_visible(planned_section.index, answers, shown)
    return out


def _problem_item(key: str, paths: list[str]) -> str:
    """``answers.sec[0].answers.item.value`` -> ``sec[0].item`` (the longest known path)."""
    tail = _INSTANCE_KEY.sub(r"[\1].", key.removeprefix("answers."))
    known = [p for p in paths if tail == p or tail.startswith(p + ".") or tail.startswith(p + "[")]
    return max(known, key=len) if known else tail


def _score(definition, answers) -> dict | None:
    try:
        report = checklists.score_result(definition, answers).to_dict()
    except Exception:  # noqa: BLE001 - a preview of answers the engine cannot score is no preview
        return None
    deductions = []
    for section in report["sections"]:
        for line in section["lines"]:
            if line["counted"] and line["points"] < line["max"]:
                instance = line["instance"]["index"] if "instance" in line else None
                deductions.append({"item": line["item_id"], "instance": instance,
                                   "points": round(line["max"] - line["points"], 4),
                                   "reason": line["status"], "explanation": line["explanation"]})
    band = report["band"]
    return {"total": report["total"], "max": report["max"], "percent": report["percent"],
            "band": band["id"] if band else None, "band_label": band["label"] if band else None,
            "sections": report["sections"], "deductions": deductions}


def evaluate(body: dict) -> dict:
    definition = checklists.load_definition(body["definition"])
    answers = body["answers"]
    visible = visibility(definition, answers)
    required = {}
    for path, _ in visible.items():
        item = definition.items_by_id.get(path.split("].", 1)[-1])
        if item is not None:
            required[path] = item.required
    paths = list(visible)
    problems = [{"item": _problem_item(key, paths).split("].", 1)[-1], "path": key,
                 "code": "invalid", "message": message}
                for key, messages in checklists.answer_errors(definition, answers).items()
                for message in messages]
    return {"visible": visible, "required": required, "problems": problems,
            "score": _score(definition, answers)}


def wsgi(app, config: dict):
    """The fieldsync ``app`` behind the FORMS files, the stand-ins and the test routes."""
    def test_routes(environ, start_response):
        request = Request(environ)
        if request.path == "/__test/evaluate":
            response = Response(json.dumps(evaluate(request.get_json())), mimetype="application/json")
        elif request.path == "/__test/config":
            response = Response(json.dumps(config), mimetype="application/json")
        else:
            return app(environ, start_response)
        return response(environ, start_response)

    standins = SharedDataMiddleware(test_routes, {"/app/static": str(STANDINS / "static"),
                                                  "/app/test": str(STANDINS)}, cache=False)
    return SharedDataMiddleware(standins, {"/app/static": str(REAL_STATIC)}, cache=False)
