"""The search results as drawn: pages added, near-duplicates folded and expanded (no app needed)."""

from __future__ import annotations

from textual.style import Style

from reader.app.widgets.result_rows import ResultRows
from reader.model import Hit, SearchResults


def _hit(number: int) -> Hit:
    return Hit(f"a{number}", f"a{number}.txt", f"Story {number}", "2020-01-01", "", 1.0 / (number + 1))


def _rows(count: int, total: int, counted: bool = True) -> ResultRows:
    return ResultRows(SearchResults("q", [_hit(n) for n in range(count)], total, counted=counted))


def test_pages_add_only_new_hits_and_an_empty_page_ends_the_fetching():
    rows = _rows(3, 5)
    assert rows.more_to_fetch()
    assert rows.add_page(SearchResults("q", [_hit(2), _hit(3)], 5)) == 1  # a hit already shown is not repeated
    assert [hit.id for hit in rows.hits] == ["a0", "a1", "a2", "a3"] and rows.more_to_fetch()
    assert rows.add_page(SearchResults("q", [], 5)) == 0  # the index changed meanwhile: fewer than counted
    assert not rows.more_to_fetch() and rows.results.total == 4


def test_uncounted_results_fetch_until_a_page_comes_back_empty():
    rows = _rows(2, 2, counted=False)
    assert rows.more_to_fetch()
    rows.add_page(SearchResults("q", [_hit(2)], 3, counted=False))
    assert rows.more_to_fetch()
    rows.add_page(SearchResults("q", [], 3, counted=False))
    assert not rows.more_to_fetch() and rows.results.counted and rows.results.total == 3


def test_a_folded_hit_is_drawn_under_its_first_copy_only_when_expanded():
    rows = _rows(4, 4)
    rows.similar = {3: 1}
    assert list(rows.order()) == [(0, False), (1, False), (2, False)]
    assert len([option for option in rows.options(lambda name: Style()) if option is not None]) == 3
    rows.expanded = {1}
    assert list(rows.order()) == [(0, False), (1, False), (3, True), (2, False)]
    texts = [str(option.prompt) for option in rows.options(lambda name: Style()) if option is not None]
    assert "−1 similar" in texts[1] and texts[2].startswith("≈ Story 3")
