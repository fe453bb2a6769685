"""``fieldsync db``: schema migrations, moving a store between engines, online backups.

These commands talk to the store's database directly (no app, no auto-
migration on open), so ``db current`` can show a schema that is behind
before ``db upgrade`` moves it, and ``db copy`` can name any two URLs.
"""
from __future__ import annotations

import sys

import click

from server.store import StoreError, open_store


def _store_url() -> str:
    loader = click.get_current_context().find_root().obj
    if hasattr(loader, "config"):
        return loader.config()["STORE_URL"]
    return loader.load_app().config["STORE_URL"]  # flask's ScriptInfo (the test runner)


@click.group()
def db():
    """Database schema, copies between SQLite and PostgreSQL, backups."""


@db.command()
def current():
    """Show the schema revision of the configured store and the one this server needs."""
    from server.store.sql_engines import engines_for
    from server.store.sql_migrate import describe
    engines = engines_for(_store_url())
    try:
        state = describe(engines)
    finally:
        engines.dispose()
    behind = "" if state["current"] == state["head"] else "  (behind: run fieldsync db upgrade)"
    click.echo(f"revision {state['current'] or 'none (empty database)'}; "
               f"this server needs {state['head']}{behind}")


@db.command()
def upgrade():
    """Run the schema migrations (the server also runs them when it starts)."""
    from server.store.sql_engines import engines_for
    from server.store.sql_migrate import describe, migrate
    from server.store.sql_store import new_epoch_id
    engines = engines_for(_store_url())
    try:
        before = describe(engines)["current"]
        ran = migrate(engines, new_epoch_id)
        after = describe(engines)["current"]
    finally:
        engines.dispose()
    click.echo(f"upgraded {before or 'empty database'} -> {after}" if ran
               else f"already at {after}")


@db.command()
@click.argument("src_url", metavar="SRC_URL")
@click.argument("dst_url", metavar="DST_URL")
def copy(src_url, dst_url):
    """Copy a whole store (records, seqs, epoch, tombstones) into an empty one, then verify.

    e.g. fieldsync db copy sqlite:///srv/fieldsync/fieldsync.db postgresql://fieldsync@/fieldsync
    Stop the server first (or copy a backup): writes made during the copy are not in it.
    """
    from server.store.sql_copy import NotEmpty, copy_store, row_count, verify_copy
    try:
        src = open_store(src_url)
    except (StoreError, ValueError) as exc:
        raise click.ClickException(f"{src_url}: {exc}") from None
    try:
        dst = open_store(dst_url)
    except (StoreError, ValueError) as exc:
        src.close()
        raise click.ClickException(f"{dst_url}: {exc}") from None
    try:
        with click.progressbar(length=row_count(src), label="copying rows",
                               file=sys.stderr) as bar:
            copy_store(src, dst, progress=bar.update)
        differing = verify_copy(src, dst)
    except NotEmpty as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        src.close()
        dst.close()
    if differing:
        raise click.ClickException(f"verification failed for: {', '.join(differing)}")
    click.echo("copied and verified: every collection's count and checksum match")


@db.command()
@click.argument("dest", type=click.Path(dir_okay=False))
def backup(dest):
    """Write a consistent, fsynced copy of the SQLite store to DEST while it serves.

    Restore by stopping the server, putting the copy in place as fieldsync.db
    (no -wal/-shm beside it) and running fieldsync new-epoch.
    """
    from server.store.sql_copy import backup_sqlite
    store = open_store(_store_url())
    try:
        size = backup_sqlite(store, dest)
    except (ValueError, FileExistsError) as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        store.close()
    click.echo(f"backup written to {dest} ({size:,} bytes)")
