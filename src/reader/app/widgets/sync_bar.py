"""A one-line progress bar shown while the library indexes in the background."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import ProgressBar, Static


class SyncBar(Horizontal):
    DEFAULT_CSS = """
    SyncBar {
        height: 1;
        padding: 0 1;
        background: $panel;
        & > #sync-label { width: auto; padding-right: 2; }
        & > ProgressBar { width: 1fr; }
    }
    """

    def compose(self) -> ComposeResult:
        yield Static(Content("Indexing…"), id="sync-label", markup=False)
        yield ProgressBar(total=None, show_eta=False, id="sync-progress")

    def update_progress(self, done: int, total: int) -> None:
        self.query_one("#sync-label", Static).update(Content(f"Indexing {done:,}/{total:,} articles"))
        self.query_one(ProgressBar).update(total=max(total, 1), progress=done)

    def update_label(self, text: str) -> None:
        self.query_one("#sync-label", Static).update(Content(text))
