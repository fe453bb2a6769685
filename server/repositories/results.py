"""ResultsRepository: the queries supervisors need, over the results' typed columns.

Listings, counts and monthly aggregates are SQL over ``fs_results`` (the read
model the store writes with each result document), on SQLite and PostgreSQL
alike. Scope is part of every query: a caller limited to some sites never
gets a row, a count or a mean from another one.

Keyset paging: the cursor holds the last row's sort value and id, so a page
continues exactly after it under concurrent inserts, and it also carries the
query's fingerprint -- a cursor from another query is refused (422), never
silently applied to the wrong filter.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache

import orjson
from sqlalchemy import Float, bindparam, false, func, literal_column, select, tuple_, union_all

from server.store import sql_tables as t
from server.store.cursors import decode_cursor, encode_cursor

_r = t.results.c
# Unscored results sort last: the key is written out, not bound, so that SQLite
# matches it to the index on it (``ix_fs_results_site_score``, migration 0004).
_SCORE_KEY = func.coalesce(_r.score, literal_column("-1.0", Float))
SORTS = {"submitted_at": (_r.submitted_at, False), "-submitted_at": (_r.submitted_at, True),
         "score": (_SCORE_KEY, False), "-score": (_SCORE_KEY, True)}
MAX_LIMIT = 200
#: site lists up to this long are paged as one ordered read per site, merged (SQLite
#: allows 500 terms in a compound SELECT; beyond ~50 sites the reads cost more)
MAX_MERGED_SITES = 50
# The first instant of a (UTC) month, as callers write it: what monthly totals can answer.
_MONTH_START = re.compile(r"\d{4}-\d{2}-01(T00:00(:00(\.0+)?)?(Z|\+00:00)?)?")


class BadQuery(ValueError):
    """A query the caller must fix: ``field`` names the parameter."""

    def __init__(self, field_name: str, message: str):
        super().__init__(message)
        self.field, self.message = field_name, message


@dataclass(frozen=True)
class ResultFilter:
    """What a results listing or summary selects. ``None`` means "any".

    ``scope`` is the sites the caller may see (``None``: every site, admins);
    ``date_from`` / ``date_to`` are ISO instants or dates, ``to`` exclusive.
    """

    scope: frozenset[str] | None
    sites: tuple[str, ...] = ()
    definition: str | None = None
    version: int | None = None
    inspector: str | None = None
    bands: tuple[str, ...] = ()
    review_state: str | None = None
    flagged: bool | None = None
    date_from: str | None = None
    date_to: str | None = None
    current_only: bool = True

    def bound(self) -> tuple[tuple, dict]:
        """The filter as its shape (which conditions, how many values in each list) and
        the values to bind: queries of one shape share one statement (``_conditions``)."""
        if self.date_from and self.date_to and self.date_from >= self.date_to:
            raise BadQuery("to", "'to' must be after 'from'")
        shape, params = [], {}
        for name, values in (("scope", None if self.scope is None else sorted(self.scope)),
                             ("sites", list(self.sites) or None),
                             ("bands", list(self.bands) or None)):
            if values is not None:
                shape.append((name, len(values)))
                params.update((f"{name}_{n}", v) for n, v in enumerate(values))
        for name, value in (("definition", self.definition), ("version", self.version),
                            ("inspector", self.inspector), ("review_state", self.review_state),
                            ("flagged", self.flagged), ("from", self.date_from or None),
                            ("to", self.date_to or None)):
            if value is not None:
                shape.append((name, None))
                params[name] = value
        if self.current_only:
            shape.append(("current", None))
        return tuple(shape), params

    def whole_months(self) -> tuple[str | None, str | None] | None:
        """``(first month, month after the last)`` if the kept monthly totals can answer
        this filter (no per-row filter, month-aligned dates), else None."""
        if (self.version, self.inspector, self.review_state, self.flagged) != (None,) * 4:
            return None
        bounds = []
        for instant in (self.date_from, self.date_to):
            if instant is None:
                bounds.append(None)
            elif _MONTH_START.fullmatch(instant):
                bounds.append(instant[:7])
            else:
                return None
        return bounds[0], bounds[1]

    def fingerprint(self, sort: str) -> str:
        """Short hash of the query (not the scope): what a cursor is bound to."""
        body = [self.sites, self.definition, self.version, self.inspector, self.bands,
                self.review_state, self.flagged, self.date_from, self.date_to,
                self.current_only, sort]
        return hashlib.blake2b(orjson.dumps(body), digest_size=6).hexdigest()


_LISTS = {"scope": _r.site_id, "sites": _r.site_id, "bands": _r.band}
_EQUALS = {"definition": _r.definition_id, "version": _r.definition_version,
           "inspector": _r.inspector, "review_state": _r.review_state, "flagged": _r.flagged}


@lru_cache(maxsize=1024)
def _conditions(shape: tuple) -> tuple:
    """The WHERE conditions of a filter shape (``ResultFilter.bound``), values as parameters."""
    out = []
    for name, count in shape:
        if name in _LISTS:
            out.append(_LISTS[name].in_([bindparam(f"{name}_{n}") for n in range(count)])
                       if count else false())  # an empty scope sees nothing
        elif name in _EQUALS:
            out.append(_EQUALS[name] == bindparam(name))
        elif name == "from":
            out.append(_r.submitted_at >= bindparam("from"))
        elif name == "to":
            out.append(_r.submitted_at < bindparam("to"))
        else:
            out.append(_r.current.is_(True))
    return tuple(out)


COLUMNS = (_r.id, _r.site_id, _r.definition_id, _r.definition_version, _r.submitted_at,
           _r.inspector, _r.score, _r.percent, _r.band, _r.review_state, _r.flagged, _r.media,
           _r.root_id)
COLUMN_NAMES = tuple(c.name for c in COLUMNS)


@dataclass
class ResultPage:
    items: list[dict]
    next_cursor: str | None


@dataclass
class MonthSummary:
    site_id: str
    month: str
    count: int
    scored: int
    mean_score: float | None
    bands: dict[str, int] = field(default_factory=dict)


class ResultsRepository:
    """Queries over one reader (a store snapshot or the open write transaction)."""

    def __init__(self, reader):
        self.reader = reader

    def page(self, where: ResultFilter, *, sort: str = "-submitted_at",
             cursor: str | None = None, limit: int = 50) -> ResultPage:
        if sort not in SORTS:
            raise BadQuery("sort", f"sort must be one of {', '.join(SORTS)}")
        if not 1 <= limit <= MAX_LIMIT:
            raise BadQuery("limit", f"limit must be between 1 and {MAX_LIMIT}")
        shape, params = where.bound()
        fingerprint = where.fingerprint(sort)
        if cursor:
            params["last_key"], params["last_id"] = _open_cursor(cursor, fingerprint)
        params["limit"] = limit + 1
        rows = self.reader.execute_compiled(_page_query(shape, sort, bool(cursor)),
                                            params).all()
        more = len(rows) > limit
        rows = rows[:limit]
        items = [dict(zip(COLUMN_NAMES, row)) for row in rows]
        for item in items:  # the driver's type: SQLite answers 0/1
            item["flagged"] = bool(item["flagged"])
        next_cursor = (encode_cursor(fingerprint, rows[-1][-1], rows[-1][0])
                       if more else None)
        return ResultPage(items, next_cursor)

    def count(self, where: ResultFilter, *, at_most: int | None = None) -> int:
        """How many results match: from the kept monthly totals when they hold the filter
        (``ResultFilter.whole_months``), else row by row, stopping after ``at_most + 1``
        rows when given (the caller then says "more than ``at_most``").

        WHY: counting 1M rows one by one took 0.5-1.5 s on SQLite (``bench/web.py``);
        the totals answer in a few ms, and a bounded count costs what a page does.
        """
        shape, params = where.bound()  # also refuses an inverted range
        months = where.whole_months()
        if months is not None:
            return int(self.reader.execute(
                select(func.coalesce(func.sum(t.result_totals.c.n), 0))
                .where(*_totals_conditions(where, months))).scalar_one())
        matching = select(_r.id).where(*_conditions(shape))
        if at_most is not None:
            matching = matching.limit(at_most + 1)
        return self.reader.execute(select(func.count()).select_from(matching.subquery()),
                                   params).scalar_one()

    def monthly(self, where: ResultFilter) -> list[MonthSummary]:
        """Per site and month: count, how many scored, mean score, results per band.

        Answered from the kept monthly totals when the filter is one they hold
        (sites, checklist, bands, whole months); any other filter groups the
        matching result rows.
        """
        shape, params = where.bound()  # also refuses an inverted range
        months = where.whole_months()
        if months is not None:
            _t = t.result_totals.c
            rows = self.reader.execute(
                select(_t.site_id, _t.month, _t.band, func.sum(_t.n), func.sum(_t.scored),
                       func.sum(_t.score_sum)).where(*_totals_conditions(where, months))
                .group_by(_t.site_id, _t.month, _t.band)).all()
        else:
            band = func.coalesce(_r.band, "")  # one object: PostgreSQL must see one expression
            rows = self.reader.execute(
                select(_r.site_id, _r.month, band, func.count(),
                       func.count(_r.score), func.coalesce(func.sum(_r.score), 0.0))
                .where(*_conditions(shape))
                .group_by(_r.site_id, _r.month, band), params).all()
        return _fold_months(rows)

    def ids_filled_with(self, definition_id: str, version: int, *, after: str = "",
                        limit: int = 100) -> list[str]:
        """Ids of every result (superseded too) filled against one version, by id."""
        return list(self.reader.execute(
            select(_r.id).where(_r.definition_id == definition_id,
                                _r.definition_version == version, _r.id > after)
            .order_by(_r.id).limit(limit)).scalars())


@lru_cache(maxsize=1024)
def _page_query(shape: tuple, sort: str, after_cursor: bool):
    """One statement per filter shape, sort and cursor-or-not, run by the driver.

    WHY: building the statement and its cache key per request was ~2/3 of a
    page's CPU (1.7 -> 0.6 ms on a 20k store; ``bench/page_cpu.py``).
    """
    key, descending = SORTS[sort]
    conditions = list(_conditions(shape))
    if after_cursor:
        position = tuple_(key, _r.id)
        mark = tuple_(bindparam("last_key", type_=key.type), bindparam("last_id", type_=_r.id.type))
        conditions.append(position < mark if descending else position > mark)
    order = (key.desc(), _r.id.desc()) if descending else (key, _r.id)
    split = _site_list_to_split(shape, sort)
    if split is None:
        return (select(*COLUMNS, key.label("sort_key")).where(*conditions).order_by(*order)
                .limit(bindparam("limit")))
    at, (name, count) = split, shape[split]
    branches = []
    for n in range(count):
        one_site = [*conditions[:at], _r.site_id == bindparam(f"{name}_{n}"),
                    *conditions[at + 1:]]
        branches.append(select(select(*COLUMNS, key.label("sort_key")).where(*one_site)
                               .order_by(*order).limit(bindparam("limit")).subquery()))
    merged = union_all(*branches).subquery()
    return (select(*merged.c).order_by(*((merged.c.sort_key.desc(), merged.c.id.desc())
                                         if descending else (merged.c.sort_key, merged.c.id)))
            .limit(bindparam("limit")))


def _site_list_to_split(shape: tuple, sort: str) -> int | None:
    """Where in ``shape`` the site list is that a newest-first page is merged over.

    WHY: with ``site_id IN (20 sites)`` SQLite (no statistics) reads every row
    of those sites through the site index and sorts them: 23 s for the
    default page of a supervisor of 20 sites at 1M results (``bench/web.py``).
    One branch per site reads its ``limit`` newest rows in index order, and
    the merge keeps the first ``limit`` (score sorts likewise, over
    ``ix_fs_results_site_score``). Inspector and checklist filters have their
    own time-ordered indexes, so those queries are left whole.
    """
    if any(name in ("inspector", "definition") for name, _ in shape):
        return None
    lists = {name: n for n, (name, _) in enumerate(shape) if name in ("sites", "scope")}
    at = lists.get("sites", lists.get("scope"))
    return at if at is not None and 1 < shape[at][1] <= MAX_MERGED_SITES else None


def _totals_conditions(where: ResultFilter, months: tuple[str | None, str | None]) -> list:
    """The filter on ``fs_result_totals`` (``months`` from ``where.whole_months()``)."""
    _t = t.result_totals.c
    conditions = [_t.n > 0]
    if where.current_only:
        conditions.append(_t.current.is_(True))
    if where.scope is not None:
        conditions.append(_t.site_id.in_(sorted(where.scope)))
    if where.sites:
        conditions.append(_t.site_id.in_(list(where.sites)))
    if where.bands:
        conditions.append(_t.band.in_(list(where.bands)))
    if where.definition is not None:
        conditions.append(_t.definition_id == where.definition)
    if months[0]:
        conditions.append(_t.month >= months[0])
    if months[1]:
        conditions.append(_t.month < months[1])
    return conditions


def _fold_months(rows) -> list[MonthSummary]:
    """``(site, month, band or "", n, scored, score sum)`` rows into one summary per month."""
    out: dict[tuple[str, str], list] = {}
    for site, month, band, n, scored, total in rows:
        acc = out.setdefault((site, month), [0, 0, 0.0, {}])
        acc[0] += int(n)
        acc[1] += int(scored)
        acc[2] += float(total or 0.0)
        if band:
            acc[3][band] = acc[3].get(band, 0) + int(n)
    return [MonthSummary(site, month, n, scored,
                         round(total / scored, 2) if scored else None, dict(sorted(bands.items())))
            for (site, month), (n, scored, total, bands) in sorted(out.items())]


def _open_cursor(cursor: str, fingerprint: str) -> tuple:
    try:
        bound_to, key, id_ = decode_cursor(cursor, arity=3)
    except ValueError:
        raise BadQuery("cursor", "not a cursor this server issued") from None
    if bound_to != fingerprint or not isinstance(id_, str) \
            or not isinstance(key, (str, int, float)):
        raise BadQuery("cursor", "this cursor belongs to another query (filters or sort "
                                 "changed); start again without it")
    return key, id_

