"""Correcting entities from the app's sidebar: merge, rename, kind, hide, undo; dossier from the page."""

from __future__ import annotations

import json

import pytest
from textual.widgets import Input

from reader.app.app import ReaderApp
from reader.app.marks import MemoryMarks
from reader.app.screens import curation_dialog
from reader.app.screens.bookmark_dialog import ConfirmDialog
from reader.app.screens.curation_dialog import CurationDialog
from reader.app.screens.entity_page import EntityPageScreen
from reader.app.screens.path_dialog import PathDialog
from reader.app.widgets.entity_sidebar import EntityList
from reader.app.widgets.search_pane import SearchPane

from .app_helpers import press_until, screen_text, settle, settle_typing, wait_until

SIZE = (120, 40)
CLOUD = "001_f84b68a56f694696"  # names Amazon Web Services, Amazon, Huawei, iCloud …
CHINA_CLOUD = "000_ea3cef877529f866"  # names Pfizer


def make_app(library) -> ReaderApp:
    return ReaderApp(library, marks=MemoryMarks())


async def on_entity(pilot, app, article_id: str, name: str) -> None:
    """The article open and the sidebar's cursor on the entity ``name``."""
    screen = app.main
    screen.articles.open(article_id)
    await settle(pilot)
    screen.open_entities()
    screen.set_focus(screen.query_one(EntityList))
    await settle(pilot)
    sidebar = screen.sidebar
    await pilot.press("g")
    await press_until(pilot, "j", lambda: sidebar.current is not None and sidebar.current.name == name)


async def type_in_dialog(pilot, app, text: str) -> None:
    dialog = app.screen
    assert isinstance(dialog, CurationDialog)
    dialog.query_one(Input).value = text
    await pilot.press("enter")
    await settle(pilot)


