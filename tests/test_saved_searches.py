"""Saved searches that keep watch (issue 16 part 4): the CLI, the user-state table, export/import."""

from __future__ import annotations

import json
import sqlite3

import pytest

from reader.bookmarks import BookmarkStore, store_path
from reader.cli import main

LIGHTHIZER_STORY = """Title: Lighthizer returns to Beijing
Date: 2019-05-01
Source: Test Wire

U.S. Trade Representative Robert Lighthizer arrived in Beijing on Wednesday for another round of talks.
Robert Lighthizer said the two sides were close to a deal on technology transfer.
"""


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def _listed(capsys, base: list[str]) -> dict[str, dict]:
    status, out, _ = _run(capsys, *base, "saved", "list", "--json")
    assert status in (0, 1)
    return {item["name"]: item for item in json.loads(out)["saved_searches"]}


def test_person_search_shows_one_new_article_after_index(corpus, tmp_path, capsys):
    """The issue's "done means": person:lighthizer, a matching file added, `reader index`."""
    base = ["--articles", str(corpus), "--index", str(tmp_path / "index")]
    assert _run(capsys, *base, "index")[0] == 0
    status, out, _ = _run(capsys, *base, "saved", "add", "usTR", "person:lighthizer")
    assert status == 0 and "3 articles, 0 new" in out
    assert _listed(capsys, base)["usTR"] | {"added": ""} == {
        "name": "usTR", "query": "person:lighthizer", "total": 3, "new": 0,
        "added": "", "last_looked": None, "problem": None,
    }

    (corpus / "005_lighthizer_returns.txt").write_text(LIGHTHIZER_STORY)
    assert _run(capsys, *base, "index")[0] == 0
    listed = _listed(capsys, base)["usTR"]
    assert (listed["total"], listed["new"]) == (4, 1)
    status, out, _ = _run(capsys, *base, "saved", "list")
    assert status == 0 and "usTR\tperson:lighthizer\t4 articles, 1 new" in out

    status, out, _ = _run(capsys, *base, "saved", "show", "ustr", "--json")  # names ignore case
    shown = json.loads(out)
    assert status == 0 and shown["new"] == 1 and shown["total"] == 4
    assert [hit["id"] for hit in shown["hits"] if hit["new"]] == ["005_lighthizer_returns"]
    assert shown["hits"][0]["new"]  # new matches come first
    listed = _listed(capsys, base)["usTR"]
    assert (listed["total"], listed["new"]) == (4, 0) and listed["last_looked"]  # show marked them seen


def test_rebuild_keeps_saved_searches_and_what_was_seen(corpus, tmp_path, capsys):
    base = ["--articles", str(corpus), "--index", str(tmp_path / "index")]
    _run(capsys, *base, "index", "--no-entities")
    assert _run(capsys, *base, "saved", "add", "cloud", "cloud", "computing")[0] == 0
    (corpus / "005_cloud.txt").write_text("Title: More cloud\n\nA cloud computing deal was signed.\n")
    assert _run(capsys, *base, "index", "--rebuild", "--no-entities")[0] == 0
    listed = _listed(capsys, base)["cloud"]
    assert listed["query"] == "cloud computing" and listed["new"] == 1 and listed["total"] >= 2

    status, out, _ = _run(capsys, *base, "saved", "show", "cloud")
    assert status == 0 and "1 new" in out
    assert [line for line in out.splitlines() if line.startswith("new ")] == [
        next(line for line in out.splitlines() if "005_cloud" in line)
    ]
    assert _listed(capsys, base)["cloud"]["new"] == 0


def test_duplicate_name_and_bad_query_are_one_line_and_lose_nothing(corpus, tmp_path, capsys):
    base = ["--articles", str(corpus), "--index", str(tmp_path / "index")]
    _run(capsys, *base, "index", "--no-entities")
    assert _run(capsys, *base, "saved", "add", "trade", "trade")[0] == 0
    status, out, err = _run(capsys, *base, "saved", "add", "TRADE", "tariff")
    assert status == 1 and out == ""
    assert err.strip().count("\n") == 0 and "'trade' exists already (query: trade)" in err
    status, out, err = _run(capsys, *base, "saved", "add", "odd", "nosuchfield:x")
    assert status == 2 and err.strip().count("\n") == 0 and "bad query, nothing saved" in err
    assert set(_listed(capsys, base)) == {"trade"}
    assert _listed(capsys, base)["trade"]["query"] == "trade"


