"""The words the pages use for stored codes: states, roles, verdicts, flags, categories.

The store keeps English ids (``has_issues``, ``start_late``, ``gps_outside``);
a person reads them in the page's language. Templates say
``value|state`` for a review or ticket state (so a refused move that lists
the allowed ones is readable too) and ``value|code("vocabulary")`` for the
rest; a code a vocabulary does not know is shown as stored, never hidden.
"""
from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _lp

STATE_NAMES = {
    # review of a result
    "submitted": _l("submitted"), "approved": _l("approved"),
    "has_issues": _l("has issues"), "rejected": _l("rejected"),
    # a ticket
    "open": _l("open"), "in_progress": _l("in progress"), "fixed": _l("fixed"),
    "reopened": _l("reopened"), "verified": _l("verified"), "disputed": _l("disputed"),
    "closed": _l("closed"),
}

VOCABULARIES = {
    "role": {"guard": _l("guard"), "engineer": _l("engineer"),
             "supervisor": _l("supervisor"), "admin": _l("admin")},
    "definition": {"draft": _l("draft"), "published": _l("published"),
                   "retired": _l("retired")},
    # a plan's occurrence (context: "missed" is not a patrol's 漏巡 here)
    "occurrence": {"upcoming": _lp("plan", "upcoming"), "due": _lp("plan", "due"),
                   "overdue": _lp("plan", "overdue"), "missed": _lp("plan", "missed"),
                   "done": _lp("plan", "done"), "cancelled": _lp("plan", "cancelled")},
    "round": {"completed": _l("completed"), "partial": _l("incomplete"),
              "missed": _l("missed"), "not_started": _l("not started"),
              "start_early": _l("started early"), "start_on_time": _l("started on time"),
              "start_late": _l("started late")},
    "checkpoint": {"on_time": _l("on time"), "early": _l("early"), "late": _l("late"),
                   "out_of_order": _l("out of order"), "missed": _l("missed")},
    "flag": {"clock_skew": _l("device clock off"), "gps_outside": _l("away from checkpoint"),
             "gps_unusable": _l("GPS unusable"), "impossible_travel": _l("impossible travel"),
             "late_submission": _l("sent late"), "manual_entry": _l("code typed by hand"),
             "photo_missing": _l("photo missing"),
             "photo_time_far": _l("photo taken at another time"),
             "rapid_duplicate": _l("repeated scan"),
             "scans_out_of_time_order": _l("scans out of time order"),
             "unexpected_scans": _l("scans not of this route"),
             "answer_invalid": _l("answer breaks its checklist"),
             "answer_problems_more": _l("more answer problems"),
             "checklist_unknown": _l("checklist version unknown"),
             "checklist_not_checkpoints": _l("another checkpoint's checklist")},
    "complaint": {"received": _l("received"), "assigned": _l("assigned"),
                  "resolved": _l("resolved"), "closed": _l("closed")},
    "complaint_event": {"received": _l("received"), "classified": _l("classified"),
                        "assigned": _l("assigned"), "resolved": _l("resolved"),
                        "callback": _l("callback")},
    "five_clear": {"listened": _l("listened clearly"), "asked": _l("asked clearly"),
                   "followed": _l("followed up clearly"), "replied": _l("replied clearly"),
                   "recorded": _l("recorded clearly"), "reported": _l("reported")},
    "category": {"repair": _l("repair"), "environment": _l("environment"),
                 "security": _l("security"), "parking": _l("parking"), "noise": _l("noise"),
                 "fees": _l("fees"), "service": _l("service"), "facilities": _l("facilities"),
                 "other": _l("other")},
    "channel": {"phone": _l("phone"), "visit": _l("visit"), "letter": _l("letter"),
                "wechat": _l("WeChat"), "app": _l("app"), "other": _l("other")},
    "severity": {"ordinary": _l("ordinary"), "serious": _l("serious"), "major": _l("major")},
    "validity": {"valid": _l("valid"), "invalid": _l("invalid")},
    "rating": {"good": _l("good"), "fair": _l("fair"), "poor": _l("poor")},
    "violation": {"renovation": _l("renovation"), "fire": _l("fire safety"),
                  "sanitation": _l("sanitation"), "security": _l("security"),
                  "fees": _l("fees"), "harms_others": _l("harms others")},
    "remedy": {"persuasion": _l("persuasion"), "rectify": _l("rectify"),
               "compensation": _l("compensation"), "public_criticism": _l("public criticism"),
               "lawsuit": _l("lawsuit")},
    "appeal": {"open": _l("open"), "upheld": _l("upheld"), "adjusted": _l("adjusted"),
               "project_lead": _l("project lead"),
               "project_department": _l("project department"),
               "general_manager": _l("general manager")},
    "frequency": {"half-yearly": _l("half-yearly"), "yearly": _l("yearly"),
                  "2-yearly": _l("every 2 years"), "3-yearly": _l("every 3 years")},
}


def state_name(state: str | None) -> str:
    return str(STATE_NAMES.get(state, state or "–"))


def code_name(value: str | None, vocabulary: str) -> str:
    """``value`` in the page's language (as stored when ``vocabulary`` lacks it)."""
    if value is None or value == "":
        return "–"
    return str(VOCABULARIES[vocabulary].get(value, value))


def init_app(app: Flask) -> None:
    app.jinja_env.filters["state"] = state_name
    app.jinja_env.filters["code"] = code_name
