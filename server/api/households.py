"""Key households (重点户): the register for supervisors, what to watch for everyone.

The register, its audit log, the monthly change list and the reminders are
for supervisors of the site and admins; guards and engineers get the watch
items only (``GET /sites/<id>/watch-items``: place, category, what to watch).
Every full record returned is audit-logged with the endpoint it went through,
and needs the reader's approved access grant (seed 001 §4.8): ask with
``POST …/households/<id>/access-requests``; the site's lead or an admin sees
``GET …/access-requests`` and answers ``POST …/access-requests/<rid>/decision``.
"""
from __future__ import annotations

from flask import current_app, request
from flask.views import MethodView
from flask_smorest.error_handler import ErrorSchema

from checklists.actors import ADMIN, SUPERVISOR
from checklists.households import HouseholdSchema
from server.services.accounts.records import utc_now
from server.auth import current_actor
from server.extensions import get_store
from server.services import household_access, household_reviews, households

from .blueprint import Blueprint
from .schemas.households import (
    AccessDecisionIn, AccessRequestIn, AccessRequestList, AccessRequestOut, ChangeListOut,
    HouseholdAuditPage, HouseholdOut, HouseholdSummaryPage, MonthlyUpdateList, MonthlyUpdateOut,
    ReminderList, WatchViewOut,
)
from .schemas.paging import PageArgs, page_body

blp = Blueprint("households", __name__, url_prefix="/api/v1/sites",
                description="Key households (重点户): the register (supervisors, audited) and "
                            "what guards watch.")
REGISTER_ROLES = (SUPERVISOR, ADMIN)
_NOT_FOUND = "No such household on this site's register."
NO_SITE = "No such site."
NO_GRANT = "No approved access to this household's file: request it."


def door() -> str:
    """Which endpoint a full record went out through, for the audit log."""
    return f"{request.method} {request.url_rule.rule}"


@blp.route("/<site_id>/households")
class Register(MethodView):
    @blp.auth_required(*REGISTER_ROLES)
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, HouseholdSummaryPage)
    @blp.alt_response(404, schema=ErrorSchema, description=NO_SITE)
    def get(self, args, site_id):
        """The register by building and unit: summaries only (open one to see its file)."""
        return households.list_households(get_store(), current_actor(), site_id,
                                          cursor=args["cursor"], limit=args["limit"])

    @blp.auth_required(*REGISTER_ROLES)
    @blp.arguments(HouseholdSchema)
    @blp.response(201, HouseholdOut)
    @blp.alt_response(404, schema=ErrorSchema, description=NO_SITE)
    def post(self, data, site_id):
        """Add a key household (the record returned is audit-logged)."""
        return households.create_household(get_store(), current_actor(), site_id,
                                           request.get_json(), at=utc_now(), door=door())


@blp.route("/<site_id>/households/<household_id>")
class OneHousehold(MethodView):
    @blp.auth_required(*REGISTER_ROLES)
    @blp.response(200, HouseholdOut)
    @blp.alt_response(403, schema=ErrorSchema, description=NO_GRANT)
    @blp.alt_response(404, schema=ErrorSchema, description=_NOT_FOUND)
    def get(self, site_id, household_id):
        """One full record: needs an approved access grant; the read is audit-logged."""
        return households.get_household(get_store(), current_actor(), site_id, household_id,
                                        at=utc_now(), door=door())

    @blp.auth_required(*REGISTER_ROLES)
    @blp.arguments(HouseholdSchema)
    @blp.response(200, HouseholdOut)
    @blp.alt_response(403, schema=ErrorSchema, description=NO_GRANT)
    @blp.alt_response(404, schema=ErrorSchema, description=_NOT_FOUND)
    def put(self, data, site_id, household_id):
        """Replace a record (needs a grant: the full record comes back)."""
        return households.replace_household(get_store(), current_actor(), site_id,
                                            household_id, request.get_json(), at=utc_now(),
                                            door=door())

    @blp.auth_required(*REGISTER_ROLES)
    @blp.response(204)
    @blp.alt_response(404, schema=ErrorSchema, description=_NOT_FOUND)
    def delete(self, site_id, household_id):
        """Take a household off the register (moved out); the audit log keeps its entries."""
        households.delete_household(get_store(), current_actor(), site_id, household_id,
                                    at=utc_now(), door=door())


