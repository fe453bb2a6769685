"""Built-in plan templates: the inspection calendars the seeds prescribe.

Roles map the seeds' posts onto ours: 项目经理/部门主管/客服经理 are
supervisors, 城市公司/总公司 are admins (they work at every site).
"""
from __future__ import annotations

TEMPLATES: dict[str, dict] = {
    "self-inspection": {
        "name": "项目服务质量自检 (project self-inspection)",
        "source": "seed 000 §4.3.1: 每月至少一次, 第二周的星期一下班前报公司项目部",
        "checklist_id": "quality-monthly", "assignee_role": "supervisor",
        "rrule": "FREQ=MONTHLY;BYMONTHDAY=1;BYHOUR=8;BYMINUTE=0",
        "due_offset": {"days": 1}, "due_weekday": "MO", "due_time": "18:00",
    },
    "city-monthly": {
        "name": "城市公司品质月检 (city company monthly inspection)",
        "source": "seed 000 §4.3.2: 每月至少一次, 检查完的第二周内反馈给项目",
        "checklist_id": "cs-supervision", "assignee_role": "admin",
        "rrule": "FREQ=MONTHLY;BYMONTHDAY=1;BYHOUR=9;BYMINUTE=0",
        "due_offset": {"months": 1}, "grace": {"days": 7}, "feedback_days": 14,
    },
    "supervisor-daily": {
        "name": "部门主管日检 (supervisor daily check)",
        "source": "seed 004 第七阶段: 各部门主管负责所辖范围内各项工作的日检",
        "checklist_id": "facilities-supervision", "assignee_role": "supervisor",
        "rrule": "FREQ=DAILY;BYHOUR=9;BYMINUTE=0",
        "due_offset": {"hours": 9},
    },
    "manager-weekly": {
        "name": "客服经理周检 (manager weekly check)",
        "source": "seed 004 第七阶段: 客户服务经理负责主管工作的周检",
        "checklist_id": "cs-supervision", "assignee_role": "supervisor",
        "rrule": "FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0",
        "due_offset": {"days": 4, "hours": 9},
    },
    "company-monthly": {
        "name": "总公司月检 (company monthly check)",
        "source": "seed 004 第七阶段: 总公司物业管理部经理负责组织每月的月检",
        "checklist_id": "quality-monthly", "assignee_role": "admin",
        "rrule": "FREQ=MONTHLY;BYMONTHDAY=1;BYHOUR=9;BYMINUTE=0",
        "due_offset": {"months": 1}, "grace": {"days": 7},
    },
}


def template_plan(key: str) -> dict:
    """The plan fields of template ``key`` (its ``source`` left out); KeyError if unknown."""
    return {k: v for k, v in TEMPLATES[key].items() if k != "source"} | {"template": key}
