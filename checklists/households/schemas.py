"""The key-household record (the personal file) and its validation.

``load_household(body, today)`` checks a register entry in one pass and
returns the JSON document to store (dates as ISO text), or raises
:class:`HouseholdInvalid` whose ``.errors`` names every bad field
(``helpers[0].pass_expires``, ``occupants``). Rules that need a date (an
elderly resident must be 60 on the day the record is written) take
``today`` as an argument, so the domain never reads the clock.

Follow-up fields come from seed 003: tenant agreement, lease and ID copies
on file (4.3.1.2-3), domestic-helper passes valid at most three months
(4.4.2), going-out notices of the vulnerable (4.3.3.3), relatives staying
more than 15 days (4.4.1) and the visitor log (4.4.4).
"""
from __future__ import annotations

from datetime import date
from typing import Any, Mapping

from dateutil.relativedelta import relativedelta
from marshmallow import (RAISE, Schema, ValidationError, fields, validate, validates,
                         validates_schema)

from checklists.errors import ChecklistError, flatten_errors
from checklists.schema_parts import NonBlankString

from .categories import CATEGORIES, ELDERLY_AGE, ELDERLY_ALONE, LATE_PREGNANCY, RENTAL

#: the longest a temporary pass (临时《出入卡》) may run (4.4.2)
PASS_MAX = relativedelta(months=3)
HELPER_KINDS = ("nanny", "hourly_worker", "tutor")  # 保姆、钟点工、家教
DEFAULT_WELFARE_AFTER_DAYS = 3
MAX_ENTRIES = 500  # per list: a household file, not a gate log of years


class HouseholdInvalid(ChecklistError):
    """A key-household record failed validation; ``.errors`` is flat and names each field."""

    kind = "household"


def _text(max_len: int, **kwargs) -> NonBlankString:
    return NonBlankString(validate=validate.Length(max=max_len), **kwargs)


def _entries(schema: type[Schema]) -> fields.List:
    return fields.List(fields.Nested(schema), load_default=list,
                       validate=validate.Length(max=MAX_ENTRIES))


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class HouseholdOccupantSchema(_Strict):
    name = _text(100, required=True)
    phone = _text(40)
    id_number = _text(40, metadata={"description": "ID card or residence permit number"})
    birth_date = fields.Date()
    relation = _text(40, metadata={"description": "to the owner: owner, tenant, child..."})


class HouseholdContactSchema(_Strict):
    name = _text(100, required=True)
    phone = _text(40, required=True)
    relation = _text(40)
    lives_away = fields.Boolean(load_default=False, metadata={"description": "子女在外地"})


class HouseholdTenancySchema(_Strict):
    """What the office keeps on file for a rental (4.3.1.2-3)."""

    tenant_agreement_on_file = fields.Boolean(load_default=False,
                                              metadata={"description": "《租户管理协议书》"})
    lease_copy_on_file = fields.Boolean(load_default=False,
                                        metadata={"description": "《租房合同书》复印件"})
    id_copies_on_file = fields.Boolean(load_default=False,
                                       metadata={"description": "身份证/暂住证复印件"})
    residents_registered = fields.Boolean(load_default=False,
                                          metadata={"description": "《暂住人员情况登记表》"})


class HouseholdHelperSchema(_Strict):
    """A nanny, hourly worker or tutor with a temporary pass (4.4.2: at most 3 months)."""

    kind = fields.String(required=True, validate=validate.OneOf(HELPER_KINDS))
    name = _text(100, required=True)
    pass_issued = fields.Date(required=True)
    pass_expires = fields.Date(required=True)

    @validates_schema
    def _three_months_at_most(self, data, **kwargs):
        issued, expires = data.get("pass_issued"), data.get("pass_expires")
        if issued is None or expires is None:
            return
        if expires < issued:
            raise ValidationError("Must not be before pass_issued.", "pass_expires")
        if expires > issued + PASS_MAX:
            raise ValidationError("A temporary pass is valid for 3 months at most "
                                  f"(until {issued + PASS_MAX}).", "pass_expires")


