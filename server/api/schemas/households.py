"""Response and body schemas of the key-household and welfare-check endpoints.

The register's body is the domain's own ``HouseholdSchema``; what goes out
is stored JSON (dates already ISO text), so the output schemas describe it
with plain strings and dicts rather than re-parsing it.
"""
from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from checklists.households import CATEGORIES, OUTCOMES, PARTIES, STEPS, TEAMS
from checklists.schema_parts import NonBlankString

from .paging import page_schema


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class HouseholdSummaryOut(Schema):
    """A register line: where and why, no personal field."""

    id = fields.String(required=True)
    site_id = fields.String(required=True)
    building = fields.String(required=True)
    unit = fields.String(required=True)
    checkpoint_tag = fields.String(allow_none=True)
    categories = fields.List(fields.String(validate=validate.OneOf(CATEGORIES)), required=True)
    updated_at = fields.String(required=True)
    version = fields.Integer(required=True)


class HouseholdOut(HouseholdSummaryOut):
    """A full key-household record: reading one is audit-logged."""

    occupants = fields.List(fields.Dict())
    emergency_contacts = fields.List(fields.Dict())
    tenancy = fields.Dict(allow_none=True)
    access_expires_at = fields.String(metadata={
        "description": "when the reader's access grant ends (absent on the creator's copy)"})
    due_date = fields.String(allow_none=True)
    helpers = fields.List(fields.Dict())
    going_out_notices = fields.List(fields.Dict())
    relatives_staying = fields.List(fields.Dict())
    visitor_log = fields.List(fields.Dict())
    notes = fields.String()
    welfare_after_days = fields.Integer()
    created_at = fields.String(required=True)
    updated_by = fields.String(required=True)


class HouseholdAuditOut(Schema):
    """Who read or wrote which full record, when, and through which door."""

    id = fields.String(required=True)
    site_id = fields.String(required=True)
    household_id = fields.String(required=True)
    action = fields.String(required=True, validate=validate.OneOf(
        ("read", "create", "update", "delete", "access-request", "access-approve",
         "access-refuse")))
    at = fields.String(required=True)
    user_id = fields.String(required=True)
    username = fields.String(allow_none=True)
    role = fields.String(required=True)
    device_id = fields.String(allow_none=True, metadata={"description": "null: a web session"})
    door = fields.String(required=True, metadata={"description": "the endpoint used"})
    request_id = fields.String(allow_none=True, metadata={
        "description": "the access request a read went through, or an access entry is about"})


HouseholdSummaryPage = page_schema(HouseholdSummaryOut, "HouseholdSummaryPage")
HouseholdAuditPage = page_schema(HouseholdAuditOut, "HouseholdAuditPage")


class WatchItemOut(Schema):
    code = fields.String(required=True)
    text = fields.String(required=True)
    clause = fields.String(required=True, metadata={"description": "seed 003 clause"})


class WatchCategoryOut(Schema):
    category = fields.String(required=True)
    label = fields.String(required=True)
    watch = fields.List(fields.Nested(WatchItemOut), required=True)


class WatchHouseholdOut(Schema):
    household_id = fields.String(required=True)
    building = fields.String(required=True)
    unit = fields.String(required=True)
    checkpoint_tag = fields.String(allow_none=True)
    categories = fields.List(fields.Nested(WatchCategoryOut), required=True)


class WatchViewOut(Schema):
    """The guards' view of a site's key households (also pulled as ``household_watch``)."""

    id = fields.String(required=True)
    site_id = fields.String(required=True)
    generated_at = fields.String(allow_none=True, required=True)
    households = fields.List(fields.Nested(WatchHouseholdOut), required=True)


class ChangeListOut(Schema):
    """Per team (security, cleaning, repair): added / changed / removed households."""

    since = fields.String(allow_none=True, metadata={"description": "the update compared to"})
    changes = fields.Dict(keys=fields.String(validate=validate.OneOf(TEAMS)),
                          values=fields.Dict(), required=True)


class MonthlyUpdateOut(ChangeListOut):
    id = fields.String(required=True)
    site_id = fields.String(required=True)
    at = fields.String(required=True)
    by = fields.String(required=True)


class MonthlyUpdateList(Schema):
    items = fields.List(fields.Nested(MonthlyUpdateOut), required=True)


