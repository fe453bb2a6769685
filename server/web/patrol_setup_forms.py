"""The forms of a site's patrol set-up: a checkpoint, a route version, a schedule.

Each form only turns what a browser sends into the body the patrol API takes
(``server.services.patrol`` checks it: the same rules and words as the API).
The service names problems by the body's paths (``stops[2].travel_s``,
``rrule``, ``assignees.guards``); ``field_for`` says under which of the
form's fields each one is shown.
"""
from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (BooleanField, DateField, FieldList, FloatField, Form, FormField,
                     HiddenField, IntegerField, SelectField, StringField)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from server.services.errors import Invalid

from .forms import CheckboxesField
from .recurrence_words import WEEKDAYS, daily_rule, interval_rule

ORDER_CHOICES = [SelectChoice("strict", _l("in this order")),
                 SelectChoice("any", _l("in any order"))]


def _given(**values) -> dict:
    """The fields the user filled in (the service applies its defaults to the rest)."""
    return {k: v for k, v in values.items() if v is not None and v != ""}


def _row_field(rows: list, path: str, key_field: str):
    """The field for ``<k>].<leaf>`` (the rest of ``stops[k].travel_s``): the k-th row sent.

    ``checkpoint_id`` is a hidden field, so its problem shows under ``key_field``.
    """
    k, _, leaf = path.partition("].")
    if not k.isdigit() or int(k) >= len(rows):
        return None
    row = rows[int(k)].form
    return row[key_field] if leaf == "checkpoint_id" else row._fields.get(leaf, row[key_field])


class CheckpointForm(FlaskForm):
    """A tagged place; the tag code is what its printed QR label holds."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    tag = StringField(_l("Tag code (in the QR label)"),
                      validators=[DataRequired(), Length(max=256)])
    checklist_id = SelectField(_l("Checklist answered here"), choices=[], validate_choice=False)
    lat = FloatField(_l("Latitude"), validators=[Optional()])
    lon = FloatField(_l("Longitude"), validators=[Optional()])
    radius_m = FloatField(_l("Radius (m)"), validators=[Optional()])
    photo_required = BooleanField(_l("A photo is required"))

    def body(self) -> dict:
        return _given(name=self.name.data.strip(), tag=self.tag.data.strip(),
                      checklist_id=self.checklist_id.data, lat=self.lat.data, lon=self.lon.data,
                      radius_m=self.radius_m.data) | {"photo_required": self.photo_required.data}

    def changes(self) -> dict:
        """An edit: every field, a checklist left blank taken off (``None``)."""
        return {"checklist_id": None, **self.body()}

    def field_for(self, name: str):
        return self._fields.get(name)


class StopRow(Form):
    """One checkpoint of the site in the route form: its place in the walk, blank if off."""

    checkpoint_id = HiddenField()
    position = IntegerField(_l("Order"), validators=[Optional(), NumberRange(min=1)])
    travel_s = IntegerField(_l("Walk from the stop before (s)"), validators=[Optional()])
    tolerance_s = IntegerField(_l("± (s)"), validators=[Optional()])
    min_dwell_s = IntegerField(_l("Stay at least (s)"), validators=[Optional()])


class RouteForm(FlaskForm):
    route_id = StringField(_l("Code (new routes; blank: chosen for you)"),
                           validators=[Optional(), Length(max=100)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    order = SelectField(_l("Checkpoints are walked"), choices=ORDER_CHOICES)
    stops = FieldList(FormField(StopRow))

    def fill_rows(self, checkpoints: list[dict], stops: list[dict]) -> None:
        """One row per checkpoint of the site, those on the route in their walking order."""
        at = {s["checkpoint_id"]: (n, s) for n, s in enumerate(stops, start=1)}
        ordered = sorted(checkpoints, key=lambda c: (c["id"] not in at, at.get(c["id"], (0,))[0]))
        while self.stops.entries:
            self.stops.pop_entry()
        for checkpoint in ordered:
            n, stop = at.get(checkpoint["id"], (None, {}))
            self.stops.append_entry({"checkpoint_id": checkpoint["id"], "position": n,
                                     **{k: stop.get(k) for k in ("travel_s", "tolerance_s",
                                                                 "min_dwell_s")}})

    def _chosen_rows(self) -> list:
        rows = [r for r in self.stops.entries if r.form.position.data is not None]
        return sorted(rows, key=lambda r: r.form.position.data)

    def body(self) -> dict:
        stops = [_given(checkpoint_id=r.form.checkpoint_id.data, travel_s=r.form.travel_s.data,
                        tolerance_s=r.form.tolerance_s.data, min_dwell_s=r.form.min_dwell_s.data)
                 for r in self._chosen_rows()]
        return _given(id=(self.route_id.data or "").strip(), name=self.name.data.strip(),
                      order=self.order.data) | {"stops": stops}

    def field_for(self, name: str):
        """``stops[k].travel_s`` is the k-th chosen row's field (a checkpoint: its order)."""
        if name == "stops":  # shown above the rows
            return None
        if name.startswith("stops["):
            return _row_field(self._chosen_rows(), name[len("stops["):], "position")
        return self._fields.get({"id": "route_id"}.get(name, name))


