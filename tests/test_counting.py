"""Totals counted from posting lists, and the results cache per index generation."""

from __future__ import annotations

import random

import pytest

WORDS = [f"w{n}" for n in range(30)] + ["trade", "talks", "tariff", "market", "stock", "bank"]


def _write(folder, number: int, rng: random.Random, title_word: str = "") -> None:
    body = " ".join(rng.choice(WORDS) for _ in range(60))
    (folder / f"a{number:03d}.txt").write_text(f"Headline {number} {title_word}\n\n{body}.\n")


@pytest.fixture
def churned(tmp_path):
    """A library of several segments, with changed and deleted articles (deletions in old segments)."""
    from reader import Library

    corpus = tmp_path / "articles"
    corpus.mkdir()
    rng = random.Random(7)
    for n in range(120):
        _write(corpus, n, rng, title_word="onlytitle" if n % 17 == 0 else "")
    lib = Library(corpus, tmp_path / "index")
    lib.sync(entities=False)
    for n in range(120, 200):
        _write(corpus, n, rng)
    lib.sync(entities=False)
    for n in range(0, 200, 9):
        (corpus / f"a{n:03d}.txt").unlink()
    for n in range(1, 200, 11):
        if (corpus / f"a{n:03d}.txt").exists():
            _write(corpus, n, rng, title_word="onlytitle")
    lib.sync(entities=False)
    yield lib
    lib.close()


def _whoosh_count(lib, query: str) -> int:
    """What Whoosh's own matchers count for the query as the Library runs it."""
    from reader.index.budget import Budget
    from reader.index.searching import _expanded, _parse

    store = lib.store
    searcher = store.searcher()
    parsed = _expanded(store, query, _parse(store, query), None, Budget())
    return sum(1 for _ in searcher.docs_for_query(parsed))


@pytest.mark.parametrize(
    "query",
    ["trade", "onlytitle", "stock market", "w1 w2 w3", "w4 OR w5", "trade -talks", "w1 NOT w2 NOT w3",
     "title:onlytitle", "tar*", "w1*", "bank~", "nosuchword"],
)
def test_cheap_totals_are_whooshs_counts_with_deletions(churned, query):
    assert churned.store.searcher().reader().has_deletions()
    found = churned.search(query, limit=3, count=False)
    assert found.counted, "words, fields, prefixes and fuzzy words are counted from posting lists"
    assert found.total == _whoosh_count(churned, query) == churned.search(query, limit=3).total
    assert churned.count(query) == found.total


def test_a_word_only_in_titles_is_counted_once_per_article(churned):
    """A word query matches title or body: the union, not the sum of document frequencies."""
    expected = _whoosh_count(churned, "onlytitle")
    assert expected > 3
    assert churned.search("onlytitle headline", limit=1, count=False).total == _whoosh_count(churned, "onlytitle headline")


def test_phrases_are_not_counted_from_posting_lists(churned):
    from whoosh import query as wq

    from reader.index.counting import cheap_count

    searcher = churned.store.searcher()
    assert cheap_count(searcher, wq.Phrase("body", ["stock", "market"])) is None
    assert cheap_count(searcher, wq.And([wq.Term("body", "stock"), wq.Phrase("body", ["w1", "w2"])])) is None
    assert churned.search('"w1 w2"', limit=1, count=False).counted  # ranked from posting lists, total and all
    phrase = churned.search('"w1 w2" -nosuchword', limit=1, count=False)  # a NOT: Whoosh ranks, and counts if asked
    counted = churned.search('"w1 w2" -nosuchword', limit=1)
    assert counted.counted and counted.total == _whoosh_count(churned, '"w1 w2"')
    assert not phrase.counted and phrase.total == 1


# -- the results cache ------------------------------------------------------------------


def test_a_repeated_query_is_answered_from_the_cache(churned, monkeypatch):
    from reader.index import searching

    runs = []
    real = searching._search
    monkeypatch.setattr(searching, "_search", lambda *args: runs.append(args[1].text) or real(*args))
    typed = ["trade t", "trade ta", "trade t", "trade", "trade t"]  # typing, then backspace
    shown = [[h.id for h in churned.search(q, limit=5, count=False)] for q in typed]
    assert runs == ["trade t", "trade ta", "trade"]
    assert shown[0] == shown[2] == shown[4]
    churned.search("trade t", limit=6, count=False)  # another page size is another search
    churned.search("trade t", limit=5, count=False, snippets=False)
    assert runs[-2:] == ["trade t", "trade t"]


