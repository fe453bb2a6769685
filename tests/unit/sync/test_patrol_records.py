"""Where patrol records are placed: the site bucket, and index entries from the document alone."""
from __future__ import annotations

from sync.placement import place
from sync.patrol_records import ALERTS, OCCURRENCES, ROUNDS, ROUTES

OCCURRENCE = {"id": "night.v1.20261102T2200", "site_id": "s1", "schedule_id": "night",
              "local_start": "2026-11-02T22:00", "start": "2026-11-02T14:00:00+00:00",
              "deadline": "2026-11-02T15:00:00+00:00", "status": "scheduled", "round_id": None}


def test_an_occurrence_waits_for_the_missed_pass_only_while_it_has_no_result():
    waiting = place(OCCURRENCES, OCCURRENCE)
    assert waiting.bucket == "site:s1"
    assert waiting.index == {"site_day": ("s1|2026-11-02", "2026-11-02T14:00:00+00:00"),
                             "schedule": ("night", "2026-11-02T14:00:00+00:00"),
                             "waiting": ("scheduled", "2026-11-02T15:00:00+00:00")}
    for done in ({"round_id": "r1"}, {"status": "missed"}, {"status": "cancelled"}):
        assert "waiting" not in place(OCCURRENCES, {**OCCURRENCE, **done}).index


def test_a_round_is_listed_by_site_day_guard_month_and_flags():
    verdict = {"scheduled": {"start": "2026-11-02T14:00:00+00:00"}, "flags": []}
    doc = {"id": "r1", "site_id": "s1", "guard_id": "g1", "occurrence_id": OCCURRENCE["id"],
           "local_start": "2026-11-02T22:00", "verdict": verdict}
    plain = place(ROUNDS, doc).index
    assert plain["guard_month"] == ("g1|2026-11", "2026-11-02T14:00:00+00:00")
    assert "flagged" not in plain
    flagged = place(ROUNDS, {**doc, "verdict": {**verdict, "flags": [{"code": "clock_skew"}]}})
    assert flagged.index["flagged"] == ("s1|2026-11", "2026-11-02T14:00:00+00:00")


def test_route_versions_sort_by_number_and_alerts_by_day():
    route = place(ROUTES, {"id": "walk@10", "site_id": "s1", "route": {"id": "walk", "version": 10}})
    assert route.index["route"] == ("walk", "00000010")                 # after 9, not after 1
    alert = place(ALERTS, {"site_id": "s1", "local_start": "2026-11-03T00:00",
                           "raised_at": "2026-11-02T17:00:00+00:00"})
    assert alert.index == {"site_day": ("s1|2026-11-03", "2026-11-02T17:00:00+00:00")}
