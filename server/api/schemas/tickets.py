"""Request and response bodies of ``/api/v1/tickets``.

Request bodies are the sync mutations' own argument schemas
(``sync.mutation_args``) without the ticket id, which is in the URL: a
browser and a device are held to the very same fields and bounds.
"""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from checklists.workflow.tickets import STATES
from server.services.paging import MAX_LIMIT
from sync.fields import Id
from sync.mutation_args import (AttachTicketPhotos, CommentTicket, CreateTicket, EditTicket,
                                MoveTicket)

from .paging import page_schema


class TicketCreateIn(CreateTicket):
    ticket_id = Id(metadata={"description": "your own id (safe to retry); default: the "
                                            "server names it"})


class TicketMoveIn(MoveTicket):
    class Meta:
        exclude = ("ticket_id",)


class TicketEditIn(EditTicket):
    class Meta:
        exclude = ("ticket_id",)


class TicketCommentIn(CommentTicket):
    comment_id = Id(metadata={"description": "your own id (safe to retry)"})

    class Meta:
        exclude = ("ticket_id",)


class TicketPhotosIn(AttachTicketPhotos):
    class Meta:
        exclude = ("ticket_id",)


class TicketListArgs(Schema):
    site = fields.String(validate=validate.Length(1, 64), metadata={
        "description": "site id (may be left out by someone working at one site only)"})
    state = fields.String(validate=validate.OneOf(sorted(STATES)))
    assignee = fields.String(validate=validate.Length(1, 64), metadata={"description": "user id"})
    overdue = fields.Boolean(load_default=False, metadata={
        "description": "only tickets past due and not fixed, most overdue first"})
    cursor = fields.String(validate=validate.Length(max=1024),
                           metadata={"description": "next_cursor of the previous page"})
    limit = fields.Integer(load_default=50, validate=validate.Range(1, MAX_LIMIT))


class TicketOut(Schema):
    """A ticket (sync record ``tickets``) with its clock and your allowed moves."""

    id = fields.String(required=True)
    v = fields.Integer(required=True)
    site_id = fields.String(required=True)
    status = fields.String(required=True, metadata={"description": " | ".join(sorted(STATES))})
    status_stored_as = fields.String(metadata={"description": "an older state name as stored"})
    title = fields.String()
    description = fields.String(allow_none=True)
    priority = fields.String(allow_none=True)
    assignee = fields.String(allow_none=True)
    responsible = fields.String(allow_none=True)
    direct_supervisor = fields.String(allow_none=True)
    due_at = fields.String(allow_none=True)
    next_inspection_at = fields.String(allow_none=True)
    written_explanation = fields.String(allow_none=True, metadata={"description": "书面说明"})
    location = fields.String(allow_none=True)
    work_notes = fields.String(allow_none=True)
    cause = fields.String(allow_none=True)
    measurements = fields.Dict(allow_none=True)
    result_id = fields.String(allow_none=True)
    item = fields.String(allow_none=True)
    photos = fields.List(fields.String())
    comments = fields.List(fields.Dict())
    history = fields.List(fields.Dict())
    conflicts = fields.List(fields.Dict(), metadata={"description": "values that lost a merge"})
    fv = fields.Dict(metadata={"description": "per-field versions: send them as base_fv"})
    fix = fields.Dict(metadata={"description": "who fixed it, when, the note and photos"})
    source = fields.Dict(metadata={"description": "the definition rule that opened it, or "
                                                  "by_hand"})
    created = fields.Dict()
    overdue = fields.Boolean(required=True)
    age_days = fields.Integer(required=True)
    explanation_required = fields.Boolean(required=True)
    allowed_moves = fields.List(fields.String(), required=True,
                                metadata={"description": "the moves you may make now"})


class TicketEditOut(TicketOut):
    new_conflicts = fields.List(fields.Dict(), metadata={
        "description": "values this edit lost, or that lost to it"})


TicketListOut = page_schema(TicketOut, "TicketList")