class ReminderOut(Schema):
    kind = fields.String(required=True)
    due = fields.String(required=True)
    state = fields.String(required=True, validate=validate.OneOf(("upcoming", "due", "overdue")))
    household_id = fields.String(allow_none=True, required=True)
    helper = fields.Integer(metadata={"description": "index in the household's helpers"})
    stay = fields.Integer(metadata={"description": "index in relatives_staying"})


class ReminderList(Schema):
    date = fields.String(required=True, metadata={"description": "the site's day"})
    items = fields.List(fields.Nested(ReminderOut), required=True)


class WelfareDueOut(Schema):
    household_id = fields.String(required=True)
    building = fields.String(required=True)
    unit = fields.String(required=True)
    last_seen = fields.String(allow_none=True, required=True)
    days_unseen = fields.Integer(allow_none=True, required=True)


class WelfareDueList(Schema):
    items = fields.List(fields.Nested(WelfareDueOut), required=True)


class WelfareCheckOut(Schema):
    id = fields.String(required=True)
    site_id = fields.String(required=True)
    household_id = fields.String(required=True)
    building = fields.String(required=True)
    unit = fields.String(required=True)
    reason = fields.String(required=True)
    state = fields.String(required=True, validate=validate.OneOf(("open", "closed")))
    opened_at = fields.String(required=True)
    opened_by = fields.String(required=True)
    steps = fields.List(fields.Dict(), required=True)
    closed_at = fields.String(allow_none=True)
    closed_by = fields.String(allow_none=True)
    resolution = fields.String(allow_none=True)
    incident_record = fields.Dict(allow_none=True)


WelfareCheckPage = page_schema(WelfareCheckOut, "WelfareCheckPage")


class WelfareCheckIn(_Strict):
    household_id = NonBlankString(required=True, validate=validate.Length(max=64))
    reason = NonBlankString(required=True, validate=validate.Length(max=500))


class WelfareStepIn(_Strict):
    step = fields.String(required=True, validate=validate.OneOf(STEPS))
    outcome = fields.String(required=True, validate=validate.OneOf(
        sorted({o for outcomes in OUTCOMES.values() for o in outcomes})))
    note = fields.String(load_default="", validate=validate.Length(max=2000))
    supervised_by = NonBlankString(validate=validate.Length(max=200), metadata={
        "description": "supervised_entry: who supervises entering the home"})


class SignatureIn(_Strict):
    party = fields.String(required=True, validate=validate.OneOf(PARTIES))
    name = NonBlankString(required=True, validate=validate.Length(max=100))


class IncidentRecordIn(_Strict):
    """The 《突发事件处理记录表》: what was found and done, signed by three parties."""

    summary = NonBlankString(required=True, validate=validate.Length(max=5000))
    signatures = fields.List(fields.Nested(SignatureIn), required=True,
                             validate=validate.Length(max=10))


class WelfareCloseIn(_Strict):
    resolution = NonBlankString(required=True, validate=validate.Length(max=2000))
    incident_record = fields.Nested(IncidentRecordIn, allow_none=True, load_default=None)


class AccessRequestIn(_Strict):
    reason = NonBlankString(required=True, validate=validate.Length(max=2000),
                            metadata={"description": "why the file must be read (registered)"})


class AccessDecisionIn(_Strict):
    approve = fields.Boolean(required=True, metadata={"description": "true: approve"})
    reason = fields.String(allow_none=True, validate=validate.Length(max=2000),
                           metadata={"description": "required when refusing"})


class AccessRequestOut(Schema):
    """A request to read one household's file, and its decision (seed 001 §4.8)."""

    id = fields.String(required=True)
    site_id = fields.String(required=True)
    household_id = fields.String(required=True)
    requester_id = fields.String(required=True)
    requester_name = fields.String(allow_none=True)
    reason = fields.String(required=True)
    requested_at = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(
        ("requested", "approved", "refused")))
    decided_by = fields.String(allow_none=True)
    decided_at = fields.String(allow_none=True)
    decision_reason = fields.String(allow_none=True)
    expires_at = fields.String(allow_none=True, metadata={"description": "end of the grant"})


class AccessRequestList(Schema):
    items = fields.List(fields.Nested(AccessRequestOut), required=True)
