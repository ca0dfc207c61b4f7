"""Where to write a file the app exports (the entity dossier): a path to confirm or edit.

Checked before it closes, with one line under the input: an empty path, a
folder that does not exist, a file that is there already (Enter again
overwrites it). A folder given as the path gets the suggested file name.
"""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from ..safe import safe_inline


class PathDialog(ModalScreen[Path | None]):
    """Asks for a file path, suggesting one; dismissed with the absolute path (None: cancelled)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="path.cancel")]

    DEFAULT_CSS = """
    PathDialog {
        align: center middle;
        & > #path-box {
            width: 90;
            max-width: 100%;
            height: auto;
            border: round $primary;
            border-title-color: $text;
            border-title-style: bold;
            background: $surface;
            padding: 0 1;
        }
        & #path-message { height: auto; color: $text-error; }
        & #path-keys { color: $text-muted; }
    }
    """

    def __init__(self, title: str, suggested: Path) -> None:
        super().__init__()
        self.title_text = title
        self.suggested = suggested
        self._overwrite: Path | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="path-box") as box:
            box.border_title = self.title_text
            yield Input(str(self.suggested), id="path-input")
            yield Static(id="path-message", markup=False)
            yield Static(Content("Enter: write · Esc: cancel"), id="path-keys", markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def show_message(self, text: str) -> None:
        self.query_one("#path-message", Static).update(Content(safe_inline(text, 300)))

    @on(Input.Changed, "#path-input")
    def _typed(self) -> None:
        if self._overwrite is not None:
            self._overwrite = None
            self.show_message("")

    @on(Input.Submitted, "#path-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        typed = event.value.strip()
        if not typed:
            self.show_message("Type where to write it.")
            return
        path = Path(typed).expanduser()
        if path.is_dir():
            path = path / self.suggested.name
        path = path.absolute()
        if not path.parent.is_dir():
            self.show_message(f"There is no folder {path.parent}.")
            return
        if path.exists() and path != self._overwrite:
            self._overwrite = path
            self.show_message(f"{path.name} exists: Enter again replaces it.")
            return
        self.dismiss(path)

    def action_cancel(self) -> None:
        self.dismiss(None)