@blp.route("/<site_id>/households/<household_id>/access-requests", methods=["POST"])
@blp.auth_required(*REGISTER_ROLES)
@blp.arguments(AccessRequestIn)
@blp.response(201, AccessRequestOut)
@blp.alt_response(404, schema=ErrorSchema, description=_NOT_FOUND)
def request_access(data, site_id, household_id):
    """Ask to read a household's file (a reason is required; the site's lead decides)."""
    return household_access.request_access(get_store(), current_actor(), site_id,
                                           household_id, data, at=utc_now(), door=door())


@blp.route("/<site_id>/access-requests", methods=["GET"])
@blp.auth_required()
@blp.response(200, AccessRequestList)
@blp.alt_response(404, schema=ErrorSchema, description=NO_SITE)
def pending_access(site_id):
    """Requests waiting for your decision (the site's lead or an admin), oldest first."""
    return {"items": household_access.pending_requests(get_store(), current_actor(), site_id)}


@blp.route("/<site_id>/access-requests/<request_id>/decision", methods=["POST"])
@blp.auth_required()
@blp.arguments(AccessDecisionIn)
@blp.response(200, AccessRequestOut)
@blp.alt_response(404, schema=ErrorSchema, description="No such request on this site.")
@blp.alt_response(409, schema=ErrorSchema, description="The request was already decided.")
def decide_access(data, site_id, request_id):
    """Approve (a grant for HOUSEHOLD_ACCESS_HOURS) or refuse with a reason; never your own."""
    return household_access.decide_access(
        get_store(), current_actor(), site_id, request_id, data, at=utc_now(),
        hours=household_access.access_hours(current_app.config), door=door())


@blp.route("/<site_id>/household-audit", methods=["GET"])
@blp.auth_required(*REGISTER_ROLES)
@blp.arguments(PageArgs, location="query")
@blp.response(200, HouseholdAuditPage)
@blp.alt_response(404, schema=ErrorSchema, description=NO_SITE)
def household_audit(args, site_id):
    """Every read and write of a full record, newest first (append-only)."""
    return page_body(households.list_audit(get_store(), current_actor(), site_id,
                                           cursor=args["cursor"], limit=args["limit"]))


@blp.route("/<site_id>/watch-items", methods=["GET"])
@blp.auth_required()
@blp.response(200, WatchViewOut)
@blp.alt_response(404, schema=ErrorSchema, description=NO_SITE)
def watch_items(site_id):
    """What to watch on patrol, per building and unit: category and items, nobody's file."""
    return households.watch_view(get_store(), current_actor(), site_id)


@blp.route("/<site_id>/household-changes", methods=["GET"])
@blp.auth_required(*REGISTER_ROLES)
@blp.response(200, ChangeListOut)
@blp.alt_response(404, schema=ErrorSchema, description=NO_SITE)
def pending_changes(site_id):
    """The change list so far: the register against the last monthly update, per team."""
    return household_reviews.pending_changes(get_store(), current_actor(), site_id)


@blp.route("/<site_id>/household-monthly-updates")
class MonthlyUpdates(MethodView):
    @blp.auth_required(*REGISTER_ROLES)
    @blp.response(200, MonthlyUpdateList)
    @blp.alt_response(404, schema=ErrorSchema, description=NO_SITE)
    def get(self, site_id):
        """The last twelve monthly updates with their change lists."""
        return {"items": household_reviews.list_monthly_updates(get_store(), current_actor(),
                                                                site_id)}

    @blp.auth_required(*REGISTER_ROLES)
    @blp.response(201, MonthlyUpdateOut)
    @blp.alt_response(404, schema=ErrorSchema, description=NO_SITE)
    def post(self, site_id):
        """Record this month's update: its change list goes to security, cleaning, repair."""
        return household_reviews.record_monthly_update(get_store(), current_actor(), site_id,
                                                       at=utc_now())


@blp.route("/<site_id>/household-reminders", methods=["GET"])
@blp.auth_required(*REGISTER_ROLES)
@blp.response(200, ReminderList)
@blp.alt_response(404, schema=ErrorSchema, description=NO_SITE)
def reminders(site_id):
    """Open reminders: pass expiry, due dates, long stays, the monthly update."""
    return household_reviews.open_reminders(get_store(), current_actor(), site_id,
                                            at=utc_now())
