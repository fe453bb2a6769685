"""The appeal rules and the liability split as the server's configuration sets them."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from checklists.workflow.appeals import AppealRules
from checklists.workflow.liability import Split


def appeal_rules(config: Mapping[str, Any]) -> AppealRules:
    return AppealRules(file_days=int(config["APPEAL_FILE_DAYS"]),
                       decide_days=int(config["APPEAL_DECIDE_DAYS"]),
                       further_days=int(config["APPEAL_FURTHER_DAYS"]),
                       project_department=str(config["APPEAL_PROJECT_DEPARTMENT"]))


def liability_split(config: Mapping[str, Any]) -> Split:
    return Split(person=float(config["LIABILITY_PERSON_SHARE"]),
                 always=bool(config["LIABILITY_SPLIT_ALWAYS"]))
