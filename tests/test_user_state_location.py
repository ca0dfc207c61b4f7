"""Where the user-state database lives (config ``user_data``) and moving it without losing anything."""

from __future__ import annotations

import json
import sqlite3

import pytest

from reader.bookmarks.location import UserStateConflict, place_user_state, same_content
from reader.cli import main


@pytest.fixture
def places(tmp_path, monkeypatch, corpus):
    config = tmp_path / "conf" / "config.toml"
    config.parent.mkdir()
    monkeypatch.setenv("READER_CONFIG", str(config))
    monkeypatch.setenv("READER_DATA_DIR", str(tmp_path / "data"))
    for name in ("READER_ARTICLES", "READER_INDEX", "READER_THEME"):
        monkeypatch.delenv(name, raising=False)
    index = tmp_path / "index"
    paths = ["--articles", str(corpus), "--index", str(index)]
    assert main([*paths, "index", "--no-entities", "-q"]) == 0
    return config, paths, index, tmp_path / "data"


def _bookmark_ids(paths, capsys) -> list[str]:
    capsys.readouterr()
    code = main([*paths, "bookmarks", "list", "--json"])
    out = capsys.readouterr().out
    return [b["id"] for b in json.loads(out)] if code == 0 else []


def _add(paths, capsys, quote: str) -> None:
    assert main([*paths, "bookmarks", "add", "003_6ecca0d802200a51", "--quote", quote]) == 0
    capsys.readouterr()


def test_user_data_moves_to_the_data_folder_and_back_with_backups(places, capsys):
    config, paths, index, data = places
    _add(paths, capsys, "Raimondo")
    before = _bookmark_ids(paths, capsys)
    assert len(before) == 1 and (index / "bookmarks.sqlite").exists()

    config.write_text('user_data = "data"\n')
    assert _bookmark_ids(paths, capsys) == before  # nothing lost on the way
    assert (data / "bookmarks.sqlite").exists() and not (index / "bookmarks.sqlite").exists()
    [backup] = index.glob("bookmarks.sqlite.moved-*.bak")
    assert same_content(backup, data / "bookmarks.sqlite")
    capsys.readouterr()
    assert main([*paths, "status"]) == 0
    assert f"user data  {data / 'bookmarks.sqlite'}    (" in capsys.readouterr().out

    _add(paths, capsys, "export controls")  # written in the data folder now
    config.write_text('user_data = "index"\n')
    code = main([*paths, "bookmarks", "list", "--json"])
    captured = capsys.readouterr()
    assert code == 0 and len(json.loads(captured.out)) == 2
    assert f"moved your bookmarks, feeds and read marks to {index / 'bookmarks.sqlite'}" in captured.err
    assert captured.err.count("\n") == 1


def test_two_different_databases_are_refused_in_one_line_and_left_alone(places, capsys):
    config, paths, index, data = places
    _add(paths, capsys, "Raimondo")
    config.write_text('user_data = "data"\n')
    _bookmark_ids(paths, capsys)  # moved
    _add(paths, capsys, "export controls")
    config.write_text("")  # back to the default, but someone copied an old file beside the index
    [backup] = index.glob("bookmarks.sqlite.moved-*.bak")
    (index / "bookmarks.sqlite").write_bytes(backup.read_bytes())
    snapshot = {path: path.read_bytes() for path in [*index.glob("bookmarks.sqlite*"), *data.glob("*")]}
    code = main([*paths, "bookmarks", "list"])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1
    assert "two files that differ" in err and str(data / "bookmarks.sqlite") in err
    assert {path: path.read_bytes() for path in snapshot} == snapshot


def test_committed_changes_still_in_the_wal_are_moved(tmp_path):
    old, new = tmp_path / "old" / "bookmarks.sqlite", tmp_path / "new" / "bookmarks.sqlite"
    old.parent.mkdir()
    writer = sqlite3.connect(old)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("PRAGMA wal_autocheckpoint=0")
    writer.execute("CREATE TABLE t (x)")
    writer.execute("PRAGMA user_version = 7")
    writer.commit()
    writer.execute("INSERT INTO t VALUES ('only in the wal')")
    writer.commit()
    assert old.with_name("bookmarks.sqlite-wal").stat().st_size > 0
    try:
        note = place_user_state(new, old)
    finally:
        writer.close()
    assert str(new) in note
    copied = sqlite3.connect(new)
    assert copied.execute("SELECT x FROM t").fetchall() == [("only in the wal",)]
    assert copied.execute("PRAGMA user_version").fetchone() == (7,)
    copied.close()
    assert not old.exists() and len(list(old.parent.glob("bookmarks.sqlite.moved-*.bak"))) == 1


def test_same_place_or_nothing_to_move_does_nothing(tmp_path):
    path = tmp_path / "bookmarks.sqlite"
    assert place_user_state(path, path) == ""
    assert place_user_state(path, tmp_path / "elsewhere" / "bookmarks.sqlite") == ""
    assert not path.exists()


def test_identical_copies_keep_one_and_back_up_the_other(tmp_path):
    first, second = tmp_path / "a" / "bookmarks.sqlite", tmp_path / "b" / "bookmarks.sqlite"
    for path in (first, second):
        path.parent.mkdir()
        db = sqlite3.connect(path)
        db.execute("CREATE TABLE t (x)")
        db.execute("INSERT INTO t VALUES (1)")
        db.commit()
        db.close()
    assert "kept as" in place_user_state(first, second)
    assert first.exists() and not second.exists()
    with pytest.raises(UserStateConflict):
        db = sqlite3.connect(second)
        db.execute("CREATE TABLE u (y)")
        db.commit()
        db.close()
        place_user_state(first, second)
