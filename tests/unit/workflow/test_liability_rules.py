"""Liability as pure rules: the 70/30 split, the sanction and the joint-liability flags."""
import pytest

from checklists.workflow.liability import AttributedDeduction, Split, assess


def _d(result, item, person, supervisor="boss", points=2.0, month="2026-11"):
    return AttributedDeduction(result, "A", item, item, points, month, person, supervisor)


def test_the_default_split_is_seventy_thirty_with_the_direct_supervisor():
    found = assess([_d("r1", "s.1", "wang", points=10), _d("r2", "s.2", "li", points=5)])
    wang, boss = found.people["wang"], found.people["boss"]
    assert (wang.own_share, wang.supervisor_share, wang.total) == (7.0, 0.0, 7.0)
    assert boss.deductions == 0 and boss.total == pytest.approx(4.5)
    assert found.sanctions == [] and found.joint == []


def test_without_a_supervisor_the_person_bears_it_all():
    found = assess([_d("r1", "s.1", "wang", supervisor=None, points=4)])
    assert found.people["wang"].total == 4.0 and list(found.people) == ["wang"]


def test_three_deductions_in_a_month_bring_a_sanction_with_evidence():
    found = assess([_d("r1", "s.1", "wang"), _d("r2", "s.2", "wang"),
                    _d("r3", "s.3", "wang", month="2026-12"), _d("r4", "s.4", "wang")])
    [sanction] = found.sanctions
    assert (sanction.person_id, sanction.month, sanction.count) == ("wang", "2026-11", 3)
    assert [e["result_id"] for e in sanction.evidence] == ["r1", "r2", "r4"]


def test_one_item_three_times_under_one_supervisor_is_joint_liability():
    found = assess([_d("r1", "s.1", "wang"), _d("r2", "s.1", "li"), _d("r3", "s.1", "zhao"),
                    _d("r4", "s.1", "zhou", supervisor="other"), _d("r5", "s.2", "wang")])
    [joint] = found.joint
    assert (joint.supervisor_id, joint.item_id, joint.count) == ("boss", "s.1", 3)
    assert [e["result_id"] for e in joint.evidence] == ["r1", "r2", "r3"]


def test_split_only_under_joint_liability_when_so_configured():
    deductions = [_d("r1", "s.1", "wang"), _d("r2", "s.1", "li"), _d("r3", "s.1", "zhao"),
                  _d("r4", "s.2", "wang", points=10)]
    found = assess(deductions, Split(person=0.7, always=False))
    assert found.people["wang"].own_share == pytest.approx(1.4 + 10)
    assert found.people["boss"].supervisor_share == pytest.approx(0.6 * 3)
    with pytest.raises(ValueError):
        Split(person=1.5)