async def test_merge_from_the_sidebar_with_bad_input_said_inline(app_library):
    app = make_app(app_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await on_entity(pilot, app, CLOUD, "Amazon Web Services")
        assert "m Merge" in screen_text(app)  # the keys are in the footer
        await pilot.press("m")
        await wait_until(pilot, lambda: isinstance(app.screen, CurationDialog))
        dialog = app.screen

        await type_in_dialog(pilot, app, "Amazon Web Services")
        assert "into itself" in dialog.message and app.screen is dialog
        await type_in_dialog(pilot, app, "Amazn")
        assert "did you mean 'Amazon'" in dialog.message and app.screen is dialog
        assert app_library.bookmarks.corrections() == []  # nothing recorded so far

        await type_in_dialog(pilot, app, "Amazon")
        await wait_until(pilot, lambda: not isinstance(app.screen, CurationDialog))
        sidebar = app.main.sidebar
        await wait_until(pilot, lambda: "Amazon Web Services" not in sidebar.names)
        assert "Amazon" in sidebar.names
        assert sidebar.current is not None and sidebar.current.name == "Amazon"  # the cursor follows it
        amazon = next(e for e in app_library.entities(kind="org") if e.name == "Amazon")
        assert "Amazon Web Services" in amazon.aliases

        await pilot.press("u")  # undo
        await wait_until(pilot, lambda: "Amazon Web Services" in sidebar.names)
        assert all(c.undone for c in app_library.bookmarks.corrections())


async def test_rename_offers_a_merge_and_kind_refuses_an_unknown_one(app_library):
    app = make_app(app_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await on_entity(pilot, app, CLOUD, "Amazon Web Services")
        await pilot.press("R")
        await wait_until(pilot, lambda: isinstance(app.screen, CurationDialog))
        dialog = app.screen
        assert dialog.query_one(Input).value == "Amazon Web Services"  # starts from the name
        await type_in_dialog(pilot, app, "amazon")
        assert "Amazon already exists: Enter merges" in dialog.message
        await pilot.press("enter")  # takes the offer
        await wait_until(pilot, lambda: not isinstance(app.screen, CurationDialog))
        [correction] = app_library.bookmarks.corrections()
        assert (correction.action, correction.name, correction.value) == ("merge", "Amazon Web Services", "Amazon")

        await on_entity(pilot, app, CLOUD, "Alibaba")
        await pilot.press("K")
        await wait_until(pilot, lambda: isinstance(app.screen, CurationDialog))
        dialog = app.screen
        await type_in_dialog(pilot, app, "alien")
        assert "unknown kind 'alien'" in dialog.message
        await type_in_dialog(pilot, app, "other")
        await wait_until(pilot, lambda: not isinstance(app.screen, CurationDialog))
        sidebar = app.main.sidebar
        await wait_until(pilot, lambda: any(r.name == "Alibaba" and r.kind == "other" for r in sidebar._rows.values()))
        assert "Alibaba" not in [e.name for e in app_library.entities(kind="org")]


async def test_hide_asks_when_many_articles_change_and_the_search_follows(app_library, monkeypatch):
    monkeypatch.setattr(curation_dialog, "CONFIRM_FROM_ARTICLES", 1)
    app = make_app(app_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        search = app.main.query_one(SearchPane)
        await pilot.press("slash", *"org:pfizer")
        await settle_typing(pilot)
        assert [hit.id for hit in search.results.hits] == [CHINA_CLOUD]

        await on_entity(pilot, app, CHINA_CLOUD, "Pfizer")
        await pilot.press("h")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        assert "It changes 1 article" in screen_text(app)
        await pilot.press("n")  # no: nothing changes
        await settle(pilot)
        assert app_library.bookmarks.corrections() == [] and "Pfizer" in app.main.sidebar.names

        await pilot.press("h")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        sidebar = app.main.sidebar
        await wait_until(pilot, lambda: "Pfizer" not in sidebar.names)
        await wait_until(pilot, lambda: search.results is not None and search.results.hits == [])  # no restart


async def test_a_list_filtered_by_an_entity_follows_its_merge(app_library):
    app = make_app(app_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await on_entity(pilot, app, CLOUD, "Amazon Web Services")
        await pilot.press("f")
        article_list = app.main.article_list
        await wait_until(pilot, lambda: article_list.entity_filter == "Amazon Web Services")
        assert article_list.shown == 1
        await on_entity(pilot, app, CLOUD, "Amazon Web Services")
        await pilot.press("m")
        await wait_until(pilot, lambda: isinstance(app.screen, CurationDialog))
        await type_in_dialog(pilot, app, "Amazon")
        await wait_until(pilot, lambda: article_list.entity_filter == "Amazon")
        await wait_until(pilot, lambda: article_list.shown == len(app_library.entity_articles("Amazon", "org")) == 2)


@pytest.mark.parametrize("form", ["md", "json"])
async def test_dossier_from_the_entity_page(app_library, tmp_path, form):
    app = make_app(app_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await on_entity(pilot, app, CHINA_CLOUD, "Robert Lighthizer")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, EntityPageScreen) and app.screen.page is not None)
        await wait_until(pilot, lambda: "x Dossier" in screen_text(app))  # the key in the footer
        await pilot.press("x")
        await wait_until(pilot, lambda: isinstance(app.screen, PathDialog))
        target = tmp_path / f"lighthizer.{form}"
        app.screen.query_one(Input).value = str(tmp_path / "missing" / "x.md")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PathDialog) and "There is no folder" in screen_text(app)
        app.screen.query_one(Input).value = str(target)
        await pilot.press("enter")
        await wait_until(pilot, target.exists)
        said = f"Dossier written to {target}"  # the full path
        await wait_until(pilot, lambda: said in [n.message for n in app._notifications])
        text = target.read_text(encoding="utf-8")
        if form == "json":
            assert json.loads(text)["entity"]["name"] == "Robert Lighthizer"
        else:
            assert text.startswith("# Robert Lighthizer") and "## Named with it" in text
