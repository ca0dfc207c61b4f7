"""Where to write a bookmark export: a path box that starts in the documents folder.

The box starts with a full path (the platform's documents folder, else its
downloads folder, else home); a relative name typed in is taken in that same
folder, never the current one. ``.json`` writes the JSON export (each bookmark
with its citation), anything else Markdown. A folder that does not exist, or a
file that does (until Enter is pressed again on the same path), is said in the
dialog, which stays open. Dismisses with the chosen absolute path, or None.
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


def chosen_path(typed: str, folder: Path) -> Path:
    """``typed`` with ``~`` expanded; relative to ``folder`` (never the current folder)."""
    path = Path(typed.strip()).expanduser()
    return path if path.is_absolute() else folder / path


class ExportDialog(ModalScreen[Path | None]):
    """Asks where to write ``count`` bookmarks, starting from ``default``."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="export_dialog.cancel")]

    DEFAULT_CSS = """
    ExportDialog {
        align: center middle;
        & > #export {
            width: 90;
            max-width: 100%;
            height: auto;
            border: round $accent;
            border-title-color: $text;
            border-title-style: bold;
            background: $surface;
            padding: 0 1;
        }
        & #export-path { padding: 0; margin: 1 0; }
        & #export-status { height: auto; color: $text-muted; }
        & #export-status.-error { color: $text-error; }
    }
    """

    def __init__(self, default: Path, count: int) -> None:
        super().__init__()
        self.default = default
        self.count = count
        self._replace: Path | None = None  # Enter twice on an existing file replaces it

    def compose(self) -> ComposeResult:
        plural = "s" if self.count != 1 else ""
        with Vertical(id="export") as box:
            box.border_title = f"Export {self.count} bookmark{plural}"
            yield Input(str(self.default), id="export-path", compact=True, select_on_focus=False)
            yield Static(
                Content("Enter writes it · .json for JSON, else Markdown · Esc cancels"), id="export-status", markup=False
            )

    def on_mount(self) -> None:
        box = self.query_one(Input)
        box.focus()
        box.cursor_position = len(box.value)

    def _say(self, text: str, error: bool = True) -> None:
        status = self.query_one("#export-status", Static)
        status.set_class(error, "-error")
        status.update(Content(text))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not event.value.strip():
            self._say("Type a file name.")
            return
        path = chosen_path(event.value, self.default.parent)
        shown = safe_inline(str(path), 200)
        if path.is_dir():
            self._say(f"A folder: add a file name.\n{shown}")
            return
        if not path.parent.is_dir():
            self._say(f"No such folder: choose one that exists.\n{safe_inline(str(path.parent), 200)}")
            return
        if path.exists() and self._replace != path:
            self._replace = path
            self._say(f"Exists: Enter again replaces it, or change the name.\n{shown}")
            return
        self.dismiss(path)

    def action_cancel(self) -> None:
        self.dismiss(None)
