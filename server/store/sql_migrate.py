"""Schema migrations (Alembic), run at open and by ``fieldsync db upgrade``.

At open a lock-free check compares the database's revision with the head
(the common case, costing one small read); only a database behind takes the
writer lock (``BEGIN IMMEDIATE`` / the advisory lock) and upgrades inside that
one transaction -- DDL is transactional on both engines with our BEGIN
handling -- so a second process opening at the same time waits, then finds
nothing to do. A new database also gets its meta row (seq counter at 0, a
fresh epoch) in the same transaction.
"""
from __future__ import annotations

import os
from typing import Callable

from sqlalchemy import Connection, exc, insert, inspect, select

from . import sql_tables as t
from .sql_engines import Engines

MIGRATIONS = os.path.join(os.path.dirname(__file__), "migrations")
#: The newest revision in ``migrations/versions`` (a test holds it to Alembic's answer).
#: Opening a current database checks it with one query and never imports Alembic:
#: loading Alembic and its scripts was about a tenth of a server's cold start.
HEAD = "0004"


def alembic_config(conn: Connection | None = None):
    from alembic.config import Config
    cfg = Config()
    cfg.set_main_option("script_location", MIGRATIONS)
    if conn is not None:
        cfg.attributes["connection"] = conn
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(conn: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext
    return MigrationContext.configure(conn).get_current_revision()


def _stored_revision(conn: Connection) -> str | None:
    """The database's revision by plain SQL (None for an empty database)."""
    try:
        return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    except exc.ProgrammingError:  # PostgreSQL: no such table
        return None
    except exc.OperationalError as error:  # SQLite: no such table; anything else is real
        if "no such table" in str(error):
            return None
        raise


def migrate(engines: Engines, new_epoch: Callable[[], str], target: str = "head") -> bool:
    """Bring the schema to ``target``; True if anything was run."""
    head = HEAD if target == "head" else target
    with engines.reader.connect() as conn:
        if _stored_revision(conn) == head:
            return False
    from alembic import command
    with engines.writer.connect() as conn, conn.begin():
        engines.lock_writer(conn)
        if current_revision(conn) == head:
            return False  # another process got there first
        command.upgrade(alembic_config(conn), target)
        if conn.execute(select(t.meta.c.last_seq)).first() is None:
            conn.execute(insert(t.meta).values(singleton=1, last_seq=0, epoch=new_epoch(),
                                               horizon=0))
    return True


def describe(engines: Engines) -> dict:
    """What ``fieldsync db current`` prints: revisions and the tables present."""
    with engines.reader.connect() as conn:
        return {"current": current_revision(conn), "head": head_revision(),
                "tables": sorted(inspect(conn).get_table_names())}
