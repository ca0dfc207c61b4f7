"""Key overrides from the config file: sound ones apply, each bad one is one line and ignored."""

from __future__ import annotations

from reader.app.app import ReaderApp
from reader.app.keymap import checked_keymap
from reader.app.marks import MemoryMarks

from .app_helpers import settle


def test_unknown_id_is_named_with_a_suggestion():
    good, problems = checked_keymap({"main.serch": "ctrl+f"})
    assert good == {}
    assert problems == ["keys: 'main.serch' names no binding (did you mean 'main.search'?); ignored"]


def test_clash_with_a_binding_of_the_same_pane_or_everywhere_is_refused():
    good, problems = checked_keymap({"main.search": "e", "reading.bookmark": "q", "main.zoom": "Z"})
    assert good == {"main.zoom": "Z"}
    assert problems == [
        "keys: 'main.search' = 'e' clashes: 'e' is already main.entities; ignored",
        "keys: 'reading.bookmark' = 'q' clashes: 'q' is already app.quit; ignored",
    ]
    # moving a key away first frees it for another binding
    good, problems = checked_keymap({"main.entities": "E", "main.search": "e"})
    assert good == {"main.entities": "E", "main.search": "e"} and problems == []


async def test_app_starts_with_the_sound_overrides_and_says_which_were_ignored(app_library):
    app = ReaderApp(app_library, marks=MemoryMarks(), keymap={"main.search": "ctrl+s", "nope.nothing": "x"})
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        messages = app.notified  # the toast may have timed out on a loaded machine
        assert any("'nope.nothing' names no binding" in m for m in messages)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.main.searching
