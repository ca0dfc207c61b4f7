"""The entity page in the app: Enter (or p) on an entity in the sidebar, Enter on an article opens it at the mention."""

from __future__ import annotations

import pytest

from reader.app.app import ReaderApp
from reader.app.marks import MemoryMarks
from reader.app.screens.entity_page import EntityPageScreen
from reader.app.widgets.entity_sidebar import EntityList, EntitySidebar
from reader.app.widgets.reading import ReadingPane

from .app_helpers import screen_text, settle, wait_until


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_entity_page_and_opening_an_article_at_the_mention(app_library, size):
    app = ReaderApp(app_library, marks=MemoryMarks())
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        sidebar = app.main.query_one(EntitySidebar)
        await pilot.press("e")
        while sidebar.current is None or sidebar.current.name != "Robert Lighthizer":
            await pilot.press("j")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, EntityPageScreen) and app.screen.page is not None)
        page = app.screen.page
        text = screen_text(app)
        assert "Robert Lighthizer" in text and "mentions per month" in text and "undated" in text
        named_with = [c.name for c in page.together]
        assert "Steven Mnuchin" in named_with and "Liu He" in named_with
        for index, article in enumerate(page.articles):  # each article opens at his mention
            if index:
                await pilot.press("e")
                while sidebar.current is None or sidebar.current.name != "Robert Lighthizer":
                    await pilot.press("j")
                await pilot.press("p")
                await wait_until(pilot, lambda: isinstance(app.screen, EntityPageScreen) and app.screen.page is not None)
                for _ in range(index):
                    await pilot.press("down")
            await pilot.press("enter")
            await wait_until(pilot, lambda: not isinstance(app.screen, EntityPageScreen))
            reading = app.main.query_one(ReadingPane)

            def opened(reading=reading, wanted=article.article_id) -> bool:
                return reading.article is not None and reading.article.id == wanted

            await wait_until(pilot, opened)
            assert reading.body[article.offset :].startswith(("Robert Lighthizer", "Lighthizer"))


async def test_escape_leaves_the_entity_page(app_library):
    app = ReaderApp(app_library, marks=MemoryMarks())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("e")
        await pilot.press("p")  # p still opens it
        await wait_until(pilot, lambda: isinstance(app.screen, EntityPageScreen))
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, EntityPageScreen))
        assert "⏎ Entity page" in screen_text(app) and "n Next mention" in screen_text(app)


async def test_a_click_on_an_entity_opens_its_page(app_library):
    app = ReaderApp(app_library, marks=MemoryMarks())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("e")
        sidebar = app.main.query_one(EntitySidebar)
        entity_list = sidebar.query_one(EntityList)
        row = next(i for i in range(entity_list.option_count) if not entity_list.get_option_at_index(i).disabled)
        name = sidebar._rows[entity_list.get_option_at_index(row).id].name
        await pilot.click(EntityList, offset=(6, row - int(entity_list.scroll_y)))
        await wait_until(pilot, lambda: isinstance(app.screen, EntityPageScreen) and app.screen.page is not None)
        assert app.screen.page.name == name
