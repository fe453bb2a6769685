"""Schemas of each mutation's ``args``, validated one mutation at a time.

The push envelope is validated as a whole (a bad envelope is a 422), but a
mutation whose args fail these schemas is only *rejected*, naming the wrong
fields, and consumes its id: one malformed entry must never block a device's
queue. Unknown fields are refused (marshmallow's default ``RAISE``); free-form
values are bounded (``sync.json_values.JsonBounds``).
"""
from __future__ import annotations

from marshmallow import INCLUDE, Schema, ValidationError, fields, validate, validates_schema

from checklists.patrol import PatrolInvalid, load_round_result

from checklists.schema_tickets import SEVERITIES
from checklists.workflow.review import MAX_REASON, STATES as REVIEW_STATES
from checklists.workflow.tickets import LEGACY_STATES, STATES

from .annotations import AnnotationsSchema
from .compiled_schema import CompiledSchema
from .fields import Id, Sha256, StrictInt, Timestamp
from .json_values import JsonBounds

# Answers need no such bound: the checklist engine checks every field of
# every answer against its item (types, lengths) right after this.
MEASUREMENTS_BOUNDS = JsonBounds(max_depth=6, max_keys=100, max_items=500, max_string=2000)

class ChecklistRef(Schema):
    id = Id(required=True)
    version = StrictInt(required=True, validate=validate.Range(min=1))


class PhotoRef(Schema):
    sha256 = Sha256(required=True)
    item = fields.String(validate=validate.Length(max=100))
    content_type = fields.String(validate=validate.OneOf(("image/jpeg", "image/png", "image/webp")))
    size = StrictInt(validate=validate.Range(min=1))
    taken_at = Timestamp()
    annotations = fields.Nested(AnnotationsSchema, metadata={
        "description": "vector markup drawn over this photo (kept as data, rendered on demand)"})


class Gps(Schema):
    lat = fields.Float(required=True, validate=validate.Range(min=-90.0, max=90.0))
    lon = fields.Float(required=True, validate=validate.Range(min=-180.0, max=180.0))
    accuracy_m = fields.Float(validate=validate.Range(min=0.0))
    at = Timestamp()


class _ResultBody(CompiledSchema):
    answers = fields.Dict(keys=fields.String(validate=validate.Length(min=1, max=100)),
                          required=True)
    photos = fields.List(fields.Nested(PhotoRef), validate=validate.Length(max=200))
    gps = fields.Nested(Gps, allow_none=True)
    started_at = Timestamp(allow_none=True)
    finished_at = Timestamp(allow_none=True)
    note = fields.String(allow_none=True, validate=validate.Length(max=4000))


class ComplaintLinkRef(Schema):
    """A failed item of this result and the complaint that caused it."""

    item = fields.String(required=True, validate=validate.Length(min=1, max=100))
    complaint_id = Id(required=True)


class SubmitResult(_ResultBody):
    result_id = Id(required=True)
    site_id = Id(required=True)
    checklist = fields.Nested(ChecklistRef, required=True)
    assignment_id = Id(allow_none=True)
    reinspects = Id(allow_none=True, metadata={
        "description": "the result whose open items this one re-checks (answers: only the "
                       "re-checked items)"})
    occurrence_id = Id(allow_none=True, metadata={
        "description": "the plan occurrence this result fulfils (checklists.plans)"})
    complaint_links = fields.List(fields.Nested(ComplaintLinkRef), validate=validate.Length(
        max=50), metadata={"description": "failed items found because of a complaint"})


class AmendResult(_ResultBody):
    result_id = Id(required=True)
    supersedes = Id(required=True)
    reason = fields.String(allow_none=True, validate=validate.Length(max=2000))


class TicketFields(CompiledSchema):
    """The scalar fields of a ticket (see ``tickets.FIELD_OWNERS``)."""

    title = fields.String(validate=validate.Length(min=1, max=200))
    description = fields.String(allow_none=True, validate=validate.Length(max=8000))
    priority = fields.String(allow_none=True, validate=validate.OneOf(SEVERITIES))
    assignee = Id(allow_none=True)
    due_at = Timestamp(allow_none=True)
    work_notes = fields.String(allow_none=True, validate=validate.Length(max=8000))
    cause = fields.String(allow_none=True, validate=validate.Length(max=2000))
    measurements = fields.Dict(keys=fields.String(validate=validate.Length(max=100)),
                               allow_none=True, validate=MEASUREMENTS_BOUNDS)
    responsible = Id(allow_none=True, metadata={"description": "user id answering for it"})
    direct_supervisor = Id(allow_none=True, metadata={"description": "user id: their supervisor"})
    next_inspection_at = Timestamp(allow_none=True)
    written_explanation = fields.String(allow_none=True, validate=validate.Length(max=8000),
                                        metadata={"description": "书面说明: why it will miss "
                                                  "the next inspection, and the remedy"})
    location = fields.String(allow_none=True, validate=validate.Length(max=200))


class CreateTicket(TicketFields):
    ticket_id = Id(required=True)
    site_id = Id(required=True)
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    result_id = Id(allow_none=True)
    item = fields.String(allow_none=True, validate=validate.Length(max=100))
    photos = fields.List(Sha256(), validate=validate.Length(max=50))


class EditTicket(CompiledSchema):
    ticket_id = Id(required=True)
    set = fields.Nested(TicketFields, required=True)
    base_fv = fields.Dict(keys=fields.String(), values=StrictInt(validate=validate.Range(min=0)),
                          required=True)


class CommentTicket(CompiledSchema):
    ticket_id = Id(required=True)
    comment_id = Id(required=True)
    text = fields.String(required=True, validate=validate.Length(min=1, max=8000))
    photos = fields.List(Sha256(), validate=validate.Length(max=20))


MOVE_STATES = sorted(STATES | set(LEGACY_STATES))  # older devices still say done


class MoveTicket(CompiledSchema):
    ticket_id = Id(required=True)
    from_state = fields.String(required=True, data_key="from",
                               validate=validate.OneOf(MOVE_STATES))
    to = fields.String(required=True, validate=validate.OneOf(MOVE_STATES))
    note = fields.String(allow_none=True, validate=validate.Length(max=8000))
    photos = fields.List(Sha256(), validate=validate.Length(max=20))


class AttachTicketPhotos(CompiledSchema):
    ticket_id = Id(required=True)
    photos = fields.List(Sha256(), required=True, validate=validate.Length(min=1, max=20))


class ReviewResult(CompiledSchema):
    """A supervisor's review of a result from a device (``checklists.workflow.review``)."""

    result_id = Id(required=True)
    from_state = fields.String(required=True, data_key="from",
                               validate=validate.OneOf(REVIEW_STATES))
    to = fields.String(required=True, validate=validate.OneOf(REVIEW_STATES))
    reason = fields.String(allow_none=True, validate=validate.Length(max=MAX_REASON))


class SubmitRound(Schema):
    """A walked patrol round (``checklists.patrol.result_schema`` is its one definition).

    The args are kept exactly as sent (they are stored and hashed for
    exactly-once), so this only validates them through the patrol domain's
    loader, whose errors name each field (``scans[2].gps.lat``).
    """

    class Meta:
        unknown = INCLUDE

    @validates_schema
    def _judgeable(self, data, **kwargs):
        try:
            load_round_result(data)
        except PatrolInvalid as invalid:
            raise ValidationError(invalid.errors) from None
