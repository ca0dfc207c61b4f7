"""Entity searches rank by how much an article is about the entity, and show the sentence naming it.

Run on both search backends (``make_library``), over a small collection written here with the
rule-based extractor (the same spans everywhere), and over the samples with the shipped one.
"""

from __future__ import annotations

import json

import pytest

from reader import curating
from reader.cli import main

FILLER = (
    "Residents spoke about parking, bus routes and the new library for most of the evening. "
    "The meeting ran late and the minutes will be published next week."
)

ARTICLES = {
    # Names the company six times: in its headline, its lede and four more times.
    "six": (
        "Northwind Corp results beat forecasts",
        "Profits at Northwind Corp doubled in the quarter, the supplier said on Monday.\n\n"
        "Analysts said Northwind Corp had cut costs. A spokesman for Northwind Corp declined to comment. "
        "Customers of Northwind Corp were not surprised, and rivals of Northwind Corp said little.\n\n" + FILLER,
    ),
    # Names it once, in passing, in a shorter article (which BM25's length normalisation favours).
    "once": (
        "Council debates parking",
        "The city council met on Tuesday to discuss parking. "
        "Among the bidders for the contract was Northwind Corp, a supplier from out of town.",
    ),
    # Contoso Ltd three times and Fabrikam Inc three times: six together once they are merged.
    "alias": (
        "Harbour contract awarded",
        "Contoso Ltd won the harbour contract on Wednesday.\n\n"
        "Fabrikam Inc will build the cranes. Contoso Ltd said Fabrikam Inc was cheaper. "
        "Contoso Ltd and Fabrikam Inc start in May.\n\n" + FILLER,
    ),
    # Contoso Ltd four times, no Fabrikam.
    "plain": (
        "Harbour works begin",
        "Contoso Ltd began the harbour works on Thursday.\n\n"
        "Contoso Ltd hired divers. Contoso Ltd said the works would take a year. "
        "Engineers at Contoso Ltd were hopeful.\n\n" + FILLER,
    ),
}


@pytest.fixture
def collection(tmp_path, make_library, rules_extractor):
    articles = tmp_path / "articles"
    articles.mkdir()
    for name, (title, body) in ARTICLES.items():
        (articles / f"{name}.txt").write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    library = make_library(articles, tmp_path / "index")
    library.sync(entities=True)
    return library


def _ids(results):
    return [hit.id for hit in results]


def test_the_article_about_the_entity_ranks_first(collection):
    results = collection.search("org:northwind")
    assert _ids(results) == ["six", "once"]
    assert results.hits[0].score > results.hits[1].score
    # newest first still works (no dates: relevance within the day)
    assert set(_ids(collection.search("org:northwind", sort="date"))) == {"six", "once"}


def test_an_entity_and_a_word_add_up(collection):
    explanation = collection.explain("org:northwind supplier")
    assert {hit.id for hit in explanation.hits} == {"six", "once"}
    for hit in explanation.hits:
        fields = {part.field for part in hit.parts}
        assert "org entity" in fields and "body" in fields, hit.parts
        assert hit.score == pytest.approx(sum(part.score for part in hit.parts), abs=1e-3)
    entity = {hit.id: next(p.score for p in hit.parts if p.field == "org entity") for hit in explanation.hits}
    assert entity["six"] > entity["once"]


def test_the_snippet_is_the_sentence_naming_it(collection):
    hits = {hit.id: hit for hit in collection.search("org:northwind")}
    once = hits["once"].snippets[0]
    assert once.text == "Among the bidders for the contract was Northwind Corp, a supplier from out of town."
    assert [once.text[s:e] for s, e in once.spans] == ["Northwind Corp"]
    body = collection.article("once").body
    assert body[once.offset : once.offset + len(once.text)] == once.text  # an offset into the body, as word snippets
    six = hits["six"].snippets[0]  # the lede's mention first
    assert six.text.startswith("Profits at Northwind Corp doubled")
    assert [six.text[s:e] for s, e in six.spans] == ["Northwind Corp"]


def test_opening_a_hit_highlights_the_mentions(collection):
    body = collection.article("six").body
    spans = collection.hit_spans("org:northwind", "six")
    assert [body[s:e] for s, e in spans] == ["Northwind Corp"] * 3 + ["Customers of Northwind Corp", "Northwind Corp"]


