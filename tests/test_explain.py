"""Library.explain and `reader search --explain`: what a search ran, and why hits rank where they do."""

from __future__ import annotations

import json

import pytest

from reader import QueryError
from reader.cli import main


@pytest.fixture(params=["whoosh", "opensearch"])
def library(request, samples_no_entities):
    """The samples on the local index, then on the suite's cluster (same words, same hits)."""
    if request.param == "whoosh":
        return samples_no_entities
    return request.getfixturevalue("opensearch_samples_no_entities")


@pytest.fixture
def whoosh_library(samples_no_entities):
    return samples_no_entities


def test_long_query_shows_stems_and_the_graded_match(library):
    explanation = library.explain("trade talk technology transfer china")
    words = {word.typed: word for word in explanation.words}
    assert words["technology"].terms == ("technolog",)  # stemmed
    assert words["technology"].fields == ("title", "body")
    assert explanation.graded and "graded" in explanation.match
    searched = library.search("trade talk technology transfer china", limit=3)
    assert [hit.id for hit in explanation.hits] == [hit.id for hit in searched]
    top = explanation.hits[0]
    assert set(top.matched) == set(words) and not top.missing
    assert abs(sum(part.score for part in top.parts) - top.bm25) < 0.01
    assert abs(top.bm25 * top.coverage * top.proximity - top.score) < 0.01


def test_short_query_is_strict_and_says_so(library):
    explanation = library.explain("the cloud computing")
    assert explanation.dropped == ("the",)
    assert not explanation.graded and "required" in explanation.match
    assert [w.kind for w in explanation.words] == ["word", "word"]


def test_prefix_fuzzy_exact_field_and_date(library):
    explanation = library.explain("lighth* Mnuchn~ =computing -huawei date:2019-03")
    kinds = {word.kind: word for word in explanation.words}
    assert kinds["prefix"].expansions and kinds["prefix"].expansions[0][1] >= 1
    assert "mnuchin" in kinds["fuzzy"].terms
    assert kinds["exact"].terms == ("computing",) and kinds["exact"].fields == ("title_exact", "body_exact")
    assert kinds["excluded"].typed == "-huawei"
    assert kinds["date"].fields == ("date",)


def test_prefix_that_stands_for_too_many_words_says_how_many_were_cut(whoosh_library):
    """The local index lists its whole vocabulary; the cluster's completions come from a sample (no cut count)."""
    explanation = whoosh_library.explain("c*", prefix_words=3)
    (word,) = explanation.words
    assert 3 <= len(word.expansions) <= 6 and word.cut > 0  # the 3 most frequent in title and in body
    assert whoosh_library.explain("c*").words[0].cut < word.cut


def test_explain_refuses_what_search_refuses(library):
    with pytest.raises(QueryError):
        library.explain('"unclosed')


def test_cli_explain_text_and_json(corpus, tmp_path, capsys):
    base = ["--articles", str(corpus), "--index", str(tmp_path / "index")]
    assert main([*base, "index", "--no-entities"]) == 0
    capsys.readouterr()
    assert main([*base, "search", "--explain", "trade talk technology transfer china"]) == 0
    out = capsys.readouterr().out
    assert "technolog" in out and "graded" in out and "why: BM25F" in out
    assert main([*base, "search", "--explain", "--json", "lighth*"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["explain"]["words"][0]["kind"] == "prefix"
    assert payload["explain"]["hits"][0]["id"] == payload["hits"][0]["id"]
