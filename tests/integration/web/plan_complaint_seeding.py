"""Plans, maintenance tasks, complaints and violations at site A, made through their services."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from server.services import complaints, definitions, maintenance, plans, violations
from server.services.accounts.users import actor_of
from tests.integration.http_sync.conftest import DEFINITION

RESIDENT = {"name": "李秀英", "phone": "13912345678"}


def seed_plan(store, team) -> dict:
    """A weekly plan made three weeks ago: missed occurrences, a current one, upcoming ones."""
    definitions.install(store, DEFINITION, by="test")
    made = datetime.now(UTC) - timedelta(days=21)
    return plans.create_plan(store, actor_of(team.users["supervisor"]), {
        "site_id": team.site_a["id"], "template": "manager-weekly", "checklist_id": "daily-round",
        "dtstart": (made - timedelta(days=1)).strftime("%Y-%m-%dT09:00")}, made)


def seed_tasks(store, team) -> list:
    """The building-maintenance tasks of site A, first due long ago (so overdue)."""
    return maintenance.create_tasks(store, actor_of(team.users["supervisor"]),
                                    team.site_a["id"], date(2020, 1, 15), "fixed")


def seed_complaint(store, team, *, site="site_a", resolve=True, description="卫生间漏水",
                   days_ago=3):
    """A valid complaint taken in ``days_ago`` (past its 2-day clock at 3), assigned to the
    engineer and, with ``resolve``, resolved an hour ago (waiting for its callback)."""
    sup = actor_of(team.users["supervisor" if site == "site_a" else "admin"])
    now = datetime.now(UTC)
    taken = complaints.intake(store, sup, {
        "site_id": getattr(team, site)["id"], "unit": "5-1-602", "channel": "visit",
        "category": "repair", "description": description, "photos": [],
        "resident": RESIDENT, "repair": None}, now - timedelta(days=days_ago))
    cid = taken["id"]
    complaints.classify(store, sup, cid, {"validity": "valid", "severity": "ordinary",
                                          "reason": None, "due_at": None},
                        now - timedelta(days=days_ago))
    if site == "site_a":
        complaints.assign(store, sup, cid, team.users["engineer"]["id"],
                          now - timedelta(days=days_ago))
        if resolve:
            complaints.resolve(store, actor_of(team.users["engineer"]), cid, "换了密封圈",
                               now - timedelta(hours=1))
    return taken


def seed_violation(store, team) -> dict:
    return violations.record(store, actor_of(team.users["supervisor"]), {
        "site_id": team.site_a["id"], "unit": "1-1-101", "kind": "sanitation",
        "severity": "ordinary", "description": "高空抛物", "remedies": ["persuasion"],
        "compensation_amount": None, "rectify_by": None, "photos": []}, datetime.now(UTC))
