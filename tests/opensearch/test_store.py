"""The OpenSearch backend against the real two-node cluster: same answers as the Whoosh index."""

from __future__ import annotations

import pytest


def short_ids(results) -> list[str]:
    return [hit.id.split("_")[0] for hit in results]


@pytest.fixture
def os_samples(opensearch_sample_library):
    """The cluster backend of the samples indexed with entities (read-only)."""
    return opensearch_sample_library.store


QUERIES = [
    "cloud computing",
    "Mnuchin",
    '"trade secrets"',
    "person:lighthizer",
    "author:wei",
    "Lightizer~",
    "lighth*",
    "computi*",
    "Raimondo OR Kudlow",
    "Mnuchin NOT Lighthizer",
    "Mnuchin -Lighthizer",
    "source:reuters",
    'source:"associated press"',
    "title:concessions",
    "date:2019-03",
    "date:[2019-01 to 2019-06]",
    "date:2019-03-28",
    "caf\u00e9s",
    "U.S. soybean",
    "US soybeans",
    "Huawei",
    "the deal",
    '"the devil is in the details"',
    '"the details is in the devil"',
    "Raimondo zeppelin",
    "Lighthizer Mnuchin Xi",
    "china -trade",
    "org:treasury",
    "place:beijing",
    "Lightizer",
    "Mnuchinn tarifs",
]


@pytest.mark.parametrize("query", QUERIES)
def test_same_articles_and_highlights_as_whoosh(os_samples, sample_library, query):
    whoosh = sample_library.search(query, limit=20)
    cluster = os_samples.search(query, limit=20)
    assert sorted(short_ids(cluster)) == sorted(short_ids(whoosh))
    assert (cluster.total, cluster.fallback, cluster.suggestion) == (whoosh.total, whoosh.fallback, whoosh.suggestion)
    by_id = {hit.id: hit.snippets for hit in whoosh}
    for hit in cluster:
        assert hit.snippets == by_id[hit.id], hit.id


@pytest.mark.parametrize(
    "query,expected",
    [("Mnuchin", {"000", "001", "002", "004"}), ("person:lighthizer", {"000", "002", "004"}), ('"trade secrets"', {"003"})],
)
def test_the_done_means_queries(os_samples, query, expected):
    assert set(short_ids(os_samples.search(query))) == expected


def test_articles_are_read_back_whole_from_the_cluster(os_samples, sample_library):
    for summary in sample_library.articles():
        mine, theirs = os_samples.article(summary.id), sample_library.article(summary.id)
        assert mine == theirs
    assert [s.id for s in os_samples.summaries()] == [s.id for s in sample_library.articles()]
    assert os_samples.summaries() == sample_library.articles()
    assert os_samples.newest_summaries(3) == sample_library.newest_articles(3)[0]
    assert os_samples.count() == 5


def test_hit_spans_match_whooshs(os_samples, sample_library):
    for query in ("Mnuchin", '"trade secrets"', "negotiat*", "Lightizer~"):
        for article_id in ("000_ea3cef877529f866", "003_6ecca0d802200a51"):
            assert os_samples.hit_spans(query, article_id) == sample_library.hit_spans(query, article_id)


def test_entity_counts_come_from_aggregations(os_samples, sample_library):
    counts = os_samples.entity_counts
    store = sample_library.store
    assert sorted(counts.entity_rows()) == sorted(store.catalog.entity_rows())
    assert sorted(counts.entity_rows(kind="person")) == sorted(store.catalog.entity_rows(kind="person"))
    article = "003_6ecca0d802200a51"
    assert sorted(counts.entity_rows(article=article)) == sorted(store.catalog.entity_rows(article=article))
    assert counts.person_key_counts() == store.catalog.person_key_counts()
    assert counts.entity_article_totals() == store.catalog.entity_article_totals()
    found = counts.entity_keys_for_name("ROBERT LIGHTHIZER")
    assert found and found == sorted(store.catalog.entity_keys_for_name("ROBERT LIGHTHIZER"))
    key = found[0][0]
    assert sorted(counts.entity_article_counts(key)) == sorted(store.catalog.entity_article_counts(key))
    persons = list(store.catalog.person_key_counts())
    assert sorted(counts.entity_key_rows(persons)) == sorted(store.catalog.entity_key_rows(persons))


def test_entities_through_the_library_match_whooshs(opensearch_sample_library, sample_library):
    assert opensearch_sample_library.entities() == sample_library.entities()
    assert opensearch_sample_library.entities(kind="org") == sample_library.entities(kind="org")
    article = "000_ea3cef877529f866"
    assert opensearch_sample_library.entities(article=article) == sample_library.entities(article=article)
    for name in ("Trump", "Robert Lighthizer", "Beijing"):
        assert opensearch_sample_library.entity_occurrences(name) == sample_library.entity_occurrences(name)
        assert opensearch_sample_library.entity_articles(name) == sample_library.entity_articles(name)


def test_bad_queries_raise_the_same_one_line_error(os_samples):
    from reader import QueryError

    with pytest.raises(QueryError):
        os_samples.search("date:[banana to 2019]")


def test_the_index_has_two_shards_and_a_replica_on_both_nodes(os_samples, opensearch_cluster):
    index = os_samples.current_index()
    shards = opensearch_cluster.request("GET", f"/_cat/shards/{index}?format=json")
    assert isinstance(shards, list)
    assert sorted((s["shard"], s["prirep"]) for s in shards) == [("0", "p"), ("0", "r"), ("1", "p"), ("1", "r")]
    assert {s["node"] for s in shards} == {node.name for node in opensearch_cluster.nodes}
