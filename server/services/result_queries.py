"""Listing and summarising results for the caller: scope first, then the filters.

One door for the API, the supervisor pages and the exports: whoever asks,
the sites they may see bound every query (``ResultFilter.scope``), a filter
naming a site they do not work at is refused as forbidden (they named it),
and a query the caller must fix (inverted range, a cursor from another
query, an unknown sort) is ``Invalid`` naming the parameter.
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import asdict
from datetime import date, datetime, timedelta, timezone
from typing import Any, Iterator

from checklists.actors import Actor
from server.services.accounts.access import require_site
from server.repositories.results import BadQuery, ResultFilter, ResultsRepository
from server.store import Store

from .errors import Invalid


def _instant(value: date | datetime | None, *, end: bool) -> str | None:
    """A query bound as stored times compare (ISO, UTC). A date ``to`` includes that day."""
    if value is None:
        return None
    if not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day, tzinfo=timezone.utc)
        if end:
            value += timedelta(days=1)
    elif value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc).isoformat()


def result_filter(actor: Actor, args: dict[str, Any]) -> ResultFilter:
    """The filter of a listing request, bounded by what ``actor`` may see."""
    for site in args.get("site") or ():
        require_site(actor, site)
    definition, version = args.get("definition"), None
    if definition and "@" in definition:
        definition, _, number = definition.partition("@")
        if not number.isdigit():
            raise Invalid({"definition": ["Use ID or ID@VERSION (a whole number)."]}, "query")
        version = int(number)
    return ResultFilter(
        scope=None if actor.is_admin else frozenset(actor.site_ids),
        sites=tuple(args.get("site") or ()), definition=definition or None, version=version,
        inspector=args.get("inspector"), bands=tuple(args.get("band") or ()),
        review_state=args.get("review_state"), flagged=args.get("flagged"),
        date_from=_instant(args.get("from"), end=False),
        date_to=_instant(args.get("to"), end=True))


@contextmanager
def _repository(store: Store) -> Iterator[ResultsRepository]:
    """The results repository over one snapshot; a query the caller must fix is ``Invalid``."""
    try:
        with store.snapshot() as snap:
            yield ResultsRepository(snap)
    except BadQuery as bad:
        raise Invalid({bad.field: [bad.message]}, location="query") from None


def list_results(store: Store, actor: Actor, args: dict[str, Any], *,
                 count_up_to: int | None = None) -> dict:
    """One page of result summaries (``{items, next_cursor[, total]}``).

    With ``args["count"]``, ``total`` is exact; with ``count_up_to`` as well, a
    count the kept totals cannot answer stops there and ``total_over`` says the
    real one is larger (a page showing "more than N" need not count 1M rows).
    """
    where = result_filter(actor, args)
    with _repository(store) as repo:
        page = repo.page(where, sort=args.get("sort") or "-submitted_at",
                         cursor=args.get("cursor"), limit=args.get("limit") or 50)
        body = {"items": page.items, "next_cursor": page.next_cursor}
        if args.get("count"):
            total = repo.count(where, at_most=count_up_to)
            # a count from the monthly totals is exact whatever its size
            over = count_up_to is not None and where.whole_months() is None \
                and total > count_up_to
            body["total"] = count_up_to if over else total
            if count_up_to is not None:
                body["total_over"] = over
    return body


def summarize_results(store: Store, actor: Actor, args: dict[str, Any]) -> dict:
    """Per site and month: how many results, the mean score and the results per band."""
    where = result_filter(actor, args)
    with _repository(store) as repo:
        months = repo.monthly(where)
    return {"months": [asdict(m) for m in months]}
