"""What every ``fieldsync`` subcommand needs: the app and store of this invocation.

The app is built once, lazily, by the root command's loader (``server.cli``),
so ``--help`` opens nothing; flask's ``ScriptInfo`` (the test runner) answers
the same ``load_app``.
"""
from __future__ import annotations

from typing import Callable, Iterator

import click
from flask import Flask


def cli_app() -> Flask:
    return click.get_current_context().find_root().obj.load_app()


def cli_store():
    from server.extensions import STORE_KEY
    return cli_app().extensions[STORE_KEY]


def every_item(list_page: Callable) -> Iterator[dict]:
    """Every document of a paged listing (``list_page(cursor) -> Page``)."""
    cursor = None
    while True:
        page = list_page(cursor)
        yield from (rec.doc for rec in page.items)
        if page.next_cursor is None:
            return
        cursor = page.next_cursor
