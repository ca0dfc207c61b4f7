"""The bulk segment writer (index/bulk_writer.py) writes what Whoosh's own writer writes.

Two ways of checking it: the segment files of the same documents written by
both writers are compared byte for byte (postings, term table, every column,
the field lengths and deletions in the table of contents), and two libraries
synced from the same folder, one through each writer, are asked the same
questions (hits, scores and their order, counts, stored fields, lengths,
"did you mean") through a first build in several segments, an update with
changes and deletions, and a merge.
"""

from __future__ import annotations

import random
import time
from pathlib import Path
from typing import Any

import pytest

from reader import Library
from reader.index import sync
from reader.index.bulk_writer import BulkSegmentWriter
from reader.index.store import IndexStore

_COMMON = (
    "the market said stock shares bank rate rates interest central federal reserve trade deal talks "
    "oil price prices company quarter profit percent billion million year analysts investors "
    "government China U.S. Britain's Europe's euro dollar growth inflation"
).split()
_ODD = [
    "MnuchinSteven",  # glued by a scraper: indexed whole and as its parts
    "McDonald's",
    "iPhone",
    "FooFoo",  # glued, the same part twice at one position
    "U.S.",
    "Zürich",
    "café",
    "Ærø",
    "naïve",
    "東京",
    "Москва",
    "don’t",
    "“quoted”",
    "co-operate",
    "e-mail",
    "3.5",
    "1,000",
    "2019",
    "x²",
    "ﬁnance",  # a ligature
    "'s",  # nothing left of it
    "’",
    "—",
    "\u00a0",
    "emoji🙂",
    "ǅemal",  # a titlecase letter
]


def _text(rng: random.Random, words: int) -> str:
    out = []
    for _ in range(words):
        roll = rng.random()
        if roll < 0.12:
            out.append(rng.choice(_ODD))
        elif roll < 0.75:
            out.append(rng.choice(_COMMON))
        else:
            out.append("w" + "".join(rng.choice("abcdefghij") for _ in range(rng.randint(1, 4))))
        if rng.random() < 0.08:
            out[-1] += rng.choice(".,;:!?")
    return " ".join(out)


def _articles(count: int, seed: int = 17) -> list[dict[str, str]]:
    """Field values as sync._document makes them: every field, some empty (left out), odd text."""
    rng = random.Random(seed)
    articles = []
    for number in range(count):
        doc = {
            "id": f"a{number:04d}",
            "title": _text(rng, rng.randint(0, 12)) if number % 17 else "!!! ??",
            "body": _text(rng, rng.choice((0, 3, 40, 200, 420))) if number % 23 else "buffalo " * 300,
            "authors": " | ".join(rng.sample(["Lingling Wei", "José Núñez", "O'Brien", "李明"], rng.randint(0, 2))),
            "source": rng.choice(["", "Reuters", "The Wall Street Journal", "Le Monde"]),
            "date": rng.choice(["", "2019-03-28", "2007-01-25", "2013-12-31"]),
            "tags": ",".join(rng.sample(["Trade", "China", "oil", "Tech News", "ÉCO"], rng.randint(0, 3))),
        }
        doc["title_exact"], doc["body_exact"] = doc["title"], doc["body"]
        articles.append({key: value for key, value in doc.items() if value})
    return articles


