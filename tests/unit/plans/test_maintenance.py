"""The maintenance plan over three years: cycles fall due when they should, floating after a
late completion, the rainy-season window, the fire equipment's 100 % rule."""
from __future__ import annotations

from datetime import date

import pytest

import checklists
from checklists import maintenance as mt

PLAN = checklists.builtin_definition("building-maintenance-plan")


def tasks(mode="fixed"):
    return {t["item_id"]: t for t in mt.tasks_from_plan(PLAN, "s1", date(2027, 1, 15), mode)}


def test_tasks_come_from_the_plan_with_cycle_and_team():
    found = tasks()
    assert found["mp.roof.drains"]["frequency"] == "half-yearly"
    assert found["mp.common.replaster"]["frequency"] == "3-yearly"
    assert found["mp.structure.foundation"]["team"] == "工程部"
    assert found["mp.facade.sills"]["rainy_season"] is True
    assert found["mp.fire.cabinets"]["fire"] is True


def test_fixed_cycles_over_three_years():
    found = tasks()
    two, three = found["mp.common.repaint"], found["mp.common.replaster"]
    dues = []
    for year in range(3):
        dues.append((mt.next_due(two, None), mt.next_due(three, None)))
        on = date(2027 + year, 3, 1)
        if mt.next_due(two, None) <= on:
            two = mt.complete(two, on, "u1", intact_rate=None, note=None)
        if mt.next_due(three, None) <= on:
            three = mt.complete(three, on, "u1", intact_rate=None, note=None)
    assert dues == [(date(2027, 1, 15), date(2027, 1, 15)),
                    (date(2029, 1, 15), date(2030, 1, 15)),
                    (date(2029, 1, 15), date(2030, 1, 15))]
    assert mt.next_due(two, None) == date(2031, 1, 15)          # done in 2027 and 2029
    assert mt.state(three, None, date(2030, 1, 16))["overdue"] is True


def test_floating_counts_from_a_late_completion():
    fixed, floating = tasks()["mp.roof.drains"], tasks("floating")["mp.roof.drains"]
    fixed = mt.complete(fixed, date(2027, 3, 1), "u1", intact_rate=None, note=None)
    floating = mt.complete(floating, date(2027, 3, 1), "u1", intact_rate=None, note=None)
    assert mt.next_due(fixed, None) == date(2027, 7, 15)
    assert mt.next_due(floating, None) == date(2027, 9, 1)


def test_before_the_rainy_season_is_a_yearly_window_per_site():
    sills = tasks("floating")["mp.facade.sills"]
    assert sills["mode"] == "fixed"
    state = mt.state(sills, "05-01", date(2027, 4, 10))
    assert (state["due_on"], state["window_opens"]) == ("2027-05-01", "2027-04-01")
    sills = mt.complete(sills, date(2027, 4, 20), "u1", intact_rate=None, note=None)
    assert mt.next_due(sills, "05-01") == date(2028, 5, 1)
    with pytest.raises(mt.TaskInvalid) as err:
        mt.next_due(sills, None)
    assert "rainy_season_start" in err.value.errors


def test_fire_equipment_must_be_fully_intact_to_complete():
    cabinets = tasks()["mp.fire.cabinets"]
    with pytest.raises(mt.TaskInvalid) as err:
        mt.complete(cabinets, date(2027, 2, 1), "u1", intact_rate=None, note=None)
    assert "intact_rate" in err.value.errors
    partial = mt.complete(cabinets, date(2027, 2, 1), "u1", intact_rate=95.0, note=None)
    assert partial["completions"][0]["counts"] is False
    assert mt.next_due(partial, None) == date(2027, 1, 15)
    full = mt.complete(partial, date(2027, 2, 3), "u1", intact_rate=100, note=None)
    assert mt.next_due(full, None) == date(2028, 1, 15)
