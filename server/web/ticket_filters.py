"""The tickets board's filters (site, state, assignee, overdue), checked like the API's.

Another site's id is not found (404), as everywhere in the pages; a bad
state or an unknown assignee is a 400 naming the field. Without a site the
board shows the user's first site (the ticket listing is per site).
"""
from __future__ import annotations

from marshmallow import Schema, fields, validate
from werkzeug.datastructures import MultiDict

from checklists.actors import Actor
from checklists.workflow.tickets import STATES

from .list_filters import chosen_site, load_filters
from .result_filters import user_id_named

TICKET_STATES = tuple(sorted(STATES))


class TicketFilterArgs(Schema):
    site = fields.String(validate=validate.Length(max=100))
    state = fields.String(validate=validate.OneOf(TICKET_STATES))
    assignee = fields.String(validate=validate.Length(max=64))
    overdue = fields.Boolean()


def ticket_query(store, actor: Actor, args: MultiDict) -> tuple[dict, list[dict]]:
    """(``tickets.list_tickets`` keyword arguments, the user's sites)."""
    query = load_filters(TicketFilterArgs(), args)
    site, sites = chosen_site(store, actor, query.get("site"))
    query["site"] = site["id"]
    if "assignee" in query:
        query["assignee"] = user_id_named(store, "assignee", query["assignee"])
    return query, sites
