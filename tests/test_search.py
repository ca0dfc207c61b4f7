"""The query language over the bundled samples (through the public Library API).

Tests taking ``library`` run twice: on the embedded Whoosh index and on the OpenSearch
cluster the suite starts (same expected ids); those about Whoosh's own ranking and
vocabulary use ``whoosh_library``.
"""

from __future__ import annotations

import pytest

from reader import QueryError


@pytest.fixture(params=["whoosh", "opensearch"])
def library(request, samples_no_entities):
    if request.param == "whoosh":
        return samples_no_entities
    return request.getfixturevalue("opensearch_samples_no_entities")


@pytest.fixture
def whoosh_library(samples_no_entities):
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
        ("source:reuters", set()),  # 002 only quotes Reuters: not its source
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


ALL = ["000", "001", "002", "003", "004"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("10:30", []),  # no sample has both 10 and 30
        ("a AND", ALL),  # "a" is a stop word; "and" is in every sample
        ("OR", ["000", "001", "003", "004"]),  # alone, the word "or"
        ("NOT", ["002", "003", "004"]),  # alone, the word "not"
        ("(trade", ALL),
        ("trade)", ALL),
        ("***", ALL),  # a bare wildcard matches every article
        ("~", []),
        ("-", []),
        ("c++", []),
        ("AT&T", ["004"]),  # "at" is a stop word; "t" is in "Steven T. Mnuchin"
        ("\x1b[31m", []),
        ("[", []),
        ("{x", []),
        ("^2", ["001", "003", "004"]),  # the number 2
    ],
)
def test_plain_words_and_odd_input_are_never_errors(library, query, expected):
    """Odd input is searched as the words in it (expected sets read off the sample texts)."""
    results = library.search(query, limit=10)
    assert sorted(hit.id[:3] for hit in results) == expected
    assert results.total == len(expected)


def test_limit(library):
    assert len(library.search("China", limit=2)) == 2
    assert library.search("China", limit=2).total == 5


@pytest.mark.parametrize(
    "query", ["China", "trade talks", "tari*", '"trade deal"', "Lightizer~", "Raimondo zeppelin", '"trade talks" -zeppelin']
)
def test_uncounted_search_ranks_the_same_and_counts_later(library, query):
    counted = library.search(query, limit=2)
    quick = library.search(query, limit=2, count=False)
    assert [(h.id, h.score) for h in quick] == [(h.id, h.score) for h in counted]
    assert quick.fallback == counted.fallback
    assert library.count(query) == counted.total
    if "-" in query and library.store.backend_name == "whoosh":  # a phrase and a NOT: Whoosh ranks (2 of 2
        # ranked: more might have been skipped); the cluster counts it exactly up to 10,000
        assert not quick.counted and quick.total == 2
    else:  # words, phrases, prefixes and fuzzy words are counted from their posting lists with the hits
        assert quick.counted and quick.total == counted.total


def test_few_matches_are_counted_exactly_without_asking(library):
    results = library.search("Raimondo", limit=10, count=False)
    assert results.counted and results.total == 1
    assert library.count("zeppelin") == 0


def test_scores_are_whooshs_own(whoosh_library):
    """Field lengths kept in memory must not change a single score."""
    from whoosh import query as wq
    from whoosh.filedb.filestore import FileStorage

    def word(text: str) -> wq.Query:  # a word is looked for in the title and the body
        return wq.Or([wq.Term("title", text), wq.Term("body", text)])

    # Written out by hand: what each query means, searched by plain Whoosh on the same files.
    meant = {
        "China trade": wq.And([word("china"), word("trade")]),
        "tari*": word("tariff"),  # the only word of the samples starting with "tari"
        "Mnuchin": word("mnuchin"),
    }
    storage = FileStorage(str(whoosh_library.store.search_dir), supports_mmap=False)
    with storage.open_index("articles").searcher() as plain:
        for text, query in meant.items():
            expected = {hit["id"]: round(hit.score, 4) for hit in plain.search(query, limit=20)}
            assert len(expected) >= 4, text
            assert {h.id: h.score for h in whoosh_library.search(text, limit=20)} == expected


def test_short_prefix_searches_its_most_frequent_words(corpus, tmp_path):
    """A prefix of hundreds of words is searched as its 64 most frequent ones."""
    from reader import Library

    for n in range(200):
        (corpus / f"many{n:03d}.txt").write_text(f"Headline {n}\n\nThe word zq{n:03d}x appears here {n % 7 + 1} times.\n")
    (corpus / "common.txt").write_text("Common\n\n" + "zq000x " * 5 + "\n")
    lib = Library(corpus, tmp_path / "ix3")
    lib.sync(entities=False)
    results = lib.search("zq*", limit=300)
    # zq000x (in two articles) and the next 63 in alphabetical order (one each)
    assert {hit.id for hit in results} == {"common"} | {f"many{n:03d}" for n in range(64)}
    lib.close()