class HouseholdAbsenceSchema(_Strict):
    """A going-out notice (出门备案): no welfare check while it runs."""

    start = fields.Date(required=True, data_key="from")
    end = fields.Date(required=True, data_key="to")
    note = _text(500)

    @validates_schema
    def _ordered(self, data, **kwargs):
        if "start" in data and "end" in data and data["end"] < data["start"]:
            raise ValidationError("Must not be before 'from'.", "to")


class HouseholdStaySchema(_Strict):
    """A relative staying; more than 15 days needs a police registration (4.4.1)."""

    name = _text(100, required=True)
    since = fields.Date(required=True)
    until = fields.Date(allow_none=True, load_default=None)
    registered = fields.Boolean(load_default=False)

    @validates_schema
    def _ordered(self, data, **kwargs):
        if data.get("until") and "since" in data and data["until"] < data["since"]:
            raise ValidationError("Must not be before since.", "until")


class HouseholdVisitSchema(_Strict):
    """A line of the 《来访人员情况登记表》."""

    at = fields.AwareDateTime(required=True)
    name = _text(100, required=True)
    id_checked = fields.Boolean(load_default=False)
    note = _text(500)


class HouseholdSchema(_Strict):
    """A key household of a site: where it is, why it is key, and its file."""

    building = _text(32, required=True, metadata={"description": "building (栋/座)"})
    unit = _text(32, required=True, metadata={"description": "unit / room number"})
    checkpoint_tag = _text(256, allow_none=True, load_default=None, metadata={
        "description": "tag of the patrol checkpoint nearest the unit"})
    categories = fields.List(fields.String(validate=validate.OneOf(CATEGORIES)), required=True,
                             validate=validate.Length(min=1, max=len(CATEGORIES)))
    occupants = _entries(HouseholdOccupantSchema)
    emergency_contacts = _entries(HouseholdContactSchema)
    tenancy = fields.Nested(HouseholdTenancySchema, allow_none=True, load_default=None)
    due_date = fields.Date(allow_none=True, load_default=None,
                           metadata={"description": "预产期, for late pregnancy"})
    helpers = _entries(HouseholdHelperSchema)
    going_out_notices = _entries(HouseholdAbsenceSchema)
    relatives_staying = _entries(HouseholdStaySchema)
    visitor_log = _entries(HouseholdVisitSchema)
    notes = fields.String(load_default="", validate=validate.Length(max=5000))
    welfare_after_days = fields.Integer(
        strict=True, load_default=DEFAULT_WELFARE_AFTER_DAYS, validate=validate.Range(1, 30),
        metadata={"description": "vulnerable only: days not seen before a welfare check"})

    @validates("categories")
    def _once_each(self, value, **kwargs):
        if len(set(value)) != len(value):
            raise ValidationError("Give each category once.")

    @validates_schema
    def _category_fields(self, data, **kwargs):
        categories = set(data.get("categories") or ())
        if RENTAL in categories and not data.get("tenancy"):
            raise ValidationError("A rental needs its tenancy file.", "tenancy")
        if LATE_PREGNANCY in categories and not data.get("due_date"):
            raise ValidationError("Late pregnancy needs the due date.", "due_date")


_SCHEMA = HouseholdSchema()


def load_household(body: Mapping[str, Any], today: date) -> dict[str, Any]:
    """The validated record as a JSON document, or ``HouseholdInvalid`` naming each field."""
    try:
        data = _SCHEMA.load(body)
    except ValidationError as exc:
        raise HouseholdInvalid(flatten_errors(exc.messages)) from None
    if ELDERLY_ALONE in data["categories"] and not _has_elderly(data["occupants"], today):
        raise HouseholdInvalid({"occupants": [
            f"Elderly living alone needs an occupant aged {ELDERLY_AGE} or more "
            "(give their birth_date)."]})
    return _SCHEMA.dump(data)


def _has_elderly(occupants: list[dict], today: date) -> bool:
    return any(o.get("birth_date") and relativedelta(today, o["birth_date"]).years >= ELDERLY_AGE
               for o in occupants)
