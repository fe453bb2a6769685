"""The store interface every backend implements, and the value types it speaks.

Services see only this module. The interface is deliberately small: what the
sync protocol and the services need, nothing a particular engine happens to
offer.

* ``Store.transaction()`` is the one way to write. Inside it reads see the
  committed state and nobody else can commit, so a service can check a
  precondition (``last_mutation_id``, a record's version) and commit its
  effects in one atomic step. ``Transaction.commit(ops)`` writes a batch and
  returns one ``seq`` per op; the seqs of a batch are contiguous and the
  global sequence has no gaps. The batch is durable when the ``with`` block
  exits (acknowledge nothing before); a commit that cannot be made durable
  raises ``StoreUnavailable`` there, and none of it is applied.
* ``get`` / ``list`` / ``changes`` read committed state and never see half a
  batch; ``snapshot()`` holds one consistent state across several reads.
  Readers never wait for writers.
* Every write names a sync ``bucket`` (``defs``, ``site:<id>``, ``user:<id>``)
  or ``None`` for server-private records (users, device tokens); the change
  feed is per bucket and ordered by seq.
* Every write may carry index entries ``{index_name: (key, sort)}``;
  ``list(collection, index, key)`` pages those entries by ``sort`` then id,
  with an opaque keyset cursor so paging under concurrent writes never skips.

Documents handed out are the caller's to read, not to mutate.
"""
from __future__ import annotations

import abc
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator, Mapping, Sequence

import orjson

IndexEntries = Mapping[str, tuple[str, str]]


class StoreError(Exception):
    """Base for store failures."""


class StoreUnavailable(StoreError):
    """A commit could not be made durable; nothing of it was applied."""


class StoreLocked(StoreError):
    """Another server process already serves this database."""


class StoreCorrupt(StoreError):
    """A store file is damaged; the message names the file and offset."""

    def __init__(self, path: str, offset: int, reason: str):
        super().__init__(f"{path}: damaged at byte offset {offset}: {reason}")
        self.path, self.offset, self.reason = path, offset, reason


@dataclass(frozen=True, slots=True)
class Put:
    """Create or replace a record.

    ``text``: ``doc`` already encoded as JSON by the caller (orjson, no
    options), stored as it is instead of encoding ``doc`` again -- a push
    encodes every document to check it is storable. It must be ``doc``'s text.
    """

    collection: str
    id: str
    doc: Mapping[str, Any]
    bucket: str | None = None
    index: IndexEntries = field(default_factory=dict)
    text: str | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Delete:
    """Remove a record, leaving a tombstone in its bucket's change feed."""

    collection: str
    id: str


Op = Put | Delete


@dataclass(frozen=True, slots=True)
class Record:
    """A stored record with the seq of its last change."""

    collection: str
    id: str
    seq: int
    bucket: str | None
    doc: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Change:
    """One entry of a bucket's change feed: the latest state of a record.

    The document comes as its stored JSON text (``body``, None for a delete)
    and its ``"v"`` read by the database; ``doc`` decodes the text on each
    use. WHY: a pull sends the text on as it is (``sync.pull``) -- decoding
    and re-encoding every document was most of a pull's CPU.
    """

    seq: int
    collection: str
    id: str
    op: str  # "put" | "del"
    body: str | None
    v: Any = None

    @property
    def doc(self) -> Mapping[str, Any] | None:
        return None if self.body is None else orjson.loads(self.body)


@dataclass(frozen=True, slots=True)
class Page:
    """A page of records and the cursor that continues after it (None at the end)."""

    items: list[Record]
    next_cursor: str | None


