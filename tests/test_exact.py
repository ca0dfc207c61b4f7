"""Exact mode (``=word``, ``="a phrase"``, ``exact=True``) and the query mistakes that get one clear line."""

from __future__ import annotations

import pytest

from reader import QueryError


@pytest.fixture
def library(tmp_path, make_library):
    """Three articles on each backend (exact mode is a field of its own on both)."""
    articles = tmp_path / "articles"
    articles.mkdir()
    texts = {
        "computing": "Cloud Computing grows fast in Beijing, officials said.",
        "compute": "Engineers compute the cost of the new bridge.",
        "computer": "The computer was old. Officials said the cloud was dark.",
    }
    for name, text in texts.items():
        (articles / f"{name}.txt").write_text(f"{name.title()} story\n\n{text}\n", encoding="utf-8")
    library = make_library(articles, tmp_path / "index")
    library.sync(entities=False)
    return library


def ids(results) -> set[str]:
    return {hit.id.removesuffix(".txt") for hit in results}


def test_stemmed_search_joins_word_forms_but_exact_does_not(library):
    assert ids(library.search("computing")) == {"computing", "compute", "computer"}
    assert ids(library.search("=computing")) == {"computing"}
    assert ids(library.search("=COMPUTING")) == {"computing"}  # case still ignored
    assert ids(library.search("=compute")) == {"compute"}


def test_exact_phrase_and_exact_prefix(library):
    assert ids(library.search('="cloud computing"')) == {"computing"}
    assert ids(library.search('="cloud compute"')) == set()
    assert ids(library.search("=comput*")) == {"computing", "compute", "computer"}


def test_exact_mixes_with_stemmed_words(library):
    assert ids(library.search("=cloud officials")) == {"computing", "computer"}
    assert ids(library.search("officials -=computer")) == {"computing"}


def test_the_whole_query_exact(library):
    assert ids(library.search("compute", exact=True)) == {"compute"}
    assert ids(library.search('the "cloud computing"', exact=True)) == {"computing"}
    assert library.count("compute", exact=True) == 1


def test_highlights_follow_the_exact_rule(library):
    body = library.article("computing").body
    stemmed = [body[s:e] for s, e in library.hit_spans("compute", "computing")]
    other = library.article("compute").body
    exact = [other[s:e] for s, e in library.hit_spans("=compute", "compute")]
    assert stemmed == ["Computing"]
    assert exact == ["compute"]
    assert library.hit_spans("=compute", "computing") == []
    (hit,) = library.search("=computing").hits
    assert [snippet.marked("[", "]") for snippet in hit.snippets] == ["Cloud [Computing] grows fast in Beijing, officials said."]


@pytest.mark.parametrize(
    "query,says",
    [
        ("=the", "too common"),
        ("trade =of", "too common"),
        ("=", "= needs a word"),
        ("cloud = computing", "= needs a word"),
        ('"cloud computing', "no closing quote"),
        ("title:", "title: needs"),
        ("cloud author: x", "author: needs"),
    ],
)
def test_mistakes_get_one_line(library, query, says):
    with pytest.raises(QueryError) as caught:
        library.search(query)
    assert says in str(caught.value) and "\n" not in str(caught.value)


def test_common_word_inside_an_exact_phrase_is_fine(library):
    assert ids(library.search('="the new bridge"')) == {"compute"}
