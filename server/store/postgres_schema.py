"""The PostgreSQL backend's tables, created on first open.

Three tables in the connection's ``search_path`` schema (put
``options=-csearch_path=<schema>`` in the URL to keep several stores in one
database):

``fieldsync_meta``   one row: ``last_seq`` (the gapless seq counter), ``epoch``,
                     ``horizon`` (tombstone horizon). Every commit updates it in
                     the same transaction as the data, so seq and data become
                     durable together.
``fieldsync_docs``   one row per record ever written and not yet purged, at its
                     latest seq; a deleted record is a row with ``deleted`` and no
                     body (its tombstone). Because a record has exactly one row,
                     ``(bucket, seq)`` *is* the change feed: "a record appears
                     once, at its latest seq" holds by construction, with no
                     superseded feed rows to skip or compact.
``fieldsync_index``  the secondary index entries ``(collection, name, key, sort,
                     id)`` of live records. Its primary key is the btree that
                     pages ``list`` in (sort, id) order and answers ``count``.

Bodies are ``json``, not ``jsonb``: ``jsonb`` re-orders object keys and
rewrites numbers (``1e300`` comes back as a 301-digit integer, so a float
turns into an int), and field data is evidence that must come back as it was
stored -- exactly what the other backends return. Nothing queries inside
bodies; the index table carries what listings need.

What is compared for order must compare like Python strings (code point
order), which is how the other backends order listings and cursors. Under the
database's default collation (e.g. ``en_US``) "a" < "B" and a keyset cursor
would skip rows. So ids use the ``C`` collation (byte order of UTF-8 is code
point order), and index ``key`` and ``sort`` are the UTF-8 bytes in ``bytea``
(compared bytewise, shorter prefix first): services build composite sort keys
with a NUL separator (``"<id>\\x00<version>"``, so an id sorts before its
longer neighbours), and PostgreSQL ``text`` cannot hold NUL at all.
"""
from __future__ import annotations

import psycopg

SCHEMA_VERSION = 1

# One key for the session-level advisory lock that serialises writers. Advisory
# locks are per database, so stores in separate databases do not contend.
WRITER_LOCK_KEY = 0x6669656C6473796E  # "fieldsyn"

DDL = """
CREATE TABLE IF NOT EXISTS fieldsync_meta (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    schema_version integer NOT NULL,
    last_seq bigint NOT NULL,
    epoch text NOT NULL,
    horizon bigint NOT NULL
);
CREATE TABLE IF NOT EXISTS fieldsync_docs (
    collection text COLLATE "C" NOT NULL,
    id text COLLATE "C" NOT NULL,
    seq bigint NOT NULL UNIQUE,
    bucket text COLLATE "C",
    deleted boolean NOT NULL,
    doc json,
    PRIMARY KEY (collection, id),
    CHECK (deleted = (doc IS NULL))
);
CREATE INDEX IF NOT EXISTS fieldsync_docs_feed
    ON fieldsync_docs (bucket, seq) WHERE bucket IS NOT NULL;
CREATE INDEX IF NOT EXISTS fieldsync_docs_tombstones
    ON fieldsync_docs (seq) WHERE deleted;
CREATE TABLE IF NOT EXISTS fieldsync_index (
    collection text COLLATE "C" NOT NULL,
    name text COLLATE "C" NOT NULL,
    key bytea NOT NULL,
    sort bytea NOT NULL,
    id text COLLATE "C" NOT NULL,
    PRIMARY KEY (collection, name, key, sort, id),
    FOREIGN KEY (collection, id) REFERENCES fieldsync_docs (collection, id)
);
CREATE INDEX IF NOT EXISTS fieldsync_index_by_record ON fieldsync_index (collection, id);
"""


def ensure_schema(conn: psycopg.Connection, new_epoch: str) -> None:
    """Create the tables and the meta row if missing (idempotent, safe to race).

    Runs under the writer lock so two processes opening an empty database at
    once do not both create the meta row with different epochs.
    """
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (WRITER_LOCK_KEY,))
        conn.execute(DDL)
        conn.execute("INSERT INTO fieldsync_meta (schema_version, last_seq, epoch, horizon) "
                     "VALUES (%s, 0, %s, 0) ON CONFLICT DO NOTHING", (SCHEMA_VERSION, new_epoch))
        version = conn.execute("SELECT schema_version FROM fieldsync_meta").fetchone()[0]
    if version != SCHEMA_VERSION:
        raise RuntimeError(f"fieldsync tables have schema version {version}, "
                           f"this server knows {SCHEMA_VERSION}")
