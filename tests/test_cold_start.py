"""A new ``reader search`` process loads only what a search of words needs (issue 17: cold start).

Each check runs the real command in a fresh interpreter under ``python -X importtime``, so
every module the process imports (at the top of a file or inside a function) is seen.
Run ``python benchmarks/search_speed.py --corpus DIR --importtime`` to see what they cost.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

#: Never needed to search words in the local index, with no config file and no user-state file.
NOT_FOR_A_SEARCH = (
    # heavy libraries of other commands
    "spacy", "textual", "trafilatura", "feedparser", "watchfiles", "opensearchpy",
    # arrays: only for queries with many postings (index/block_rank.py), not those of a small index
    "numpy", "reader.index.block_rank",
    # reader's other layers and commands
    "reader.app", "reader.entities", "reader.web", "reader.opensearch.store", "reader.dossier",
    "reader.curating", "reader.saved_searches", "reader.editor",
    # the user-state store: only its location is asked when the file does not exist
    "reader.bookmarks.store", "reader.bookmarks.transfer", "reader.bookmarks.markdown",
    # the index's entity side (no entity words in the query)
    "reader.index.entity_page", "reader.index.entity_queries", "reader.index.curation",
    "reader.index.sync", "reader.index.explain",
    # what Whoosh imports for names reader never calls (index/whoosh_patches.py)
    "urllib.request", "http.client", "ssl", "email", "asyncio", "whoosh.lang.morph_en",
    # the standard library's slow ones, needed only off the search path
    "hashlib", "_hashlib", "tomllib", "difflib",
    "rich.progress", "rich.table", "rich.markdown", "rich.syntax",
)


def imported_modules(stderr: str) -> set[str]:
    """The modules ``-X importtime`` reports, by name."""
    names = set()
    for line in stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip())
    names.discard("imported package")
    return names


def run_search(articles: Path, index: Path, *words: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-X", "importtime", "-m", "reader", "--articles", str(articles), "--index", str(index),
               "search", *words]
    return subprocess.run(command, capture_output=True, text=True, env=env or dict(os.environ), timeout=300)


@pytest.fixture(scope="module")
def indexed(samples_no_entities) -> tuple[Path, Path]:
    assert os.environ.get("READER_CONFIG") and not Path(os.environ["READER_CONFIG"]).exists()  # conftest: no config file
    return samples_no_entities.articles_dir, samples_no_entities.index_dir


@pytest.mark.parametrize("words", [("tariffs",), ("trade", "talks"), ('"trade talks"',), ("lighth*",)])
def test_a_search_imports_nothing_it_does_not_need(indexed, words):
    articles, index = indexed
    assert not (index / "bookmarks.sqlite").exists(), "the case without a user-state file"
    result = run_search(articles, index, *words)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "result" in result.stdout.splitlines()[0]
    loaded = imported_modules(result.stderr)
    assert "reader.index.searching" in loaded and "rich.console" in loaded, "importtime was read"
    assert sorted(loaded.intersection(NOT_FOR_A_SEARCH)) == []


def test_the_bookmarks_package_loads_its_modules_when_asked():
    """``reader.bookmarks`` imports its names on first use; every name it lists is there."""
    import reader.bookmarks as bookmarks

    assert set(bookmarks.__all__) == set(bookmarks._HOMES)
    for name in bookmarks.__all__:
        assert getattr(bookmarks, name) is not None
    from reader.bookmarks import BookmarkStore, schema, store_path  # a class, a submodule and a function

    assert BookmarkStore.__module__ == "reader.bookmarks.store" and schema.SCHEMA_VERSION and callable(store_path)
    with pytest.raises(AttributeError):
        bookmarks.no_such_name  # noqa: B018 - the attribute access is the test


def test_whoosh_hashes_terms_as_before_without_openssl():
    """Whoosh's term tables hash keys with MD5: the interpreter's own gives the same numbers."""
    script = (
        "import sys, reader.index.store\n"
        "from whoosh.filedb import filetables\n"
        "keys = [b'', b'palladium', 'caf\\u00e9'.encode(), bytes(range(256))]\n"
        "ours = [filetables.md5_hash(k) for k in keys]\n"
        "print('hashlib' in sys.modules)\n"
        "import hashlib\n"
        "print(ours == [int(hashlib.md5(k).hexdigest(), 16) & 0xFFFFFFFF for k in keys])\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["False", "True"]
