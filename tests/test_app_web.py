"""The app and the outside: files arriving, folders, the original page (and ``r``, with feeds)."""

from __future__ import annotations

from reader.app.app import ReaderApp
from reader.app.controllers.web import FolderChooser
from reader.app.marks import MemoryMarks
from reader.app.widgets.article_list import ArticleList
from reader.app.widgets.search_pane import SearchPane

from .app_helpers import notifications, settle, wait_until

SIZE = (120, 40)
STORY = "GENEVA -- Negotiators met on Tuesday to discuss the harbour, officials said, and agreed on a timetable.\n"


def make_app(library) -> ReaderApp:
    return ReaderApp(library, marks=MemoryMarks())


async def test_a_file_that_arrives_appears_without_a_restart(app_library):
    app = make_app(app_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        article_list = app.main.query_one(ArticleList)
        before = article_list.shown
        folder = app_library.articles_dir / "arrivals"
        folder.mkdir()
        (folder / "harbour.txt").write_text("Harbour talks resume\n\n" + STORY, encoding="utf-8")
        await wait_until(pilot, lambda: article_list.shown == before + 1, timeout=60)
        assert "arrivals/harbour" in article_list.row_ids
        assert "arrivals/harbour" not in article_list._read  # new articles are unread


async def test_o_shows_the_address_over_ssh_and_says_when_there_is_none(app_library, monkeypatch):
    (app_library.articles_dir / "web.md").write_text(
        "---\ntitle: From the web\nurl: https://example.org/story\n---\n\n" + STORY, encoding="utf-8"
    )
    app_library.sync(entities=False)
    monkeypatch.setenv("SSH_CONNECTION", "10.0.0.1 22 10.0.0.2 22")
    app = make_app(app_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.main
        screen.open_article("web")
        await settle(pilot)
        await pilot.press("o")
        assert any("https://example.org/story" in message and "SSH" in message for message in notifications(app))
        screen.open_article(next(s.id for s in app_library.articles() if s.id != "web"))
        await settle(pilot)
        await pilot.press("o")
        assert any("no web address" in message for message in notifications(app))


async def test_c_lists_folders_with_counts_and_searches_the_chosen_one(app_library):
    for name in ("alpha", "beta"):
        (app_library.articles_dir / "wire" / name).mkdir(parents=True)
        (app_library.articles_dir / "wire" / name / "story.txt").write_text(f"{name.title()} story\n\n" + STORY)
    app_library.sync(entities=False)
    app = make_app(app_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, FolderChooser)
        assert app.screen.folders == [("wire", 2), ("wire/alpha", 1), ("wire/beta", 1)]
        await pilot.press("down", "enter")  # wire/alpha
        await settle(pilot)
        search = app.main.query_one(SearchPane)
        assert search.input.value == "folder:wire/alpha"
        await wait_until(pilot, lambda: [h.id for h in search.results or ()] == ["wire/alpha/story"], timeout=20)


async def test_r_fetches_the_feeds_with_progress_and_new_articles_appear_unread(app_library):
    from .html_pages import item, rss, story
    from .web_server import serve

    with serve() as site:
        for n in (1, 2):
            site.page(f"/story/{n}", story(n))
        site.routes["/feed.xml"] = (200, {"Content-Type": "application/rss+xml"}, rss(site, [item(site, 1), item(site, 2)]))
        app_library.bookmarks.add_feed("Gazette", site.url("/feed.xml"), "Gazette")
        app = make_app(app_library)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            article_list = app.main.query_one(ArticleList)
            before = article_list.shown
            await pilot.press("r")
            await wait_until(pilot, lambda: article_list.shown == before + 2, timeout=60)
            new = [i for i in article_list.row_ids if i.startswith("gazette/")]
            assert sorted(new) == ["gazette/2024-05-14-harbour-story-1", "gazette/2024-05-14-harbour-story-2"]
            assert not set(new) & article_list._read
            assert any("2 new articles from 1 feed" in message for message in notifications(app))
            assert app_library.bookmarks.feed("Gazette").articles == 2