class WindowRow(Form):
    """A checkpoint's window after the round's start, for rounds timed by windows."""

    checkpoint_id = HiddenField()
    open_min = IntegerField(_l("From (min)"), validators=[Optional()])
    close_min = IntegerField(_l("To (min)"), validators=[Optional()])


class ScheduleForm(FlaskForm):
    """When a route is walked and by whom, in words; the RFC 5545 rule is built from them."""

    route_id = SelectField(_l("Route"), choices=[], validate_choice=False)
    repeat = SelectField(_l("Rounds"), choices=[
        SelectChoice("times", _l("at set times of day")),
        SelectChoice("interval", _l("every so many minutes (a fixed post)"))])
    times = StringField(_l("Times of day (HH:MM, the first is the first round)"),
                        validators=[Length(max=400)])
    interval_min = IntegerField(_l("Every (minutes)"), validators=[Optional(), NumberRange(min=1)])
    from_hour = IntegerField(_l("From hour"), validators=[Optional(), NumberRange(0, 23)])
    to_hour = IntegerField(_l("To hour (included)"), validators=[Optional(), NumberRange(0, 23)])
    weekdays = CheckboxesField(_l("Days (none: every day)"), choices=WEEKDAYS)
    starts_on = DateField(_l("First day"), validators=[DataRequired()])
    guards = CheckboxesField(_l("Guards"), choices=[], validate_choice=False)
    post = StringField(_l("Or a post (any guard of the site may walk it)"),
                       validators=[Length(max=100)])
    early_start_min = IntegerField(_l("May start early by (min)"), default=5,
                                   validators=[Optional()])
    grace_min = IntegerField(_l("Late after (min)"), default=15, validators=[Optional()])
    deadline_min = IntegerField(_l("Missed if not done within (min)"), default=60,
                                validators=[Optional()])
    timing_mode = SelectField(_l("Each checkpoint is on time"), choices=[
        SelectChoice("offset", _l("by the route's walk from the scan before")),
        SelectChoice("window", _l("within its window after the round's start"))])
    windows = FieldList(FormField(WindowRow))

    def fill_windows(self, checkpoints: list[dict]) -> None:
        for checkpoint in checkpoints:
            self.windows.append_entry({"checkpoint_id": checkpoint["id"]})

    def _window_rows(self) -> list:
        return [r for r in self.windows.entries
                if r.form.open_min.data is not None or r.form.close_min.data is not None]

    def _rule(self) -> tuple[str, str]:
        """(RRULE, first local start as ``YYYY-MM-DDTHH:MM``); ``Invalid`` naming the field."""
        first: date = self.starts_on.data
        days = self.weekdays.data or []
        if self.repeat.data == "interval":
            if self.interval_min.data is None:
                raise Invalid({"interval_min": [_("Say how many minutes apart.")]})
            rule = interval_rule(self.interval_min.data, self.from_hour.data,
                                 self.to_hour.data, days)
            return rule, f"{first.isoformat()}T{self.from_hour.data or 0:02d}:00"
        rule, start = daily_rule(self.times.data or "", days)
        return rule, f"{first.isoformat()}T{start}"

    def body(self) -> dict:
        rule, dtstart = self._rule()
        post = (self.post.data or "").strip()
        guards = list(self.guards.data or [])  # both or neither: the service says "one of them"
        assignees = {**({"guards": guards} if guards else {}), **({"post": post} if post else {})}
        timing = {"mode": self.timing_mode.data}
        windows = [_given(checkpoint_id=r.form.checkpoint_id.data, open_min=r.form.open_min.data,
                          close_min=r.form.close_min.data) for r in self._window_rows()]
        if windows:  # given in offset mode too: the service says they are for windows
            timing["windows"] = windows
        return _given(route_id=self.route_id.data, early_start_min=self.early_start_min.data,
                      grace_min=self.grace_min.data, deadline_min=self.deadline_min.data) | {
            "rrule": rule, "dtstart": dtstart, "assignees": assignees, "timing": timing}

    def field_for(self, name: str):
        if name == "rrule":
            return self.interval_min if self.repeat.data == "interval" else self.times
        if name.startswith("assignees"):
            return self.post if name == "assignees.post" else self.guards
        if name.startswith("timing.windows["):
            return _row_field(self._window_rows(), name[len("timing.windows["):], "open_min")
        if name.startswith("timing"):
            return self.timing_mode
        target = {"dtstart": "starts_on", "route_version": "route_id"}.get(name, name)
        return self._fields.get(target)