def test_query_that_no_longer_parses_is_reported_and_kept(corpus, tmp_path, capsys):
    """As after an upgrade that dropped a field: stored as it was, reported in one line each time."""
    index = tmp_path / "index"
    base = ["--articles", str(corpus), "--index", str(index)]
    _run(capsys, *base, "index", "--no-entities")
    _run(capsys, *base, "saved", "add", "trade", "trade")
    _run(capsys, *base, "saved", "add", "old", "china")
    with sqlite3.connect(store_path(index)) as conn:
        conn.execute("UPDATE saved_searches SET query = 'oldfield:china' WHERE name = 'old'")
    conn.close()

    status, out, err = _run(capsys, *base, "saved", "list")
    assert status == 0 and "trade\ttrade\t" in out and "old" not in out
    [line] = err.strip().splitlines()
    assert "'old' (oldfield:china) cannot run" in line and "no longer parses" in line and "kept" in line
    listed = _listed(capsys, base)["old"]
    assert listed["problem"] and listed["query"] == "oldfield:china"

    status, out, err = _run(capsys, *base, "saved", "show", "old")
    assert status == 2 and out == "" and len(err.strip().splitlines()) == 1 and "no longer parses" in err
    assert _listed(capsys, base)["old"]["query"] == "oldfield:china"  # nothing lost
    assert _run(capsys, *base, "saved", "remove", "old")[0] == 0
    assert set(_listed(capsys, base)) == {"trade"}
    status, _, err = _run(capsys, *base, "saved", "remove", "old")
    assert status == 1 and "no saved search named 'old'" in err


def test_export_and_import_carry_saved_searches(corpus, tmp_path, capsys):
    base = ["--articles", str(corpus), "--index", str(tmp_path / "index")]
    _run(capsys, *base, "index", "--no-entities")
    _run(capsys, *base, "saved", "add", "cloud", "cloud")
    status, out, _ = _run(capsys, *base, "bookmarks", "export", "--format", "json")
    document = json.loads(out)
    [item] = document["saved_searches"]
    assert item["name"] == "cloud" and item["query"] == "cloud" and len(item["seen"]) == 2
    exported = tmp_path / "export.json"
    exported.write_text(out)

    other = ["--articles", str(corpus), "--index", str(tmp_path / "other")]
    _run(capsys, *other, "index", "--no-entities")
    _run(capsys, *other, "saved", "add", "Cloud", "something else")
    _run(capsys, *other, "saved", "add", "x", "trade")
    _run(capsys, *other, "saved", "remove", "Cloud")
    status, _, err = _run(capsys, *other, "bookmarks", "import", str(exported))
    assert status == 0 and "imported 1 saved_searches, 0 already there" in err
    listed = _listed(capsys, other)
    assert listed["cloud"]["query"] == "cloud" and listed["cloud"]["new"] == 0  # the seen set came along
    status, _, err = _run(capsys, *other, "bookmarks", "import", str(exported))
    assert "imported 0 saved_searches, 1 already there" in err
    assert _listed(capsys, other)["cloud"]["query"] == "cloud"


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ({"query": "x"}, "saved search 0 has no usable name"),
        ({"name": "n", "query": "  "}, "saved search 0 ('n') has no usable query"),
        ({"name": "n", "query": "x", "seen": "a"}, "'seen' is not a list"),
        ("text", "saved search 0 is not an object"),
    ],
)
def test_import_rejects_a_bad_saved_search_and_imports_nothing(tmp_path, item, message):
    with BookmarkStore(tmp_path / "state.sqlite") as store:
        with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
            store.import_document({"format": "reader-user-state", "saved_searches": [item], "feeds": []})
        assert store.saved_searches() == []


def test_names_are_cleaned_of_control_characters(tmp_path):
    with BookmarkStore(tmp_path / "state.sqlite") as store:
        saved = store.add_saved_search("  evil\x1b[31m name\n", "trade\x07 talks")
        assert saved.name == "evil name" and saved.query == "trade talks"
        with pytest.raises(ValueError, match="needs a name"):
            store.add_saved_search("\x1b", "x")