class Reader(abc.ABC):
    """Read operations shared by a store and an open transaction."""

    @abc.abstractmethod
    def get(self, collection: str, id: str) -> Record | None:
        """Return the live record or None (also None for a deleted one)."""

    def get_doc(self, collection: str, id: str) -> dict | None:
        """The live record's document, or None: what code that needs no seq reads."""
        rec = self.get(collection, id)
        return None if rec is None else rec.doc

    def get_many(self, collection: str, ids: Iterable[str]) -> dict[str, Record]:
        """Return the live records among ``ids``, keyed by id."""
        found = {}
        for id_ in ids:
            rec = self.get(collection, id_)
            if rec is not None:
                found[id_] = rec
        return found

    @abc.abstractmethod
    def list(self, collection: str, index: str, key: str, *, after: str | None = None,
             limit: int = 50, descending: bool = False) -> Page:
        """Page the records whose ``index`` entry has ``key``, ordered by (sort, id)."""

    @abc.abstractmethod
    def count(self, collection: str, index: str, key: str) -> int:
        """How many live records have ``index`` entry ``key``."""

    @abc.abstractmethod
    def scan(self, collection: str) -> Iterator[Record]:
        """Every live record of a collection (admin tools, rescoring); order unspecified."""


class Transaction(Reader):
    """A write transaction: exclusive, reads committed state, commits atomically."""

    @abc.abstractmethod
    def commit(self, ops: Sequence[Op]) -> list[int]:
        """Write ``ops`` as one atomic batch, durable when the transaction block exits."""

    @abc.abstractmethod
    def high_water(self) -> int:
        """The seq of the last committed change, as this transaction sees it."""


class Store(Reader):
    """A backend: one database (a SQLite file or a PostgreSQL database)."""

    @abc.abstractmethod
    def snapshot(self) -> AbstractContextManager[Reader]:
        """One consistent read transaction (records, ``changes``, ``high_water``...).

        It never waits for a writer and sees no commit made after it began:
        a pull reads ``last_mutation_id`` and every bucket through one.
        """

    @abc.abstractmethod
    def transaction(self) -> AbstractContextManager[Transaction]:
        """Open the (single) write transaction; blocks while another is open."""

    def commit(self, ops: Sequence[Op]) -> list[int]:
        """Commit a batch that needs no precondition check."""
        with self.transaction() as tx:
            return tx.commit(ops)

    @abc.abstractmethod
    def changes(self, bucket: str, since: int, limit: int) -> list[Change]:
        """The changes of ``bucket`` with seq > since, oldest first, at most ``limit``.

        A record appears once, at its latest seq; deleted records appear as
        ``op="del"`` tombstones until the tombstone horizon passes them.
        """

    @abc.abstractmethod
    def high_water(self) -> int:
        """The seq of the last committed change (0 for an empty store)."""

    @abc.abstractmethod
    def tombstone_horizon(self) -> int:
        """Cursors at or below this seq may have missed purged tombstones."""

    @abc.abstractmethod
    def epoch(self) -> str:
        """The id (``e_<uuid hex>``) of this data's history, made with the store.

        Seqs mean something only within one epoch: a data dir restored from a
        backup hands out again seqs that devices already saw with other
        contents. The admin then gives it a new epoch (``new_epoch``, CLI
        ``fieldsync new-epoch``) and every device refetches its buckets.
        Durable backends keep it across reopen.
        """

    @abc.abstractmethod
    def new_epoch(self) -> str:
        """Give the store a fresh epoch, durably, and return it."""

    @abc.abstractmethod
    def purge_tombstones(self, upto_seq: int, *, dry_run: bool = False) -> int:
        """Drop the tombstones with seq <= ``upto_seq``; return how many (would) go.

        The tombstone horizon rises to ``upto_seq`` (it never falls), durably
        and before anything is dropped, so a cursor below it is reset at pull
        instead of missing a delete. ``upto_seq`` may not pass ``high_water``
        (ValueError). With ``dry_run`` nothing changes.
        """

    def claim_serving(self) -> None:
        """Called by ``fieldsync serve``: refuse (``StoreLocked``) a second app server
        where the engine allows only one. The admin CLI never claims."""

    @abc.abstractmethod
    def close(self) -> None:
        """Release the database connections (and the serving claim)."""
