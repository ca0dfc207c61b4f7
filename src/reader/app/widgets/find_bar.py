"""The find bar: ctrl+f in the reading pane finds text in the open article.

One line above the footer. Matches are highlighted as you type (the reading
pane does the finding and drawing); Enter goes back to the article with
``n``/``N`` stepping through them; Esc closes the find and the article's
search hits come back.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, Static

from .reading.find import MAX_FIND


class FindBar(Horizontal):
    """A box for what to find and how many places have it."""

    BINDINGS = [
        Binding("escape", "close(False)", "Stop finding", id="find.close"),
        Binding("enter", "close(True)", "Keep matches (n/N)", id="find.keep"),
        Binding("down", "step(1)", "Next match", show=False, id="find.next"),
        Binding("up", "step(-1)", "Previous match", show=False, id="find.previous"),
    ]

    DEFAULT_CSS = """
    FindBar {
        height: 1;
        padding: 0 1;
        background: $panel;
        & > #find-label { width: auto; padding-right: 1; }
        & > #find-input { width: 1fr; }
        & > #find-count { width: auto; padding-left: 2; color: $text-muted; }
    }
    """

    class Changed(Message):
        """Find ``text`` (empty: nothing highlighted)."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class Step(Message):
        def __init__(self, direction: int) -> None:
            super().__init__()
            self.direction = direction

    class Closed(Message):
        """``keep``: back to the article, matches kept for n/N; else the search hits come back."""

        def __init__(self, keep: bool) -> None:
            super().__init__()
            self.keep = keep

    def compose(self) -> ComposeResult:
        yield Static(Content("Find in article:"), id="find-label", markup=False)
        yield Input(placeholder="text", id="find-input", compact=True, max_length=MAX_FIND)
        yield Static(id="find-count", markup=False)

    @property
    def input(self) -> Input:
        return self.query_one("#find-input", Input)

    def open(self, text: str = "") -> None:
        self.display = True
        self.input.value = text
        self.input.cursor_position = len(text)
        self.show_count(None)
        self.screen.set_focus(self.input)

    def show_count(self, found: int | None, current: int = 0) -> None:
        """``found`` places (None: nothing typed yet); ``current`` is 1-based, 0 for none yet."""
        if found is None:
            text = "Enter: keep, Esc: stop"
        elif not found:
            text = "not in this article"
        else:
            text = f"{current} of {found:,}" if current else f"{found:,} found"
        self.query_one("#find-count", Static).update(Content(text))

    @on(Input.Changed, "#find-input")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Changed(event.value))

    @on(Input.Submitted, "#find-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_close(True)

    def action_close(self, keep: bool) -> None:
        self.display = False
        self.post_message(self.Closed(keep))

    def action_step(self, direction: int) -> None:
        self.post_message(self.Step(direction))
