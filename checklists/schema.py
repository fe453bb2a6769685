"""marshmallow schemas of a checklist definition: item, section, definition.

``DefinitionSchema().load(data)`` validates *everything* in one pass — field
types, per-type rules and cross references (unique ids, show-if conditions that
look back to a known earlier item with a compatible value, section weights) —
and returns an immutable :class:`checklists.model.Definition`. Errors come back
as marshmallow's nested dict; :func:`checklists.load_definition` flattens them
to ``sections[2].items[5].deduction.max`` paths.

Dumping accepts a ``Definition`` (or its ``to_dict()``), so flask-smorest can
use the same schema for request bodies, responses and the OpenAPI document.

Why the per-type rules are strict (a ``unit`` on a ``check`` item is an error
rather than ignored): a field that silently does nothing is how a rubric ends
up scoring differently from what its author believes.

Definition format (JSON or YAML; every label is ``{"zh": ..., "en": ...}``)::

    {"id": "cs-supervision", "version": 1,
     "kind": "inspection | patrol_checkpoint | handover | maintenance",
     "title": {...}, "description": {...}, "source": {"seed", "section", "note"},
     "scoring": {"unanswered": "zero | exclude", "scale": 100,
                 "bands": [{"id", "label", "min"}], "marks": [{"id", "label", "min"}],
                 "weight_in_overall": 0.25},
     "sections": [{"id", "title", "weight"?, "show_if"?, "items": [item, ...]}]}

Item: ``{id, type, label, help?, required, allow_na, show_if?, note?}`` plus,
by type:

=============  ==========================================================
check          ``weight`` (additive, default 1) *or* ``points`` +
               ``deduction {min, max, label?}`` + ``criteria [{id, label}]``
               (扣分制); ``evidence``, ``veto``
choice         ``options [{id, label, score, flag}]``, ``multiple``,
               ``weight`` (default 1), ``evidence``, ``veto``
reading        ``unit``, ``thresholds {min, max}`` (outside → flagged),
               ``limits`` (outside → refused), ``weight`` (default unscored)
photo          ``min_count``, ``max_count``
checkpoint     ``tag`` (expected code; another scan → flagged), ``evidence``
text           ``max_length``
signature, date, time  (no extra fields)
=============  ==========================================================

``show_if {item, equals | in | range}`` names an earlier item;
``evidence {photos, note, location, scope: answer | defect}`` applies to a
failed/flagged answer; ``veto {effect: zero | cap, cap_percent}``.
"""
from __future__ import annotations

from marshmallow import (
    Schema, ValidationError, fields, post_load, pre_dump, validate, validates_schema,
)

from checklists.model import (
    DEFAULT_MAX_PHOTOS, FAILABLE_TYPES, ITEM_TYPES, KINDS, SCORABLE_TYPES, Definition,
)

#: item types the inspector answers (a calculate item is computed, never answered)
ANSWERED_TYPES = frozenset(ITEM_TYPES) - {"calculate"}
#: item types whose answer has a value a constraint can test
VALUE_TYPES = ANSWERED_TYPES - {"photo"}
from checklists.references import check_references
from checklists.schema_tickets import TicketRulesSchema, ticket_rule_errors
from checklists.schema_parts import (
    BilingualLabelSchema, ChoiceOptionSchema, ConditionField, ConstraintRuleSchema,
    DeductionCriterionSchema, DeductionRuleSchema, EvidenceRuleSchema, IdField, NonBlankString,
    NumericRangeSchema, RepeatRuleSchema, ScoreBandSchema, ScoringPolicySchema,
    ShowIfConditionSchema, StrictNumber, TemplateSourceSchema, VetoRuleSchema,
)

#: which item types may carry each type-specific field
TYPE_SPECIFIC_FIELDS: dict[str, frozenset[str]] = {
    "weight": SCORABLE_TYPES,
    "points": frozenset({"check"}),
    "deduction": frozenset({"check"}),
    "criteria": frozenset({"check"}),
    "options": frozenset({"choice"}),
    "multiple": frozenset({"choice"}),
    "unit": frozenset({"reading"}),
    "thresholds": frozenset({"reading"}),
    "limits": frozenset({"reading"}),
    "min_count": frozenset({"photo"}),
    "max_count": frozenset({"photo"}),
    "tag": frozenset({"checkpoint"}),
    "max_length": frozenset({"text"}),
    "evidence": FAILABLE_TYPES,
    "veto": SCORABLE_TYPES,
    "calculation": frozenset({"calculate"}),
    "constraint": VALUE_TYPES,
    "required_if": ANSWERED_TYPES,
}


