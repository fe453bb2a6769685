"""The pages' forms (Flask-WTF): each carries the session's CSRF token.

Field checks here are only what a browser could get wrong (empty, too
long); the rules themselves (password length, username shape, known sites)
stay in the account services, whose ``Invalid`` names the field back.
"""
from __future__ import annotations

from typing import Any, Callable

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (DateField, HiddenField, PasswordField, SelectField, SelectMultipleField,
                     StringField, TextAreaField)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from checklists.actors import ROLES
from checklists.complaints.model import RATINGS
from checklists.workflow import review as review_rules
from checklists.workflow import tickets as ticket_rules
from server.services.errors import Conflict, Invalid

from .i18n import LANGUAGE_NAMES, LANGUAGES
from .states import VOCABULARIES


class ActionForm(FlaskForm):
    """A button that changes something (logout, disable, revoke): only the token."""


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1024)])


class PasswordForm(FlaskForm):
    old_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    new_password = PasswordField(_l("New password"), validators=[DataRequired()])


class LanguageForm(FlaskForm):
    language = SelectField(_l("Language"), validators=[DataRequired()],
                           choices=[SelectChoice(c, LANGUAGE_NAMES[c]) for c in LANGUAGES])


class CheckboxesField(SelectMultipleField):
    """Several choices as checkboxes: easier to hit on a tablet than a multi-select."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class UserForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=64)])
    display_name = StringField(_l("Name"), validators=[Length(max=200)])
    role = SelectField(_l("Role"), choices=[SelectChoice(r) for r in ROLES])
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    site_ids = CheckboxesField(_l("Sites"), choices=[], validate_choice=False)


class ResetPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[DataRequired()])


class UserSitesForm(FlaskForm):
    site_ids = CheckboxesField(_l("Sites"), choices=[], validate_choice=False)


class SiteForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=32)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    timezone = StringField(_l("Time zone"), validators=[Length(max=64)])


class SiteZoneForm(FlaskForm):
    timezone = StringField(_l("Time zone"), validators=[DataRequired(), Length(max=64)])


class ReviewForm(FlaskForm):
    """A review move: the state the page showed (stale: 409) and the button pressed."""

    from_state = HiddenField(validators=[DataRequired(), AnyOf(review_rules.STATES)])
    to = StringField(validators=[DataRequired(), AnyOf(review_rules.STATES)])
    reason = TextAreaField(_l("Reason"), validators=[Length(max=review_rules.MAX_REASON)])


class TicketMoveForm(FlaskForm):
    """A ticket move from its page (verify, reopen, close), with an optional note."""

    from_state = HiddenField(validators=[DataRequired(), AnyOf(sorted(ticket_rules.STATES))])
    to = StringField(validators=[DataRequired(), AnyOf(sorted(ticket_rules.STATES))])
    note = TextAreaField(_l("Note"), validators=[Length(max=8000)])


_RATING_CHOICES = [SelectChoice(r, VOCABULARIES["rating"][r]) for r in RATINGS]


class CallbackForm(FlaskForm):
    """回访 of a resolved complaint; ``checklists.complaints.CallbackSchema`` has the rules
    (e.g. "not resolved" needs the next callback's date)."""

    quality = SelectField(_l("Quality"), choices=_RATING_CHOICES)
    service_effect = SelectField(_l("Service effect"), choices=_RATING_CHOICES)
    satisfaction = SelectField(_l("Satisfaction (1-5)"),
                               choices=[SelectChoice(str(n)) for n in range(5, 0, -1)])
    resolved = SelectField(_l("Resolved in the resident's eyes"),
                           choices=[SelectChoice("true", _l("yes")),
                                    SelectChoice("false", _l("no"))])
    next_callback_on = DateField(_l("Next callback (if not resolved)"), validators=[Optional()])
    shortcomings = TextAreaField(_l("Shortcomings"), validators=[Length(max=4000)])
    suggestions = TextAreaField(_l("Suggestions"), validators=[Length(max=4000)])
    remarks = TextAreaField(_l("Remarks"), validators=[Length(max=4000)])


def show_errors(form: FlaskForm, error: Invalid, field_for=None) -> None:
    """Put a service's field errors (``Invalid.messages``) under the form's fields
    (``field_for(name)``: the field for a name that is not the field's own)."""
    for name, problems in error.messages.items():
        if isinstance(problems, dict):  # per list position: {"0": ["Unknown site."]}
            problems = [" ".join(p) for p in problems.values()]
        field = (field_for or form._fields.get)(name)
        if field is None:
            form.form_errors.extend(problems)
        else:
            field.errors = [*field.errors, *problems]


class FormRefused(Exception):
    """The form was not accepted; its problems are on its fields. Show it again with ``status``."""

    def __init__(self, status: int):
        super().__init__(status)
        self.status = status


def run_form(form: FlaskForm, action: Callable[[], Any], *, conflict_field=None,
             field_for=None) -> Any:
    """``action()``'s result once ``form`` is valid, else ``FormRefused``: 400 for bad
    fields (the service's own ``Invalid`` included), 409 for a ``Conflict``
    reported under ``conflict_field`` (a taken username or site code)."""
    if not form.validate_on_submit():
        raise FormRefused(400)
    try:
        return action()
    except Invalid as exc:
        show_errors(form, exc, field_for)
        raise FormRefused(400) from None
    except Conflict as exc:
        if conflict_field is None:
            raise
        conflict_field.errors = [*conflict_field.errors, str(exc)]
        raise FormRefused(409) from None


class AccessRequestForm(FlaskForm):
    """Ask to read a household's file (seed 001 §4.8): why, registered with the request."""

    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=2000)])


class AccessDecisionForm(FlaskForm):
    """Approve or refuse a request; the rule that a refusal needs a reason is the domain's."""

    decision = StringField(validators=[DataRequired(), AnyOf(["approve", "refuse"])])
    reason = TextAreaField(_l("Reason"), validators=[Length(max=2000)])
