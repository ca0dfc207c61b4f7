"""Incremental sync: only what changed is read; deletions leave; bookmarks are never touched."""

from __future__ import annotations

import os
import time

from reader import Library


def bump(path):
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def test_first_sync_adds_everything(library):
    assert len(library) == 5
    assert sorted(a.id[:3] for a in library.articles()) == ["000", "001", "002", "003", "004"]


def test_unchanged_corpus_is_a_no_op(library):
    report = library.sync(entities=False)
    assert not report.touched
    assert report.unchanged == 5
    assert library.pending() == 0


def test_add_change_delete(library, corpus):
    (corpus / "sub").mkdir()
    (corpus / "sub" / "new.txt").write_text(
        "Zeppelins return\n\nBERLIN -- Airships are back in fashion, officials said on Monday.\n"
    )
    changed = next(corpus.glob("003_*.txt"))
    changed.write_text(changed.read_text().replace("Raimondo", "Rimando"))
    deleted = next(corpus.glob("004_*.txt"))
    deleted.unlink()
    assert library.pending() == 3

    report = library.sync(entities=False)
    assert report.added == ["sub/new.txt"]
    assert report.changed == [changed.name]
    assert report.removed == [deleted.name]
    assert len(library) == 5
    assert [h.id for h in library.search("zeppelins")] == ["sub/new"]
    assert library.search("Raimondo").total == 0
    assert library.search("Rimando").total == 1
    assert library.search("Kudlow").total == 0  # only 004 named him
    assert library.pending() == 0


def test_touched_but_identical_file_is_not_reindexed(library, corpus):
    path = next(corpus.glob("001_*.txt"))
    bump(path)
    report = library.sync(entities=False)
    assert not report.touched
    assert library.pending() == 0


def test_bad_files_are_skipped_with_reasons_and_others_indexed(library, corpus):
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "binary.txt").write_bytes(b"\x00\x01\x02PNG\x00" * 50)
    (corpus / "debris.txt").write_text("Source: post\n\nNo posts to display\n")
    report = library.sync(entities=False)
    reasons = {s.path: s.reason for s in report.skipped}
    assert "empty" in reasons["empty.txt"]
    assert "binary" in reasons["binary.txt"]
    assert "no article text" in reasons["debris.txt"]
    assert len(library) == 5
    # Known-bad files are reported again without being re-read, and fixed ones come in.
    again = library.sync(entities=False)
    assert {s.path for s in again.skipped} == set(reasons)
    (corpus / "empty.txt").write_text("Now a story\n\nLONDON -- Something happened today, officials said.\n")
    fixed = library.sync(entities=False)
    assert fixed.added == ["empty.txt"]


def test_same_id_twice_is_reported(library, corpus):
    source = next(corpus.glob("000_*.txt"))
    (corpus / (source.stem + ".md")).write_text("# Duplicate\n\nA different body, officials said.\n")
    report = library.sync(entities=False)
    assert any("same article id" in s.reason for s in report.skipped)


def test_rebuild_keeps_user_files(library, tmp_path):
    bookmarks = library.index_dir / "bookmarks.sqlite"
    bookmarks.write_bytes(b"user data")
    report = library.sync(rebuild=True, entities=False)
    assert len(report.added) == 5
    assert bookmarks.read_bytes() == b"user data"


def test_deleted_search_index_is_rebuilt(library):
    import shutil

    shutil.rmtree(library.index_dir / "search")
    library.close()
    lib = Library(library.articles_dir, library.index_dir)
    assert lib.search("Mnuchin").total == 0
    lib.sync(rebuild=True, entities=False)
    assert lib.search("Mnuchin").total == 4
    lib.close()


def test_searcher_sees_another_writer(library, corpus, tmp_path):
    other = Library(corpus, library.index_dir)
    assert library.search("zeppelins").total == 0
    (corpus / "z.txt").write_text("Zeppelins\n\nBERLIN -- Airships again, officials said.\n")
    other.sync(entities=False)
    other.close()
    deadline = time.monotonic() + 30  # the shared searcher checks for a newer generation once a second
    while library.search("zeppelins").total == 0:
        assert time.monotonic() < deadline, "the open library never saw the other writer"
        time.sleep(0.05)
    assert library.search("zeppelins").total == 1


def test_newest_articles_are_the_first_of_every_article_newest_first(tmp_path):
    """The app's first screenful: dated newest first (equal dates by path, last first), then undated by path."""
    articles = tmp_path / "articles"
    articles.mkdir()
    dates = ["2019-03-28", "2020-01-02", "2019-03-28", "", "2018-07-01", "", "2020-01-02", "2019-03-28"]
    for number, date in enumerate(dates):
        dateline = f" date {date} By Ann Lee\n\n" if date else ""
        (articles / f"{number:03d}.txt").write_text(
            f"Story {number}\n\n{dateline}BERLIN -- Officials said something about story {number}.\n"
        )
    with Library(articles, tmp_path / "index") as library:
        library.sync(entities=False)
        everything = library.articles()
        assert sorted(summary.date for summary in everything) == sorted(dates)
        dated = sorted((s for s in everything if s.date), key=lambda s: (s.date, s.path), reverse=True)
        expected = dated + [s for s in everything if not s.date]  # articles() is in path order
        for limit in range(len(dates) + 2):
            newest, total = library.newest_articles(limit)
            assert newest == expected[:limit]
            assert total == len(dates)


