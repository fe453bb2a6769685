"""The SQL store's tables, one ``MetaData`` for SQLite and PostgreSQL.

``fs_meta``     one row: ``last_seq`` (the gapless seq counter), ``epoch``,
                ``horizon`` (tombstone horizon). Every commit moves ``last_seq`` in
                the same transaction as its data, so a seq and its data become
                durable together.
``fs_docs``     one row per record ever written and not yet purged, at its latest
                seq; a deleted record keeps its row without a body (its
                tombstone). A record having exactly one row makes ``(bucket,
                seq)`` the change feed by construction. Bodies are JSON text,
                never re-encoded by the database, so they come back as stored.
``fs_index``    generic secondary entries ``(collection, name, key, sort, id)`` for
                the small lookups services page through (usernames, tokens,
                definition versions). Keys and sorts are UTF-8 bytes: compared
                bytewise on both engines (code point order, NUL allowed).
``fs_results``  the results' typed query columns (a read model): written in the
                same transaction as the document, rebuilt from documents by a
                reindex that never touches seqs. Listings, filters, ranges and
                monthly aggregates are SQL over it (``server.repositories``).
``fs_result_totals`` per site, month, checklist and band: count, scored count
                and score sum, moved by deltas with every results write
                (``result_totals``) so trends never group a million rows.

Ids compare like Python strings on both engines: SQLite's default ``BINARY``
collation is memcmp of UTF-8, and PostgreSQL gets the ``C`` collation.
"""
from __future__ import annotations

from sqlalchemy import (BigInteger, Boolean, Column, Float, Index, Integer, LargeBinary,
                        MetaData, Table, Text, text)

NAMING = {"ix": "ix_%(table_name)s_%(column_0_N_name)s",
          "uq": "uq_%(table_name)s_%(column_0_N_name)s",
          "ck": "ck_%(table_name)s_%(constraint_name)s",
          "pk": "pk_%(table_name)s"}

metadata = MetaData(naming_convention=NAMING)

#: Text compared in code point order on PostgreSQL too (SQLite's default already is).
Key = Text().with_variant(Text(collation="C"), "postgresql")

meta = Table(
    "fs_meta", metadata,
    Column("singleton", Integer, primary_key=True, autoincrement=False),
    Column("last_seq", BigInteger, nullable=False),
    Column("epoch", Text, nullable=False),
    Column("horizon", BigInteger, nullable=False),
)

docs = Table(
    "fs_docs", metadata,
    Column("collection", Key, primary_key=True),
    Column("id", Key, primary_key=True),
    Column("seq", BigInteger, nullable=False, unique=True),
    Column("bucket", Key),
    Column("deleted", Boolean, nullable=False),
    Column("body", Text),
    Index("ix_fs_docs_feed", "bucket", "seq",
          sqlite_where=text("bucket IS NOT NULL"), postgresql_where=text("bucket IS NOT NULL")),
    Index("ix_fs_docs_tombstones", "seq", sqlite_where=text("deleted"),
          postgresql_where=text("deleted")),
)

index_entries = Table(
    "fs_index", metadata,
    Column("collection", Key, primary_key=True),
    Column("name", Key, primary_key=True),
    Column("key", LargeBinary, primary_key=True),
    Column("sort", LargeBinary, primary_key=True),
    Column("id", Key, primary_key=True),
    Index("ix_fs_index_record", "collection", "id"),
)

results = Table(
    "fs_results", metadata,
    Column("id", Key, primary_key=True),
    Column("site_id", Key, nullable=False),
    Column("definition_id", Key, nullable=False),
    Column("definition_version", Integer, nullable=False),
    Column("submitted_at", Key, nullable=False),   # ISO 8601 UTC, sorts as time
    Column("month", Key, nullable=False),          # YYYY-MM of submitted_at
    Column("inspector", Key, nullable=False),      # user id of the submitter
    Column("score", Float),                        # total; NULL when unscored
    Column("percent", Float),
    Column("band", Key),
    Column("review_state", Key, nullable=False),
    Column("flagged", Boolean, nullable=False),    # any failed or flagged answer
    Column("media", Key, nullable=False),
    Column("root_id", Key, nullable=False),
    Column("current", Boolean, nullable=False),    # not superseded by a correction
    Index("ix_fs_results_site_time", "site_id", "submitted_at", "id"),
    Index("ix_fs_results_site_band_time", "site_id", "band", "submitted_at", "id"),
    Index("ix_fs_results_site_month", "site_id", "month"),
    Index("ix_fs_results_inspector_time", "inspector", "submitted_at", "id"),
    Index("ix_fs_results_definition_time", "definition_id", "submitted_at", "id"),
    Index("ix_fs_results_time", "submitted_at", "id"),
    # migration 0004; the expression is SORTS["score"] in server/repositories/results.py
    Index("ix_fs_results_site_score", "site_id", text("coalesce(score, -1.0)"), "id"),
)

result_totals = Table(
    "fs_result_totals", metadata,
    Column("site_id", Key, primary_key=True),
    Column("month", Key, primary_key=True),
    Column("definition_id", Key, primary_key=True),
    Column("band", Key, primary_key=True),         # "" when unbanded
    Column("current", Boolean, primary_key=True),
    Column("n", BigInteger, nullable=False),
    Column("scored", BigInteger, nullable=False),
    Column("score_sum", Float, nullable=False),
)
