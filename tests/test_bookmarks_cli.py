"""Bookmarks through the Library and the CLI: the issue's "done means" flow."""

from __future__ import annotations

import json

from reader import Library
from reader.cli import main

QUOTE = "That is one of the big things I hear constantly from business, protection of trade secrets"


def test_bookmark_survives_rebuild_and_edit_above_it(corpus, tmp_path, capsys):
    index = tmp_path / "index"
    base = ["--articles", str(corpus), "--index", str(index)]
    assert main([*base, "index", "--no-entities"]) == 0
    article_id = next(corpus.glob("003_*.txt")).stem
    assert main([*base, "bookmarks", "add", article_id, "--quote", QUOTE, "--note", "key complaint", "--tag", "ip"]) == 0
    capsys.readouterr()

    assert main([*base, "index", "--rebuild", "--no-entities"]) == 0
    path = next(corpus.glob("003_*.txt"))
    text = path.read_text()
    marker = "During a visit to revive frosty relations"
    path.write_text(text.replace(marker, "An inserted paragraph, added by an editor, pushes everything down.\n\n" + marker))
    assert main([*base, "index", "--no-entities"]) == 0
    capsys.readouterr()

    assert main([*base, "bookmarks", "list", "--json"]) == 0
    [bookmark] = json.loads(capsys.readouterr().out)
    assert set(bookmark) >= {"id", "article", "quote", "note", "tags", "start", "end", "orphaned", "created", "updated"}
    assert bookmark["note"] == "key complaint" and bookmark["tags"] == ["ip"]
    assert not bookmark["orphaned"]
    with Library(corpus, index) as lib:
        body = lib.article(article_id).body
        assert body[bookmark["start"] : bookmark["end"]] == QUOTE


def test_deleted_article_orphans_but_keeps_bookmark(corpus, tmp_path, capsys):
    base = ["--articles", str(corpus), "--index", str(tmp_path / "index")]
    main([*base, "index", "--no-entities"])
    article_id = next(corpus.glob("003_*.txt")).stem
    main([*base, "bookmarks", "add", article_id, "--quote", QUOTE])
    next(corpus.glob("003_*.txt")).unlink()
    main([*base, "index", "--no-entities"])
    capsys.readouterr()
    assert main([*base, "bookmarks", "list", "--json"]) == 0
    [bookmark] = json.loads(capsys.readouterr().out)
    assert bookmark["orphaned"] and bookmark["quote"] == QUOTE