def test_newest_articles_are_read_along_the_date_index_also_in_an_older_catalog(tmp_path):
    """The first screen must not scan every row (each holds its article's text): a catalog from
    before ``articles_date`` gets the index when next opened, and the answer stays the same."""
    import sqlite3

    articles = tmp_path / "articles"
    articles.mkdir()
    for number, date in enumerate(["2019-03-28", "2020-01-02", "", "2019-03-28"]):
        dateline = f" date {date} By Ann Lee\n\n" if date else ""
        (articles / f"{number:03d}.txt").write_text(f"Story {number}\n\n{dateline}BERLIN -- Story {number}.\n")
    with Library(articles, tmp_path / "index") as library:
        library.sync(entities=False)
        before = library.newest_articles(3)
    catalog = tmp_path / "index" / "catalog.sqlite"
    with sqlite3.connect(catalog) as db:
        db.execute("DROP INDEX articles_date")  # as an older version wrote it
    with Library(articles, tmp_path / "index") as library:
        assert library.newest_articles(3) == before
    with sqlite3.connect(catalog) as db:
        plan = " ".join(str(row) for row in db.execute(
            "EXPLAIN QUERY PLAN SELECT id FROM articles WHERE date != '' ORDER BY date DESC, path DESC LIMIT 3"
        ))
    assert "articles_date" in plan and "TEMP B-TREE" not in plan


def test_many_small_syncs_keep_the_segment_count_bounded(tmp_path):
    """Each batch commit adds a segment; past MAX_SEGMENTS the smallest are merged, and nothing is lost."""
    import os

    from reader.index import sync

    corpus = tmp_path / "articles"
    corpus.mkdir()
    lib = Library(corpus, tmp_path / "index")
    for n in range(40):
        (corpus / f"a{n:02d}.txt").write_text(f"Headline {n}\n\nThe word marker{n:02d} and zebra appear here.\n")
        sync.sync_library(lib.store, corpus, entities=False, batch_size=1)
    segments = [name for name in os.listdir(lib.store.search_dir) if name.endswith(".seg")]
    assert len(segments) <= sync.MAX_SEGMENTS
    assert lib.search("zebra", limit=100).total == 40
    assert {hit.id for hit in lib.search("marker07 OR marker39")} == {"a07", "a39"}
    for n in range(0, 40, 2):  # deletions too: mostly deleted segments are merged away
        (corpus / f"a{n:02d}.txt").unlink()
    lib.sync(entities=False)
    assert lib.search("zebra", limit=100).total == 20
    lib.close()


# -- cancelling -------------------------------------------------------------------------------


def _numbered_corpus(root, count: int) -> dict[str, str]:
    """``count`` small articles, each with its own word; returns {article id: word}."""
    root.mkdir()
    words = {}
    for n in range(count):
        word = "qx" + "".join("bcdfghjklm"[int(digit)] for digit in f"{n:04d}")
        (root / f"a{n:04d}.txt").write_text(f"Headline {n}\n\nThe word {word} and zebra appear here.\n")
        words[f"a{n:04d}"] = word
    return words


def _assert_consistent(library: Library, words: dict[str, str]) -> set[str]:
    """The catalog and the search index hold the same articles; returns their ids."""
    listed = {summary.id for summary in library.articles()}
    found = {hit.id for hit in library.search("zebra", limit=len(words) + 10)}
    assert found == listed and len(library) == len(listed)
    for article_id in sorted(listed)[:: max(1, len(listed) // 20)]:
        assert [hit.id for hit in library.search(words[article_id])] == [article_id]
    return listed


def test_a_cancelled_sync_leaves_a_consistent_index_that_the_next_sync_completes(tmp_path):
    """Cancelled between batches: the committed batches are searchable, the rest is pending."""
    words = _numbered_corpus(tmp_path / "articles", 250)  # batches of 100 and 150
    with Library(tmp_path / "articles", tmp_path / "index") as library:
        stop = []
        report = library.sync(entities=False, progress=lambda done, total, path: stop.append(done), cancelled=lambda: bool(stop))
        assert len(report.added) == 100
        indexed = _assert_consistent(library, words)
        assert indexed == {path.removesuffix(".txt") for path in report.added}
        assert library.pending() == 150

        again = library.sync(entities=False)
        assert len(again.added) == 150 and not set(again.added) & set(report.added)
        assert _assert_consistent(library, words) == set(words)
        assert library.pending() == 0


def test_a_sync_cancelled_inside_a_batch_drops_that_batch_whole(tmp_path, monkeypatch):
    from reader.index import sync

    monkeypatch.setattr(sync, "_REPORT_EVERY", 10)  # check for a cancel every 10 articles written
    words = _numbered_corpus(tmp_path / "articles", 160)  # batches of 100 and 60
    with Library(tmp_path / "articles", tmp_path / "index") as library:
        checks = []

        def cancelled() -> bool:  # the second batch's first check inside its writer
            checks.append(1)
            return len(checks) > 12

        report = library.sync(entities=False, cancelled=cancelled)
        assert len(report.added) == 100
        assert _assert_consistent(library, words) == {path.removesuffix(".txt") for path in report.added}
        assert library.pending() == 60

        library.sync(entities=False)
        assert _assert_consistent(library, words) == set(words)
