"""The columns of an XLSForm-style definition workbook, shared by import and export.

Sheets (one header row each, like XLSForm):

``survey``   one row per item; ``begin_group``/``end_group`` rows enclose a section
             and ``begin_repeat``/``end_repeat`` a repeated one (``SECTION_COLUMNS``);
``choices``  options of ``select_one L`` / ``select_multiple L`` items and the
             criteria lists of deduction items, one row each, keyed by ``list_name``;
``settings`` one row: id, version, kind, titles, source and the scoring policy;
``bands``    (ours) one row per band or mark.

XLSForm's own columns keep their meaning (``type``, ``name``, ``label::zh``,
``hint::en``, ``relevant``, ``required``, ``constraint``,
``constraint_message::zh``, ``calculation``) but hold our formats: a
``relevant`` cell is a condition as JSON (``{"item": "a", "equals": "fail"}``,
``{"all": [...]}``), ``constraint`` and ``calculation`` are JSON Logic, and
``required`` is ``yes`` or a condition (``required_if``). Our own columns
carry scoring: ``weight``, ``points``, ``deduction_min``/``_max``, ``criteria``
(a list name), ``veto`` and ``evidence`` (JSON), thresholds and limits.

Each column is ``(header, path, kind)``: where its value sits in the
definition's JSON form and how a cell holds it.
"""
from __future__ import annotations

TEXT, NUMBER, INT, BOOL, JSON = "text", "number", "int", "bool", "json"

#: survey item type <-> definition item type (choices are ``select_one``/``select_multiple L``)
SURVEY_TYPES = {"check": "check", "decimal": "reading", "text": "text", "image": "photo",
                "signature": "signature", "barcode": "checkpoint", "date": "date",
                "time": "time", "calculate": "calculate"}
ITEM_TYPES_TO_SURVEY = {v: k for k, v in SURVEY_TYPES.items()}

ITEM_COLUMNS = (
    ("name", ("id",), TEXT),
    ("label::zh", ("label", "zh"), TEXT), ("label::en", ("label", "en"), TEXT),
    ("hint::zh", ("help", "zh"), TEXT), ("hint::en", ("help", "en"), TEXT),
    ("relevant", ("show_if",), JSON),
    ("required", ("required",), BOOL),                  # or a condition: required_if
    ("allow_na", ("allow_na",), BOOL),
    ("constraint", ("constraint", "rule"), JSON),
    ("constraint_message::zh", ("constraint", "message", "zh"), TEXT),
    ("constraint_message::en", ("constraint", "message", "en"), TEXT),
    ("calculation", ("calculation",), JSON),
    ("weight", ("weight",), NUMBER),
    ("points", ("points",), NUMBER),
    ("deduction_min", ("deduction", "min"), NUMBER),
    ("deduction_max", ("deduction", "max"), NUMBER),
    ("deduction_label::zh", ("deduction", "label", "zh"), TEXT),
    ("deduction_label::en", ("deduction", "label", "en"), TEXT),
    ("unit", ("unit",), TEXT),
    ("thresholds_min", ("thresholds", "min"), NUMBER),
    ("thresholds_max", ("thresholds", "max"), NUMBER),
    ("limits_min", ("limits", "min"), NUMBER),
    ("limits_max", ("limits", "max"), NUMBER),
    ("min_count", ("min_count",), INT),
    ("max_count", ("max_count",), INT),
    ("tag", ("tag",), TEXT),
    ("max_length", ("max_length",), INT),
    ("evidence", ("evidence",), JSON),
    ("veto", ("veto",), JSON),
    ("note", ("note",), TEXT),
)

SECTION_COLUMNS = (
    ("name", ("id",), TEXT),
    ("label::zh", ("title", "zh"), TEXT), ("label::en", ("title", "en"), TEXT),
    ("relevant", ("show_if",), JSON),
    ("required", ("required_if",), JSON),
    ("weight", ("weight",), NUMBER),
    ("repeat_min", ("repeat", "min"), INT),
    ("repeat_max", ("repeat", "max"), INT),
    ("repeat_label::zh", ("repeat", "label", "zh"), TEXT),
    ("repeat_label::en", ("repeat", "label", "en"), TEXT),
    ("repeat_scoring", ("repeat", "scoring"), TEXT),
    ("note", ("note",), TEXT),
)

SURVEY_HEADERS = ("type", "criteria") + tuple(dict.fromkeys(
    [c[0] for c in ITEM_COLUMNS] + [c[0] for c in SECTION_COLUMNS]))
SURVEY_REQUIRED = ("type", "name", "label::zh", "label::en")

CHOICE_COLUMNS = (
    ("name", ("id",), TEXT),
    ("label::zh", ("label", "zh"), TEXT), ("label::en", ("label", "en"), TEXT),
    ("score", ("score",), NUMBER),
    ("flag", ("flag",), BOOL),
    ("exclusive", ("exclusive",), BOOL),
)
CHOICE_HEADERS = ("list_name",) + tuple(c[0] for c in CHOICE_COLUMNS)
CHOICE_REQUIRED = ("list_name", "name", "label::zh", "label::en")

SETTINGS_COLUMNS = (
    ("form_id", ("id",), TEXT),
    ("version", ("version",), INT),
    ("kind", ("kind",), TEXT),
    ("form_title::zh", ("title", "zh"), TEXT), ("form_title::en", ("title", "en"), TEXT),
    ("description::zh", ("description", "zh"), TEXT),
    ("description::en", ("description", "en"), TEXT),
    ("source_seed", ("source", "seed"), TEXT),
    ("source_section", ("source", "section"), TEXT),
    ("source_note", ("source", "note"), TEXT),
    ("unanswered", ("scoring", "unanswered"), TEXT),
    ("scale", ("scoring", "scale"), NUMBER),
    ("na", ("scoring", "na"), TEXT),
    ("weight_in_overall", ("scoring", "weight_in_overall"), NUMBER),
    ("scoring_note", ("scoring", "note"), TEXT),
    ("tickets", ("tickets",), JSON),
)
SETTINGS_HEADERS = tuple(c[0] for c in SETTINGS_COLUMNS)
SETTINGS_REQUIRED = ("form_id", "version", "kind", "form_title::zh", "form_title::en")

BAND_COLUMNS = (
    ("name", ("id",), TEXT),
    ("label::zh", ("label", "zh"), TEXT), ("label::en", ("label", "en"), TEXT),
    ("min", ("min",), NUMBER),
)
BAND_HEADERS = ("kind",) + tuple(c[0] for c in BAND_COLUMNS)
BAND_REQUIRED = BAND_HEADERS

#: the column an error about a definition field is reported in
FIELD_COLUMNS = {path[0]: header for header, path, _ in ITEM_COLUMNS + SECTION_COLUMNS}
FIELD_COLUMNS.update({"required_if": "required", "options": "type", "multiple": "type",
                      "type": "type", "criteria": "criteria", "items": "type"})
SETTINGS_FIELD_COLUMNS = {path[0]: header for header, path, _ in SETTINGS_COLUMNS}


def dig(data: dict, path: tuple):
    """The value at ``path`` in nested dicts, or None."""
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def plant(data: dict, path: tuple, value) -> None:
    """Set ``value`` at ``path``, creating the dicts on the way."""
    for key in path[:-1]:
        data = data.setdefault(key, {})
    data[path[-1]] = value
