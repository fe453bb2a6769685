"""What this device's user has to do: plan occurrences and complaints assigned to them.

Both arrive by the normal pull (occurrences of a person in their user
bucket, of a role in the site's bucket; complaint tasks in the user bucket);
this only picks and orders them, offline. An occurrence's state is worked
out at ``now`` with the same rule the server uses (``checklists.plans``).
"""
from __future__ import annotations

from datetime import datetime, timedelta

from checklists import plans
from checklists.plans.occurrences import parse_time

OCCURRENCES, COMPLAINT_TASKS = "plan_occurrences", "complaint_tasks"
_OPEN_TASK = frozenset({"assigned"})


def today(records: list[dict], user: dict, now: datetime,
          ahead: timedelta = timedelta(days=1)) -> list[dict]:
    """Open work for ``user`` (``{id, role}``) starting before ``now + ahead``, by due time:
    ``{kind, id, title, state, due_at, seconds_left}``."""
    items = []
    for rec in records:
        data = rec.get("data") or {}
        if rec["type"] == OCCURRENCES and plans.assigned_to(data, user["id"], user["role"]):
            state = plans.state_at(data, now)
            if state in (plans.DONE, plans.CANCELLED, plans.MISSED) or \
                    parse_time(data["start"]) >= now + ahead:
                continue
            items.append({"kind": "inspection", "id": data["id"], "title": data["name"],
                          "state": state, "due_at": data["due_at"],
                          "seconds_left": plans.clock_left(data, now)})
        elif rec["type"] == COMPLAINT_TASKS and data.get("status") in _OPEN_TASK and \
                data.get("assignee_user_id") == user["id"]:
            left = None if not data.get("deadline_at") else int(
                (parse_time(data["deadline_at"]) - now).total_seconds())
            items.append({"kind": "complaint", "id": data["complaint_id"],
                          "title": f"{data['unit']} {data['category']}: {data['description']}",
                          "state": "overdue" if left is not None and left < 0 else "open",
                          "due_at": data.get("deadline_at"), "seconds_left": left})
    return sorted(items, key=lambda i: (i["due_at"] or "9999", i["id"]))
