"""The app indexes text first and extracts entities in a background worker, saying so in the sidebar."""

from __future__ import annotations

import threading

import pytest

from reader import Library
from reader.app.app import ReaderApp
from reader.app.marks import MemoryMarks
from reader.app.widgets.entity_sidebar import EntitySidebar
from reader.app.widgets.reading import ReadingPane

from .app_helpers import settle, wait_until

SIZE = (120, 40)


async def test_entities_arrive_in_the_background_and_the_sidebar_says_they_are_coming(
    text_only: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()
    real_extract = text_only.extract_entities

    def held_extract(**kwargs):  # type: ignore[no-untyped-def]
        assert release.wait(60), "the test never let extraction start"
        return real_extract(**kwargs)

    monkeypatch.setattr(text_only, "extract_entities", held_extract)
    app = ReaderApp(text_only, marks=MemoryMarks())
    async with app.run_test(size=SIZE) as pilot:
        screen = app.main
        sidebar, reading = screen.query_one(EntitySidebar), screen.query_one(ReadingPane)
        await wait_until(pilot, lambda: screen.startup.extracting)
        assert "Entities still coming" in str(sidebar.border_subtitle)

        # the text is searchable and readable meanwhile; the article has no entities yet
        assert len(text_only.search("china")) > 0
        await wait_until(pilot, lambda: screen.article_list.total == 5)
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen.articles.open_id is not None)
        assert sidebar.names == []

        release.set()
        await wait_until(pilot, lambda: not screen.startup.extracting)
        await settle(pilot)
        assert not sidebar.border_subtitle
        assert reading.mentions, "the open article was shown again with its entities"
        assert sidebar.names
        assert text_only.entities_pending() == 0


async def test_after_the_start_up_sync_the_new_article_gets_its_entities_too(text_only: Library) -> None:
    (text_only.articles_dir / "new_article.txt").write_text(
        "A new story\n\nWASHINGTON -- Zephyrine Quillfeather spoke to reporters on Monday.\n", encoding="utf-8"
    )
    app = ReaderApp(text_only, marks=MemoryMarks())
    async with app.run_test(size=SIZE) as pilot:
        screen = app.main
        await wait_until(pilot, lambda: len(text_only) == 6 and not screen.startup.syncing)
        await wait_until(pilot, lambda: text_only.entities_pending() == 0 and not screen.startup.extracting)
        await settle(pilot)
        assert [hit.id for hit in text_only.search("quillfeather")] == ["new_article"]
        assert text_only.article("new_article").mentions
