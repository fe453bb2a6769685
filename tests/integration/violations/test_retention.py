"""The retention job: dry run lists, --purge deletes what is past its class, an open ticket
holds what it refers to, and the purge is logged."""
from __future__ import annotations

from datetime import UTC, datetime

import server.cli
from server.services.accounts.users import actor_of
from server.services import retention, tickets, violations

THEN = datetime(2024, 3, 1, 2, 0, tzinfo=UTC)
NOW = datetime(2026, 11, 29, 2, 0, tzinfo=UTC)


def record(store, actor, site, severity):
    return violations.record(store, actor, {
        "site_id": site, "unit": "1-1-101", "kind": "sanitation", "severity": severity,
        "description": "高空抛物", "remedies": ["persuasion"], "compensation_amount": None,
        "rectify_by": None, "photos": []}, THEN)["id"]


def test_purge_respects_classes_and_open_tickets(app_store, team, runner):
    sup, site = actor_of(team.users["supervisor"]), team.site_a["id"]
    old, held, major = (record(app_store, sup, site, s) for s in ("ordinary", "ordinary", "major"))
    tickets.create(app_store, sup, {"site_id": site, "title": "整改", "description": held},
                   lambda hashes: set())
    dry = retention.run(app_store, NOW)
    assert dry["collections"]["violations"] == {"expired": [old], "held": [held]}
    assert app_store.get_doc("violations", old) is not None             # dry run: kept
    result = runner.invoke(server.cli.main, ["retention", "--purge"])
    assert result.exit_code == 0, result.output
    assert "purged 1" in result.output and old in result.output
    assert app_store.get_doc("violations", old) is None
    assert app_store.get_doc("violations", held) is not None
    assert app_store.get_doc("violations", major) is not None           # 5 years
    logged = [dict(r.doc) for r in app_store.scan("retention_log")]
    assert logged[0]["collections"]["violations"]["expired"] == [old]
