"""Cursor paging in the body: ``?cursor=&limit=`` in, ``{items, next_cursor}`` out.

Paging metadata lives in the body, not in flask-smorest's ``X-Pagination``
header, whose documented schema its value does not match (libs-and-style
§2.3); a keyset cursor also never skips records under concurrent writes,
which page numbers would.
"""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from server.services.paging import MAX_LIMIT
from server.services.paging import Page


class PageArgs(Schema):
    cursor = fields.String(load_default=None, validate=validate.Length(max=1024), metadata={
        "format": "cursor",  # opaque: only values this server returned as next_cursor
        "description": "next_cursor of the previous page; omit for the first page"})
    limit = fields.Integer(load_default=50, validate=validate.Range(1, MAX_LIMIT))


def page_schema(item_schema: type[Schema], name: str) -> type[Schema]:
    """A ``{items: [item_schema], next_cursor}`` schema class called ``name``."""
    return Schema.from_dict({
        "items": fields.List(fields.Nested(item_schema), required=True),
        "next_cursor": fields.String(required=True, allow_none=True, metadata={
            "description": "pass as ?cursor= for the next page; null on the last page"}),
    }, name=name)


def page_body(page: Page) -> dict:
    """The response body of a store page (documents, not store records)."""
    return {"items": [rec.doc for rec in page.items], "next_cursor": page.next_cursor}
