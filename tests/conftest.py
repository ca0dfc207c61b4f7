"""Shared fixtures: a private copy of the sample corpus and libraries over it."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

# The debug log (reader.debuglog) goes to a scratch folder, never the user's state directory.
os.environ.setdefault("READER_STATE_DIR", tempfile.mkdtemp(prefix="reader-state-"))
# Never the user's own config file (reader.config): a file that does not exist, unless a test writes one.
os.environ["READER_CONFIG"] = os.path.join(tempfile.mkdtemp(prefix="reader-config-"), "config.toml")

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "articles"


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
