"""The shared two-node OpenSearch cluster, started once per test session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.opensearch.cluster import Cluster, ClusterError, make_cluster, missing_tools

# The cluster requires HTTP basic auth, as a team's cluster would; the wrong-credentials tests
# use the same cluster instead of starting another one.
TEST_USER = "reader"
TEST_PASSWORD = "test-password"


@pytest.fixture(scope="session")
def opensearch_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """Two nodes on 127.0.0.1, indexes with 2 shards and 1 replica; skipped only without java/mvn."""
    if problem := missing_tools():
        pytest.skip(problem)
    cluster = make_cluster(tmp_path_factory.mktemp("opensearch"), nodes=2, basic_auth=f"{TEST_USER}:{TEST_PASSWORD}")
    try:
        cluster.start()
    except ClusterError:
        cluster.stop()
        raise
    yield cluster
    cluster.stop()
