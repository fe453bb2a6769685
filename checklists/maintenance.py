"""Maintenance tasks from the annual maintenance plan (seed 004 房屋本体维修养护计划).

Each check item of the built-in plan (``building-maintenance-plan``) names its
cycle in its label (``[每半年]``, ``[每年]``, ``[每2年]``, ``[每3年]``; ``雨季前``
for before the rainy season) and its team in its help (``负责: 工程部``); they
become recurring **tasks** of a site, so nothing is copied by hand.

Recurrence is *fixed* (due dates stay on the calendar: a late completion
covers the cycle it was late for) or *floating* (the next due date counts
from the last completion). A rainy-season task is due each year on the
site's rainy-season start (``MM-DD``), its window opening 30 days before.
Fire-equipment tasks follow the 100 %-intact rule: a completion reporting
less is kept as evidence but does not complete the cycle.
"""
from __future__ import annotations

import re
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

PERIODS = {"half-yearly": relativedelta(months=6), "yearly": relativedelta(years=1),
           "2-yearly": relativedelta(years=2), "3-yearly": relativedelta(years=3)}
_CYCLE_TAGS = {"每半年": "half-yearly", "每年": "yearly", "每2年": "2-yearly", "每3年": "3-yearly"}
MODES = ("fixed", "floating")
RAINY_WINDOW = timedelta(days=30)
_TEAM = re.compile(r"负责[:：]\s*([^。;；,，]+)")
MONTH_DAY = re.compile(r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")


class TaskInvalid(ValueError):
    def __init__(self, errors: dict):
        super().__init__(str(errors))
        self.errors = errors


def tasks_from_plan(definition: dict, site_id: str, first_due: date, mode: str) -> list[dict]:
    """One task per cycle-tagged check item of the maintenance plan ``definition``."""
    if mode not in MODES:
        raise TaskInvalid({"mode": [f"One of {', '.join(MODES)}."]})
    out = []
    for section in definition["sections"]:
        for item in section["items"]:
            label = item.get("label", {}).get("zh", "")
            tag = re.match(r"^\[(每半年|每年|每2年|每3年)\]\s*(.*)$", label)
            if item.get("type") != "check" or tag is None:
                continue
            team = _TEAM.search(item.get("help", {}).get("zh", ""))
            out.append({
                "type": "maintenance_task", "id": f"{site_id}.{item['id']}", "v": 1,
                "site_id": site_id, "item_id": item["id"], "name": tag.group(2),
                "team": team.group(1).strip() if team else None,
                "frequency": _CYCLE_TAGS[tag.group(1)], "rainy_season": "雨季前" in label,
                "fire": item["id"].startswith("mp.fire."),
                "mode": "fixed" if "雨季前" in label else mode,
                "first_due": first_due.isoformat(), "completions": [],
            })
    return out


def rainy_due(rainy_start: str, on_or_after: date) -> date:
    """The first rainy-season start (``MM-DD``) on or after ``on_or_after``."""
    month, day = (int(p) for p in rainy_start.split("-"))
    due = date(on_or_after.year, month, min(day, 28 if month == 2 else day))
    return due if due >= on_or_after else due.replace(year=due.year + 1)


def _counted(task: dict) -> list[date]:
    return sorted(date.fromisoformat(c["done_on"]) for c in task["completions"] if c["counts"])


def next_due(task: dict, rainy_start: str | None) -> date:
    """When the task is next due, given its counted completions."""
    done = _counted(task)
    first = date.fromisoformat(task["first_due"])
    if task["rainy_season"]:
        if rainy_start is None:
            raise TaskInvalid({"rainy_season_start": ["Set the site's rainy-season start "
                                                      "(MM-DD) first."]})
        first = rainy_due(rainy_start, first)
    period = PERIODS[task["frequency"]]
    if task["mode"] == "floating" and done:
        return done[-1] + period
    return first + period * len(done)


def state(task: dict, rainy_start: str | None, today: date) -> dict:
    """Due date, the window's opening for rainy-season tasks, days left, overdue."""
    due = next_due(task, rainy_start)
    return {"due_on": due.isoformat(),
            "window_opens": (due - RAINY_WINDOW).isoformat() if task["rainy_season"] else None,
            "days_left": (due - today).days, "overdue": today > due}


def complete(task: dict, done_on: date, by: str, *, intact_rate: float | None,
             note: str | None) -> dict:
    """The task with a completion recorded; a fire task needs its intact rate, and only
    100 % completes the cycle (the record is kept either way)."""
    if task["fire"] and intact_rate is None:
        raise TaskInvalid({"intact_rate": ["Fire equipment: give the intact rate (%)."]})
    first = date.fromisoformat(task["first_due"])
    if done_on < first - PERIODS[task["frequency"]]:
        raise TaskInvalid({"done_on": [f"Before this task's first cycle (due {first})."]})
    counts = not task["fire"] or intact_rate == 100
    record = {"done_on": done_on.isoformat(), "by": by, "intact_rate": intact_rate,
              "note": note, "counts": counts}
    if not counts:
        record["why_not"] = "fire equipment must be 100% intact: rectify and record again"
    return {**task, "v": task["v"] + 1, "completions": [*task["completions"], record]}