def test_cached_results_are_copies(churned):
    first = churned.search("trade", limit=2, count=False)
    first.total, first.counted = -1, False  # the app fills in a count later, in place
    first.hits.clear()
    again = churned.search("trade", limit=2, count=False)
    assert again.total > 0 and again.counted and len(again.hits) == 2


def test_a_sync_empties_the_cache(churned):
    before = churned.search("zeppelin", limit=5)
    assert before.total == 0
    (churned.articles_dir / "new.txt").write_text("Zeppelin\n\nA zeppelin over the market.\n")
    churned.sync(entities=False)
    after = churned.search("zeppelin", limit=5)
    assert after.total == 1 and [h.path for h in after] == ["new.txt"]


def test_an_any_word_fallback_is_counted_as_library_count_counts(churned):
    found = churned.search("trade nosuchword", limit=3, count=False)
    assert found.fallback and found.counted
    assert found.total == churned.count("trade nosuchword") == _whoosh_count(churned, "trade OR nosuchword")


# -- what a search imports ----------------------------------------------------------------


def test_a_search_imports_neither_asyncio_nor_urllib_request(library):
    """Whoosh imports both for names reader never uses; a new `reader search` process pays for them before its first hit."""
    import subprocess
    import sys

    from tests.paths import REPO

    script = (
        "import sys\n"
        "from reader import Library\n"
        f"lib = Library({str(library.articles_dir)!r}, {str(library.index_dir)!r})\n"
        "assert lib.search('China').total == 5\n"
        "print(sorted(m for m in ('asyncio', 'urllib.request', 'http.client', 'cached_property') if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env={"PYTHONPATH": str(REPO / "src")}, check=True
    )
    assert result.stdout.strip() == "[]"


def test_what_whoosh_imports_later_is_the_real_module():
    import urllib.request

    import whoosh.compat  # noqa: F401 - loaded with a stand-in for urllib.request

    from reader.index import whoosh_patches  # noqa: F401

    assert hasattr(urllib.request, "urlopen") and urllib.request.__file__


# -- top hits scored from posting lists ---------------------------------------------------


@pytest.mark.parametrize(
    "query",
    ["stock market", "w1 w2 w3", "trade OR talks OR bank", "ta*", "w1*", "bank~ market", "title:onlytitle trade",
     '"w1 w2"', '"trade talks" market', '"w3 w4 w5"', '"w2 w2"', '"headline 12"', '"w1 nosuchword"'],
)
def test_top_hits_from_posting_lists_are_whooshs(churned, query):
    """Same articles, same scores, same order (ties: the lower document number first), same total."""
    from reader.index.budget import Budget
    from reader.index.postings_rank import top_hits
    from reader.index.searching import _expanded, _parse

    store = churned.store
    searcher = store.searcher()
    parsed = _expanded(store, query, _parse(store, query), None, Budget())
    for limit in (1, 5, 500):
        ours = top_hits(searcher, parsed, limit)
        assert ours is not None, "made of words: ranked from the posting lists"
        theirs = searcher.search(parsed, limit=limit)
        assert [article for article, _score in ours[0]] == [hit["id"] for hit in theirs]
        assert [score for _article, score in ours[0]] == [hit.score for hit in theirs]  # to the last bit
        assert ours[1] == _whoosh_count(churned, query) and ours[2]


def test_words_negations_and_phrases_are_ranked_by_whoosh(churned):
    from whoosh import query as wq

    from reader.index.postings_rank import top_hits

    searcher = churned.store.searcher()
    word = wq.Or([wq.Term("title", "trade"), wq.Term("body", "trade")])
    assert top_hits(searcher, word, 5) is None  # Whoosh skips the blocks that cannot reach the top
    assert top_hits(searcher, wq.And([word, wq.Not(wq.Term("body", "talks"))]), 5) is None
    assert top_hits(searcher, wq.Phrase("body", ["w1", "w2"], slop=3), 5) is None  # near, not next to


def test_a_search_cut_short_by_its_budget_is_not_reused(churned, monkeypatch):
    from reader.index import searching
    from reader.index.budget import Budget

    monkeypatch.setattr(searching, "Budget", lambda: Budget(0))
    cut = churned.search("stack~", limit=5)
    monkeypatch.undo()
    full = churned.search("stack~", limit=5)
    assert cut.total == 0 and full.total > 0  # "stock", not only "stack" itself
