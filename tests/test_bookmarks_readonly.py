"""A read-only or locked bookmark store: reading still works where it can, changes
are refused with one clear line (exit 2 in the CLI), the file is never touched."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from reader.bookmarks import (
    BookmarkStore,
    StoreBusyError,
    StoreReadOnlyError,
    database,
    store_path,
)
from reader.cli import main

BODY = "Chinese officials denied that the government forces U.S. firms to transfer technology."
QUOTE = "the government forces U.S. firms"
REPO = Path(__file__).resolve().parent.parent


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def index(tmp_path) -> Path:
    """An index folder whose store holds one bookmark and one read mark, closed cleanly."""
    folder = tmp_path / "index"
    with BookmarkStore(store_path(folder)) as store:
        start = BODY.index(QUOTE)
        store.add("a1", QUOTE, start, start + len(QUOTE), body=BODY, note="mine")
        store.mark_read("a1")
    return folder


def cli(index: Path, capsys, *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    status = main(["--articles", str(index.parent / "articles"), "--index", str(index), "bookmarks", *args])
    out, err = capsys.readouterr()
    return status, out, err


def one_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert "unexpected error" not in err and "Traceback" not in err, err
    return lines[0]


# -- read-only: the folder or the file cannot be written ------------------------------------


@pytest.fixture
def read_only_folder(index, monkeypatch):
    """As the store sees a folder it may not write (chmod does not bind root, so say it)."""
    real = database._can_write
    monkeypatch.setattr(database, "_can_write", lambda path: False if path == index else real(path))
    return index


def test_a_read_only_store_reads_and_refuses_changes(read_only_folder, capsys):
    path = store_path(read_only_folder)
    before = digest(path)
    with BookmarkStore(path) as store:
        assert store.read_only
        [bookmark] = store.list()
        assert bookmark.note == "mine" and store.read_ids() == {"a1"}
        assert store.search("government")[0].id == bookmark.id
        for change in (
            lambda: store.add("a1", "Chinese", 0, 7, body=BODY),
            lambda: store.delete(bookmark.id),
            lambda: store.update(bookmark.id, note="x"),
            lambda: store.mark_read("a2"),
            lambda: store.import_json([bookmark.to_json()]),
        ):
            with pytest.raises(StoreReadOnlyError, match="read-only.*nothing was saved"):
                change()
        assert store.purge_deleted(0) == 0
        moved = "A new first sentence. " + BODY
        [again] = store.reanchor("a1", moved)  # computed and shown, not written
        assert moved[again.start : again.end] == QUOTE
    assert digest(path) == before
    companions = {p.name: p.stat().st_size for p in path.parent.iterdir() if p != path}
    assert set(companions) <= {"bookmarks.sqlite-wal", "bookmarks.sqlite-shm"}  # SQLite's, for reading
    assert companions.get("bookmarks.sqlite-wal", 0) == 0


def test_cli_on_a_read_only_store(read_only_folder, capsys):
    path = store_path(read_only_folder)
    before = digest(path)
    status, out, _ = cli(read_only_folder, capsys, "list", "--json")
    assert status == 0 and '"note": "mine"' in out
    status, out, _ = cli(read_only_folder, capsys, "export", "--format", "markdown")
    assert status == 0 and QUOTE in out
    for args in (["delete", "anything"], ["undo", "anything"]):
        status, _, err = cli(read_only_folder, capsys, *args)
        assert status == 2
        assert "read-only" in one_line(err)
    assert digest(path) == before


def test_an_older_read_only_store_is_read_through_its_migrations(tmp_path, monkeypatch):
    folder = tmp_path / "index"
    folder.mkdir()
    old = sqlite3.connect(folder / "bookmarks.sqlite")
    with old:
        from reader.bookmarks.schema import MIGRATIONS

        for statement in MIGRATIONS[0]:
            old.execute(statement)
        old.execute("PRAGMA user_version = 1")
        old.execute(
            "INSERT INTO bookmarks (id, article, quote, start, \"end\", created, updated) "
            "VALUES ('v1', 'a1', 'q', 0, 1, '2020-01-01T00:00:00.000Z', '2020-01-01T00:00:00.000Z')"
        )
    old.close()
    before = digest(folder / "bookmarks.sqlite")
    monkeypatch.setattr(database, "_can_write", lambda path: False)
    with BookmarkStore(folder / "bookmarks.sqlite") as store:
        assert [b.id for b in store.list()] == ["v1"] and store.read_ids() == set()
        assert store.backup_path is None
    assert digest(folder / "bookmarks.sqlite") == before
    assert list(folder.glob("*.bak")) == []


def test_no_store_in_a_read_only_folder_is_an_empty_one(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "index"
    folder.mkdir()
    monkeypatch.setattr(database, "_can_write", lambda path: False)
    with BookmarkStore(store_path(folder)) as store:
        assert store.list() == [] and len(store) == 0
    assert list(folder.iterdir()) == []
    status, _, err = cli(folder, capsys, "list")
    assert status == 1 and "unexpected" not in err


def test_a_store_that_turns_read_only_while_open(index):
    with BookmarkStore(store_path(index)) as store:
        store.conn.execute("PRAGMA query_only = ON")  # SQLite now refuses writes as on a read-only file
        [bookmark] = store.list()
        with pytest.raises(StoreReadOnlyError, match="nothing was saved"):
            store.update(bookmark.id, note="changed")
        assert store.get(bookmark.id).note == "mine"


# -- locked: another program holds the database ----------------------------------------------


def test_a_store_locked_by_another_writer(index, monkeypatch):
    """Another program is writing (and takes its time): changes wait, then fail in one line; reading goes on."""
    monkeypatch.setattr(database, "DEFAULT_TIMEOUT", 0.2)
    with BookmarkStore(store_path(index)) as store:
        other = sqlite3.connect(store_path(index), isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            with pytest.raises(StoreBusyError, match="locked by another program.*nothing was saved"):
                store.mark_read("a2")
            assert [b.note for b in store.list()] == ["mine"]
        finally:
            other.execute("ROLLBACK")
            other.close()
        store.mark_read("a2")  # and it works again once released
        assert store.read_ids() == {"a1", "a2"}


def test_a_store_locked_exclusively_is_one_clear_error(index, monkeypatch, capsys):
    """Another program holds the file exclusively: even reading has to wait, then says so."""
    monkeypatch.setattr(database, "DEFAULT_TIMEOUT", 0.2)
    other = sqlite3.connect(store_path(index), isolation_level=None)
    other.execute("PRAGMA locking_mode = EXCLUSIVE")
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreBusyError, match="busy in another program"):
            BookmarkStore(store_path(index))
        for args in (["list"], ["export"], ["delete", "x"]):
            status, _, err = cli(index, capsys, *args)
            assert status == 2 and "busy" in one_line(err)
    finally:
        other.execute("ROLLBACK")
        other.close()
    status, _, _ = cli(index, capsys, "list")
    assert status == 0


# -- a really read-only mount (root, private mount namespace) -----------------------------------


def _namespace_available() -> bool:
    import os

    if not shutil.which("unshare") or os.geteuid() != 0:
        return False
    return subprocess.run(["unshare", "-m", "true"], capture_output=True).returncode == 0


@pytest.mark.skipif(not _namespace_available(), reason="needs root and unshare -m for a read-only mount")
@pytest.mark.parametrize("what", ["folder", "file"])
def test_really_read_only(index, what):
    path = store_path(index)
    before = digest(path)
    target = index if what == "folder" else path
    reader = f'"{sys.executable}" -m reader --articles "{index.parent / "articles"}" --index "{index}" bookmarks'
    shell = (
        f'mount --bind "{target}" "{target}" && mount -o remount,bind,ro "{target}" && '
        f'{reader} list --json; echo "list=$?" >&2; {reader} delete nothing; echo "delete=$?" >&2'
    )
    result = subprocess.run(
        ["unshare", "-m", "sh", "-c", shell], capture_output=True, text=True, cwd=REPO,
        env={"PYTHONPATH": str(REPO / "src"), "PATH": "/usr/bin:/bin"},
    )
    lines = result.stderr.splitlines()
    assert "list=0" in lines and "delete=2" in lines, result.stderr
    assert '"note": "mine"' in result.stdout
    messages = [line for line in lines if line.startswith("reader: ")]
    assert len(messages) == 1 and "read-only" in messages[0], result.stderr
    assert "Traceback" not in result.stderr and "unexpected" not in result.stderr
    assert digest(path) == before


def test_a_sync_says_when_it_cannot_reanchor_a_read_only_store(library, monkeypatch):
    article = library.articles()[0]
    body = library.article(article.id).body
    bookmark = library.bookmarks.add_for_article(library.article(article.id), body[300:340])
    library.close()
    path = next(p for p in library.articles_dir.rglob("*") if p.is_file() and p.stem == article.id)
    head, rest = path.read_text(encoding="utf-8").split("\n\n", 1)
    path.write_text(head + "\n\nAn inserted paragraph.\n\n" + rest, encoding="utf-8")
    store_file = store_path(library.index_dir)
    before = digest(store_file)
    real = database._can_write
    monkeypatch.setattr(database, "_can_write", lambda p: False if p == store_file else real(p))
    report = library.sync(entities=False)
    [warning] = [w for w in report.warnings if "bookmarks" in w]
    assert "not re-anchored" in warning and "read-only" in warning
    assert digest(store_file) == before
    monkeypatch.undo()
    library.close()
    report = library.sync(entities=False)  # writable again: done now, though nothing changed since
    fresh = library.bookmarks.get(bookmark.id)
    assert library.article(article.id).body[fresh.start : fresh.end] == body[300:340]
