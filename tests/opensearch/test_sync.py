"""Indexing into the cluster: incremental sync, deletions, rebuild behind an alias, faults."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest

from tests.opensearch.cluster import Cluster
from tests.opensearch.fixtures import cluster_config, write_articles
from tests.paths import SAMPLES


def make_store(cluster: Cluster, prefix: str, **options):
    from reader.opensearch.store import OpenSearchStore

    return OpenSearchStore(cluster_config(cluster, prefix, **options))


def sync(store, articles: Path, **options):
    from reader.opensearch.sync import sync_to_cluster

    options.setdefault("entities", False)
    return sync_to_cluster(store, articles, **options)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    target = tmp_path / "articles"
    shutil.copytree(SAMPLES, target)
    return target


def ids(results) -> set[str]:
    return {hit.id.split("_")[0] for hit in results}


def test_incremental_sync_adds_changes_touches_and_deletes(opensearch_cluster, corpus):
    store = make_store(opensearch_cluster, "incremental")
    first = sync(store, corpus)
    assert len(first.added) == 5 and store.count() == 5

    again = sync(store, corpus)
    assert (again.added, again.changed, again.removed, again.unchanged) == ([], [], [], 5)

    (corpus / "001_f84b68a56f694696.txt").unlink()
    changed = corpus / "003_6ecca0d802200a51.txt"
    changed.write_text(changed.read_text() + "\n\nA zeppelin was seen over the talks.\n")
    touched = corpus / "000_ea3cef877529f866.txt"
    os.utime(touched, ns=(touched.stat().st_atime_ns, touched.stat().st_mtime_ns + 10**9))
    (corpus / "Wire").mkdir()
    (corpus / "Wire" / "new.txt").write_text("Zeppelins return\n\nA zeppelin flew over the harbour.\n")

    report = sync(store, corpus)
    assert report.removed == ["001_f84b68a56f694696.txt"]
    assert report.changed == ["003_6ecca0d802200a51.txt"]
    assert report.added == ["Wire/new.txt"]
    assert report.unchanged == 3  # two untouched, one touched with the same content
    assert store.count() == 5
    assert ids(store.search("zeppelin")) == {"003", "Wire/new"}
    assert ids(store.search("folder:Wire zeppelin")) == {"Wire/new"}
    assert ids(store.search("folder:wire")) == set()  # ids keep their case, as in the Whoosh index
    assert ids(store.search("Mnuchin")) == {"000", "002", "004"}
    assert sync(store, corpus).unchanged == 5


def test_rebuild_switches_the_alias_only_when_complete(opensearch_cluster, tmp_path):
    articles = tmp_path / "articles"
    write_articles(articles, 300)
    store = make_store(opensearch_cluster, "rebuild")
    sync(store, articles)
    old = store.current_index()
    seen: list[int] = []
    stop = threading.Event()

    def search_meanwhile() -> None:
        reader = make_store(opensearch_cluster, "rebuild")
        while not stop.is_set():
            seen.append(reader.search("harbour", limit=1).total)
        reader.close()

    searcher = threading.Thread(target=search_meanwhile)
    searcher.start()
    try:
        report = sync(store, articles, rebuild=True)
    finally:
        stop.set()
        searcher.join(60)
    assert len(report.added) == 300
    new = store.current_index()
    assert new != old and new.endswith("-g2")
    assert seen and set(seen) == {300}, "a search saw a half-built index"
    indexes = opensearch_cluster.request("GET", "/_cat/indices/rebuild-*?format=json")
    assert isinstance(indexes, list)
    assert [i["index"] for i in indexes] == [new]


def test_an_index_of_an_older_mapping_is_reported_then_rebuilt(opensearch_cluster, corpus):
    from reader.errors import IndexCorrupt
    from reader.opensearch.mapping import MAPPING_VERSION, index_body

    old_body = index_body(2, 1)
    old_body["mappings"]["_meta"] = {"reader_mapping": 0}
    opensearch_cluster.request("PUT", "/older-articles-v0-g1", old_body)
    opensearch_cluster.request(
        "POST", "/_aliases", {"actions": [{"add": {"index": "older-articles-v0-g1", "alias": "older-articles"}}]}
    )
    store = make_store(opensearch_cluster, "older")
    assert f"older version of reader (mapping 0, this version uses {MAPPING_VERSION})" in store.problem()
    with pytest.raises(IndexCorrupt):
        store.search("Mnuchin")
    report = sync(store, corpus)
    assert any("older version" in warning for warning in report.warnings)
    assert store.problem() == "" and len(report.added) == 5
    assert ids(store.search("Mnuchin")) == {"000", "001", "002", "004"}


def test_wrong_credentials_are_one_clear_line(opensearch_cluster, corpus):
    from reader.errors import IndexProblem

    store = make_store(opensearch_cluster, "credentials", password="wrong")
    with pytest.raises(IndexProblem) as refused:
        sync(store, corpus)
    message = str(refused.value)
    assert "refused the credentials" in message and "\n" not in message
    assert "wrong" not in message  # the password is never echoed


def test_an_unreachable_cluster_is_one_clear_line(corpus):
    from reader.errors import IndexProblem
    from reader.opensearch import OpenSearchConfig
    from reader.opensearch.store import OpenSearchStore
    from tests.opensearch.cluster import free_ports

    port = free_ports(1)[0]  # nothing listens there
    store = OpenSearchStore(OpenSearchConfig(urls=(f"http://127.0.0.1:{port}",), prefix="nowhere"))
    with pytest.raises(IndexProblem) as failed:
        store.search("Mnuchin")
    assert f"cannot reach the OpenSearch cluster at http://127.0.0.1:{port}" in str(failed.value)
    assert "\n" not in str(failed.value)


def test_a_node_killed_mid_indexing_loses_nothing(opensearch_cluster, tmp_path):
    """Kill a node while bulk requests run: the survivor takes over its shards and the writes.

    The victim is the node outside the voting configuration (two nodes vote with one), as a
    two-node cluster can only lose that one and keep a cluster manager.
    """
    cluster = opensearch_cluster
    articles = tmp_path / "articles"
    write_articles(articles, 1200)
    store = make_store(cluster, "killed")
    state = cluster.request("GET", "/_cluster/state/metadata,nodes")
    assert isinstance(state, dict)
    voting = {state["nodes"][node_id]["name"] for node_id in state["metadata"]["cluster_coordination"]["last_committed_config"]}
    assert len(voting) == 1, f"both nodes vote ({voting}): losing either would stop writes"
    victim = next(i for i, node in enumerate(cluster.nodes) if node.name not in voting)
    killed = threading.Event()

    def progress(done: int, total: int, path: str) -> None:
        if done >= 200 and not killed.is_set():
            # Killed once every shard has its replica: a copy of everything written survives.
            cluster.wait_for_status("green", index="killed-*")
            cluster.kill(victim)
            killed.set()

    try:
        report = sync(store, articles, progress=progress)
        assert killed.is_set()
        print("first sync:", len(report.added), "added;", len(report.warnings), "warnings")
        if report.warnings:  # articles a dying node dropped are retried by the next sync
            report = sync(store, articles)
            print("second sync:", len(report.added), "added;", len(report.warnings), "warnings")
        assert store.count() == 1200
        survivor = make_store(cluster, "killed", only_node=1 - victim)
        assert survivor.search("harbour", limit=1).total == 1200
        assert ids(survivor.search("w1199")) == {"report-01199"}
        survivor.close()
    finally:
        cluster.restart(victim)
    assert cluster.wait_for_status("green", index="killed-*")["status"] == "green"