class ChecklistItemSchema(Schema):
    """One question of a checklist. See ``TYPE_SPECIFIC_FIELDS`` for what each type takes."""

    id = IdField(required=True, metadata={"description": "stable id results refer to, e.g. cs.01"})
    type = fields.String(required=True, validate=validate.OneOf(ITEM_TYPES))
    label = fields.Nested(BilingualLabelSchema, required=True)
    help = fields.Nested(BilingualLabelSchema, metadata={"description": "guidance shown to the inspector"})
    required = fields.Boolean(load_default=False, metadata={"description": "must be answered when shown"})
    allow_na = fields.Boolean(load_default=False, metadata={"description": "may be answered N/A"})
    weight = StrictNumber(validate=validate.Range(min=0),
                          metadata={"description": "additive scoring: response score x weight"})
    points = StrictNumber(validate=validate.Range(min=0, min_inclusive=False),
                          metadata={"description": "deduction scoring: the item's full points"})
    deduction = fields.Nested(DeductionRuleSchema)
    criteria = fields.List(fields.Nested(DeductionCriterionSchema), validate=validate.Length(min=1))
    options = fields.List(fields.Nested(ChoiceOptionSchema), validate=validate.Length(min=1))
    multiple = fields.Boolean(metadata={"description": "choice: several options may be picked"})
    unit = NonBlankString()
    thresholds = fields.Nested(NumericRangeSchema, metadata={"description": "reading outside -> flagged"})
    limits = fields.Nested(NumericRangeSchema,
                           metadata={"description": "reading outside -> refused as a typo"})
    min_count = fields.Integer(strict=True, validate=validate.Range(min=0, max=50))
    max_count = fields.Integer(strict=True, validate=validate.Range(min=1, max=50))
    tag = NonBlankString(metadata={"description": "checkpoint: expected tag code"})
    max_length = fields.Integer(strict=True, validate=validate.Range(min=1, max=20000))
    evidence = fields.Nested(EvidenceRuleSchema)
    veto = fields.Nested(VetoRuleSchema)
    show_if = ConditionField()
    required_if = ConditionField()
    constraint = fields.Nested(ConstraintRuleSchema)
    calculation = fields.Raw(allow_none=False,
                             metadata={"description": "calculate: JSON Logic over earlier items"})
    note = fields.String(metadata={"description": "author's note (e.g. where the seed is cut)"})

    @validates_schema(skip_on_field_errors=False, pass_original=True)
    def _type_rules(self, data, original_data, **kwargs):
        item_type = data.get("type")
        if item_type is None or not isinstance(original_data, dict):
            return
        errors: dict[str, list[str]] = {}

        def add(field: str, message: str) -> None:
            errors.setdefault(field, []).append(message)

        for field, allowed in TYPE_SPECIFIC_FIELDS.items():
            if field in original_data and item_type not in allowed:
                add(field, f"not valid for a {item_type} item (only {', '.join(sorted(allowed))})")
        if item_type == "choice":
            _choice_rules(data, original_data, add)
        if item_type == "check":
            _deduction_rules(data, original_data, add)
        if item_type == "calculate":
            if "calculation" not in original_data:
                add("calculation", "a calculate item needs its calculation (a JSON Logic rule)")
            for flag in ("required", "allow_na"):
                if original_data.get(flag) is True:
                    add(flag, "a calculate item is computed, never answered")
        if "required_if" in original_data and original_data.get("required") is True:
            add("required_if", "the item is always required; drop required or required_if")
        if item_type == "photo":
            low, high = data.get("min_count"), data.get("max_count", DEFAULT_MAX_PHOTOS)
            if low is not None and high is not None and low > high:
                add("min_count", f"must not exceed max_count ({high})")
        evidence = data.get("evidence")
        if evidence and evidence.get("scope") == "defect" and item_type != "check":
            add("evidence", "scope 'defect' is only for check items (defects are listed on checks)")
        if errors:
            raise ValidationError(errors)


