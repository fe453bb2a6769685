"""ResultsRepository on both engines: statements shared per filter shape, values bound."""
from server.repositories.results import ResultFilter, ResultsRepository
from server.store import Put


def result(n, site="s1", score=None, band=None, by="u1"):
    doc = {"id": f"r{n:02d}", "site_id": site, "checklist": {"id": "cl", "version": 1},
           "submitted": {"at": f"2026-11-{1 + n:02d}T08:00:00+00:00", "by": by},
           "score": {"total": score, "percent": score, "band": band, "flags": []}}
    return Put("results", doc["id"], doc, bucket=f"site:{site}")


def test_pages_sorted_by_score_continue_by_cursor_and_scope_counts(store):
    store.commit([result(n, score=[70.0, 90.0, None, 90.0, 50.0][n]) for n in range(5)]
                 + [result(9, site="s2", score=99.0)])
    where = ResultFilter(scope=frozenset({"s1"}))
    seen, cursor = [], None
    with store.snapshot() as snap:
        repo = ResultsRepository(snap)
        while True:
            page = repo.page(where, sort="-score", cursor=cursor, limit=2)
            seen += [(i["id"], i["score"], i["flagged"]) for i in page.items]
            cursor = page.next_cursor
            if cursor is None:
                break
        assert seen == [("r03", 90.0, False), ("r01", 90.0, False), ("r00", 70.0, False),
                        ("r04", 50.0, False), ("r02", None, False)]
        assert repo.count(where) == 5 and repo.count(ResultFilter(scope=frozenset())) == 0
        assert repo.page(ResultFilter(scope=frozenset()), limit=5).items == []
        by_inspector = ResultFilter(scope=None, inspector="u1", sites=("s1", "s2"))
        [month] = [m for m in repo.monthly(by_inspector) if m.site_id == "s2"]
        assert (month.count, month.mean_score) == (1, 99.0)


def test_counts_from_the_monthly_totals_match_the_rows_and_a_bounded_count_stops(store):
    """Filters the kept totals hold are counted from them; adding a per-row filter that
    selects the same rows (every result is u1's) counts row by row: both must agree."""
    from dataclasses import replace
    store.commit([result(n, site=("s1", "s2")[n % 2], score=80.0,
                         band="poor" if n % 3 == 0 else "good") for n in range(12)])
    with store.snapshot() as snap:
        repo = ResultsRepository(snap)
        for where in (ResultFilter(scope=None), ResultFilter(scope=frozenset({"s1"})),
                      ResultFilter(scope=None, bands=("good",)),
                      ResultFilter(scope=frozenset({"s1", "s2"}), sites=("s2",),
                                   date_from="2026-11-01T00:00:00+00:00",
                                   date_to="2026-12-01T00:00:00+00:00"),
                      ResultFilter(scope=None, date_from="2026-12-01")):
            assert where.whole_months() is not None
            by_rows = replace(where, inspector="u1")
            assert by_rows.whole_months() is None
            assert repo.count(where) == repo.count(by_rows)
        assert repo.count(ResultFilter(scope=None)) == 12
        every = ResultFilter(scope=None, inspector="u1")
        assert repo.count(every, at_most=3) == 4 and repo.count(every, at_most=50) == 12


def test_newest_first_pages_over_several_sites_merge_in_order_across_cursors(store):
    """Pages over a site list are merged per site (one ordered read each): every row
    comes once, newest first, whether the list is the caller's scope or a filter."""
    store.commit([result(n, site=f"s{n % 3}", score=float(n),
                         band="good" if n % 2 else "poor") for n in range(14)])
    newest = [f"r{n:02d}" for n in range(13, -1, -1)]
    with store.snapshot() as snap:
        repo = ResultsRepository(snap)
        for where, expected in (
                (ResultFilter(scope=frozenset({"s0", "s1", "s2"})), newest),
                (ResultFilter(scope=None, sites=("s0", "s2"), bands=("good",)),
                 [i for i in newest if int(i[1:]) % 3 != 1 and int(i[1:]) % 2]),
                (ResultFilter(scope=frozenset({"s1", "s2"}), sites=("s0", "s1")),
                 [i for i in newest if int(i[1:]) % 3 == 1])):
            for sort, order in (("-submitted_at", expected), ("submitted_at", expected[::-1])):
                seen, cursor = [], None
                while True:
                    page = repo.page(where, sort=sort, cursor=cursor, limit=3)
                    seen += [i["id"] for i in page.items]
                    cursor = page.next_cursor
                    if cursor is None:
                        break
                assert seen == order, (where, sort)


def test_a_scope_of_more_sites_than_are_merged_pages_the_same(store):
    """Beyond ``MAX_MERGED_SITES`` the page is one query (SQLite refuses a compound
    SELECT of more than 500 terms: a supervisor of 510 sites got a 500 error)."""
    store.commit([result(n, site=f"s{n}") for n in range(4)])
    scope = frozenset(f"s{n}" for n in range(510))
    with store.snapshot() as snap:
        page = ResultsRepository(snap).page(ResultFilter(scope=scope), limit=3)
    assert [i["id"] for i in page.items] == ["r03", "r02", "r01"] and page.next_cursor
