"""How a long (graded) query ranks: neighbouring words close together, repeated words, one idf per word."""

from __future__ import annotations

import pytest

from reader.index import ranking

#: The same eleven words in two orders: only where the words stand differs.
CLOSE = "Port congestion in Asia worried shipping firms; officials met on Monday."
APART = "Port officials met on Monday; Asia worried shipping firms in congestion."

FILLER = "officials said after long talks today"


def _library(tmp_path, texts: dict[str, str], titles: dict[str, str] | None = None):
    from reader import Library

    articles = tmp_path / "articles"
    articles.mkdir()
    for name, text in texts.items():
        title = (titles or {}).get(name, "Report")
        (articles / f"{name}.txt").write_text(f"{title}\n\n{text}\n", encoding="utf-8")
    library = Library(articles, tmp_path / "index")
    library.sync(entities=False)
    return library


@pytest.fixture
def closeness_library(tmp_path):
    # "apart" sorts (and is indexed) first: with equal scores it would rank first.
    library = _library(tmp_path, {"apart": APART, "close": CLOSE})
    yield library
    library.close()


def _order(results) -> list[str]:
    return [hit.id.removesuffix(".txt") for hit in results]


def test_neighbouring_words_standing_close_rank_an_article_first(closeness_library):
    results = closeness_library.search("port congestion asia shipping")
    assert results.graded
    assert _order(results) == ["close", "apart"]
    assert results.hits[0].score > results.hits[1].score


def test_closeness_is_a_bounded_factor_of_the_query_neighbours(closeness_library):
    store = closeness_library.store
    searcher = store.searcher()
    parts = ranking.words_of(store.queries.parse("port congestion asia shipping", any_word=True))
    words = ranking.query_words(parts, searcher.reader())
    docnums = {hit.id.removesuffix(".txt"): searcher.document_number(id=hit.id) for hit in closeness_library.search("port")}
    found = ranking.closeness(searcher.reader(), list(docnums.values()), words)
    close, apart = found[docnums["close"]], found[docnums["apart"]]
    assert [pair[:2] for pair in close.pairs] == [("port", "congest"), ("congest", "asia"), ("asia", "ship")]
    assert [pair[2] for pair in close.pairs] == [1, 2, 2]
    assert apart.pairs == (("asia", "ship", 2),)  # port and congestion stand 10 words apart
    assert 1.0 < apart.factor < close.factor <= 1.0 + ranking.PROXIMITY_WEIGHT


def test_explain_shows_the_closeness_each_hit_was_ranked_with(closeness_library, capsys):
    explanation = closeness_library.explain("port congestion asia shipping")
    assert "close" in explanation.match
    close, apart = explanation.hits
    assert close.close == ("port congest (1 apart)", "congest asia (2 apart)", "asia ship (2 apart)")
    assert apart.close == ("asia ship (2 apart)",)
    for hit in explanation.hits:
        assert hit.bm25 * hit.coverage * hit.proximity == pytest.approx(hit.score, abs=0.01)
    from reader.cli_output import print_why

    print_why(close)
    assert "close together: port congest (1 apart)" in capsys.readouterr().out


def test_a_word_the_query_repeats_counts_more(tmp_path):
    # Mirror images: the same words and positions, budget and deficit swapped.
    budget = f"Budget budget budget {FILLER} deficit {FILLER} spending {FILLER} plan."
    deficit = f"Deficit deficit deficit {FILLER} budget {FILLER} spending {FILLER} plan."
    library = _library(tmp_path, {"budget": budget, "deficit": deficit})
    try:
        assert _order(library.search("budget budget deficit spending plan")) == ["budget", "deficit"]
        assert _order(library.search("deficit deficit budget spending plan")) == ["deficit", "budget"]
    finally:
        library.close()


def test_repeats_saturate():
    word = ranking.QueryWord("budget", 2.0, frozenset({("body", "budget")}))
    weights = [ranking.QueryWord(word.label, word.idf, word.terms, n).weight for n in (1, 2, 3, 10, 100)]
    assert weights[0] == 1.0
    assert weights == sorted(weights) and weights[-1] < ranking.REPEAT_K3 + 1


def test_word_counts_are_of_indexed_words():
    stems = {"libraries": "librari", "library": "librari"}
    counts = ranking.word_counts("Libraries, library and LIBRARY use", lambda word: stems.get(word.lower(), word.lower()))
    assert counts["librari"] == 3 and counts["use"] == 1


def test_a_word_rare_in_titles_scores_with_its_own_idf(tmp_path):
    """Whoosh scores title and body with their own idf: a word common in bodies but in one title
    scored there as a rare word. A graded query weighs it by the word's idf, in either field."""
    texts = {f"body{n}": f"Election turnout rose in district {n}. Voters queued." for n in range(6)}
    texts["title"] = "Voters queued in the rain."
    library = _library(tmp_path, texts, {"title": "Turnout"})
    try:
        store = library.store
        searcher = store.searcher()
        parts = ranking.words_of(store.queries.parse("turnout voters district rain", any_word=True))
        words = ranking.query_words(parts, searcher.reader())
        boosts = ranking.term_boosts(searcher, words)
        turnout = next(word for word in words if word.label == "turnout")
        title_idf = searcher.idf("title", "turnout")
        body_idf = searcher.idf("body", "turnout")
        assert title_idf > body_idf  # rare in titles
        assert boosts[("title", "turnout")] * title_idf == pytest.approx(turnout.idf * ranking.TITLE_WEIGHT)
        assert boosts[("body", "turnout")] * body_idf == pytest.approx(turnout.idf)
    finally:
        library.close()


def test_an_index_whose_articles_were_all_deleted_answers_no_hits(tmp_path):
    """Whoosh's idf takes the log of the document count, which is 0 once every article is gone."""
    library = _library(tmp_path, {"only": CLOSE})
    try:
        (tmp_path / "articles" / "only.txt").unlink()
        library.sync(entities=False, allow_empty=True)
        for query in ("port congestion", "port congestion asia shipping firms"):
            assert library.search(query).total == 0
    finally:
        library.close()


def test_short_queries_are_not_reweighted(closeness_library):
    """Up to three words every word is required and Whoosh's BM25F ranks as it is (no closeness, no weights)."""
    results = closeness_library.search("port congestion asia")
    assert not results.graded
    assert _order(results) == ["apart", "close"]  # equal scores: index order
    assert results.hits[0].score == results.hits[1].score


def test_the_app_explain_screen_shows_the_closeness(closeness_library):
    from reader.app.screens.explain import hit_lines

    close = closeness_library.explain("port congestion asia shipping").hits[0]
    text = "\n".join(line.plain for line in hit_lines(close, 0, "relevance"))
    assert f"× {close.proximity:.2f} (close together: port congest (1 apart)" in text
