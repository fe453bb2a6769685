"""What a complaint, its handling and its callbacks say (seed 001 第一篇/第三篇/第五篇).

Input schemas only; the rules that change a complaint live in
:mod:`checklists.complaints.rules`. Residents' names and phone numbers sit
under ``resident`` and nowhere else, so one function can withhold them
(:func:`checklists.complaints.rules.view_for`).
"""
from __future__ import annotations

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

CHANNELS = ("phone", "visit", "letter", "wechat", "app", "other")
CATEGORIES = ("repair", "environment", "security", "parking", "noise", "fees", "service",
              "facilities", "other")
SEVERITIES = ("ordinary", "serious", "major")
VALIDITY = ("valid", "invalid")
RATINGS = ("good", "fair", "poor")
#: 五清楚一报告: 听清楚 问清楚 跟清楚 复清楚 记清楚, 报告 (seed 001 第一篇 4.1)
FIVE_CLEAR = ("listened", "asked", "followed", "replied", "recorded", "reported")
UNIT_PATTERN = r"^[0-9A-Za-z\u4e00-\u9fff][0-9A-Za-z\u4e00-\u9fff_./#-]{0,39}$"
SHA256 = r"^[0-9a-f]{64}$"


def unit_field() -> fields.String:
    """A unit's label (building-entrance-room), as complaints and violations name it."""
    return fields.String(required=True, validate=validate.Regexp(
        UNIT_PATTERN, error="Give the unit as building-entrance-room, e.g. 3-2-301."))


def photo_list() -> fields.List:
    """The sha256s of up to 20 photos (their bytes come by the photo upload)."""
    return fields.List(fields.String(validate=validate.Regexp(SHA256)), load_default=list,
                       validate=validate.Length(max=20))


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class ResidentSchema(_Strict):
    """Personal data: shown only to the site's supervisors and admins and the assignee."""

    name = fields.String(required=True, validate=validate.Length(1, 100))
    phone = fields.String(load_default=None, allow_none=True,
                          validate=validate.Regexp(r"^\+?[0-9 -]{3,20}$",
                                                   error="Not a phone number."))


class IntakeSchema(_Strict):
    site_id = fields.String(required=True, validate=validate.Length(1, 64))
    unit = unit_field()
    channel = fields.String(required=True, validate=validate.OneOf(CHANNELS))
    category = fields.String(required=True, validate=validate.OneOf(CATEGORIES))
    description = fields.String(required=True, validate=validate.Length(1, 8000))
    photos = photo_list()
    resident = fields.Nested(ResidentSchema, required=True)
    repair = fields.Boolean(load_default=None, metadata={
        "description": "a repair (家政维修): its callback is due within 1 working day of "
                       "resolution (default: category repair)"})


class ClassifySchema(_Strict):
    validity = fields.String(required=True, validate=validate.OneOf(VALIDITY))
    severity = fields.String(load_default="ordinary", validate=validate.OneOf(SEVERITIES))
    reason = fields.String(load_default=None, allow_none=True, validate=validate.Length(1, 2000),
                           metadata={"description": "why invalid: what the resident was told"})
    due_at = fields.AwareDateTime(load_default=None, allow_none=True, metadata={
        "description": "the deadline a manager sets for a serious or major complaint "
                       "(default: 2 days from receipt, like an ordinary one)"})

    @validates_schema
    def _reason_for_invalid(self, data, **kwargs):
        if data["validity"] == "invalid" and not data.get("reason"):
            raise ValidationError("Say why the complaint is invalid (what the resident was "
                                  "told).", "reason")


class AssignSchema(_Strict):
    assignee_user_id = fields.String(required=True, validate=validate.Length(1, 64))


class StepSchema(_Strict):
    step = fields.String(required=True, validate=validate.OneOf(FIVE_CLEAR))
    note = fields.String(required=True, validate=validate.Length(1, 4000))


class ResolveSchema(_Strict):
    resolution = fields.String(required=True, validate=validate.Length(1, 8000))


class CallbackSchema(_Strict):
    """回访 (seed 001 第五篇 4.3): quality, service effect, satisfaction, shortcomings,
    suggestions; not resolved → the next callback date (4.4)."""

    quality = fields.String(required=True, validate=validate.OneOf(RATINGS))
    service_effect = fields.String(required=True, validate=validate.OneOf(RATINGS))
    satisfaction = fields.Integer(required=True, validate=validate.Range(1, 5), metadata={
        "description": "1 very dissatisfied … 5 very satisfied"})
    shortcomings = fields.String(load_default=None, allow_none=True,
                                 validate=validate.Length(max=4000))
    suggestions = fields.String(load_default=None, allow_none=True,
                                validate=validate.Length(max=4000))
    remarks = fields.String(load_default=None, allow_none=True,
                            validate=validate.Length(max=4000))
    resolved = fields.Boolean(required=True)
    next_callback_on = fields.Date(load_default=None, allow_none=True)

    @validates_schema
    def _next_date_when_unresolved(self, data, **kwargs):
        if not data["resolved"] and data.get("next_callback_on") is None:
            raise ValidationError("Not resolved: give the date of the next callback.",
                                  "next_callback_on")
