"""The results list's filters as a browser sends them, turned into the service's query.

A form submits every field, empty ones too, so blanks mean "any". The
inspector is typed as a username (what a supervisor knows), not a user id.
Dates are whole days (``to`` includes its day). What cannot be understood
is ``Invalid`` naming the field (a 400 page), and a site the user does not
work at is ``NotFound`` like any other site's object.
"""
from __future__ import annotations

from marshmallow import RAISE, Schema, ValidationError, fields, validate
from werkzeug.datastructures import MultiDict

from checklists.actors import Actor
from server.services.accounts.users import find_user
from server.repositories.results import SORTS
from server.services.errors import Invalid, NotFound

REVIEW_STATES = ("submitted", "approved", "has_issues", "rejected")
PAGE_SIZE = 50
DEFAULT_SORT = "-submitted_at"  # as result_queries.list_results sorts without one


class ResultFilterArgs(Schema):
    class Meta:
        unknown = RAISE

    site = fields.List(fields.String(validate=validate.Length(1, 64)))
    definition = fields.String(validate=validate.Length(1, 200))
    inspector = fields.String(validate=validate.Length(1, 64))
    band = fields.List(fields.String(validate=validate.Length(1, 64)))
    review_state = fields.String(validate=validate.OneOf(REVIEW_STATES))
    flagged = fields.Boolean()
    from_ = fields.Date(data_key="from")
    to = fields.Date()
    sort = fields.String(load_default=DEFAULT_SORT, validate=validate.OneOf(SORTS))
    cursor = fields.String(validate=validate.Length(max=1024))


_LISTS = ("site", "band")


def filter_query(store, actor: Actor, args: MultiDict) -> dict:
    """The ``result_queries`` arguments of a list or CSV request."""
    raw = {}
    for key in args:
        values = [v for v in args.getlist(key) if v.strip()]
        if values:
            raw[key] = values if key in _LISTS else values[-1]
    try:
        query = ResultFilterArgs().load(raw)
    except ValidationError as exc:
        raise Invalid(exc.messages, "query") from None
    if "from_" in query:
        query["from"] = query.pop("from_")
    for site in query.get("site", ()):
        if not actor.works_at(site):
            raise NotFound("no such site among yours")
    if "inspector" in query:
        query["inspector"] = user_id_named(store, "inspector", query["inspector"])
    return query


def user_id_named(store, field: str, username: str) -> str:
    """The id of the user a filter names by username; ``Invalid`` naming ``field`` if none."""
    user = find_user(store, username)
    if user is None:
        raise Invalid({field: [f"No user is called {username!r}."]}, "query")
    return user["id"]
