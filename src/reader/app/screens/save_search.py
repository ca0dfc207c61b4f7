"""Saving the search being shown (ctrl+s in the search pane): ask a name, say inline what
went wrong (a name taken, a query that does not parse), never lose what was typed.

The saving itself runs off the event loop (``save(dialog, name)``, given by the
saved-searches controller), which answers with :class:`SaveSearchDialog.Outcome`.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from ..safe import safe_inline
from .dialog_box import dialog_css

MAX_NAME = 80


class SaveSearchDialog(ModalScreen[str | None]):
    """Dismissed with the saved name, or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="save_search.cancel")]

    DEFAULT_CSS = dialog_css("SaveSearchDialog", "dialog", 64) + """
    SaveSearchDialog {
        & #query { height: auto; max-height: 3; color: $text; margin-bottom: 1; }
        & Label { color: $text-muted; }
        & #name { padding: 0; margin-bottom: 1; }
        & #dialog-status { height: auto; max-height: 3; }
        & #dialog-status.-error { color: $text-error; }
        & #dialog-keys { color: $text-muted; height: auto; }
    }
    """

    class Outcome(Message):
        """What saving said: ``error`` is one line ("" when saved); ``note`` is shown after."""

        def __init__(self, error: str, note: str = "") -> None:
            super().__init__()
            self.error = error
            self.note = note

    def __init__(self, query: str, save: Callable[[SaveSearchDialog, str], None]) -> None:
        super().__init__()
        self.search_query = query
        self._save = save
        self.saving = False

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Content(safe_inline(self.search_query, 300)), id="query", markup=False)
            yield Label("Name")
            yield Input(id="name", compact=True, max_length=MAX_NAME, placeholder="e.g. lighthizer watch")
            yield Static(id="dialog-status", markup=False)
            yield Static(Content("Enter: save (w lists it, with what arrives)   Esc: cancel"), id="dialog-keys")

    def on_mount(self) -> None:
        self.query_one("#dialog").border_title = "Save this search"
        self.query_one("#name", Input).focus()

    @property
    def status(self) -> str:
        return str(self.query_one("#dialog-status", Static).visual)

    def _set_status(self, text: str, *, error: bool) -> None:
        status = self.query_one("#dialog-status", Static)
        status.update(Content(safe_inline(text, 300)))
        status.set_class(error, "-error")

    @on(Input.Submitted, "#name")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        name = " ".join(event.value.split())
        if not name:
            self._set_status("A saved search needs a name.", error=True)
            return
        if self.saving:
            return
        self.saving = True
        self._set_status("Saving…", error=False)
        self._save(self, name)

    @on(Outcome)
    def _outcome(self, message: Outcome) -> None:
        self.saving = False
        if message.error:
            self._set_status(message.error, error=True)  # the name stays typed, to change it
            self.query_one("#name", Input).focus()
            return
        self.dismiss(message.note)

    def action_cancel(self) -> None:
        self.dismiss(None)
