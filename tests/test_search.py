"""The query language over the bundled samples (through the public Library API)."""

from __future__ import annotations

import pytest

from reader import QueryError


@pytest.fixture
def library(samples_no_entities):
    return samples_no_entities


def ids(results) -> set[str]:
    return {hit.id.split("_")[0] for hit in results}


@pytest.mark.parametrize(
    "query,expected",
    [
        ("cloud computing", {"000", "001"}),
        ("Mnuchin", {"000", "001", "002", "004"}),
        ('"trade secrets"', {"003"}),
        ("author:wei", {"000", "001"}),
        ("Lightizer~", {"000", "002", "004"}),
        ("lighth*", {"000", "002", "004"}),
        ("Raimondo OR Kudlow", {"003", "004"}),
        ("Mnuchin NOT Lighthizer", {"001"}),
        ("Mnuchin -Lighthizer", {"001"}),
        ("source:reuters", {"002"}),
        ('source:"associated press"', {"003"}),
        ("title:concessions", {"002"}),
        ("date:2019-03", {"000"}),
        ("date:[2019-01 to 2019-06]", {"000"}),
        ("date:2019-03-28", {"000"}),
        ("computi*", {"000", "001"}),
        ("caf\u00e9s", set()),
        ("U.S. soybean", {"004"}),
        ("US soybeans", {"004"}),
        ("Huawei", {"003", "004"}),
    ],
)
def test_query_features(library, query, expected):
    assert ids(library.search(query, limit=20)) == expected


def test_stop_words_do_not_narrow_or_rank(library):
    assert ids(library.search("the deal")) == ids(library.search("deal"))


def test_phrase_with_stop_words_is_exact(library):
    assert ids(library.search('"the devil is in the details"')) == {"000"}
    assert ids(library.search('"the details is in the devil"')) == set()


def test_hits_carry_metadata_and_snippets_with_spans(library):
    results = library.search("Raimondo")
    assert results.total == 1
    hit = results.hits[0]
    assert hit.id == "003_6ecca0d802200a51"
    assert hit.path == "003_6ecca0d802200a51.txt"
    assert hit.title.startswith("US commerce secretary")
    assert hit.source == "Associated Press"
    assert hit.score > 0
    assert hit.snippets
    for snippet in hit.snippets:
        assert snippet.spans
        for start, end in snippet.spans:
            assert snippet.text[start:end] == "Raimondo"
        body = library.article(hit.id).body
        assert body[snippet.offset : snippet.offset + 20].replace("\n", " ") == snippet.text[:20]


def test_phrase_highlight_covers_the_phrase_only(library):
    hit = library.search('"trade secrets"').hits[0]
    marked = [snippet.marked() for snippet in hit.snippets]
    assert any("[trade secrets]" in m for m in marked)
    assert not any("[trade]" in m for m in marked)


def test_glued_words_are_found(corpus, tmp_path):
    from reader import Library

    (corpus / "glued.txt").write_text(
        "Glued names\n\nThe talks were led by MnuchinSteven with others from the delegation, officials said.\n"
    )
    lib = Library(corpus, tmp_path / "ix2")
    lib.sync(entities=False)
    assert "glued" in {hit.id for hit in lib.search("Steven", limit=10)}
    lib.close()


def test_all_words_falls_back_to_any_word(library):
    results = library.search("Raimondo zeppelin")
    assert results.fallback
    assert ids(results) == {"003"}


def test_did_you_mean(library):
    results = library.search("Lightizer")
    assert results.total == 0
    assert results.suggestion.lower() == "lighthizer"
    assert ids(library.search(results.suggestion)) == {"000", "002", "004"}


def test_no_suggestion_for_known_words(library):
    assert library.search("Mnuchin").suggestion == ""


@pytest.mark.parametrize(
    "query",
    ["date:[banana to 2019]", "foo:bar", "title:[a to b]", "date:2019-13-45", "", "   "],
)
def test_malformed_queries_raise_one_line_errors(library, query):
    with pytest.raises(QueryError) as error:
        library.search(query)
    assert "\n" not in str(error.value)
    assert str(error.value)


@pytest.mark.parametrize(
    "query",
    ["10:30", "a AND", "OR", "(trade", "trade)", '"unclosed', "***", "~", "-", "NOT", "c++", "AT&T", "\x1b[31m", "[", "{x", "^2"],
)
def test_plain_words_and_odd_input_are_never_errors(library, query):
    results = library.search(query)
    assert results.total >= 0


def test_limit(library):
    assert len(library.search("China", limit=2)) == 2
    assert library.search("China", limit=2).total == 5
