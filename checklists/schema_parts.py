"""The small marshmallow schemas a definition is made of (labels, ranges, rules).

They are separate from :mod:`checklists.schema` so that module can stay about
the item / section / definition structure. Names end in ``Schema`` and are
unique, because apispec (flask-smorest) names OpenAPI components after them.

Numbers are strict: a JSON string ``"5"`` is refused where a number is meant,
because a definition with quoted numbers is almost always a spreadsheet export
gone wrong and silently converting it hides that.
"""
from __future__ import annotations

import math

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
ID_MESSAGE = "must be 1-64 characters: letters, digits, '.', '_' or '-', not starting with a symbol"


def IdField(**kwargs) -> fields.String:  # noqa: N802 - reads like a field class
    """A stable identifier (item, option, section, band ids)."""
    return fields.String(validate=validate.Regexp(ID_PATTERN, error=ID_MESSAGE), **kwargs)


class StrictNumber(fields.Float):
    """A finite JSON number; strings and booleans are refused."""

    default_error_messages = {"invalid": "Not a valid number."}

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.make_error("invalid")
        if not math.isfinite(value):
            raise ValidationError("Must be a finite number.")
        return float(value)


class NonBlankString(fields.String):
    """A string with at least one non-space character."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if not text.strip():
            raise ValidationError("Must not be blank.")
        return text


class BilingualLabelSchema(Schema):
    """A text in Chinese (``zh``) and English (``en``)."""

    zh = NonBlankString(required=True, metadata={"description": "Chinese text"})
    en = NonBlankString(required=True, metadata={"description": "English text"})


class TemplateSourceSchema(Schema):
    """Provenance of a built-in template: the seed file it transcribes."""

    seed = NonBlankString(required=True, metadata={"description": "seed file name"})
    section = fields.String(metadata={"description": "part of the seed transcribed"})
    note = fields.String(metadata={"description": "what was adapted or where the seed is cut"})


class NumericRangeSchema(Schema):
    """Inclusive bounds ``{min, max}``; at least one end is given."""

    min = StrictNumber(allow_none=True)
    max = StrictNumber(allow_none=True)

    @validates_schema(skip_on_field_errors=True)
    def _check_order(self, data, **kwargs):
        low, high = data.get("min"), data.get("max")
        if low is None and high is None:
            raise ValidationError("give min, max or both", field_name="min")
        if low is not None and high is not None and low > high:
            raise ValidationError(f"must not exceed max ({high:g})", field_name="min")


class ShowIfConditionSchema(Schema):
    """Show-if rule on an *earlier* item: ``equals`` a value, ``in`` a list, or in a ``range``."""

    item = IdField(required=True, metadata={"description": "id of an earlier item"})
    equals = fields.Raw(allow_none=False, metadata={"description": "value to match"})
    in_ = fields.List(fields.Raw(allow_none=False), data_key="in", attribute="in",
                      validate=validate.Length(min=1),
                      metadata={"description": "any of these values (for multi-choice: any overlap)"})
    range = fields.Nested(NumericRangeSchema, metadata={"description": "numeric range (readings)"})

    @validates_schema(skip_on_field_errors=False, pass_original=True)
    def _one_operator(self, data, original_data, **kwargs):
        # counted on the input, so a bad ``in`` list is not also reported as missing
        if not isinstance(original_data, dict):
            return  # already refused as "Invalid input type"
        present = [k for k in ("equals", "in", "range") if k in original_data]
        if len(present) != 1:
            raise ValidationError(
                f"give exactly one of equals, in, range (got {', '.join(present) or 'none'})",
                field_name="item")


MAX_CONDITION_DEPTH = 8
MAX_CONDITION_PARTS = 50
_COMBINATORS = ("all", "any", "not", "expr")


class ConditionField(fields.Field):
    """``show_if`` / ``required_if``: a leaf ``{item, equals | in | range}``,
    ``{"all": [...]}``, ``{"any": [...]}``, ``{"not": condition}`` or
    ``{"expr": JSON Logic rule}``; combinators nest. References (earlier items
    only) are checked by :mod:`checklists.references`."""

    def __init__(self, **kwargs):
        kwargs.setdefault("metadata", {"description": self.__doc__.split("\n\n")[0]})
        super().__init__(**kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        return value.to_dict() if hasattr(value, "to_dict") else value

    def _deserialize(self, value, attr, data, **kwargs):
        return _load_condition(value, 0)


def _load_condition(value, depth: int):
    if depth > MAX_CONDITION_DEPTH:
        raise ValidationError(f"conditions nest at most {MAX_CONDITION_DEPTH} levels")
    if not isinstance(value, dict):
        raise ValidationError("must be a condition object")
    combinator = [k for k in _COMBINATORS if k in value]
    if not combinator:
        return ShowIfConditionSchema().load(value)
    key = combinator[0]
    if len(value) != 1:
        raise ValidationError(f"{key!r} stands alone in its object (got {', '.join(sorted(value))})")
    inner = value[key]
    if key == "expr":
        return {"expr": inner}
    if key == "not":
        try:
            return {"not": _load_condition(inner, depth + 1)}
        except ValidationError as err:
            raise ValidationError({"not": err.messages}) from None
    if not isinstance(inner, list) or not 1 <= len(inner) <= MAX_CONDITION_PARTS:
        raise ValidationError({key: [f"must be a list of 1-{MAX_CONDITION_PARTS} conditions"]})
    parts, errors = [], {}
    for index, sub in enumerate(inner):
        try:
            parts.append(_load_condition(sub, depth + 1))
        except ValidationError as err:
            errors[index] = err.messages
    if errors:
        raise ValidationError({key: errors})
    return {key: parts}


class ConstraintRuleSchema(Schema):
    """A rule the answered value must meet (JSON Logic over this and earlier items)."""

    rule = fields.Raw(required=True, allow_none=False,
                      metadata={"description": "JSON Logic; truthy = accepted"})
    message = fields.Nested(BilingualLabelSchema, required=True,
                            metadata={"description": "shown when the rule is not met"})


class RepeatRuleSchema(Schema):
    """A section filled once per instance (room, unit), ``min``-``max`` times."""

    min = fields.Integer(strict=True, load_default=1, validate=validate.Range(min=0, max=200))
    max = fields.Integer(strict=True, required=True, validate=validate.Range(min=1, max=200))
    label = fields.Nested(BilingualLabelSchema, required=True,
                          metadata={"description": "what names an instance, e.g. 房间名称"})
    scoring = fields.String(load_default="sum",
                            validate=validate.OneOf(["sum", "mean", "worst", "each"]),
                            metadata={"description": "how instances make the section score"})

    @validates_schema(skip_on_field_errors=True)
    def _check_order(self, data, **kwargs):
        if data["min"] > data["max"]:
            raise ValidationError(f"must not exceed max ({data['max']})", field_name="min")


class ChoiceOptionSchema(Schema):
    """A response of a ``choice`` item."""

    id = IdField(required=True)
    label = fields.Nested(BilingualLabelSchema, required=True)
    score = StrictNumber(load_default=0.0, validate=validate.Range(min=0),
                         metadata={"description": "points before the item weight"})
    flag = fields.Boolean(load_default=False, metadata={"description": "a flagged (failed) response"})
    exclusive = fields.Boolean(metadata={
        "description": "multi-select: this option cannot be picked with any other (e.g. 无)"})


class DeductionCriterionSchema(Schema):
    """One requirement a deduction item checks (e.g. "制度上墙公示")."""

    id = IdField(required=True)
    label = fields.Nested(BilingualLabelSchema, required=True)


class DeductionRuleSchema(Schema):
    """扣分制: points per defect, fixed (min == max) or chosen in [min, max]."""

    min = StrictNumber(required=True, validate=validate.Range(min=0, min_inclusive=False))
    max = StrictNumber(required=True, validate=validate.Range(min=0, min_inclusive=False))
    label = fields.Nested(BilingualLabelSchema,
                          metadata={"description": "the rule as written, e.g. 每缺一项扣0.5-2分"})

    @validates_schema(skip_on_field_errors=True)
    def _check_order(self, data, **kwargs):
        if data["min"] > data["max"]:
            raise ValidationError(f"must be at least min ({data['min']:g})", field_name="max")


class EvidenceRuleSchema(Schema):
    """What a failed or flagged answer must carry (photos, note, defect location)."""

    photos = fields.Integer(strict=True, load_default=0, validate=validate.Range(min=0, max=50),
                            metadata={"description": "minimum number of photos"})
    note = fields.Boolean(load_default=False)
    location = fields.Boolean(load_default=False, metadata={"description": "defects need a location"})
    scope = fields.String(load_default="answer", validate=validate.OneOf(["answer", "defect"]),
                          metadata={"description": "apply to the answer or to each defect"})

    @validates_schema(skip_on_field_errors=True)
    def _location_needs_defects(self, data, **kwargs):
        if data.get("location") and data.get("scope") != "defect":
            raise ValidationError("location applies to defects: set scope to 'defect'",
                                  field_name="location")


class VetoRuleSchema(Schema):
    """一票否决: a failed answer zeroes the total (``zero``) or caps its percent (``cap``)."""

    effect = fields.String(required=True, validate=validate.OneOf(["zero", "cap"]))
    cap_percent = StrictNumber(validate=validate.Range(min=0, max=100))

    @validates_schema(skip_on_field_errors=True)
    def _cap_needs_value(self, data, **kwargs):
        has_cap = data.get("cap_percent") is not None
        if data["effect"] == "cap" and not has_cap:
            raise ValidationError("required when effect is 'cap'", field_name="cap_percent")
        if data["effect"] == "zero" and has_cap:
            raise ValidationError("only valid when effect is 'cap'", field_name="cap_percent")


class ScoreBandSchema(Schema):
    """A grade reached at ``min`` percent or more."""

    id = IdField(required=True)
    label = fields.Nested(BilingualLabelSchema, required=True)
    min = StrictNumber(required=True, validate=validate.Range(min=0, max=100))


class ScoringPolicySchema(Schema):
    """Definition-wide scoring policy."""

    unanswered = fields.String(load_default="zero", validate=validate.OneOf(["zero", "exclude"]),
                               metadata={"description": "unanswered scorable items: 0 of max, or left out"})
    scale = StrictNumber(load_default=100.0, validate=validate.Range(min=0, min_inclusive=False),
                         metadata={"description": "maximum total when section weights combine sections"})
    bands = fields.List(fields.Nested(ScoreBandSchema), load_default=list,
                        metadata={"description": "exclusive grades; the highest reached applies"})
    marks = fields.List(fields.Nested(ScoreBandSchema), load_default=list,
                        metadata={"description": "cumulative marks (e.g. team bonus at >=96)"})
    weight_in_overall = StrictNumber(validate=validate.Range(min=0, max=1, min_inclusive=False),
                                     metadata={"description": "share of this rubric in a combined score"})
    na = fields.String(validate=validate.OneOf(["drop", "rescale"]), metadata={
        "description": "N/A items: dropped from score and maximum (drop, the default), or "
                       "dropped and the total rescaled to `scale` over the applicable items"})
    note = fields.String()

    @validates_schema(skip_on_field_errors=False)
    def _bands_cover_all(self, data, **kwargs):
        errors: dict = {}
        for key in ("bands", "marks"):
            entries = data.get(key) or []
            ids = [b.get("id") for b in entries]
            dup_ids = {i for i in ids if i is not None and ids.count(i) > 1}
            if dup_ids:
                errors[key] = [f"duplicate ids: {', '.join(sorted(dup_ids))}"]
        bands = data.get("bands") or []
        mins = [b["min"] for b in bands if "min" in b]
        if bands and len(mins) == len(bands):
            if len(set(mins)) != len(mins):
                errors.setdefault("bands", []).append("two bands start at the same min")
            elif min(mins) != 0:
                errors.setdefault("bands", []).append(
                    "the lowest band must start at 0 so every score has a band")
        if errors:
            raise ValidationError(errors)
