"""Hostile and mistyped bookmark imports: one clear line naming the item and the
field, exit 2, nothing imported; what is imported is safe text (issue 13)."""

from __future__ import annotations

import json

import pytest

from reader.bookmarks import BookmarkStore
from reader.cli import main

GOOD = {"article": "a1", "quote": "much work remains", "start": 10, "end": 27}


def item(**changes):
    return dict(GOOD, **changes)


# (the item, what the message must name)
MISTYPED = [
    (item(start=10**30, end=10**30 + 17), "'start'"),  # was OverflowError from SQLite
    (item(start=1e400), "'start'"),  # inf
    (item(start="10"), "'start'"),
    (item(start=True), "'start'"),
    (item(start=-1), "'start'"),
    (item(end=[27]), "'end'"),
    (item(end=99), "'end'"),
    (item(orphaned="false"), "'orphaned'"),  # was taken as true
    (item(orphaned=0), "'orphaned'"),
    (item(tags={"a": 1}), "'tags'"),  # was AttributeError/TypeError
    (item(tags=["ok", ["nested"]]), "'tags'"),
    (item(tags=[{"x": 1}]), "'tags'"),
    (item(note={"deep": [[[[[]]]]]}), "'note'"),
    (item(note=5), "'note'"),
    (item(title=["t"]), "'title'"),
    (item(article=None), "'article'"),
    (item(article=""), "'article'"),
    (item(quote=7), "'quote'"),
    (item(id=["x"]), "'id'"),
    (item(id="tab\tin id"), "'id'"),
    (item(created=12345), "'created'"),
    (item(created="2019-02-30T00:00:00"), "'created'"),
    (item(created="9999-12-31T23:59:59-14:00"), "'created'"),  # was OverflowError
    (item(updated="0001-01-01T00:00:00+14:00"), "'updated'"),
    ("just a string", "#2"),
    ([1, 2], "#2"),
    (None, "#2"),
]


@pytest.mark.parametrize(("bad", "named"), MISTYPED, ids=[str(i) for i in range(len(MISTYPED))])
def test_a_mistyped_item_is_refused_by_name_and_nothing_is_imported(tmp_path, bad, named):
    with BookmarkStore(tmp_path / "b.sqlite") as store:
        with pytest.raises(ValueError, match="bookmark #2 in the import") as raised:
            store.import_document([GOOD, bad])
        assert named in str(raised.value) and "\n" not in str(raised.value)
        assert len(str(raised.value)) < 300
        assert store.list(include_deleted=True) == []


@pytest.mark.parametrize(
    "document",
    [
        42,
        "bookmarks",
        {"format": "other"},
        {"bookmarks": "not a list"},
        {"bookmarks": {"0": GOOD}},
    ],
)
def test_a_document_of_the_wrong_shape_is_refused(tmp_path, document):
    with BookmarkStore(tmp_path / "b.sqlite") as store:
        with pytest.raises(ValueError):
            store.import_document(document)
        assert len(store) == 0


def test_strict_booleans(tmp_path):
    with BookmarkStore(tmp_path / "b.sqlite") as store:
        store.import_document([item(orphaned=False), item(id="o", start=40, end=57, orphaned=True)])
        flags = {b.start: b.orphaned for b in store.list()}
    assert flags == {10: False, 40: True}


def test_imported_text_is_made_safe(tmp_path):
    hostile = item(
        quote="much \x1b]52;c;ZXZpbA==\x07work\u202e remains",
        end=None,
        note="line one\nline\ttwo \x1b[31mred\x1b[0m \x9b31m c1 \u2066iso\u2069 \x00nul",
        tags=["ok", "\x1b]0;title\x07tag"],
        title="A \x1b[2Jtitle\non two lines",
        source="Wire\u202e",
        date="2019\x07-03-28",
        prefix="\x1b[1mbefore",
        suffix="after\x85",
    )
    with BookmarkStore(tmp_path / "b.sqlite") as store:
        assert store.import_document([hostile]).counts == {"bookmarks": (1, 0)}
        [b] = store.list()
    for text in (b.quote, b.note, *b.tags, b.title, b.source, b.date, b.prefix, b.suffix):
        assert not any(ord(c) < 32 and c not in "\n\t" or 0x7F <= ord(c) <= 0x9F for c in text), repr(text)
        assert not any(c in text for c in "\u202e\u2066\u2069"), repr(text)
    assert b.quote == "much work remains" and b.end - b.start == len(b.quote)
    assert "line one\nline\ttwo" in b.note and "red" in b.note
    assert b.title == "A title on two lines" and b.tags == ("ok", "tag")


def test_lone_surrogates_cannot_break_the_store(tmp_path):
    with BookmarkStore(tmp_path / "b.sqlite") as store:
        store.import_document(json.loads('[{"article": "a\\ud800", "quote": "q\\udc00x", "start": 0, "note": "\\ud83d"}]'))
        [b] = store.list()
    assert "\ufffd" in b.article and "\ufffd" in b.note


# -- through the CLI ------------------------------------------------------------------


def run_import(tmp_path, capsys, content: bytes) -> tuple[int, str]:
    path = tmp_path / "import.json"
    path.write_bytes(content)
    base = ["--articles", str(tmp_path / "articles"), "--index", str(tmp_path / "index")]
    (tmp_path / "articles").mkdir(exist_ok=True)
    capsys.readouterr()
    status = main([*base, "bookmarks", "import", str(path)])
    return status, capsys.readouterr().err


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),  # was RecursionError
        (b'{"bookmarks": [' + b"[" * 50_000 + b"]" * 50_000 + b"]}", "nested too deeply"),
        (b'[{"article": "a", "quote": "q", "start": ' + b"9" * 5000 + b"}]", "not valid JSON"),
        (b"\xff\xfe not utf-8", "not UTF-8"),
        (b"[{]", "not valid JSON"),
        (json.dumps([GOOD, item(orphaned="false")]).encode(), "bookmark #2 in the import, field 'orphaned'"),
        (json.dumps([item(start=10**30, end=10**30 + 17)]).encode(), "field 'start'"),
        (json.dumps([item(tags={"a": 1})]).encode(), "field 'tags'"),
        (json.dumps(7).encode(), "not an exported object or list"),
    ],
    ids=["deep", "deep-inside", "huge-int", "not-utf8", "broken", "string-bool", "overflow", "tags", "number"],
)
def test_cli_import_of_bad_files_is_one_clear_line(tmp_path, capsys, content, says):
    status, err = run_import(tmp_path, capsys, content)
    assert status == 2
    assert says in err and "unexpected error" not in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_cli_import_of_a_missing_file(tmp_path, capsys):
    (tmp_path / "articles").mkdir()
    base = ["--articles", str(tmp_path / "articles"), "--index", str(tmp_path / "index")]
    assert main([*base, "bookmarks", "import", str(tmp_path / "nope.json")]) == 2
    err = capsys.readouterr().err
    assert "cannot read" in err and len(err.strip().splitlines()) == 1
