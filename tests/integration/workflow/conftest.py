"""A deduction rubric, results pushed at chosen times, and the people of an appeal chain.

At site A: ``supervisor-a`` is the project lead; ``pd`` is a supervisor of the
project department (项目部); the admin acts as general manager; the
engineer and the guard report to the lead.
"""
from __future__ import annotations

import itertools
from datetime import datetime, timezone

import pytest

from checklists.actors import Actor
from server.services.accounts import sites, users
from server.services import definitions, sync_service

RUBRIC = {
    "id": "cs-mini", "version": 1, "kind": "inspection",
    "title": {"zh": "客服督导", "en": "CS check"},
    "scoring": {"bands": [{"id": "fail", "label": {"zh": "不及格", "en": "Fail"}, "min": 0},
                          {"id": "good", "label": {"zh": "良好", "en": "Good"}, "min": 80},
                          {"id": "excellent", "label": {"zh": "优秀", "en": "Excellent"},
                           "min": 91}]},
    "sections": [{"id": "s", "title": {"zh": "现场", "en": "Site"}, "items": [
        {"id": f"s.{n}", "type": "check", "label": {"zh": f"第{n}项", "en": f"Item {n}"},
         "points": 10, "deduction": {"min": 1, "max": 5}} for n in range(1, 11)]}],
}
_ids = itertools.count(1)


def answers(**lost: float) -> dict:
    """Every item passed except ``s_<n>=points`` (e.g. ``s_3=2``), failed with that deduction."""
    out = {f"s.{n}": {"value": "pass"} for n in range(1, 11)}
    for name, points in lost.items():
        out[name.replace("_", ".")] = {"value": "fail", "defects": [{"deduction": points}]}
    return out


@pytest.fixture
def chain(app, app_store, team, accounts):
    """The team plus a project-department supervisor; the lead named at site A."""
    definitions.install(app_store, RUBRIC, by="test")
    lead = team.users["supervisor"]
    sites.edit_site(app_store, team.site_a["id"], {"lead_user_id": lead["id"]})
    for role in ("engineer", "guard"):
        users.edit_user(app_store, team.users[role]["id"], department="工程部",
                        reports_to=lead["id"])
    pd = accounts.user("supervisor", username="pd-sup", site_ids=[team.site_a["id"]])
    users.edit_user(app_store, pd["id"], department="项目部")
    team.users["pd"] = pd
    team.headers["pd"] = accounts.headers(pd)
    return team


@pytest.fixture
def submit(app, app_store, team):
    """``submit(answers, at=None, site="A") -> result id``: pushed by site A's engineer."""
    def push(result_answers: dict, at: datetime | None = None, site=None) -> str:
        at = at or datetime.now(timezone.utc)
        n = next(_ids)
        site_id = site or team.site_a["id"]
        inspector = Actor(team.users["engineer"]["id"], "engineer", {site_id}, "dev-e")
        find = lambda i, v: definitions.get_version(app_store, i, v)["definition"]  # noqa: E731
        sync_service.apply_push(
            app_store, inspector, f"client-{n}",
            [{"id": 1, "name": "submit_result", "client_ts": at.isoformat(), "args": {
                "result_id": f"r{n}", "site_id": site_id,
                "checklist": {"id": "cs-mini", "version": 1}, "answers": result_answers}}],
            find_definition=find, uploads=app.extensions["fieldsync.uploads"], now=at)
        return f"r{n}"
    return push
