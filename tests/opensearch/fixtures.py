"""The shared two-node OpenSearch cluster (one per test session) and libraries on it.

Imported by tests/conftest.py, so any test module can ask for these fixtures.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

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


def cluster_config(cluster: Cluster, prefix: str, *, password: str = TEST_PASSWORD, only_node: int | None = None):
    """A reader configuration for ``cluster`` whose indexes are named after ``prefix`` (one per test)."""
    from reader.opensearch import OpenSearchConfig

    urls = tuple(cluster.urls) if only_node is None else (cluster.nodes[only_node].url,)
    return OpenSearchConfig(urls=urls, prefix=prefix, user=TEST_USER, password=password)


def cluster_environment(cluster: Cluster, prefix: str, *, password: str = TEST_PASSWORD) -> dict[str, str]:
    """The same configuration as environment variables, for `reader` in a subprocess."""
    return {
        "READER_OPENSEARCH_URL": ",".join(cluster.urls),
        "READER_OPENSEARCH_INDEX": prefix,
        "READER_OPENSEARCH_USER": TEST_USER,
        "READER_OPENSEARCH_PASSWORD": password,
    }


def cluster_library(cluster: Cluster, articles, index_dir, prefix: str, **options):
    """A Library whose search backend is ``cluster`` (bookmarks stay in ``index_dir``, as for users)."""
    from reader import Library
    from reader.opensearch.store import OpenSearchStore

    return Library(articles, index_dir, backend=OpenSearchStore(cluster_config(cluster, prefix, **options)))


def _indexed_on_cluster(cluster: Cluster, tmp_path_factory: pytest.TempPathFactory, prefix: str, *, entities: bool):
    import shutil

    from tests.paths import SAMPLES

    root = tmp_path_factory.mktemp(prefix)
    shutil.copytree(SAMPLES, root / "articles")
    library = cluster_library(cluster, root / "articles", root / "index", prefix)
    report = library.sync(entities=entities)
    assert len(report.added) == 5 and not report.warnings, report
    return library


@pytest.fixture(scope="session")
def opensearch_samples_no_entities(opensearch_cluster: Cluster, tmp_path_factory: pytest.TempPathFactory):
    """The samples indexed once on the cluster without entities; read-only, for query tests."""
    library = _indexed_on_cluster(opensearch_cluster, tmp_path_factory, "samples-plain", entities=False)
    yield library
    library.close()


@pytest.fixture(scope="session")
def opensearch_sample_library(opensearch_cluster: Cluster, tmp_path_factory: pytest.TempPathFactory):
    """The samples indexed once on the cluster with entities, shared read-only across tests."""
    library = _indexed_on_cluster(opensearch_cluster, tmp_path_factory, "samples", entities=True)
    yield library
    library.close()


@pytest.fixture(params=["whoosh", "opensearch"])
def make_library(request: pytest.FixtureRequest):
    """``make_library(articles, index_dir)``: a Library on the embedded index, then (the test runs
    twice) on the suite's cluster, in indexes of the test's own; ``make_library.backend`` says which."""
    import uuid

    from reader import Library

    made = []

    def make(articles, index_dir):
        if request.param == "whoosh":
            library = Library(articles, index_dir)
        else:
            cluster = request.getfixturevalue("opensearch_cluster")
            library = cluster_library(cluster, articles, index_dir, f"t-{uuid.uuid4().hex[:12]}")
        made.append(library)
        return library

    make.backend = request.param  # type: ignore[attr-defined]
    yield make
    for library in made:
        store = library.store
        if store.backend_name == "opensearch":
            store.client.indices.delete(index=f"{store.alias}*", ignore_unavailable=True)
        library.close()


def library_environment(library) -> dict[str, str]:
    """The environment that makes `reader` (main()) use ``library``'s backend ({} for the local index)."""
    store = library.store
    if store.backend_name != "opensearch":
        return {}
    config = store.config
    return {
        "READER_OPENSEARCH_URL": ",".join(config.urls),
        "READER_OPENSEARCH_INDEX": config.prefix,
        "READER_OPENSEARCH_USER": config.user or "",
        "READER_OPENSEARCH_PASSWORD": config.password or "",
    }


def write_articles(folder: Path, count: int, start: int = 0) -> None:
    """Small distinct articles: article N mentions word wN and the shared word 'harbour'."""
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(start, start + count):
        text = f"Report number {number}\n\nThe harbour authority published figure w{number} today. " * 3
        (folder / f"report-{number:05d}.txt").write_text(text)