def _write(path: Path, articles: list[dict[str, str]], bulk: bool, batches: int = 1, update: bool = False) -> IndexStore:
    """The articles written into the index at ``path`` in ``batches`` commits, by either writer."""
    store = IndexStore(path)
    index = store.whoosh_index(create=not update)
    size = -(-len(articles) // batches)
    for start in range(0, len(articles), size):
        writer = BulkSegmentWriter(index) if bulk else index.writer()
        for doc in articles[start : start + size]:
            if update:
                writer.update_document(**doc)
            else:
                writer.add_document(**doc)
        writer.commit(merge=False)
    return store


def _segment_files(store: IndexStore) -> list[tuple[Any, ...]]:
    """Each segment's files (named without the segment id), doc count, field lengths and deletions."""
    index = store.whoosh_index()
    segments = []
    for segment in index._segments():
        prefix = segment.make_filename("")
        files = {}
        compound = segment.open_compound_file(index.storage)
        for name in compound.list():
            with compound.open_file(name) as stream:
                files[name.replace(prefix, "")] = stream.read()
        compound.close()
        deleted = sorted(segment.deleted_docs())
        segments.append((segment.doc_count_all(), dict(segment._fieldlengths), deleted, files))
    return segments


def _assert_same_segments(whoosh: IndexStore, bulk: IndexStore) -> None:
    expected, written = _segment_files(whoosh), _segment_files(bulk)
    assert len(expected) == len(written)
    for (count, lengths, deleted, files), (count2, lengths2, deleted2, files2) in zip(expected, written, strict=True):
        assert (count2, lengths2, deleted2) == (count, lengths, deleted)
        assert sorted(files2) == sorted(files)
        for name in files:
            assert files2[name] == files[name], f"{name} differs"


def test_the_same_segment_byte_for_byte(tmp_path: Path) -> None:
    articles = _articles(420)  # common words reach several blocks of 128 postings
    whoosh, bulk = _write(tmp_path / "w", articles, False), _write(tmp_path / "b", articles, True)
    _assert_same_segments(whoosh, bulk)
    files = _segment_files(bulk)[0][3]
    assert {".pst", ".trm", "._stored.col", "._body_len.col", ".date.col"} <= set(files)


def test_several_segments_and_updates_the_same(tmp_path: Path) -> None:
    articles = _articles(300, seed=5)
    whoosh, bulk = _write(tmp_path / "w", articles, False, batches=3), _write(tmp_path / "b", articles, True, batches=3)
    _assert_same_segments(whoosh, bulk)
    changed = _articles(300, seed=6)[::4]  # the same ids with other text: update_document deletes the old ones
    _write(tmp_path / "w", changed, False, batches=2, update=True)
    _write(tmp_path / "b", changed, True, batches=2, update=True)
    _assert_same_segments(whoosh, bulk)
    assert any(deleted for _count, _lengths, deleted, _files in _segment_files(bulk))


def test_segments_merged_into_the_new_one_the_same(tmp_path: Path) -> None:
    articles, more = _articles(300, seed=8), _articles(60, seed=9)
    for name, bulk in (("w", False), ("b", True)):
        _write(tmp_path / name, articles, bulk, batches=3)
        _write(tmp_path / name, more[::3], bulk, update=True)  # deletions in the older segments
        index = IndexStore(tmp_path / name).whoosh_index()
        writer = BulkSegmentWriter(index) if bulk else index.writer()
        for doc in more[1::3]:
            writer.add_document(**doc)
        writer.commit(optimize=True)  # every segment merged into the new one, after its own documents
        assert len(index._segments()) == 1
    _assert_same_segments(IndexStore(tmp_path / "w"), IndexStore(tmp_path / "b"))


def test_merging_segments_alone_the_same(tmp_path: Path) -> None:
    """As merge_segments does it: no new documents, every segment read into the new one."""
    import shutil

    _write(tmp_path / "w", _articles(300, seed=4), False, batches=4)
    _write(tmp_path / "w", _articles(40, seed=2), False, update=True)  # deletions
    shutil.copytree(tmp_path / "w", tmp_path / "b")
    for name, bulk in (("w", False), ("b", True)):
        index = IndexStore(tmp_path / name).whoosh_index()
        writer = BulkSegmentWriter(index) if bulk else index.writer()
        writer.commit(optimize=True)
    _assert_same_segments(IndexStore(tmp_path / "w"), IndexStore(tmp_path / "b"))
    assert _segment_files(IndexStore(tmp_path / "b"))[0][0] == 300


# -- through the library: what a search sees ------------------------------------------------------


def _article_file(doc: dict[str, str]) -> str:
    front = ["---", f"title: {_yaml(doc.get('title', ''))}"]
    if doc.get("authors"):
        front.append("authors: [" + ", ".join(_yaml(name) for name in doc["authors"].split(" | ")) + "]")
    for key in ("date", "source"):
        if doc.get(key):
            front.append(f"{key}: {_yaml(doc[key])}")
    if doc.get("tags"):
        front.append("tags: [" + ", ".join(_yaml(tag) for tag in doc["tags"].split(",")) + "]")
    return "\n".join([*front, "---", "", doc.get("body", "") or "Short.", ""])


def _yaml(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _corpus(root: Path, articles: list[dict[str, str]]) -> None:
    root.mkdir(parents=True, exist_ok=True)
    for doc in articles:
        (root / f"{doc['id']}.md").write_text(_article_file(doc), encoding="utf-8")


QUERIES = [
    "market",
    "stock market",
    "central bank rates",
    '"interest rates"',
    '"the market said"',
    "pri*",
    "w*",
    "title:deal",
    "author:wei",
    "source:reuters",
    "tag:china",
    "=said",
    '="the market"',
    "mnuchin",
    "mcdonald",
    "zurich",
    "東京",
    "buffalo",
    "us",
    "date:2019-03-28",
    "marekt",
    "inflaton growth",
    "-oil market",
    "market OR euro",
]


def _answers(library: Library) -> dict[str, Any]:
    """What searches see. Run out of a time budget, a prefix or typo stands for fewer words
    (index/budget.py): the tests that call this lift the budget (see _unhurried)."""
    store = library.store
    answers: dict[str, Any] = {}
    for query in QUERIES:
        results = library.search(query, limit=50)
        answers[query] = (results.total, results.suggestion, [(hit.id, round(hit.score, 9)) for hit in results.hits])
        answers[f"suggest {query}"] = store.suggest(query)
    searcher = store.searcher()
    reader = searcher.reader()
    answers["counts"] = (reader.doc_count(), reader.doc_count_all() - reader.doc_count())
    answers["stored"] = sorted(fields["id"] for fields in reader.all_stored_fields())
    answers["field lengths"] = {name: reader.field_length(name) for name in store.schema.names()}
    ids = {docnum: fields["id"] for docnum, fields in reader.iter_docs()}
    answers["doc lengths"] = {
        ids[docnum]: tuple(reader.doc_field_length(docnum, name) for name in ("title", "body", "tags", "authors"))
        for docnum in ids
    }
    answers["terms"] = {name: sorted(reader.lexicon(name)) for name in ("body", "title_exact", "tags")}
    return answers


@pytest.fixture
def _unhurried(monkeypatch: pytest.MonkeyPatch) -> None:
    from reader.index.budget import Budget

    monkeypatch.setattr(Budget.__init__, "__defaults__", (1e9, time.monotonic))


def _twin_libraries(tmp_path: Path) -> tuple[Path, Library, Library]:
    articles = tmp_path / "articles"
    _corpus(articles, _articles(260, seed=11))
    return articles, Library(articles, tmp_path / "whoosh"), Library(articles, tmp_path / "bulk")


def _sync(library: Library, monkeypatch: pytest.MonkeyPatch, bulk: bool, **options: Any) -> Any:
    monkeypatch.setattr(sync, "BULK_MIN", 1 if bulk else 10**9)
    used = []
    real = BulkSegmentWriter.commit

    def commit(self: BulkSegmentWriter, *args: Any, **kwargs: Any) -> None:
        used.append(self)
        real(self, *args, **kwargs)

    monkeypatch.setattr(BulkSegmentWriter, "commit", commit)
    report = sync.sync_library(library.store, library.articles_dir, entities=False, **options)
    assert bool(used) == bulk
    library.store.drop_handles()
    return report


@pytest.mark.usefixtures("_unhurried")
def test_a_search_cannot_tell_the_writers_apart(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    articles, whoosh, bulk = _twin_libraries(tmp_path)
    with whoosh, bulk:
        _sync(whoosh, monkeypatch, False, batch_size=70)
        _sync(bulk, monkeypatch, True, batch_size=70)
        assert whoosh.segments() == bulk.segments() == 4
        first = _answers(whoosh)
        assert first == _answers(bulk)
        assert bulk.store.verify_search_index() == ""
        assert first["market"][2] and first["stock market"][2] and first['"interest rates"'][2]

        # An update: changed, deleted and new articles, in batches big enough for the bulk writer.
        rng = random.Random(3)
        paths = sorted(articles.glob("*.md"))
        for path in rng.sample(paths, 25):
            path.unlink()
        changed = _articles(260, seed=12)
        _corpus(articles, [doc for doc in changed if (articles / f"{doc['id']}.md").exists()][:40])
        _corpus(articles, [{**doc, "id": "new" + doc["id"]} for doc in changed[:50]])
        _sync(whoosh, monkeypatch, False)
        _sync(bulk, monkeypatch, True)
        second = _answers(whoosh)
        assert second != first
        assert second == _answers(bulk)
        assert second["counts"][1] > 0  # deleted documents still in the segments, as Whoosh leaves them
        assert bulk.store.verify_search_index() == ""

        assert whoosh.merge_segments() == bulk.merge_segments()
        whoosh.store.drop_handles()
        bulk.store.drop_handles()
        merged = _answers(whoosh)
        assert merged == _answers(bulk)
        assert merged["counts"][0] == second["counts"][0] and merged["counts"][1] < second["counts"][1]  # deleted ones dropped
        assert bulk.store.verify_search_index() == ""


@pytest.mark.usefixtures("_unhurried")
def test_a_small_sync_after_a_bulk_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    articles, whoosh, bulk = _twin_libraries(tmp_path)
    with whoosh, bulk:
        _sync(whoosh, monkeypatch, False)
        _sync(bulk, monkeypatch, True)
        (articles / "a0003.md").write_text(_article_file({"title": "Palladium rally", "body": "palladium market"}))
        (articles / "a0004.md").unlink()
        _sync(whoosh, monkeypatch, False)
        _sync(bulk, monkeypatch, False)  # a few articles: Whoosh's writer, on top of a bulk-written segment
        assert _answers(whoosh) == _answers(bulk)
        assert [hit.id for hit in bulk.search("palladium")] == [hit.id for hit in whoosh.search("palladium")] != []
