"""The app as a reader of a team archive: only the cluster's URL, no articles folder, no local index.

It lists, opens, searches, shows entities and bookmarks a passage; the bookmark lands in the
reader's own user-state database, anchored by quote as on the local index.
"""

from __future__ import annotations

from pathlib import Path

from reader import Library
from reader.app.app import ReaderApp
from reader.app.marks import MemoryMarks
from reader.app.screens.bookmark_dialog import BookmarkDialog
from reader.app.screens.main import MainScreen
from reader.app.widgets.article_list import ArticleList
from reader.app.widgets.entity_sidebar import EntitySidebar
from reader.app.widgets.reading import ReadingPane
from reader.app.widgets.search_pane import SearchPane
from reader.opensearch.store import OpenSearchStore

from ..app_helpers import press_until, screen_text, settle, settle_typing

SIZE = (120, 40)
RAIMONDO = "003_6ecca0d802200a51"


async def test_the_app_reads_a_cluster_without_the_articles_folder(opensearch_sample_library, tmp_path: Path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    store = OpenSearchStore(opensearch_sample_library.store.config)  # the samples, indexed with entities
    library = Library(elsewhere / "articles", elsewhere / "index", backend=store)
    app = ReaderApp(library, marks=MemoryMarks())
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen = app.main
            article_list = screen.query_one(ArticleList)
            assert article_list.total == 5 and "commerce secretary" in screen_text(app)

            # open an article from the list: its text comes from the cluster
            assert article_list.select_id(RAIMONDO)
            await pilot.press("enter")
            await settle(pilot)
            reading = screen.query_one(ReadingPane)
            assert reading.article is not None and reading.article.id == RAIMONDO
            assert "Gina Raimondo" in reading.body

            # its entities, in the sidebar
            sidebar = screen.query_one(EntitySidebar)
            assert "Gina Raimondo" in sidebar.names
            await pilot.press("e")
            await press_until(pilot, "j", lambda: sidebar.current is not None and sidebar.current.name == "Gina Raimondo")

            # search, open a hit at its first match
            await pilot.press("escape", "escape", "slash")
            search = screen.query_one(SearchPane)
            await pilot.press(*"Mnuchin", "space")
            await settle_typing(pilot)
            assert search.results is not None and search.results.total == 4
            await pilot.press("enter")
            await settle(pilot)
            first = reading.targets[0]
            assert reading.body[first.start : first.end] == "Mnuchin"

            # bookmark a passage
            await pilot.press("escape", "escape", "escape")
            assert article_list.select_id(RAIMONDO)
            await pilot.press("enter")
            await settle(pilot)
            await pilot.press("right_parenthesis")
            quote = reading.passage_text
            await pilot.press("b")
            await settle(pilot)
            assert isinstance(app.screen, BookmarkDialog)
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, MainScreen)
        (bookmark,) = library.bookmarks.list()
        assert bookmark.article == RAIMONDO and bookmark.quote == quote and quote.startswith("BEIJING (AP)")
        assert (elsewhere / "index" / "bookmarks.sqlite").exists()
        assert not (elsewhere / "articles").exists() and not (elsewhere / "index" / "search").exists()
    finally:
        library.close()