def _choice_rules(data, original, add) -> None:
    options = data.get("options")
    if "options" not in original:
        add("options", "a choice item needs options")
        return
    ids = [o.get("id") for o in options or []]
    dups = sorted({i for i in ids if i is not None and ids.count(i) > 1})
    if dups:
        add("options", f"duplicate option ids: {', '.join(dups)}")
    weight = data.get("weight", 1.0)
    raw = original["options"] if isinstance(original["options"], list) else []
    scores = [o.get("score", 0) if isinstance(o, dict) else None for o in raw]
    # judged on the input, so an option already refused for a bad score is not blamed twice
    all_valid = all(isinstance(v, (int, float)) and not isinstance(v, bool) and v >= 0 for v in scores)
    exclusive = [o.get("id") for o in options or [] if o.get("exclusive")]
    if exclusive and not data.get("multiple"):
        add("options", f"exclusive options ({', '.join(map(str, exclusive))}) only make sense "
                       f"in a multi-select (multiple: true)")
    if scores and weight and all_valid and not any(scores):
        add("options", "a scored choice needs at least one option with a positive score "
                       "(or set weight to 0)")


def _deduction_rules(data, original, add) -> None:
    has_deduction = "deduction" in original
    if has_deduction and "points" not in original:
        add("points", "a deduction item needs its full points")
    if "points" in original and not has_deduction:
        add("deduction", "points are only used with a deduction rule")
    if "criteria" in original and not has_deduction:
        add("criteria", "criteria are only used with a deduction rule")
    if has_deduction and "weight" in original:
        add("weight", "an item is scored by weight or by deduction, not both")
    deduction, points = data.get("deduction"), data.get("points")
    if deduction and points is not None and deduction.get("max", 0) > points:
        add("deduction", f"max deduction per defect ({deduction['max']:g}) exceeds the item's "
                         f"points ({points:g})")
    criteria = data.get("criteria") or []
    ids = [c.get("id") for c in criteria]
    dups = sorted({i for i in ids if i is not None and ids.count(i) > 1})
    if dups:
        add("criteria", f"duplicate criterion ids: {', '.join(dups)}")


class ChecklistSectionSchema(Schema):
    """A group of items; ``weight`` combines sections into the total."""

    id = IdField(required=True)
    title = fields.Nested(BilingualLabelSchema, required=True)
    weight = StrictNumber(validate=validate.Range(min=0, min_inclusive=False),
                          metadata={"description": "relative weight of this section in the total"})
    show_if = ConditionField()
    required_if = ConditionField(metadata={"description": "every item is required when true"})
    repeat = fields.Nested(RepeatRuleSchema)
    note = fields.String()
    items = fields.List(fields.Nested(ChecklistItemSchema), required=True, validate=validate.Length(min=1))


class DefinitionSchema(Schema):
    """A checklist definition version (inspection, patrol checkpoint, handover, maintenance)."""

    id = IdField(required=True, metadata={"description": "stable definition id, e.g. cs-supervision"})
    version = fields.Integer(strict=True, required=True, validate=validate.Range(min=1))
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    title = fields.Nested(BilingualLabelSchema, required=True)
    description = fields.Nested(BilingualLabelSchema)
    source = fields.Nested(TemplateSourceSchema)
    scoring = fields.Nested(ScoringPolicySchema, load_default=dict)
    sections = fields.List(fields.Nested(ChecklistSectionSchema), required=True,
                           validate=validate.Length(min=1))
    tickets = fields.Nested(TicketRulesSchema, metadata={
        "description": "which answers open a rectification ticket (checklists.schema_tickets)"})

    @validates_schema(skip_on_field_errors=False, pass_original=True)
    def _references(self, data, original_data, **kwargs):
        errors = check_references(original_data) if isinstance(original_data, dict) else {}
        if isinstance(original_data, dict):
            errors.update(ticket_rule_errors(original_data))
        if errors:
            raise ValidationError(errors)

    @post_load
    def _build(self, data, **kwargs) -> Definition:
        from checklists.build import build_definition

        return build_definition(data)

    @pre_dump
    def _from_model(self, obj, **kwargs):
        return obj.to_dict() if isinstance(obj, Definition) else obj


# Re-exported so ``from checklists.schema import *`` documents the whole tree.
__all__ = [
    "BilingualLabelSchema",
    "ChecklistItemSchema",
    "ChecklistSectionSchema",
    "ChoiceOptionSchema",
    "ConstraintRuleSchema",
    "DeductionCriterionSchema",
    "DeductionRuleSchema",
    "DefinitionSchema",
    "EvidenceRuleSchema",
    "NumericRangeSchema",
    "RepeatRuleSchema",
    "ScoreBandSchema",
    "ScoringPolicySchema",
    "ShowIfConditionSchema",
    "TemplateSourceSchema",
    "TicketRulesSchema",
    "VetoRuleSchema",
]
