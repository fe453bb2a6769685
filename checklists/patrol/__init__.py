"""Patrol rounds: checkpoints, route versions, schedules, occurrences and verdicts.

Pure Python like the rest of :mod:`checklists` (no Flask, no store): a
service loads documents with the ``load_*`` functions (422-ready
:class:`PatrolInvalid` naming each bad field), stores ``obj.to_doc()``, and
calls the pure functions below::

    route = load_route(doc, checkpoints=site_checkpoints)       # by id
    schedule = load_schedule(doc, route=route)
    planned = reconcile_occurrences(stored, has_scans, schedule, since=now)
    overdue = overdue_occurrences(scheduled, result_ids, now)   # mark these missed
    result = load_round_result(body)
    versions = {key: load_the_definition(*key) for key in named_checklists(result)}
    verdict = judge_round(route, occurrence, result, JudgeContext(site_checkpoints,
                          clock_offset_s=measured, received_at=now, checklists=versions))
    verdict.to_record()        # store; explain_record(record) adds zh/en sentences
"""
from checklists.patrol.context import JudgeContext, Thresholds
from checklists.patrol.errors import PatrolInvalid
from checklists.patrol.judge import judge_round
from checklists.patrol.model import (
    Assignees, Checkpoint, GpsFix, PhotoRef, RoundResult, Route, Scan, Schedule, Stop, Timing,
    Visit, Window,
)
from checklists.patrol.occurrences import (
    CANCELLED, MISSED, SCHEDULED, Occurrence, Reconciliation, generate_occurrences,
    occurrence_id, overdue_occurrences, reconcile_occurrences,
)
from checklists.patrol.recurrence import MAX_ROUNDS_PER_DAY, RuleError
from checklists.patrol.result_schema import PatrolRoundResultSchema, load_round_result
from checklists.patrol.schemas import (
    PatrolCheckpointSchema, PatrolRouteSchema, PatrolScheduleSchema, load_checkpoint, load_route,
    load_schedule, tag_clashes,
)
from checklists.patrol.verdict import RULES_VERSION, RoundVerdict, explain_record
from checklists.patrol.visit_answers import named_checklists

__all__ = [
    "Assignees", "CANCELLED", "Checkpoint", "GpsFix", "JudgeContext", "MAX_ROUNDS_PER_DAY",
    "MISSED", "Occurrence", "PatrolCheckpointSchema", "PatrolInvalid", "PatrolRoundResultSchema",
    "PatrolRouteSchema", "PatrolScheduleSchema", "PhotoRef", "RULES_VERSION", "Reconciliation",
    "RoundResult", "RoundVerdict", "Route", "RuleError", "SCHEDULED", "Scan", "Schedule", "Stop",
    "Thresholds", "Timing", "Visit", "Window", "explain_record", "generate_occurrences",
    "judge_round", "load_checkpoint", "load_round_result", "load_route", "load_schedule",
    "named_checklists", "occurrence_id", "overdue_occurrences", "reconcile_occurrences", "tag_clashes",
]
