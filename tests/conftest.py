"""Shared fixtures: copies of the sample corpus, libraries over them, the app corpus, the bad-files run.

Helpers and fakes live in named modules (paths, app_helpers, fake_libraries,
badfiles, bookmark_schemas); test files import those, never each other.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from .app_helpers import build_corpus

# The real OpenSearch cluster and libraries on it, for tests run over both search backends.
from .opensearch.fixtures import (  # noqa: F401 - fixtures are found by name
    make_library,
    opensearch_cluster,
    opensearch_sample_library,
    opensearch_samples_no_entities,
)
from .paths import SAMPLES

# The debug log (reader.debuglog) goes to a scratch folder, never the user's state directory.
os.environ.setdefault("READER_STATE_DIR", tempfile.mkdtemp(prefix="reader-state-"))
# Never the user's own data folder (reader.bookmarks.location, for user_data = "data").
os.environ["READER_DATA_DIR"] = tempfile.mkdtemp(prefix="reader-data-")
# Never the user's own config file (reader.config): a file that does not exist, unless a test writes one.
os.environ["READER_CONFIG"] = os.path.join(tempfile.mkdtemp(prefix="reader-config-"), "config.toml")


def _soak_requested(config: pytest.Config) -> bool:
    expression = config.getoption("markexpr", "") or ""
    return bool(os.environ.get("READER_SOAK")) or ("soak" in expression and "not soak" not in expression)


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Tests marked ``soak`` (long fault and fuzz runs) run only when asked: ``-m soak`` or ``READER_SOAK=1``."""
    if item.get_closest_marker("soak") and not _soak_requested(item.config):
        pytest.skip("soak variant: run with -m soak or READER_SOAK=1")


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A writable copy of the five bundled sample articles."""
    target = tmp_path / "articles"
    shutil.copytree(SAMPLES, target)
    return target


@pytest.fixture
def library(corpus: Path, tmp_path: Path):
    """A Library over the sample copy, synced without entities (fast)."""
    from reader import Library

    lib = Library(corpus, tmp_path / "index")
    lib.sync(entities=False)
    yield lib
    lib.close()


@pytest.fixture
def rules_extractor(monkeypatch) -> None:
    """The rule-based entity extractor instead of spaCy: fast, and the same spans everywhere."""
    import reader.entities

    real = reader.entities.load_extractor
    monkeypatch.setattr(reader.entities, "load_extractor", lambda *args, **kwargs: real("rules"))


@pytest.fixture
def text_only(corpus: Path, tmp_path: Path, rules_extractor: None):
    """The samples with their text indexed and their entities still to come (the first phase only)."""
    from reader import Library

    lib = Library(corpus, tmp_path / "index")
    lib.sync(entities=False)
    yield lib
    lib.close()


def _indexed_samples(tmp_path_factory, name: str, *, entities: bool):
    """A private copy of the samples, indexed once; yields the Library."""
    from reader import Library

    root = tmp_path_factory.mktemp(name)
    articles = root / "articles"
    shutil.copytree(SAMPLES, articles)
    lib = Library(articles, root / "index")
    lib.sync(entities=entities)
    yield lib
    lib.close()


@pytest.fixture(scope="session")
def samples_no_entities(tmp_path_factory):
    """The samples indexed once without entities; read-only, for query tests."""
    yield from _indexed_samples(tmp_path_factory, "plain", entities=False)


@pytest.fixture(scope="session")
def sample_library(tmp_path_factory):
    """The samples indexed once with entities, shared read-only across tests."""
    yield from _indexed_samples(tmp_path_factory, "samples", entities=True)


# -- the app corpus: samples + one hostile article ---------------------------------------


@pytest.fixture(scope="session")
def indexed_corpus(tmp_path_factory) -> Path:
    """Samples + a hostile article, indexed once with entities (read-only)."""
    from reader import Library

    root = tmp_path_factory.mktemp("app-corpus")
    articles, index = build_corpus(root)
    with Library(articles, index) as library:
        library.sync(entities=True)
    return root


@pytest.fixture
def app_library(indexed_corpus: Path, tmp_path: Path):
    """A private copy of the indexed corpus (articles and index)."""
    from reader import Library

    root = tmp_path / "corpus"
    shutil.copytree(indexed_corpus, root)
    library = Library(root / "articles", root / "index")
    yield library
    library.close()


@pytest.fixture
def fresh_library(tmp_path: Path):
    """The same corpus with no index at all (the app has to sync)."""
    from reader import Library

    articles, index = build_corpus(tmp_path / "fresh")
    library = Library(articles, index)
    yield library
    library.close()


# -- the bad-files corpus ------------------------------------------------------------------


@pytest.fixture(scope="session")
def bad_run(tmp_path_factory):
    """The bad-files corpus indexed once both ways (see tests/badfiles.py), shared by the
    hardening tests: read it, change nothing (an app over it runs with ``sync=False``)."""
    from .badfiles import indexed_bad_corpus

    with indexed_bad_corpus(tmp_path_factory.mktemp("bad")) as run:
        yield run


# -- the search results corpus: 111 hits for "tariff", one story filed twice ----------------


@pytest.fixture(scope="session")
def results_corpus(tmp_path_factory) -> Path:
    """Indexed once (see tests/results_corpus.py); read-only."""
    from .results_corpus import build_results_corpus

    return build_results_corpus(tmp_path_factory.mktemp("results-corpus"))


@pytest.fixture
def results_library(results_corpus: Path):
    from reader import Library

    library = Library(results_corpus / "articles", results_corpus / "index")
    yield library
    library.close()
