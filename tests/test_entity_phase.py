"""Searchable first, entities after: the second phase of indexing (index/entity_phase.py)."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest

from reader import Library
from reader.cli import main
from reader.index import entity_phase

from .paths import SAMPLES


def _a_person(library: Library) -> tuple[str, str]:
    """(article id, surname) of a person the finished index knows."""
    people = library.entities(kind="person")
    assert people, "the samples name people"
    name = people[0].name
    article_id = library.entity_articles(name, "person")[0]
    return article_id, name.split()[-1].lower()


def test_text_is_searchable_before_entities_and_entities_land_without_a_rebuild(text_only: Library) -> None:
    library = text_only
    assert library.entities_pending() == 5
    assert library.entities() == []
    assert len(library.search("china")) > 0
    assert library.search("person:lighthizer").total == 0  # asked before the entities came (and cached)
    segments_before = {p.name for p in library.store.search_dir.iterdir() if p.suffix == ".seg"}

    report = library.extract_entities()

    assert (report.extracted, report.pending, report.cancelled) == (5, 0, False)
    assert library.entities_pending() == 0
    article_id, surname = _a_person(library)
    assert library.article(article_id).mentions
    hits = library.search(f"person:{surname}")
    assert article_id in {hit.id for hit in hits}
    assert library.search("person:lighthizer").total > 0  # not the answer cached before
    # the text index was added to, not rebuilt: every old segment is still there
    segments_after = {p.name for p in library.store.search_dir.iterdir() if p.suffix == ".seg"}
    assert segments_before <= segments_after
    index = library.store.whoosh_index()
    assert index.doc_count() == library.store.catalog.count() == 5
    assert len(library.search("china")) > 0
    # nothing pending: a second run does nothing
    assert library.extract_entities().extracted == 0


def test_an_interrupted_entity_phase_resumes_where_it_stopped(text_only: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(entity_phase, "FIRST_CHUNK", 2)
    monkeypatch.setattr(entity_phase, "LARGEST_CHUNK", 2)
    chunks: list[int] = []

    first = text_only.extract_entities(progress=lambda done, total, _id: chunks.append(done), cancelled=lambda: bool(chunks))

    assert first.cancelled and first.extracted == 2 and first.pending == 3
    # a new process (the next `reader index`, or the app's next start) finishes the job
    with Library(text_only.articles_dir, text_only.index_dir) as again:
        assert again.entities_pending() == 3
        second = again.extract_entities()
        assert (second.extracted, second.pending) == (3, 0)
        assert again.store.whoosh_index().doc_count() == 5


def test_an_article_changed_while_its_entities_were_extracted_waits_for_the_next_round(text_only: Library) -> None:
    store = text_only.store
    stale = store.catalog.article(store.catalog.entities_pending(1)[0])
    assert stale is not None
    path = text_only.articles_dir / stale.path
    path.write_text(path.read_text(encoding="utf-8") + "\n\nA paragraph added since.\n", encoding="utf-8")
    text_only.sync(entities=False)

    written = entity_phase._write(store, [stale], "rules", 5.0)  # extracted from the old text

    assert written == set()
    assert stale.id in store.catalog.entities_pending()
    assert "paragraph added since" in text_only.article(stale.id).body


def test_sync_with_entities_runs_both_phases_and_leaves_user_data_alone(tmp_path: Path, rules_extractor: None) -> None:
    articles = tmp_path / "articles"
    shutil.copytree(SAMPLES, articles)
    with Library(articles, tmp_path / "index") as library:
        library.sync(entities=False)
        first = library.article(library.articles()[0].id)
        library.bookmarks.add(first.id, first.body[:10], 0, 10, body=first.body, note="keep me")
        bookmarks_file = library.bookmarks.path
        library.bookmarks.close()
        library._bookmarks = None
        before = hashlib.sha256(bookmarks_file.read_bytes()).hexdigest()

        report = library.sync(entities=True)

        assert report.entities_extracted == 5 and report.entities_pending == 0
        assert report.searchable_seconds <= report.seconds
        assert hashlib.sha256(bookmarks_file.read_bytes()).hexdigest() == before
        assert [b.note for b in library.bookmarks.list()] == ["keep me"]


def test_reader_index_prints_both_phases(tmp_path: Path, rules_extractor: None, capsys: pytest.CaptureFixture[str]) -> None:
    articles = tmp_path / "articles"
    shutil.copytree(SAMPLES, articles)
    where = ["--articles", str(articles), "--index", str(tmp_path / "index")]

    assert main([*where, "index", "--no-entities"]) == 0
    err = capsys.readouterr().err
    assert re.search(r"^5 articles indexed, 5 added, searchable in [\d.]+ s$", err, re.M), err
    assert "entities: 5 articles still to come" in err

    assert main([*where, "index"]) == 0
    err = capsys.readouterr().err
    assert re.search(r"^5 articles indexed, searchable in [\d.]+ s$", err, re.M), err
    assert re.search(r"^entities: 5 articles in [\d.]+ s \([\d,]+/s, rule-based", err, re.M), err

    assert main([*where, "index"]) == 0
    assert "entities:" not in capsys.readouterr().err


def test_a_backend_without_the_second_phase_gets_entities_in_the_sync(
    tmp_path: Path, rules_extractor: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A store that cannot leave entities to come (a cluster): one pass, and the Library's phase and
    merge methods answer with nothing to do instead of failing."""
    articles = tmp_path / "articles"
    shutil.copytree(SAMPLES, articles)
    monkeypatch.setattr(Library, "entities_after_text", property(lambda self: False))
    where = ["--articles", str(articles), "--index", str(tmp_path / "index")]

    assert main([*where, "index"]) == 0

    err = capsys.readouterr().err
    assert "entities:" not in err and "still to come" not in err
    with Library(articles, tmp_path / "index") as library:
        assert library.entities(kind="person"), "the one pass extracted them"

        class Cluster:  # none of the optional methods of the local index
            pass

        library._store = Cluster()  # type: ignore[assignment]
        assert (library.entities_pending(), library.segments(), library.merge_segments()) == (0, 0, (0, 0))
        assert library.extract_entities().extracted == 0
        library._store = None
