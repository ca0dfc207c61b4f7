"""What a new user found rough on screen: each fix, checked the way the user met it.

Titles cut in a narrow list, a cut-off footer key, two meanings of ``b``, a cut
passage in the bookmark dialog, unreadable light-theme headers, "No bookmarks
yet" after deleting the last one, flattened notes, commands whose --help said
nothing.
"""

from __future__ import annotations

import argparse

import pytest

from reader.app.app import DARK, LIGHT
from reader.app.screens.bookmark_dialog import BookmarkDialog
from reader.app.widgets.article_column import ArticleColumn
from reader.app.widgets.bookmarks_pane import NONE_LEFT, NOTE_LINES, BookmarksPane, note_lines
from reader.app.widgets.footer import FittingFooter
from reader.cli import build_parser

from .app_helpers import RAIMONDO, make_app, open_article, settle


def _luminance(colour) -> float:
    """WCAG relative luminance of a Rich colour."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = colour.get_truecolor()
    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


def contrast(style) -> float:
    """WCAG contrast ratio of a segment's text on its background."""
    first, second = sorted((_luminance(style.color), _luminance(style.bgcolor)), reverse=True)
    return (first + 0.05) / (second + 0.05)


@pytest.mark.parametrize("theme", [LIGHT, DARK])
async def test_entity_sidebar_headers_reach_wcag_aa_contrast(app_library, theme):
    """Computed from the colours the theme really draws (the light theme's were ~2.7:1)."""
    app = make_app(app_library, theme=theme)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        await open_article(pilot, RAIMONDO)
        await settle(pilot)
        headers = [
            segment
            for strip in app.screen._compositor.render_strips()
            for segment in strip
            if segment.text.strip() in ("People", "Organisations", "Places")
        ]
        assert headers, "no kind header on screen"
        for segment in headers:
            assert contrast(segment.style) >= 4.5, (segment.text, str(segment.style))


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_footer_shows_whole_keys_only(app_library, size):
    app = make_app(app_library)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        for _ in range(2):  # the list's keys, then the reading pane's (more of them)
            await pilot.pause()
            footer = app.screen.query_one(FittingFooter)
            palette = [child for child in footer.children if child.has_class("-command-palette")]
            edge = palette[0].region.x if palette else footer.region.right
            shown = [child for child in footer.children if child.display and child not in palette]
            assert shown and all(child.region.right <= edge for child in shown)
            assert "Help" in str(shown[0].render())  # the key to everything else stays
            await open_article(pilot, RAIMONDO)
            await settle(pilot)
        if size[0] == 80:  # the reading pane's keys do not all fit in 80 columns: some are hidden, none cut
            assert any(not child.display for child in footer.children)


async def test_b_means_bookmark_and_nothing_else(app_library):
    app = make_app(app_library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        meanings = {info.description for info in app.bindings_info() if "b" in info.keys}
        assert meanings == {"Bookmark"}
        await pilot.press("b")  # in the list: no paging, no dialog
        await settle(pilot)
        assert app.screen is app.main


async def test_the_list_has_the_room_while_no_article_is_open(app_library):
    app = make_app(app_library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        column = app.main.query_one(ArticleColumn)
        assert column.outer_size.width >= 70  # titles of ~65 characters fit
        await open_article(pilot, RAIMONDO)
        await settle(pilot)
        assert column.outer_size.width == 40  # the reading pane takes it back


async def test_the_bookmark_dialog_shows_the_whole_passage(app_library):
    app = make_app(app_library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        reading = await open_article(pilot, RAIMONDO)
        await pilot.press("right_brace")
        for _ in range(6):
            await pilot.press("greater_than_sign")
        passage = reading.passage_text
        assert len(passage) > 600
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.screen, BookmarkDialog)
        shown = str(app.screen.query_one("#quote").visual)
        assert passage.split()[-1] in shown and "…" not in shown


async def test_deleting_the_last_bookmark_says_none_left_not_none_yet(app_library):
    article = app_library.article(RAIMONDO)
    app_library.bookmarks.add_for_article(article, "Raimondo", note="first line\nsecond line\n\nthird")
    app = make_app(app_library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("B")
        await settle(pilot)
        pane = app.main.query_one(BookmarksPane)
        listed = str(pane.bookmark_list.get_option_at_index(0).prompt)
        assert "✎ first line\n  second line\n  third" in listed  # as written, not flattened
        await pilot.press("down", "d")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert pane.status == NONE_LEFT
        await pilot.press("u")
        await settle(pilot)
        assert pane.status == "1 bookmark"


def test_long_notes_keep_their_lines_up_to_a_limit():
    assert note_lines("one\n\n two  words \nthree") == ["✎ one", "  two words", "  three"]
    many = note_lines("\n".join(f"line {n}" for n in range(10)))
    assert len(many) == NOTE_LINES and many[-1].endswith("…")
    assert note_lines("x" * 500)[0].endswith("…") and len(note_lines("x" * 500)[0]) < 200


def test_every_command_says_what_it_does_in_its_help():
    def walk(parser: argparse.ArgumentParser, path: str = "reader"):
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    if not name.startswith("_"):
                        yield f"{path} {name}", sub
                        yield from walk(sub, f"{path} {name}")

    commands = dict(walk(build_parser()))
    assert {"reader app", "reader extract", "reader index", "reader feeds remove"} <= set(commands)
    silent = [name for name, sub in commands.items() if not (sub.description or "").strip()]
    assert silent == []
    assert "Open the reader app" in commands["reader app"].format_help()
    assert "plain-text files" in commands["reader extract"].format_help()
