"""Inspection plans and their occurrences (seed 000 §4.3, seed 004): pure rules, no store.

A service loads a plan with :func:`load_plan` (422-ready :class:`PlanInvalid`),
stores ``plan.to_doc()``, writes the documents :func:`generate` returns and
brings stored ones up to date with :func:`advanced`; the sync core closes an
occurrence with :func:`close` when a result fulfils it.
"""
from .errors import PlanInvalid
from .model import MAX_PER_WEEK, Plan, PlanSchema, load_plan, plan_from_doc
from .occurrences import (CANCELLED, DONE, DUE, MISSED, OPEN_STATES, OVERDUE, STATES, UPCOMING,
                          advanced, assigned_to, cancelled, clock_left, close, covers, generate,
                          occurrence_id, state_at)

__all__ = ["CANCELLED", "DONE", "DUE", "MAX_PER_WEEK", "MISSED", "OPEN_STATES", "OVERDUE",
           "Plan", "PlanInvalid", "PlanSchema", "STATES", "UPCOMING", "advanced", "assigned_to",
           "cancelled", "clock_left", "close", "covers", "generate", "load_plan",
           "occurrence_id", "plan_from_doc", "state_at"]