def test_quote_must_occur(corpus, tmp_path, capsys):
    base = ["--articles", str(corpus), "--index", str(tmp_path / "index")]
    main([*base, "index", "--no-entities"])
    article_id = next(corpus.glob("003_*.txt")).stem
    assert main([*base, "bookmarks", "add", article_id, "--quote", "words that are not there at all"]) == 1
    assert main([*base, "bookmarks", "add", "no-such-article", "--quote", "x"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err


def test_export_import_round_trip(corpus, tmp_path, capsys):
    base = ["--articles", str(corpus), "--index", str(tmp_path / "index")]
    main([*base, "index", "--no-entities"])
    article_id = next(corpus.glob("003_*.txt")).stem
    main([*base, "bookmarks", "add", article_id, "--quote", QUOTE, "--note", "n", "--tag", "a"])
    capsys.readouterr()
    assert main([*base, "bookmarks", "export", "--format", "markdown"]) == 0
    markdown = capsys.readouterr().out
    assert QUOTE in markdown and "US commerce secretary" in markdown
    assert main([*base, "bookmarks", "export", "--format", "json"]) == 0
    exported = tmp_path / "bm.json"
    exported.write_text(capsys.readouterr().out)
    other = ["--articles", str(corpus), "--index", str(tmp_path / "other")]
    main([*other, "index", "--no-entities"])
    assert main([*other, "bookmarks", "import", str(exported)]) == 0
    assert main([*other, "bookmarks", "import", str(exported)]) == 0
    capsys.readouterr()
    main([*other, "bookmarks", "list", "--json"])
    assert len(json.loads(capsys.readouterr().out)) == 1


def test_bookmark_json_is_terminal_safe_and_lossless(corpus, tmp_path, capsys):
    """Notes and tags are the user's, but may be pasted: C1 controls and bidi marks are escaped as in search --json."""
    base = ["--articles", str(corpus), "--index", str(tmp_path / "index")]
    assert main([*base, "index", "--no-entities"]) == 0
    article_id = next(corpus.glob("003_*.txt")).stem
    note = "pasted \x9b31m and \u202edesrever\u202c text"
    assert main([*base, "bookmarks", "add", article_id, "--quote", QUOTE, "--note", note]) == 0
    capsys.readouterr()
    for command in (["list", "--json"], ["export", "--format", "json"]):
        assert main([*base, "bookmarks", *command]) == 0
        out = capsys.readouterr().out
        assert "\x9b" not in out and "\u202e" not in out and "\\u009b" in out
        exported = json.loads(out)
        items = exported if isinstance(exported, list) else exported.get("bookmarks", exported)
        assert any(item.get("note") == note for item in items)


def test_delete_and_undo_from_the_command_line(corpus, tmp_path, capsys):
    index = tmp_path / "index"
    base = ["--articles", str(corpus), "--index", str(index)]
    assert main([*base, "index", "--no-entities"]) == 0
    article_id = next(corpus.glob("003_*.txt")).stem
    assert main([*base, "bookmarks", "add", article_id, "--quote", QUOTE, "--note", "keep me", "--tag", "ip"]) == 0
    capsys.readouterr()
    assert main([*base, "bookmarks", "list", "--json"]) == 0
    [before] = json.loads(capsys.readouterr().out)
    short = before["id"][:8]

    assert main([*base, "bookmarks", "delete", short]) == 0
    err = capsys.readouterr().err  # what was done is said on stderr; stdout stays for data
    assert f"deleted {short}" in err and f"reader bookmarks undo {short}" in err
    assert main([*base, "bookmarks", "list", "--json"]) == 1  # nothing to list
    assert json.loads(capsys.readouterr().out) == []
    with Library(corpus, index) as library:
        assert library.bookmarks.get(before["id"]).deleted  # kept, marked deleted: undo can bring it back

    assert main([*base, "bookmarks", "undo", short]) == 0
    assert f"restored {short}" in capsys.readouterr().err
    assert main([*base, "bookmarks", "list", "--json"]) == 0
    [after] = json.loads(capsys.readouterr().out)
    assert {k: after[k] for k in ("id", "quote", "note", "tags", "start", "end")} == {
        k: before[k] for k in ("id", "quote", "note", "tags", "start", "end")
    }

    for action in ("delete", "undo"):
        assert main([*base, "bookmarks", action, "nosuch"]) == 1
        out, err = capsys.readouterr()
        assert err.strip() == "reader: no bookmark 'nosuch'" and "Traceback" not in err


def test_json_export_carries_each_bookmarks_citation(corpus, tmp_path, capsys):
    """Like the Markdown export: title, source, authors, date, URL or path, and the reference line."""
    from reader import Library

    base = ["--articles", str(corpus), "--index", str(tmp_path / "index")]
    main([*base, "index", "--no-entities"])
    article_id = next(corpus.glob("000_*.txt")).stem  # a sample with an author and a date
    main([*base, "bookmarks", "add", article_id, "--quote", "much work remains to be accomplished"])
    capsys.readouterr()
    assert main([*base, "bookmarks", "export", "--format", "json"]) == 0
    [item] = json.loads(capsys.readouterr().out)["bookmarks"]
    with Library(corpus, tmp_path / "index") as library:
        article = library.article(article_id)
    citation = item["citation"]
    assert citation["title"] == article.title and citation["source"] == article.source
    assert citation["authors"] == ["Lingling Wei"] == list(article.authors)
    assert citation["date"] == "2019-03-28" == article.date and citation["path"] == article.path
    assert citation["reference"].startswith(f"{article.title}, Lingling Wei, 2019-03-28")
    assert citation["reference"].endswith(article.url or article.path)
