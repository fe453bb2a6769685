"""Welfare checks of vulnerable key households (seed 003 §4.3.3.3).

A guard on patrol reports a sighting (``POST .../households/<id>/sightings``);
supervisors of the site and admins see which checks are due, open a task,
record each step of the procedure and close it -- after an entry into the
home, with the incident record signed by three parties.
"""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest.error_handler import ErrorSchema

from server.services.accounts.records import utc_now
from server.auth import current_actor
from server.extensions import get_store
from server.services import welfare_checks

from .blueprint import Blueprint
from .households import NO_SITE, REGISTER_ROLES
from .schemas.households import (
    WelfareCheckIn, WelfareCheckOut, WelfareCheckPage, WelfareCloseIn, WelfareDueList,
    WelfareStepIn,
)
from .schemas.paging import PageArgs

blp = Blueprint("welfare_checks", __name__, url_prefix="/api/v1/sites",
                description="Welfare checks of vulnerable households: sightings, due checks, "
                            "the procedure step by step.")
_NO_TASK = "No such welfare check at this site."


@blp.route("/<site_id>/households/<household_id>/sightings", methods=["POST"])
@blp.auth_required()
@blp.response(204)
@blp.alt_response(404, schema=ErrorSchema, description="No such household at this site.")
def record_sighting(site_id, household_id):
    """The household's resident was seen just now (anyone working at the site)."""
    welfare_checks.record_sighting(get_store(), current_actor(), site_id, household_id,
                                   at=utc_now())


@blp.route("/<site_id>/welfare-checks/due", methods=["GET"])
@blp.auth_required(*REGISTER_ROLES)
@blp.response(200, WelfareDueList)
@blp.alt_response(404, schema=ErrorSchema, description=NO_SITE)
def checks_due(site_id):
    """Vulnerable households not seen for their number of days and with no open check."""
    return {"items": welfare_checks.checks_due(get_store(), current_actor(), site_id,
                                               at=utc_now())}


@blp.route("/<site_id>/welfare-checks")
class WelfareChecks(MethodView):
    @blp.auth_required(*REGISTER_ROLES)
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, WelfareCheckPage)
    @blp.alt_response(404, schema=ErrorSchema, description=NO_SITE)
    def get(self, args, site_id):
        """The site's welfare checks, newest first."""
        return welfare_checks.list_checks(get_store(), current_actor(), site_id,
                                          cursor=args["cursor"], limit=args["limit"])

    @blp.auth_required(*REGISTER_ROLES)
    @blp.arguments(WelfareCheckIn)
    @blp.response(201, WelfareCheckOut)
    @blp.alt_response(404, schema=ErrorSchema, description="No such household at this site.")
    @blp.alt_response(409, schema=ErrorSchema, description="The household has an open check.")
    def post(self, data, site_id):
        """Open a welfare check of a household."""
        return welfare_checks.open_check(get_store(), current_actor(), site_id,
                                         data["household_id"], data["reason"], at=utc_now())


@blp.route("/<site_id>/welfare-checks/<check_id>", methods=["GET"])
@blp.auth_required(*REGISTER_ROLES)
@blp.response(200, WelfareCheckOut)
@blp.alt_response(404, schema=ErrorSchema, description=_NO_TASK)
def get_check(site_id, check_id):
    """One welfare check with its steps."""
    return welfare_checks.get_check(get_store(), current_actor(), site_id, check_id)


@blp.route("/<site_id>/welfare-checks/<check_id>/steps", methods=["POST"])
@blp.auth_required(*REGISTER_ROLES)
@blp.arguments(WelfareStepIn)
@blp.response(200, WelfareCheckOut)
@blp.alt_response(404, schema=ErrorSchema, description=_NO_TASK)
def record_step(data, site_id, check_id):
    """Record the next step (knock, ask neighbours, call family, supervised entry, 120/110)."""
    return welfare_checks.record_check_step(get_store(), current_actor(), site_id, check_id,
                                            data, at=utc_now())


@blp.route("/<site_id>/welfare-checks/<check_id>/close", methods=["POST"])
@blp.auth_required(*REGISTER_ROLES)
@blp.arguments(WelfareCloseIn)
@blp.response(200, WelfareCheckOut)
@blp.alt_response(404, schema=ErrorSchema, description=_NO_TASK)
def close_check(data, site_id, check_id):
    """Close the check; after entering the home, with the three-party incident record."""
    return welfare_checks.close_check(get_store(), current_actor(), site_id, check_id,
                                      data["resolution"], data["incident_record"],
                                      at=utc_now())
