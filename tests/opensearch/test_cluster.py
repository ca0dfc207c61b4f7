"""The test cluster itself: two real nodes that form one cluster and share an index."""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request

import pytest

from tests.opensearch.cluster import Cluster


def test_two_nodes_form_one_cluster_on_loopback(opensearch_cluster: Cluster) -> None:
    health = opensearch_cluster.health(node=1)
    assert health["number_of_nodes"] == 2
    nodes = opensearch_cluster.request("GET", "/_nodes/http,transport")
    assert isinstance(nodes, dict)
    addresses = [n["http"]["publish_address"] for n in nodes["nodes"].values()]
    assert sorted(addresses) == sorted(f"127.0.0.1:{n.http_port}" for n in opensearch_cluster.nodes)
    for info in nodes["nodes"].values():
        assert all(a.startswith("127.0.0.1:") for a in info["transport"]["bound_address"])


def test_an_index_with_a_replica_is_spread_over_both_nodes(opensearch_cluster: Cluster) -> None:
    cluster = opensearch_cluster
    cluster.request("PUT", "/cluster-smoke", {"settings": {"number_of_shards": 2, "number_of_replicas": 1}})
    try:
        cluster.request("PUT", "/cluster-smoke/_doc/1?refresh=true", {"title": "Mnuchin meets Lighthizer"}, node=0)
        health = cluster.wait_for_status("green", index="cluster-smoke")
        assert health["status"] == "green" and health["active_shards"] == 4
        shards = cluster.request("GET", "/_cat/shards/cluster-smoke?format=json", node=1)
        assert isinstance(shards, list)
        assert {s["node"] for s in shards} == {n.name for n in cluster.nodes}
        hits = cluster.request("POST", "/cluster-smoke/_search", {"query": {"match": {"title": "lighthizer"}}}, node=1)
        assert isinstance(hits, dict)
        assert [h["_id"] for h in hits["hits"]["hits"]] == ["1"]
    finally:
        cluster.request("DELETE", "/cluster-smoke")


def test_the_terms_analyzer_keeps_alternatives_at_one_position(opensearch_cluster: Cluster) -> None:
    """The reader's ``reader_terms`` analyzer (pattern_capture, from analysis-common) as the mapping defines it."""
    from reader.opensearch.mapping import index_body

    cluster = opensearch_cluster
    cluster.request("PUT", "/analysis-smoke", index_body(1, 0))
    try:
        body = {"analyzer": "reader_terms", "text": "talk led by mnuchinsteven|mnuchin|steven today"}
        tokens = cluster.request("POST", "/analysis-smoke/_analyze", body, node=1)
        assert isinstance(tokens, dict)
        found = [(t["token"], t["position"]) for t in tokens["tokens"]]
        assert found == [("talk", 0), ("led", 1), ("by", 2), ("mnuchinsteven", 3), ("mnuchin", 3), ("steven", 3), ("today", 4)]
    finally:
        cluster.request("DELETE", "/analysis-smoke")


def test_requests_without_the_password_are_refused(opensearch_cluster: Cluster) -> None:
    request = urllib.request.Request(opensearch_cluster.url + "/_cluster/health")
    request.add_header("Authorization", "Basic " + base64.b64encode(b"reader:wrong").decode())
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 401
    assert json.loads(refused.value.read())["status"] == 401
