"""The memo of the last finished sync: a no-change sync skips what it can prove, and nothing else."""

from __future__ import annotations

import os
import sqlite3

import pytest

from reader import Library
from reader.index.catalog import Catalog
from reader.index.sync_memo import SYNC_MEMO


@pytest.fixture
def full_path(monkeypatch):
    """Counts how often a sync compares the whole catalog and runs SQLite's full-file check."""
    calls = {"file_states": 0, "check": 0}
    for name in calls:
        original = getattr(Catalog, name)

        def counted(self, *args, _name=name, _original=original, **kwargs):
            calls[_name] += 1
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(Catalog, name, counted)
    return calls


def test_a_no_change_sync_after_a_finished_one_skips_the_comparison_and_the_check(library, tmp_path, full_path):
    assert (tmp_path / "index" / SYNC_MEMO).exists()
    report = library.sync(entities=False)
    assert report.unchanged == 5 and not report.touched
    assert full_path == {"file_states": 0, "check": 0}
    assert library.pending() == 0
    assert full_path["file_states"] == 0


def test_the_memo_holds_across_processes(corpus, tmp_path, full_path):
    with Library(corpus, tmp_path / "index") as first:
        first.sync(entities=False)
    with Library(corpus, tmp_path / "index") as second:  # a new process: the catalog was closed and reopened
        full_path.update(file_states=0, check=0)
        assert second.sync(entities=False).unchanged == 5
    assert full_path == {"file_states": 0, "check": 0}


def test_a_changed_added_or_removed_file_is_seen(library, corpus, full_path):
    changed = next(corpus.glob("002_*.txt"))
    text = changed.read_text()
    changed.write_text(text.replace("the", "THE", 1))  # same size, new mtime
    os.utime(changed, ns=(changed.stat().st_atime_ns, changed.stat().st_mtime_ns + 1_000_000_000))
    report = library.sync(entities=False)
    assert report.changed == [changed.name]
    assert full_path["file_states"] == 1

    (corpus / "new.txt").write_text("Airships return\n\nBERLIN -- Zeppelins are back, officials said.\n")
    assert library.sync(entities=False).added == ["new.txt"]
    (corpus / "new.txt").unlink()
    assert library.sync(entities=False).removed == ["new.txt"]
    assert library.search("zeppelins").total == 0


def test_a_catalog_written_by_anyone_else_takes_the_full_path(library, tmp_path, full_path):
    with sqlite3.connect(tmp_path / "index" / "catalog.sqlite") as db:
        db.execute("INSERT OR REPLACE INTO meta VALUES ('someone', 'else')")
    assert library.sync(entities=False).unchanged == 5
    assert full_path == {"file_states": 1, "check": 1}
    full_path.update(file_states=0, check=0)
    assert library.sync(entities=False).unchanged == 5  # and the memo is written again
    assert full_path == {"file_states": 0, "check": 0}


def test_a_damaged_catalog_is_still_found_after_a_memo(library, tmp_path):
    catalog = tmp_path / "index" / "catalog.sqlite"
    library.close()
    size = catalog.stat().st_size
    with open(catalog, "r+b") as handle:  # overwrite pages in the middle: the file's mtime moves
        handle.seek(size // 2 // 4096 * 4096)
        handle.write(os.urandom(8192))
    with Library(catalog.parent.parent / "articles", catalog.parent) as reopened:
        report = reopened.sync(entities=False)
        assert any("catalog.sqlite is damaged" in warning for warning in report.warnings)
        assert len(reopened) == 5


def test_a_damaged_memo_costs_one_full_sync(library, tmp_path, full_path):
    (tmp_path / "index" / SYNC_MEMO).write_text("{not json")
    assert library.sync(entities=False).unchanged == 5
    assert full_path == {"file_states": 1, "check": 1}


def test_a_cancelled_sync_leaves_no_memo(corpus, tmp_path):
    with Library(corpus, tmp_path / "index") as library:
        library.sync(entities=False, cancelled=lambda: True)
    assert not (tmp_path / "index" / SYNC_MEMO).exists()


def test_known_skips_are_still_reported(library, corpus, full_path):
    (corpus / "empty.txt").write_bytes(b"")
    first = library.sync(entities=False)
    full_path.update(file_states=0, check=0)
    again = library.sync(entities=False)
    assert [s.path for s in again.skipped] == [s.path for s in first.skipped] == ["empty.txt"]
    assert again.skipped[0].reason == first.skipped[0].reason
    assert full_path["file_states"] == 0


def test_verify_reads_every_file_whatever_the_memo_says(library, full_path):
    report = library.sync(entities=False, verify=True)
    assert report.unchanged == 5
    assert full_path["file_states"] == 1


def test_the_entity_phase_keeps_the_memo(library, rules_extractor, full_path):
    assert library.extract_entities().extracted == 5  # writes the catalog, not one file state
    full_path.update(file_states=0, check=0)
    assert library.sync(entities=False).unchanged == 5
    assert full_path == {"file_states": 0, "check": 0}