def test_words_keep_their_snippet_after_the_sentence(collection):
    hit = next(hit for hit in collection.search("org:northwind parking") if hit.id == "once")
    assert "Northwind Corp" in hit.snippets[0].text
    assert any("parking" in snippet.text for snippet in hit.snippets[1:])


def test_merged_spellings_count_together_and_a_hidden_entity_finds_nothing(collection):
    assert _ids(collection.search("org:contoso")) == ["plain", "alias"]  # four mentions before three
    curating.record(collection, curating.plan(collection, "merge", "Fabrikam", "Contoso"))
    collection._load_corrections()
    assert _ids(collection.search("org:contoso")) == ["alias", "plain"]  # six together before four
    curating.record(collection, curating.plan(collection, "hide", "Northwind"))
    collection._load_corrections()
    assert _ids(collection.search("org:northwind")) == []
    assert collection.search("org:northwind supplier").fallback  # only the word's articles, said to be


def test_explain_names_the_entity_part(collection):
    explanation = collection.explain("org:northwind")
    assert explanation.words[0].articles == 2
    top = explanation.hits[0]
    assert top.id == "six" and top.matched == ("org:northwind",) and not top.missing
    (part,) = top.parts
    assert part.field == "org entity" and part.term == "5 mentions, in the headline and lede"  # the body's five
    assert part.score == pytest.approx(top.score, abs=1e-3)


def test_cli_prints_the_sentence(collection, capsys, monkeypatch):
    from .opensearch.fixtures import library_environment

    for name, value in library_environment(collection).items():
        monkeypatch.setenv(name, value)
    store = collection.store
    index = getattr(store, "path", None) or collection.index_dir
    code = main(["--articles", str(collection.articles_dir), "--index", str(index), "search", "org:northwind", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and [hit["id"] for hit in out["hits"]] == ["six", "once"]
    sentence = "Among the bidders for the contract was **Northwind Corp**, a supplier from out of town."
    assert out["hits"][1]["snippets"][0] == sentence


# -- the samples, with the shipped extractor ----------------------------------------------------


@pytest.fixture(params=["whoosh", "opensearch"])
def samples(request):
    return request.getfixturevalue("sample_library" if request.param == "whoosh" else "opensearch_sample_library")


@pytest.mark.parametrize("name, query", [("Robert Lighthizer", "person:lighthizer"), ("Steven Mnuchin", "person:mnuchin")])
def test_samples_rank_by_mentions_with_the_pages_sentence(samples, name, query):
    occurrences = {o.article_id: o for o in samples.entity_occurrences(name)}
    results = samples.search(query)
    assert set(_ids(results)) == set(occurrences)
    most = max(o.mentions for o in occurrences.values())
    assert occurrences[results.hits[0].id].mentions == most
    for hit in results:
        assert " ".join(hit.snippets[0].text.split()) == occurrences[hit.id].sentence  # the entity page's sentence


def test_samples_same_top_on_both_backends(sample_library, opensearch_sample_library):
    for query in ("place:china", "person:lighthizer", "person:mnuchin", "org:reuters", "place:china tariffs"):
        assert _ids(sample_library.search(query))[:1] == _ids(opensearch_sample_library.search(query))[:1], query


def test_a_catalog_from_before_gets_the_columns_and_still_ranks(tmp_path, rules_extractor):
    import sqlite3

    from reader import Library

    articles = tmp_path / "articles"
    articles.mkdir()
    for name, (title, body) in ARTICLES.items():
        (articles / f"{name}.txt").write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    with Library(articles, tmp_path / "index") as library:
        library.sync(entities=True)
    catalog = tmp_path / "index" / "catalog.sqlite"
    with sqlite3.connect(catalog) as db:  # entity_counts as catalog format 3 first had it
        db.execute("ALTER TABLE entity_counts DROP COLUMN lede")
        db.execute("ALTER TABLE entity_counts DROP COLUMN headline")
    with Library(articles, tmp_path / "index") as library:
        assert [hit.id for hit in library.search("org:northwind")] == ["six", "once"]  # by counts alone
    with sqlite3.connect(catalog) as db:
        columns = {row[1] for row in db.execute("PRAGMA table_info(entity_counts)")}
    assert {"lede", "headline"} <= columns
