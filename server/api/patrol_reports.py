"""Patrol rounds as supervisors and guards read them: planned, walked, missed, flagged.

Days and months are the site's local ones. Guards see their own rounds and
the rounds they are to walk; the alerts, flags and other guards' figures are
for supervisors and admins.
"""
from __future__ import annotations

from flask_smorest.error_handler import ErrorSchema

from server.auth import current_actor
from server.extensions import get_store
from server.services.patrol import occurrences, reports

from .blueprint import Blueprint
from .schemas.patrol import (
    AlertOut, DayArgs, MonthArgs, OccurrenceOut, PunctualityOut, RoundOut, items_schema,
)

blp = Blueprint("patrol_reports", __name__, url_prefix="/api/v1/patrol",
                description="Patrol rounds: occurrences, verdicts explained, missed-round "
                            "alerts, flagged rounds, punctuality.")

OccurrenceList = items_schema(OccurrenceOut, "OccurrenceList")
RoundList = items_schema(RoundOut, "RoundList")
AlertList = items_schema(AlertOut, "AlertList")
_NOT_FOUND = {"schema": ErrorSchema, "description": "No such record, or not at a site you work at."}


@blp.route("/sites/<site_id>/occurrences")
@blp.auth_required()
@blp.arguments(DayArgs, location="query")
@blp.response(200, OccurrenceList)
@blp.alt_response(404, **_NOT_FOUND)
def site_occurrences(args, site_id):
    """The rounds planned for a day (guards: the ones they walk), by start."""
    return {"items": occurrences.occurrences_of_day(get_store(), current_actor(), site_id,
                                                    args["day"].isoformat())}


@blp.route("/sites/<site_id>/rounds")
@blp.auth_required()
@blp.arguments(DayArgs, location="query")
@blp.response(200, RoundList)
@blp.alt_response(404, **_NOT_FOUND)
def site_rounds(args, site_id):
    """Rounds walked for a day's occurrences, each verdict explained line by line (zh/en)."""
    return {"items": reports.rounds_of_day(get_store(), current_actor(), site_id,
                                           args["day"].isoformat())}


@blp.route("/rounds/<round_id>")
@blp.auth_required()
@blp.response(200, RoundOut)
@blp.alt_response(404, **_NOT_FOUND)
def one_round(round_id):
    """One round with its verdict explained."""
    return reports.get_round(get_store(), current_actor(), round_id)


@blp.route("/sites/<site_id>/alerts")
@blp.auth_required()
@blp.arguments(DayArgs, location="query")
@blp.response(200, AlertList)
@blp.alt_response(404, **_NOT_FOUND)
def site_alerts(args, site_id):
    """Missed-round alerts of a day, with the round that arrived later if one did."""
    return {"items": reports.alerts_of_day(get_store(), current_actor(), site_id,
                                           args["day"].isoformat())}


@blp.route("/sites/<site_id>/flagged")
@blp.auth_required()
@blp.arguments(MonthArgs, location="query")
@blp.response(200, RoundList)
@blp.alt_response(404, **_NOT_FOUND)
def site_flagged(args, site_id):
    """A month's rounds with anti-fraud flags, each with its evidence."""
    return {"items": reports.flagged_rounds(get_store(), current_actor(), site_id, args["month"])}


@blp.route("/guards/<guard_id>/punctuality")
@blp.auth_required()
@blp.arguments(MonthArgs, location="query")
@blp.response(200, PunctualityOut)
def guard_punctuality(args, guard_id):
    """A guard's month: rounds, late starts, flags and the share of stops visited on time."""
    return reports.punctuality(get_store(), current_actor(), guard_id, args["month"])
