"""The config file's settings reach the app and the feed fetcher: wrap width, highlighted kinds, [feeds]."""

from __future__ import annotations

from reader.cli import main
from reader.config import Preferences

from .app_helpers import RAIMONDO, make_app, open_article, settle


async def test_wrap_width_and_highlighted_kinds_from_the_config_reach_the_reading_pane(app_library):
    app = make_app(app_library, preferences=Preferences(wrap_width=40, highlight=frozenset({"org"})))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        reading = await open_article(pilot, RAIMONDO)
        await pilot.pause()
        body = [line for line in reading.text_layout.lines if line.is_body]
        assert body and max(line.end - line.start for line in body) <= 40
        assert max(line.end - line.start for line in body) >= 30  # wrapped at 40, not at the pane's ~80
        assert reading.kinds == frozenset({"org"}) and app.main.kinds == {"org"}


async def test_default_preferences_keep_the_comfortable_measure(app_library):
    app = make_app(app_library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        reading = await open_article(pilot, RAIMONDO)
        body = [line for line in reading.text_layout.lines if line.is_body]
        assert max(line.end - line.start for line in body) > 60
        assert reading.kinds == frozenset({"person", "org", "place", "group"})


def test_feeds_section_sets_the_fetchers_concurrency_and_timeout(library, tmp_path, monkeypatch, capsys):
    config = tmp_path / "config.toml"
    config.write_text("[feeds]\nconcurrency = 1\ntimeout = 7\n")
    monkeypatch.setenv("READER_CONFIG", str(config))
    paths = ["--articles", str(library.articles_dir), "--index", str(library.index_dir)]
    library.bookmarks.add_feed("local", "http://127.0.0.1:9/feed.xml", "Local")  # never fetched here
    library.close()
    seen: dict[str, object] = {}

    def fake_fetch_feeds(library, state, names, **options):
        seen.update(options)
        return [], None, []

    monkeypatch.setattr("reader.web.fetching.fetch_feeds", fake_fetch_feeds)
    main([*paths, "fetch"])
    assert seen["workers"] == 1 and seen["deadline"] == 7


def test_config_mistakes_reach_the_app_which_starts_on_defaults(library, tmp_path, monkeypatch):
    """stderr is hidden behind the app's screen: each mistake is also handed to the app."""
    config = tmp_path / "config.toml"
    config.write_text('thme = "light"\nwrap_width = "wide"\n[keys]\n"main.serch" = "ctrl+f"\n')
    monkeypatch.setenv("READER_CONFIG", str(config))
    seen: dict[str, object] = {}
    monkeypatch.setattr("reader.app.run_app", lambda library, **options: seen.update(options) or 0)
    paths = ["--articles", str(library.articles_dir), "--index", str(library.index_dir)]
    library.close()
    assert main([*paths, "app"]) == 0
    problems = seen["problems"]
    assert len(problems) == 2 and "'thme' (did you mean 'theme'?)" in problems[0] and "'wrap_width'" in problems[1]
    assert seen["theme"] == "dark" and seen["preferences"].wrap_width == 76  # the defaults
    assert seen["keymap"] == {"main.serch": "ctrl+f"}  # checked, and refused, in the app itself


async def test_the_app_shows_each_config_mistake(app_library):
    from .app_helpers import notifications

    app = make_app(app_library, problems=["config x line 1: unknown key 'thme' (did you mean 'theme'?); ignored"])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert any("did you mean 'theme'" in message for message in notifications(app))
