"""The forms of a complaint's handling from the supervisor's page: take one in (受理),
classify it, assign it, record a step of 五清楚一报告, resolve it.

Only what a browser could get wrong is checked here; each form's answers go
through the complaint rules' own schemas (``checklists.complaints.model``),
so a page and the API refuse the same things with the same words.
"""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from marshmallow import Schema, ValidationError
from wtforms import BooleanField, DateTimeLocalField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from checklists.complaints import model
from server.services.errors import Invalid

from .states import VOCABULARIES


def _choices(vocabulary: str, codes) -> list[SelectChoice]:
    return [SelectChoice(code, VOCABULARIES[vocabulary][code]) for code in codes]


def _text(field) -> str | None:
    return (field.data or "").strip() or None


class IntakeForm(FlaskForm):
    """受理: a complaint taken by phone, visit or letter, with the resident who made it."""

    site_id = SelectField(_l("Site"), choices=[], validate_choice=False)
    unit = StringField(_l("Unit"), validators=[DataRequired(), Length(max=40)])
    channel = SelectField(_l("Channel"), choices=_choices("channel", model.CHANNELS))
    category = SelectField(_l("Category"), choices=_choices("category", model.CATEGORIES))
    description = TextAreaField(_l("Description"), validators=[DataRequired(), Length(max=8000)])
    resident_name = StringField(_l("Resident"), validators=[DataRequired(), Length(max=100)])
    resident_phone = StringField(_l("Phone"), validators=[Length(max=20)])
    repair = BooleanField(_l("A repair (callback within one working day)"))

    def answers(self) -> dict:
        return checked(model.IntakeSchema(), {
            "site_id": self.site_id.data, "unit": (self.unit.data or "").strip(),
            "channel": self.channel.data, "category": self.category.data,
            "description": (self.description.data or "").strip(),
            "resident": {"name": (self.resident_name.data or "").strip(),
                         "phone": _text(self.resident_phone)},
            "repair": True if self.repair.data else None})


class ClassifyForm(FlaskForm):
    validity = SelectField(_l("Validity"), choices=_choices("validity", model.VALIDITY))
    severity = SelectField(_l("Severity"), choices=_choices("severity", model.SEVERITIES))
    reason = TextAreaField(_l("Why invalid (what the resident was told)"),
                           validators=[Length(max=2000)])
    due_at = DateTimeLocalField(_l("Deadline (serious or major; site time)"),
                                validators=[Optional()])

    def answers(self, site_zone) -> dict:
        due = self.due_at.data.replace(tzinfo=site_zone).isoformat() if self.due_at.data else None
        return checked(model.ClassifySchema(), {
            "validity": self.validity.data, "severity": self.severity.data,
            "reason": _text(self.reason), "due_at": due})


class AssignForm(FlaskForm):
    assignee_user_id = SelectField(_l("Assignee"), choices=[], validate_choice=False)

    def answers(self) -> dict:
        return checked(model.AssignSchema(), {"assignee_user_id": self.assignee_user_id.data})


class StepForm(FlaskForm):
    step = SelectField(_l("Step"), choices=_choices("five_clear", model.FIVE_CLEAR))
    note = TextAreaField(_l("Note"), validators=[DataRequired(), Length(max=4000)])

    def answers(self) -> dict:
        return checked(model.StepSchema(), {"step": self.step.data,
                                            "note": (self.note.data or "").strip()})


class ResolveForm(FlaskForm):
    resolution = TextAreaField(_l("Resolution"), validators=[DataRequired(), Length(max=8000)])

    def answers(self) -> dict:
        return checked(model.ResolveSchema(), {"resolution": (self.resolution.data or "").strip()})


def checked(schema: Schema, raw: dict) -> Any:
    """``raw`` loaded by the rules' schema; its problems as ``Invalid`` under the form's
    field names (a nested resident's problem goes under ``resident_name``)."""
    try:
        return schema.load(raw)
    except ValidationError as exc:
        messages = {}
        for name, problems in exc.messages.items():
            if isinstance(problems, dict):  # nested: {"phone": ["Not a phone number."]}
                target = f"{name}_{next(iter(problems))}"
                problems = [p for ps in problems.values() for p in ps]
            else:
                target = name
            messages[target] = problems
        raise Invalid(messages) from None
