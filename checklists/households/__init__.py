"""Key households (重点户, seed 003): the register, patrol watch items, welfare checks.

Pure Python (no Flask, no store). A service validates a register entry with
``load_household(body, today)``, stores it server-side only, and derives
from the register what others may see::

    guard_view(site_id, households, generated_at)  # the guards' document: no personal fields
    watch_items(household)                          # per category: what a patrol watches
    welfare_checks_due(households, last_seen, now)  # vulnerable, not seen for N days
    reminders(households, today, last_monthly_update)   # ±1 week around due dates
    monthly_changes(before, after)                  # per team: added / changed / removed

Who may read a full file, and until when, is ``checklists.households.access``
(requests approved by the site's lead or an admin, seed 001 §4.8).
"""
from .categories import CATEGORIES, LABELS, TEAMS, VULNERABLE
from .changes import monthly_changes
from .reminders import reminders
from .schemas import HouseholdInvalid, HouseholdSchema, load_household
from .watch import guard_view, watch_items
from .welfare import (
    OUTCOMES, PARTIES, STEPS, WelfareStepRefused, close_task, open_task, record_step,
    welfare_checks_due,
)

__all__ = [
    "CATEGORIES", "HouseholdInvalid", "HouseholdSchema", "LABELS", "OUTCOMES", "PARTIES",
    "STEPS", "TEAMS", "VULNERABLE", "WelfareStepRefused", "close_task", "guard_view",
    "load_household", "monthly_changes", "open_task", "record_step", "reminders",
    "watch_items", "welfare_checks_due",
]