def test_prefix_can_stand_for_its_most_frequent_word_only(library):
    """Search-as-you-type asks for one completion: ``tar*`` is then ``tariff(s)``, not ``target`` too."""
    everything = library.search("tar*", limit=20)
    likeliest = library.search("tar*", limit=20, prefix_words=1)
    assert likeliest.terms == ("tariff",) and set(likeliest.terms) < set(everything.terms)
    assert ids(likeliest) <= ids(everything)
    assert library.count("tar*", prefix_words=1) == likeliest.total
    body = library.article("002_d2e5874133c786cc").body  # "targeted" once, "tariff(s)" four times
    marked = {body[s:e].lower() for s, e in library.hit_spans("tar*", "002_d2e5874133c786cc", prefix_words=1)}
    assert marked == {"tariff", "tariffs"}


@pytest.mark.parametrize("initials", [{"t", "c"}, {"m", "s", "l"}, {"é", "e", "1"}])
def test_highlighting_tokens_are_the_indexed_tokens(whoosh_library, initials):
    """``matches`` (which stems only words with the wanted initials) agrees with the index's own tokens."""
    analyzer = whoosh_library.store.analyzer
    texts = [whoosh_library.article(summary.id).body for summary in whoosh_library.articles()]
    texts += ["MnuchinSteven met Étienne at the café; U.S. officials' 1990s ÆSIR straße", "ŁÓDŹ İstanbul ǅemal"]
    for text in texts:
        full = [
            (t.pos, t.text, t.startchar, t.endchar)
            for t in analyzer(text, positions=True, chars=True, mode="index", removestops=False)
            if t.text[:1] in initials
        ]
        assert [m for m in analyzer.matches(text, initials) if m[1][:1] in initials] == full


def test_searches_and_counts_from_several_threads_agree_with_one(tmp_path):
    """The app searches, counts and highlights from worker threads on one shared searcher."""
    import random
    import sys
    import threading

    from reader import Library

    corpus = tmp_path / "articles"
    corpus.mkdir()
    rng = random.Random(3)
    words = [f"w{n}" for n in range(40)] + ["trade", "talks", "tariff", "talk", "tariffs"]
    for n in range(300):
        body = " ".join(rng.choice(words) for _ in range(120))
        (corpus / f"a{n:03d}.txt").write_text(f"Headline {n} {rng.choice(words)}\n\n{body}.\n")
    lib = Library(corpus, tmp_path / "index")
    lib.sync(entities=False)
    queries = ["trade", "tariff* w1", '"trade talks"', "w3 OR w7", "ta*", "w5 -w6", "talks~"]
    expected = {q: ([h.id for h in lib.search(q, limit=20)], lib.count(q)) for q in queries}
    failures: list = []

    def hammer(seed: int) -> None:
        local = random.Random(seed)
        try:
            for _ in range(60):
                query = local.choice(queries)
                found = [h.id for h in lib.search(query, limit=20, count=False)]
                if found != expected[query][0] or lib.count(query) != expected[query][1]:
                    failures.append(query)
                lib.store.hit_spans(query, "a001")
        except Exception as error:  # noqa: BLE001 - any error is a failure here
            failures.append(repr(error))

    threads = [threading.Thread(target=hammer, args=(seed,)) for seed in range(4)]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads often, so that unguarded reads would interleave
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    lib.close()
    assert failures == []


# -- graded match (long queries) ----------------------------------------------------


@pytest.fixture
def graded_library(tmp_path, make_library):
    articles = tmp_path / "articles"
    articles.mkdir()
    texts = {
        # Four of the five words once each.
        "most": "The harbour pilots strike over pension rules continued.",
        # One word, the rarest, many times: plain any-word BM25 puts it first.
        "one": "Tugboat tugboat tugboat. The tugboat tugboat tugboat was painted.",
        # Every word.
        "all": "Harbour pilots strike over pension rules, and a tugboat waits.",
        "none": "Weather report: sunny with light winds.",
        "pair": "Harbour pilots met in the morning.",
        "half": "The harbour was quiet; the pension fund met.",
    }
    for name, text in texts.items():
        (articles / f"{name}.txt").write_text(f"{name.title()}\n\n{text}\n", encoding="utf-8")
    library = make_library(articles, tmp_path / "index")
    library.sync(entities=False)
    return library


def test_long_query_ranks_by_how_much_of_it_an_article_has(graded_library):
    results = graded_library.search("tugboat harbour pilots pension strike")
    order = [hit.id.removesuffix(".txt") for hit in results]
    assert results.graded and not results.fallback
    assert order[0] == "all"
    assert order.index("most") < order.index("one")
    assert "none" not in order


def test_long_query_without_an_article_having_every_word_still_ranks_by_coverage(graded_library):
    results = graded_library.search("tugboat harbour pilots pension strike zeppelin")
    order = [hit.id.removesuffix(".txt") for hit in results]
    assert results.graded and results.fallback
    assert order[:2] == ["all", "most"]
    assert order.index("most") < order.index("one")


def test_short_query_stays_strict(graded_library):
    results = graded_library.search("harbour pension")
    assert not results.graded
    assert {hit.id.removesuffix(".txt") for hit in results} == {"most", "all", "half"}
    assert graded_library.count("harbour pension") == results.total == 3


def test_question_words_do_not_count(graded_library):
    assert [h.id for h in graded_library.search("what about harbour pension")] == [
        h.id for h in graded_library.search("harbour pension")
    ]
