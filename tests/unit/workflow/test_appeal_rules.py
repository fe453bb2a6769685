"""The appeal chain as pure rules: where an appeal starts, who decides, deadlines, stale moves."""
from datetime import datetime, timedelta, timezone

import pytest

from checklists.actors import Actor
from checklists.workflow import appeals as rules

T0 = datetime(2026, 11, 2, 8, 0, tzinfo=timezone.utc)
RULES = rules.AppealRules()
RESULT = {"id": "r1", "site_id": "A", "submitted": {"at": "2026-11-02T08:00:00Z"}}
GUARD = Actor("g", "guard", {"A"})
LEAD = Actor("lead", "supervisor", {"A"})
PD = Actor("pd", "supervisor", {"A"})
GM = Actor("gm", "admin", ())
SEATS = {"g": rules.Seat("lead"), "lead": rules.Seat("lead"),
         "pd": rules.Seat("lead", "项目部"), "gm": rules.Seat("lead")}


def _file(actor=GUARD, deduction="s.1", responsible=("g",), at=T0, retaliation=False,
          existing=()):
    return rules.file_appeal(appeal_id="a1", result=RESULT, deduction=deduction,
                             responsible=responsible, actor=actor, seat=SEATS[actor.user_id],
                             reason="已整改", retaliation=retaliation, at=at, rules=RULES,
                             existing=existing)


def _move(appeal, actor, move, at=T0 + timedelta(days=1), **kw):
    return rules.decide(appeal, actor, move, seat=SEATS[actor.user_id], rules=RULES, at=at,
                        **kw)


def test_where_appeals_start():
    assert _file()["level"] == rules.PROJECT_LEAD
    assert _file(LEAD, responsible=("lead",))["level"] == rules.PROJECT_DEPARTMENT
    assert _file(LEAD, deduction=None, responsible=())["level"] == rules.PROJECT_DEPARTMENT
    assert _file(retaliation=True)["level"] == rules.GENERAL_MANAGER


def test_only_the_responsible_person_files_in_time_once():
    with pytest.raises(rules.NotYours):
        _file(responsible=("someone-else",))
    with pytest.raises(rules.PastDeadline, match="closed at 2026-11-09T08:00:00Z"):
        _file(at=T0 + timedelta(days=7, seconds=1))
    assert _file(at=T0 + timedelta(days=7))["file_deadline"] == "2026-11-09T08:00:00Z"
    with pytest.raises(rules.StaleMove, match="already have an open appeal"):
        _file(existing=[_file()])
    with pytest.raises(rules.BadAppeal) as bad:
        rules.file_appeal(appeal_id="a", result=RESULT, deduction="s.1", responsible=["g"],
                          actor=GUARD, seat=SEATS["g"], reason="  ", retaliation=False, at=T0,
                          rules=RULES)
    assert bad.value.field == "reason"


def test_each_level_is_held_by_its_people():
    appeal = _file()
    assert rules.allowed_moves(appeal, LEAD, SEATS["lead"], RULES, T0) == [
        "uphold", "adjust", "escalate"]
    assert rules.allowed_moves(appeal, PD, SEATS["pd"], RULES, T0) == []
    with pytest.raises(rules.NotYours, match="project_lead level"):
        _move(appeal, PD, rules.UPHOLD)
    with pytest.raises(rules.NotYours, match="own appeal"):
        _move(appeal, GUARD, rules.UPHOLD)
    up = _move(appeal, LEAD, rules.ESCALATE)
    assert (up["level"], up["status"], up["v"]) == (rules.PROJECT_DEPARTMENT, rules.OPEN, 2)
    top = _move(up, PD, rules.ESCALATE)
    assert rules.allowed_moves(top, GM, SEATS["gm"], RULES, T0) == ["uphold", "adjust"]
    with pytest.raises(rules.StaleMove) as final:
        _move(top, GM, rules.ESCALATE)
    assert final.value.allowed == ["uphold", "adjust"]


def test_a_level_past_its_deadline_cannot_decide_and_the_appellant_may_go_up():
    appeal = _file()
    late = T0 + timedelta(days=8)
    with pytest.raises(rules.PastDeadline, match="project_lead level had until"):
        _move(appeal, LEAD, rules.UPHOLD, at=late)
    assert rules.allowed_moves(appeal, GUARD, SEATS["g"], RULES, late) == ["appeal_further"]
    assert rules.allowed_moves(appeal, GUARD, SEATS["g"], RULES, T0) == []
    with pytest.raises(rules.StaleMove, match="may decide until 2026-11-09T08:00:00Z"):
        _move(appeal, GUARD, rules.APPEAL_FURTHER, at=T0)
    assert _move(appeal, GUARD, rules.APPEAL_FURTHER, at=late)["level"] == \
        rules.PROJECT_DEPARTMENT


def test_after_a_decision_the_appellant_has_further_days_to_go_up():
    decided = _move(_file(), LEAD, rules.UPHOLD)
    assert decided["status"] == rules.UPHELD
    with pytest.raises(rules.StaleMove) as stale:
        _move(decided, LEAD, rules.ADJUST, points=1, explanation="x")
    assert stale.value.allowed == []
    with pytest.raises(rules.PastDeadline, match="further appeal was possible until"):
        _move(decided, GUARD, rules.APPEAL_FURTHER, at=T0 + timedelta(days=9))
    with pytest.raises(rules.StaleMove, match="now at the project_lead level"):
        _move(decided, GUARD, rules.APPEAL_FURTHER, expected_level=rules.PROJECT_DEPARTMENT)


def test_the_latest_adjustment_of_a_deduction_stands():
    first = _move(_file(), LEAD, rules.ADJUST, points=2, explanation="部分整改")
    up = _move(first, GUARD, rules.APPEAL_FURTHER)
    second = _move(up, PD, rules.ADJUST, at=T0 + timedelta(days=2), points=0, explanation="全部")
    assert rules.effective_adjustments([first])["s.1"]["points"] == 2
    got = rules.effective_adjustments([second])["s.1"]
    assert (got["points"], got["level"], got["appeal_id"]) == (0, rules.PROJECT_DEPARTMENT, "a1")
    with pytest.raises(rules.BadAppeal) as missing:
        _move(_file(), LEAD, rules.ADJUST, explanation="x")
    assert missing.value.field == "points"
