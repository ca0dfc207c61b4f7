"""Bookmark store: records, filters, anchoring, export/import, schema versions.

Durability under concurrent writers and SIGKILL is in test_bookmarks_durability.py.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
import sys
import threading
from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.bookmarks import (
    SCHEMA_VERSION,
    Bookmark,
    BookmarkNotFound,
    BookmarkStore,
    MigrationError,
    NotABookmarkStoreError,
    QuoteNotFound,
    StoreTooNewError,
    find_quote,
    is_user_state_file,
    locate,
    store_path,
)
from reader.bookmarks import schema as schema_module
from reader.bookmarks.schema import MIGRATIONS
from reader.model import Article

from .bookmark_schemas import V1_SCHEMA

PARAGRAPHS = (
    "BEIJING \u2014 China is offering foreign technology firms better access to the country\u2019s "
    "fast-growing cloud-computing market, people briefed on the matter said.",
    "Premier Li Keqiang disclosed the proposal at a Monday meeting with about three dozen "
    "corporate chieftains. The plan is part of a package of offers on technology.",
    "Chinese Commerce Ministry spokesman Gao Feng told reporters on Thursday that while some "
    "progress has been made, \u201cmuch work remains to be accomplished.\u201d",
    "Previously, Chinese officials denied that the government forces U.S. firms to transfer "
    "technology to their Chinese partners. The plan is part of a package of offers on data.",
)
BODY = "\n\n".join(PARAGRAPHS)
QUOTE = "Chinese officials denied that the government forces U.S. firms to transfer technology"


def span(body: str, quote: str, occurrence: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence + 1):
        start = body.index(quote, start + 1)
    return start, start + len(quote)


@pytest.fixture
def store(tmp_path):
    with BookmarkStore(tmp_path / "index" / "bookmarks.sqlite") as s:
        yield s


def add(store: BookmarkStore, quote: str = QUOTE, body: str = BODY, article: str = "a1", **kw) -> Bookmark:
    start, end = span(body, quote, kw.pop("occurrence", 0))
    kw.setdefault("title", "China offers cloud access")
    kw.setdefault("date", "2019-03-28")
    kw.setdefault("source", "WSJ")
    return store.add(article, quote, start, end, body=body, **kw)


# -- records ------------------------------------------------------------------


def test_add_get_and_json_contract(store):
    b = add(store, note="key claim", tags=["trade", "#Tech", "trade", " "])
    assert b.quote == QUOTE and BODY[b.start : b.end] == QUOTE
    assert b.prefix == BODY[b.start - 32 : b.start] and len(b.prefix) == 32
    assert b.suffix == BODY[b.end : b.end + 32]
    assert b.tags == ("trade", "Tech")
    assert b.created == b.updated and b.created.endswith("Z")
    datetime.fromisoformat(b.created)  # parseable ISO
    assert len(b.id) == 32 and not b.orphaned and not b.deleted

    got = store.get(b.id)
    assert got == b
    data = got.to_json()
    assert list(data)[:10] == [
        "id", "article", "quote", "note", "tags", "start", "end", "orphaned", "created", "updated",
    ]
    assert data["tags"] == ["trade", "Tech"] and data["title"] == "China offers cloud access"
    json.dumps(data)  # serialisable as is


def test_store_file_lives_in_index_folder(tmp_path):
    path = store_path(tmp_path / "idx")
    assert path == tmp_path / "idx" / "bookmarks.sqlite"
    with BookmarkStore(path) as s:
        add(s)
        assert s.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert s.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert s.conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    assert path.exists()


def test_add_validates_quote_against_body(store):
    start, end = span(BODY, QUOTE)
    with pytest.raises(ValueError):
        store.add("a1", QUOTE, start + 1, end + 1, body=BODY)
    with pytest.raises(ValueError):
        store.add("a1", QUOTE, start, end + 3)  # offsets disagree with the quote length
    with pytest.raises(ValueError):
        store.add("a1", "", 0, 0)
    with pytest.raises(ValueError):
        store.add("", QUOTE, start, end)
    assert store.list() == []


def test_adding_the_same_passage_twice_merges(store):
    first = add(store, note="one", tags=["a"])
    again = add(store, note="two", tags=["b", "A"])
    assert again.id == first.id
    assert again.note == "one\n\ntwo" and again.tags == ("a", "b")
    assert len(store.list()) == 1
    assert add(store, note="two").note == "one\n\ntwo"  # nothing new, nothing changed


def test_list_filters(store):
    b1 = add(store, tags=["trade"], note="enforcement")
    b2 = add(store, "much work remains to be accomplished", tags=["quotes", "Trade"])
    b3 = add(store, "The plan is part of a package of offers", article="a2", tags=["plans"])
    b4 = add(store, "The plan is part of a package of offers", occurrence=1, article="a2")
    assert [b.id for b in store.list()] == [b4.id, b3.id, b2.id, b1.id]  # newest first
    assert {b.id for b in store.list(tag="#TRADE")} == {b1.id, b2.id}
    assert store.list(tag="nope") == []
    assert [b.id for b in store.list(article="a2")] == [b3.id, b4.id]  # reading order
    assert [b.id for b in store.list(text="work remains")] == [b2.id]
    assert [b.id for b in store.list(text="enforcement", tag="trade")] == [b1.id]
    assert [b.id for b in store.list(tag="plans", article="a2")] == [b3.id]
    assert store.articles() == {"a1", "a2"}
    assert len(store) == 4


def test_search_quote_note_tags_title(store):
    b1 = add(store, note="Ask about enforcement")
    b2 = add(store, "much work remains to be accomplished", tags=["progress"])
    b3 = add(store, "Premier Li Keqiang disclosed the proposal", article="a9", title="Cloud deal")
    assert [b.id for b in store.search("ENFORCEMENT")] == [b1.id]
    assert [b.id for b in store.search("progress")] == [b2.id]
    assert [b.id for b in store.search("cloud deal")] == [b3.id]
    assert [b.id for b in store.search("officials transfer")] == [b1.id]  # all words, any order
    assert store.search("officials zebra") == []
    store.delete(b1.id)
    assert store.search("enforcement") == []


def test_update(store):
    b = add(store, note="old", tags=["x"])
    u = store.update(b.id, note="new")
    assert (u.note, u.tags) == ("new", ("x",)) and u.updated >= b.updated and u.created == b.created
    u = store.update(b.id, tags=["y", "z"])
    assert (u.note, u.tags) == ("new", ("y", "z"))
    assert store.get(b.id) == u
    with pytest.raises(BookmarkNotFound):
        store.update("0" * 32, note="x")


def test_ids_can_be_abbreviated(store):
    b = add(store)
    assert store.get(b.id[:6]).id == b.id
    assert store.delete(b.id[:8]).id == b.id
    with pytest.raises(BookmarkNotFound):
        store.get(b.id[:3])  # too short to be safe
    with pytest.raises(BookmarkNotFound):
        store.get("zzzz")
    twin = b.id[:6] + ("0" if b.id[6] != "0" else "1") + "x" * 25
    assert store.import_json([{"id": twin, "article": "a1", "quote": "BEIJING", "start": 0, "end": 7}]) == (1, 0)
    with pytest.raises(BookmarkNotFound, match="ambiguous"):
        store.get(b.id[:6])
    assert store.get(b.id[:7]).id == b.id


def test_soft_delete_undo_and_purge(store):
    b = add(store)
    keep = add(store, "much work remains to be accomplished")
    deleted = store.delete(b.id)
    assert deleted.deleted and store.get(b.id).deleted
    assert [x.id for x in store.list()] == [keep.id]
    assert {x.id for x in store.list(include_deleted=True)} == {b.id, keep.id}
    with pytest.raises(BookmarkNotFound):
        store.update(b.id, note="x")
    restored = store.undo_delete(b.id)
    assert not restored.deleted and restored.quote == QUOTE
    assert {x.id for x in store.list()} == {b.id, keep.id}

    store.delete(b.id)
    assert store.purge_deleted(older_than=timedelta(days=30)) == 0  # too recent
    assert store.get(b.id).deleted
    assert store.purge_deleted(older_than=0) == 1
    with pytest.raises(BookmarkNotFound):
        store.get(b.id)
    assert [x.id for x in store.list(include_deleted=True)] == [keep.id]  # live one untouched


def test_threads_share_one_store(store):
    errors = []

    def work(n):
        try:
            for i in range(20):
                store.add(f"t{n}", f"quote {i}", i * 10, i * 10 + len(f"quote {i}"))
        except Exception as exc:  # noqa: BLE001 - any error in a thread must reach the assert below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and len(store) == 80


# -- finding quotes -----------------------------------------------------------


def test_find_quote_exact_and_tolerant():
    assert find_quote(BODY, QUOTE) == span(BODY, QUOTE)
    s, e = find_quote(BODY, '"much work remains to be\n accomplished."')  # straight quotes, odd spacing
    assert BODY[s:e] == "\u201cmuch work remains to be accomplished.\u201d"
    s, e = find_quote(BODY, "the country's fast-growing")  # straight apostrophe
    assert BODY[s:e] == "the country\u2019s fast-growing"
    s, e = find_quote(BODY, "BEIJING -- China")  # dashes
    assert BODY[s:e] == "BEIJING \u2014 China"
    s, e = find_quote(BODY, "premier li keqiang")
    assert BODY[s:e] == "Premier Li Keqiang"
    s, e = find_quote(BODY, "technology to their Chinese partners. The plan")  # across a sentence
    assert BODY[s:e].endswith("The plan")
    s, e = find_quote(BODY, "made, \u201cmuch work remains to be accomplished.\u201d\n\nPreviously")  # paragraphs
    assert BODY[s:e].endswith("Previously")
    assert find_quote(BODY, "not in the article") is None
    assert find_quote(BODY, "   ") is None
    first = find_quote(BODY, "The plan is part")
    second = find_quote(BODY, "The plan is part", near=len(BODY))
    assert first[0] < second[0] and BODY[second[0] : second[1]] == "The plan is part"


def test_add_for_article_finds_the_quote(store):
    article = Article(id="a7", path="x.txt", title="Cloud", paragraphs=PARAGRAPHS, content_hash="h",
                      date="2019-03-28", source="WSJ")
    b = store.add_for_article(article, '"much work remains  to be accomplished."', note="n", tags="a, b")
    assert b.quote == "\u201cmuch work remains to be accomplished.\u201d"  # the article's own text
    assert BODY[b.start : b.end] == b.quote and b.article == "a7"
    assert (b.title, b.date, b.source, b.tags) == ("Cloud", "2019-03-28", "WSJ", ("a", "b"))
    assert b.suffix == BODY[b.end : b.end + 32]
    with pytest.raises(QuoteNotFound):
        store.add_for_article(article, "nowhere to be seen")
    assert len(store) == 1


# -- anchoring ------------------------------------------------------------------


def test_reanchor_after_edit_above_the_passage(store):
    b = add(store, note="keep me", tags=["t"])
    edited = "UPDATE: an editor's note was added at the top.\n\n" + BODY.replace("Monday", "Tuesday afternoon")
    [moved] = store.reanchor("a1", edited)
    assert moved.id == b.id and not moved.orphaned
    assert moved.start != b.start and edited[moved.start : moved.end] == QUOTE
    assert (moved.note, moved.tags, moved.created, moved.updated) == (b.note, b.tags, b.created, b.updated)
    assert store.get(b.id) == moved  # persisted
    assert moved.prefix == edited[moved.start - 32 : moved.start]


def test_reanchor_unchanged_body_writes_nothing(store, tmp_path):
    b = add(store)
    watcher = sqlite3.connect(store.path)
    before = watcher.execute("PRAGMA data_version").fetchone()[0]
    assert [x.id for x in store.reanchor("a1", BODY)] == [b.id]
    assert watcher.execute("PRAGMA data_version").fetchone()[0] == before
    store.reanchor("a1", "x" + BODY)
    assert watcher.execute("PRAGMA data_version").fetchone()[0] != before  # the check can fail
    watcher.close()


def test_reanchor_picks_the_right_occurrence_by_context(store):
    quote = "The plan is part of a package of offers"
    b = add(store, quote, occurrence=1)  # the second one, "... offers on data."
    assert BODY[b.end : b.end + 8] == " on data"
    # Text added at the top and a paragraph cut: the *other* copy of the
    # sentence now sits exactly at the old offset.
    first, _ = span(BODY, quote, 0)
    edited = "x" * (b.start - first) + BODY.replace(PARAGRAPHS[2] + "\n\n", "")
    assert edited[b.start : b.end] == quote  # the old position holds the wrong copy
    [moved] = store.reanchor("a1", edited)
    assert edited[moved.start : moved.end] == quote
    assert edited[moved.end : moved.end + 8] == " on data"


def test_reanchor_without_context_prefers_nearest(store):
    quote = "The plan is part"
    s, e = span(BODY, quote, 1)
    b = store.add("a1", quote, s, e)  # no body: no prefix/suffix
    edited = "Intro. " + BODY
    [moved] = store.reanchor("a1", edited)
    assert moved.start == s + len("Intro. ") and edited[moved.start : moved.end] == quote
    assert moved.id == b.id


def test_reanchor_after_edit_inside_the_passage(store):
    b = add(store, note="mine")
    edited = ("Lead paragraph inserted.\n\n" + BODY).replace("forces U.S. firms", "forces American firms")
    [moved] = store.reanchor("a1", edited)
    assert not moved.orphaned
    assert moved.quote == "Chinese officials denied that the government forces American firms to transfer technology"
    assert edited[moved.start : moved.end] == moved.quote
    assert moved.note == "mine" and moved.id == b.id
    # Curly/straight and whitespace changes are not even fuzzy.
    respaced = edited.replace("that the government", "that  the\ngovernment")
    [again] = store.reanchor("a1", respaced)
    assert respaced[again.start : again.end] == again.quote and "the\ngovernment" in again.quote


def test_fuzzy_keeps_a_replaced_first_word():
    s, e = span(BODY, QUOTE)
    edited = BODY.replace("Chinese officials denied", "Beijing officials denied")
    anchor = locate(edited, QUOTE, s, e, BODY[s - 32 : s], BODY[e : e + 32])
    assert anchor.method == "fuzzy"
    assert edited[anchor.start : anchor.end] == QUOTE.replace("Chinese", "Beijing")


def test_orphaned_when_passage_is_gone_and_back_when_it_returns(store):
    b = add(store, note="precious")
    rewritten = BODY.replace(QUOTE, "Officials said nothing about any of this at the time")
    [orphan] = store.reanchor("a1", rewritten)
    assert orphan.orphaned
    assert (orphan.quote, orphan.start, orphan.end, orphan.note) == (QUOTE, b.start, b.end, "precious")
    assert store.list(orphaned=True) == [orphan] and store.list(orphaned=False) == []
    [back] = store.reanchor("a1", "New intro.\n\n" + BODY)
    assert not back.orphaned and back.quote == QUOTE and back.start == b.start + len("New intro.\n\n")


def test_short_quotes_are_not_fuzzy_matched(store):
    b = add(store, "three dozen")
    [orphan] = store.reanchor("a1", BODY.replace("three dozen", "three hundred"))
    assert orphan.orphaned and orphan.id == b.id


def test_article_deleted_orphans_but_keeps_and_exports(store):
    b1 = add(store, note="n1")
    b2 = add(store, "Premier Li Keqiang disclosed the proposal", article="a2", title="Other")
    assert store.orphan_missing({"a2", "a3"}) == 1
    assert store.orphan_missing({"a2", "a3"}) == 0  # already orphaned
    gone = store.get(b1.id)
    assert gone.orphaned and not store.get(b2.id).orphaned
    assert {b.id for b in store.list()} == {b1.id, b2.id}  # still listed
    exported = {d["id"]: d for d in store.export_json()}
    assert exported[b1.id]["orphaned"] is True and exported[b1.id]["title"] == "China offers cloud access"
    md = store.export_markdown()
    assert "China offers cloud access" in md and "no longer found" in md
    [back] = store.reanchor("a1", BODY)  # the article came back
    assert not back.orphaned
    assert store.orphan_missing([]) == 2  # empty library: orphaned, never deleted
    assert len(store) == 2


def test_reanchor_refreshes_snapshot_and_covers_deleted(store):
    b = add(store)
    store.delete(b.id)
    assert store.reanchor("a1", "Intro. " + BODY, title="New title") == []  # live ones only
    got = store.get(b.id)
    assert got.start == b.start + 7 and got.title == "New title" and got.deleted


# A property: any edits outside the passage leave it found, at its new place.

_words = st.sampled_from("the plan cloud market China trade deal data firms said Beijing talks law".split())
_text = st.lists(_words, min_size=0, max_size=40).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(before=_text, passage=st.lists(_words, min_size=3, max_size=12).map(" ".join), after=_text,
       new_before=_text, new_after=_text)
def test_edits_outside_the_passage_never_lose_it(before, passage, after, new_before, new_after):
    body = f"{before}. {passage}. {after}"
    start = len(before) + 2
    end = start + len(passage)
    prefix, suffix = body[max(0, start - 32) : start], body[end : end + 32]
    edited = f"{new_before}. {passage}. {new_after}"
    anchor = locate(edited, passage, start, end, prefix, suffix)
    assert anchor is not None and edited[anchor.start : anchor.end] == passage
    if edited.count(passage) == 1:
        assert anchor.start == len(new_before) + 2


# -- export and import ----------------------------------------------------------


def test_export_import_round_trip_without_duplicates(store, tmp_path):
    b1 = add(store, note="n1", tags=["x"])
    b2 = add(store, "much work remains to be accomplished", article="a2", title="T2")
    store.delete(add(store, "Premier Li Keqiang").id)  # deleted ones are not exported
    exported = store.export_json()
    assert [d["id"] for d in exported] == [b1.id, b2.id]
    text = json.dumps(exported)

    with BookmarkStore(tmp_path / "other.sqlite") as other:
        assert other.import_json(json.loads(text)) == (2, 0)
        assert other.export_json() == exported  # ids, timestamps, notes, tags, snapshot kept
        assert other.import_json(json.loads(text)) == (0, 2)
        # Same passage under another id (exported elsewhere) is a duplicate too.
        clone = dict(exported[0], id="another-id", note="different")
        assert other.import_json([clone]) == (0, 1)
        assert len(other) == 2

    # Back into the original: the deleted one is not resurrected, nothing doubles.
    assert store.import_json(exported) == (0, 2)
    assert len(store.list(include_deleted=True)) == 3


def test_import_is_all_or_nothing_and_checks_items(store):
    good = {"article": "a1", "quote": "abc", "start": 3, "end": 6}
    with pytest.raises(ValueError, match="#2"):
        store.import_json([good, {"article": "a1", "quote": "abc", "start": 3, "end": 9}])
    with pytest.raises(ValueError):
        store.import_json([{"quote": "abc", "start": 0, "end": 3}])
    with pytest.raises(ValueError):
        store.import_json([dict(good, created="yesterday")])
    assert store.list() == []
    assert store.import_json({"bookmarks": [good, good]}) == (1, 1)  # envelope; dup within batch
    [b] = store.list()
    assert b.id and b.created.endswith("Z") and b.tags == ()


def test_export_markdown(store):
    add(store, note="Worth a follow-up.", tags=["trade war", "tech"])
    add(store, "much work remains to be accomplished", note="")
    add(store, "Premier Li Keqiang disclosed the proposal", article="a2", title="Other story", source="AP",
        date="2023-08-29")
    md = store.export_markdown()
    assert md.count("## ") == 2
    section = md.split("## ")[1]
    assert section.startswith("China offers cloud access\n")
    assert "WSJ · 2019-03-28" in section and "`a1`" in section
    # Reading order inside an article, quote as blockquote, then note and tags.
    assert section.index("much work remains") < section.index(QUOTE)
    assert f"> {QUOTE}\n\nWorth a follow-up.\n\nTags: #trade-war #tech" in section
    assert "AP · 2023-08-29" in md.split("## ")[2]
    multi = BookmarkStore.export_markdown(store, [Bookmark("i", "a", "line one\n\nline two", 0, 18)])
    assert "> line one\n>\n> line two" in multi


# -- reading state ----------------------------------------------------------------


def test_read_marks_and_positions_persist(tmp_path):
    path = tmp_path / "bookmarks.sqlite"
    with BookmarkStore(path) as s:
        assert s.read_ids() == set() and s.position("a1") == 0
        s.mark_read("a1")
        s.mark_read("a2")
        s.mark_read("a2", read=False)
        s.set_position("a1", 1234)
        s.set_position("a3", 10)
        s.set_position("a3", 10)
        with pytest.raises(ValueError):
            s.set_position("a3", -1)
    with BookmarkStore(path) as s:
        assert s.read_ids() == {"a1"} and s.is_read("a1") and not s.is_read("a2")
        assert (s.position("a1"), s.position("a3"), s.position("zz")) == (1234, 10, 0)
        s.mark_read("a3")
        assert s.position("a3") == 10  # the two kinds of state don't clobber each other


# -- schema versions ----------------------------------------------------------------



def make_v1_store(path, rows=3):
    conn = sqlite3.connect(path)  # rollback journal, as an old release might have left it
    for statement in V1_SCHEMA:
        conn.execute(statement)
    for i in range(rows):
        conn.execute(
            "INSERT INTO bookmarks (id, article, quote, start, \"end\", note, tags, created, updated) "
            "VALUES (?, 'a1', ?, ?, ?, ?, '[\"old\"]', '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z')",
            (f"v1-{i}", f"quote {i}", i * 10, i * 10 + len(f"quote {i}"), f"note {i}"),
        )
    conn.commit()
    conn.close()


def columns(conn, table):
    return [tuple(r) for r in conn.execute(f"PRAGMA table_info({table})")]


def test_released_v1_migration_is_frozen(tmp_path):
    frozen = sqlite3.connect(tmp_path / "frozen.sqlite")
    make_v1_store(tmp_path / "frozen.sqlite", rows=0)
    current = sqlite3.connect(":memory:")
    for statement in MIGRATIONS[0]:
        current.execute(statement)
    assert columns(current, "bookmarks") == columns(frozen, "bookmarks")
    assert [tuple(r) for r in current.execute("PRAGMA index_list(bookmarks)")] == [
        tuple(r) for r in frozen.execute("PRAGMA index_list(bookmarks)")
    ]


def test_v1_store_opens_with_current_code(tmp_path):
    path = tmp_path / "bookmarks.sqlite"
    make_v1_store(path)
    with BookmarkStore(path) as s:
        assert s.version == SCHEMA_VERSION > 1
        assert s.backup_path is not None and s.backup_path.parent == tmp_path
        assert [b.id for b in s.list()] == ["v1-2", "v1-1", "v1-0"]
        assert s.get("v1-1").note == "note 1" and s.get("v1-1").tags == ("old",)
        s.mark_read("a1")  # the new table works
        s.add("a1", "new one", 100, 107)
    backup = sqlite3.connect(s.backup_path)
    assert backup.execute("PRAGMA user_version").fetchone()[0] == 1
    assert backup.execute("SELECT count(*) FROM bookmarks").fetchone()[0] == 3
    assert backup.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    backup.close()
    with BookmarkStore(path) as s:  # no second migration, no second backup
        assert s.backup_path is None and len(s) == 4 and s.read_ids() == {"a1"}
    assert len(list(tmp_path.glob("*.bak"))) == 1


def test_new_store_needs_no_backup(tmp_path):
    with BookmarkStore(tmp_path / "b.sqlite") as s:
        assert s.backup_path is None and s.version == SCHEMA_VERSION
    assert list(tmp_path.glob("*.bak")) == []


def test_failed_migration_leaves_old_store_intact(tmp_path, monkeypatch):
    path = tmp_path / "bookmarks.sqlite"
    make_v1_store(path)
    broken = MIGRATIONS + (("CREATE TABLE later (x)", "THIS IS NOT SQL"),)
    monkeypatch.setattr(schema_module, "MIGRATIONS", broken)
    monkeypatch.setattr(schema_module, "SCHEMA_VERSION", len(broken))
    with pytest.raises(MigrationError, match="left at version 1"):
        BookmarkStore(path)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    assert conn.execute("SELECT count(*) FROM bookmarks").fetchone()[0] == 3
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert tables == {"bookmarks"}  # the first statements of the failed run were rolled back
    conn.close()
    assert len(list(tmp_path.glob("*.bak"))) == 1
    monkeypatch.undo()
    with BookmarkStore(path) as s:  # and the real code still migrates it afterwards
        assert len(s) == 3


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_store_from_a_newer_version_is_refused_untouched(tmp_path):
    path = tmp_path / "bookmarks.sqlite"
    with BookmarkStore(path) as s:
        add(s)
        s.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
        s.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = digest(path)
    with pytest.raises(StoreTooNewError, match="newer version"):
        BookmarkStore(path)
    assert digest(path) == before
    assert list(tmp_path.glob("*.bak")) == []


def test_foreign_or_damaged_files_are_refused_untouched(tmp_path):
    other = tmp_path / "other.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE notes (x)")
    conn.commit()
    conn.close()
    before = digest(other)
    with pytest.raises(NotABookmarkStoreError):
        BookmarkStore(other)
    assert digest(other) == before

    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"not a database at all, but the user's file" * 100)
    before = digest(junk)
    with pytest.raises(NotABookmarkStoreError):
        BookmarkStore(junk)
    assert digest(junk) == before


# -- living next to the search index ---------------------------------------------------


def test_user_state_files_are_recognised():
    for name in ("bookmarks.sqlite", "bookmarks.sqlite-wal", "bookmarks.sqlite-shm",
                 "bookmarks.sqlite.v1-20260101T000000Z.bak"):
        assert is_user_state_file(name) and is_user_state_file(f"/x/index/{name}")
    for name in ("catalog.sqlite", "MAIN_1.toc", "whoosh", "bookmarks.json"):
        assert not is_user_state_file(name)


def test_import_is_cheap_stdlib_only():
    code = (
        "import sys, reader.bookmarks\n"
        "prefixes = ('textual', 'rich', 'whoosh', 'spacy', 'numpy', 'reader.index', 'reader.app')\n"
        "heavy = [m for m in sys.modules if any(m == p or m.startswith(p + '.') for p in prefixes)]\n"
        "print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_rebuilding_the_search_index_keeps_bookmarks(tmp_path):
    from reader.library import Library

    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "one.txt").write_text("A title\n\n" + BODY + "\n", encoding="utf-8")
    index = tmp_path / "index"
    with Library(articles, index) as library:
        library.sync(entities=False)
        with BookmarkStore(store_path(index)) as open_elsewhere:  # another instance has it open
            b = add(open_elsewhere)
            library.sync(rebuild=True, entities=False)
            assert open_elsewhere.get(b.id).quote == QUOTE
    with BookmarkStore(store_path(index)) as s:
        assert s.get(b.id).quote == QUOTE and s.integrity_check() == "ok"
