"""Rectification tickets for browsers and scripts: the same rules a device push meets."""
from __future__ import annotations

from flask import current_app
from flask_smorest.error_handler import ErrorSchema
from marshmallow import RAISE

from server.auth import current_actor
from server.extensions import get_store
from server.media import UPLOADS_KEY
from server.services import tickets

from .blueprint import Blueprint
from .schemas.tickets import (TicketCommentIn, TicketCreateIn, TicketEditIn, TicketEditOut,
                              TicketListArgs, TicketListOut, TicketMoveIn, TicketOut,
                              TicketPhotosIn)

blp = Blueprint("tickets", __name__, url_prefix="/api/v1/tickets",
                description="Rectification tickets: open → in_progress → fixed → verified.")
_NOT_FOUND = "No such ticket, or not at a site you work at."


def _complete_photos(hashes):
    return current_app.extensions[UPLOADS_KEY].complete_among(hashes)


@blp.route("")
@blp.auth_required()
@blp.arguments(TicketListArgs, location="query", unknown=RAISE)
@blp.response(200, TicketListOut)
def list_tickets(args):
    """A site's tickets, newest first; filter by state, assignee, or only the overdue ones."""
    return tickets.list_tickets(get_store(), current_actor(), **args)


@blp.route("", methods=["POST"])
@blp.auth_required()
@blp.arguments(TicketCreateIn)
@blp.response(201, TicketOut)
@blp.alt_response(409, schema=ErrorSchema, description="The id exists with other content.")
@blp.alt_response(422, schema=ErrorSchema, description="A field is wrong (named).")
def create_ticket(args):
    """Open a ticket by hand (tickets from failed items open by themselves)."""
    return tickets.create(get_store(), current_actor(), args, _complete_photos)


@blp.route("/<ticket_id>")
@blp.auth_required()
@blp.response(200, TicketOut)
@blp.alt_response(404, schema=ErrorSchema, description=_NOT_FOUND)
def get_ticket(ticket_id):
    """One ticket: its fields, history, comments, clock and the moves you may make."""
    return tickets.get(get_store(), current_actor(), ticket_id)


@blp.route("/<ticket_id>", methods=["PATCH"])
@blp.auth_required()
@blp.arguments(TicketEditIn)
@blp.response(200, TicketEditOut)
@blp.alt_response(404, schema=ErrorSchema, description=_NOT_FOUND)
@blp.alt_response(422, schema=ErrorSchema, description="A field is wrong (named).")
def edit_ticket(args, ticket_id):
    """Set fields, each with the version (``fv``) you edited from; losing values are kept."""
    return tickets.edit(get_store(), current_actor(), ticket_id, args["set"], args["base_fv"])


@blp.route("/<ticket_id>/move", methods=["POST"])
@blp.auth_required()
@blp.arguments(TicketMoveIn)
@blp.response(200, TicketOut)
@blp.alt_response(404, schema=ErrorSchema, description=_NOT_FOUND)
@blp.alt_response(409, schema=ErrorSchema, description="Not a move you may make from the "
                  "ticket's current state: `errors` holds `current` and `allowed`.")
@blp.alt_response(422, schema=ErrorSchema, description="Evidence or the written "
                  "explanation is missing (the field is named).")
def move_ticket(args, ticket_id):
    """Move the ticket from the state you saw (``from``) to ``to``."""
    return tickets.move(get_store(), current_actor(), ticket_id, args, _complete_photos)


@blp.route("/<ticket_id>/comments", methods=["POST"])
@blp.auth_required()
@blp.arguments(TicketCommentIn)
@blp.response(201, TicketOut)
@blp.alt_response(404, schema=ErrorSchema, description=_NOT_FOUND)
@blp.alt_response(409, schema=ErrorSchema, description="The comment id exists with other text.")
@blp.alt_response(422, schema=ErrorSchema, description="A field is wrong (named).")
def comment_ticket(args, ticket_id):
    """Add a comment (with photos already uploaded or about to be)."""
    return tickets.comment(get_store(), current_actor(), ticket_id, args, _complete_photos)


@blp.route("/<ticket_id>/photos", methods=["POST"])
@blp.auth_required()
@blp.arguments(TicketPhotosIn)
@blp.response(200, TicketOut)
@blp.alt_response(404, schema=ErrorSchema, description=_NOT_FOUND)
@blp.alt_response(422, schema=ErrorSchema, description="A photo of records you cannot see.")
def attach_photo(args, ticket_id):
    """Attach photos (by sha256) to the ticket."""
    return tickets.attach_photo(get_store(), current_actor(), ticket_id, args["photos"],
                                _complete_photos)
