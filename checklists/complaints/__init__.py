"""Complaints and callbacks (seed 001): pure rules, schemas and monthly statistics."""
from .errors import ComplaintInvalid
from .model import (CATEGORIES, CHANNELS, FIVE_CLEAR, AssignSchema, CallbackSchema,
                    ClassifySchema, IntakeSchema, ResolveSchema, StepSchema)
from .rules import (ASSIGNED, CLOSED, RECEIVED, RESOLVED, add_callback, assign, classify, clock,
                    may_open_ticket, may_see_resident, new_complaint, next_working_day,
                    note_reported, note_ticket, record_step, resolve, view_for)
from .stats import monthly_stats, stats_csv

__all__ = ["ASSIGNED", "AssignSchema", "CATEGORIES", "CHANNELS", "CLOSED", "CallbackSchema",
           "ClassifySchema", "ComplaintInvalid", "FIVE_CLEAR", "IntakeSchema", "RECEIVED",
           "RESOLVED", "ResolveSchema", "StepSchema", "add_callback", "assign", "classify",
           "clock", "may_open_ticket", "may_see_resident", "monthly_stats", "new_complaint",
           "next_working_day", "note_reported", "note_ticket", "record_step", "resolve", "stats_csv",
           "view_for"]
