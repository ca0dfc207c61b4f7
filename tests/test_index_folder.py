"""The index folder: reader never deletes or overwrites what it did not write.

Issue 13, "data loss": ``--rebuild`` and the rebuild after damage used to
``rmtree`` ``<index>/search`` and replace ``catalog.sqlite`` wherever
``--index`` pointed. Now a folder is marked as ours when it is created,
an unmarked non-empty folder is refused (exit 2, one line) unless it is an
index of the previous version (adopted), and only files with names reader
writes are ever removed. Also: the sync lock of a dead process never blocks.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from reader import Library
from reader.cli import main
from reader.errors import ForeignIndexFolder, IndexBusy
from reader.index.folder import MARKER

SAMPLE_NAME = "000_*.txt"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _one_line_refusal(code: int, err: str) -> None:
    assert code == 2, err
    assert err.count("\n") == 1 and "Traceback" not in err and "unexpected error" not in err, err


def test_the_issue_repro_keeps_the_users_file(corpus, tmp_path, capsys):
    """mkdir -p A/search; cp a story into A and A/search; --index A, then --rebuild."""
    folder = tmp_path / "A"
    (folder / "search").mkdir(parents=True)
    sample = next(corpus.glob(SAMPLE_NAME))
    shutil.copy(sample, folder)
    shutil.copy(sample, folder / "search" / "story1.txt")
    before = _digest(folder / "search" / "story1.txt")
    for extra in ((), ("--rebuild",)):
        code, _out, err = _run(capsys, "--articles", str(folder), "--index", str(folder), "index", "--no-entities", *extra)
        _one_line_refusal(code, err)
        assert "is the articles folder" in err
    assert _digest(folder / "search" / "story1.txt") == before
    assert sorted(os.listdir(folder)) == sorted([sample.name, "search"])


def test_a_folder_with_a_search_folder_of_its_own_is_refused(corpus, tmp_path, capsys):
    index = tmp_path / "B"
    (index / "search").mkdir(parents=True)
    (index / "search" / "notes.txt").write_text("mine")
    for extra in ((), ("--rebuild",)):
        code, _out, err = _run(capsys, "--articles", str(corpus), "--index", str(index), "index", "--no-entities", *extra)
        _one_line_refusal(code, err)
        assert "not a reader index" in err and "search/notes.txt" in err
    assert sorted(os.listdir(index)) == ["search"]
    assert (index / "search" / "notes.txt").read_text() == "mine"


def test_someone_elses_sqlite_file_is_never_replaced(corpus, tmp_path, capsys):
    index = tmp_path / "C"
    index.mkdir()
    with sqlite3.connect(index / "catalog.sqlite") as db:
        db.execute("CREATE TABLE accounts (name TEXT)")
        db.execute("INSERT INTO accounts VALUES ('mine')")
    db.close()
    before = _digest(index / "catalog.sqlite")
    for command in (("index", "--no-entities"), ("index", "--rebuild"), ("search", "trade"), ("bookmarks", "list")):
        code, _out, err = _run(capsys, "--articles", str(corpus), "--index", str(index), *command)
        _one_line_refusal(code, err)
    assert _digest(index / "catalog.sqlite") == before
    assert sorted(os.listdir(index)) == ["catalog.sqlite"]


def test_rebuild_removes_only_files_reader_wrote(library, capsys):
    """A file dropped into our own search/ makes a rebuild refuse, and the index stays as it was."""
    search = library.index_dir / "search"
    (search / "draft.md").write_text("keep me")
    with pytest.raises(ForeignIndexFolder):
        library.sync(rebuild=True, entities=False)
    assert (search / "draft.md").read_text() == "keep me"
    assert len(library) == 5 and library.search("Lighthizer").total == 3
    (search / "draft.md").unlink()
    (library.index_dir / "notes.txt").write_text("also mine")  # beside the index: not ours, not touched
    report = library.sync(rebuild=True, entities=False)
    assert len(report.added) == 5
    assert (library.index_dir / "notes.txt").read_text() == "also mine"


def test_a_search_folder_being_thrown_away_keeps_foreign_files(library):
    """What a killed reset left (search.old-*) is cleaned by name, never with rmtree."""
    leftover = library.index_dir / "search.old-1-2"
    leftover.mkdir()
    (leftover / "_articles_3.toc").write_bytes(b"x")
    (leftover / "articles_abc123.seg").write_bytes(b"x")
    (leftover / "articles.tmp").mkdir()  # a killed writer's temporary files
    (leftover / "articles.tmp" / "0a1b2c.ctmp").write_bytes(b"x")
    (leftover / "letter.txt").write_text("someone's")
    library.sync(entities=False)
    assert sorted(os.listdir(leftover)) == ["letter.txt"]
    (leftover / "letter.txt").unlink()
    library.sync(entities=False)
    assert not leftover.exists()


def test_an_index_of_the_previous_version_is_adopted_not_refused(library, capsys):
    """Indexes made before the marker existed: our names only, our catalog. No rebuild."""
    (library.index_dir / MARKER).unlink()
    library.bookmarks.add_for_article(library.article(library.articles()[0].id), "the")
    index, articles = library.index_dir, library.articles_dir
    library.close()
    code, _out, err = _run(capsys, "--articles", str(articles), "--index", str(index), "index", "--no-entities")
    assert code == 0, err
    assert "added" not in err and "rebuilt" not in err
    assert json.loads((index / MARKER).read_text())["format"] == 1
    with Library(articles, index) as again:
        assert len(again.bookmarks.list()) == 1


def test_an_empty_folder_or_one_with_only_hidden_files_is_used(corpus, tmp_path, capsys):
    index = tmp_path / "fresh"
    index.mkdir()
    (index / ".gitkeep").write_text("")
    (index / "README.md").write_text("The index; see ../README.md")  # the repository's own index/ may have one
    code, _out, err = _run(capsys, "--articles", str(corpus), "--index", str(index), "index", "--no-entities")
    assert code == 0, err
    assert (index / ".gitkeep").exists() and (index / "README.md").exists() and (index / MARKER).exists()


def test_an_index_of_a_newer_format_is_left_alone(library, capsys):
    marker = library.index_dir / MARKER
    marker.write_text(json.dumps({"reader-index": True, "format": 99}))
    index, articles = library.index_dir, library.articles_dir
    library.close()
    listing = sorted(os.listdir(index))
    code, _out, err = _run(capsys, "--articles", str(articles), "--index", str(index), "index", "--rebuild")
    _one_line_refusal(code, err)
    assert "newer version" in err
    assert sorted(os.listdir(index)) == listing


def test_articles_inside_the_index_search_folder_are_refused(library, capsys):
    """Whoosh writes and deletes in search/: articles there would be at its mercy."""
    articles = library.index_dir / "search" / "mine"
    articles.mkdir()
    (articles / "story.txt").write_text("Zeppelins return\n\nBERLIN -- Airships are back, officials said.\n")
    code, _out, err = _run(capsys, "--articles", str(articles), "--index", str(library.index_dir), "index", "--rebuild")
    _one_line_refusal(code, err)
    assert "inside the index's own search/" in err
    assert (articles / "story.txt").exists()


@pytest.mark.parametrize("where", ["file", "under-a-file", "inside-articles"])
def test_unusable_index_paths_say_why_in_one_line(corpus, tmp_path, capsys, where):
    (tmp_path / "plain").write_text("a file")
    index = {
        "file": tmp_path / "plain",
        "under-a-file": tmp_path / "plain" / "index",
        "inside-articles": corpus / "index",
    }[where]
    for command in (("index", "--no-entities"), ("search", "trade"), ("bookmarks", "list")):
        code, _out, err = _run(capsys, "--articles", str(corpus), "--index", str(index), *command)
        _one_line_refusal(code, err)
        assert "FileExistsError" not in err and "NotADirectoryError" not in err
    assert (tmp_path / "plain").read_text() == "a file"
    assert not (corpus / "index").exists()


# -- the sync lock ------------------------------------------------------------------

_HOLD_AND_FORK = textwrap.dedent(
    """
    import os, sys, time
    from reader.index.store import IndexStore

    store = IndexStore(sys.argv[1])
    with store.writing(5):
        child = os.fork()
        if child == 0:  # like a spaCy worker: forked while the lock is held, outlives its parent
            time.sleep(120)
            os._exit(0)
        print(child, flush=True)
        time.sleep(120)
    """
)


def test_a_lock_held_by_a_dead_process_does_not_block_even_with_its_children_alive(tmp_path):
    index = tmp_path / "index"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent / "src")}
    holder = subprocess.Popen([sys.executable, "-c", _HOLD_AND_FORK, str(index)], stdout=subprocess.PIPE, text=True, env=env)
    orphan = int(holder.stdout.readline())  # the lock is held once the child's pid is printed
    try:
        store_while_held = Library(tmp_path / "articles", index).store
        with pytest.raises(IndexBusy), store_while_held.writing(0.2):
            pass
        holder.send_signal(signal.SIGKILL)
        holder.wait()
        os.kill(orphan, 0)  # the forked child is still alive
        with store_while_held.writing(5):
            pass
    finally:
        for pid in (holder.pid, orphan):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        holder.stdout.close()


def test_the_lock_excludes_threads_of_one_process(library):
    import threading

    entered = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with library.store.writing(5):
            entered.set()
            release.wait(30)

    thread = threading.Thread(target=hold)
    thread.start()
    try:
        assert entered.wait(30)
        with pytest.raises(IndexBusy), library.store.writing(0.1):
            pass
    finally:
        release.set()
        thread.join()
    with library.store.writing(1):
        pass


def test_the_app_does_not_start_on_a_foreign_folder_nor_write_in_it(corpus, tmp_path, capsys, monkeypatch):
    import reader.app

    def run_app(library):
        pytest.fail("the app started on a folder that is not a reader index")

    monkeypatch.setattr(reader.app, "run_app", run_app)
    index = tmp_path / "papers"
    index.mkdir()
    (index / "thesis.md").write_text("mine")
    code, _out, err = _run(capsys, "--articles", str(corpus), "--index", str(index))  # no command: the app
    _one_line_refusal(code, err)
    assert "not a reader index" in err

    from reader.app.marks import MemoryMarks, open_marks

    with Library(corpus, index) as library:
        marks, why = open_marks(library)  # the app's read marks, when started from a script
    assert isinstance(marks, MemoryMarks) and "not a reader index" in why
    assert sorted(os.listdir(index)) == ["thesis.md"]


def test_a_killed_writers_spilled_postings_are_removed_by_the_next_sync_or_merge(library):
    """An idle-time merge is killed at the next key by design: its spilled postings must not pile up."""
    from reader.index.merging import merge_segments

    temporary = library.index_dir / "search" / "articles.tmp"
    temporary.mkdir(exist_ok=True)
    (temporary / "0ssyfz5atqqcblun.run").write_bytes(b"x" * 1000)
    (temporary / "0a1b2c.ctmp").write_bytes(b"x")
    (temporary / "letter.txt").write_text("someone's")
    library.sync(entities=False)
    assert sorted(os.listdir(temporary)) == ["letter.txt"]

    (temporary / "letter.txt").unlink()
    (temporary / "1abc.run").write_bytes(b"x")
    merge_segments(library.store)
    assert not list(temporary.glob("*.run"))


def test_spilled_postings_do_not_make_the_search_folder_foreign(library):
    temporary = library.index_dir / "search" / "articles.tmp"
    temporary.mkdir(exist_ok=True)
    (temporary / "0ssyfz5atqqcblun.run").write_bytes(b"x")
    report = library.sync(rebuild=True, entities=False)
    assert len(report.added) == 5
