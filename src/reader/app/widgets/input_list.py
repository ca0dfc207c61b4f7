"""An OptionList that sits under a text box: Up on its first row goes back to the box."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import Input, OptionList


def list_bindings(prefix: str, open_label: str = "Open") -> list[Binding]:
    """The keys such a list takes, with ids under ``prefix`` so keymaps can remap them."""
    return [
        Binding("enter", "select", open_label, id=f"{prefix}.open"),
        Binding("down,j", "cursor_down", "Down", show=False, id=f"{prefix}.down"),
        Binding("up,k", "cursor_up", "Up", show=False, id=f"{prefix}.up"),
        Binding("home,g", "first", "First", show=False, id=f"{prefix}.first"),
        Binding("end,G", "last", "Last", show=False, id=f"{prefix}.last"),
        Binding("pagedown", "page_down", "Page down", show=False, id=f"{prefix}.page_down"),
        Binding("pageup", "page_up", "Page up", show=False, id=f"{prefix}.page_up"),
    ]


class InputList(OptionList, inherit_bindings=False):
    """Subclasses set ``INPUT_ID``, the box that Up on the first row returns to."""

    INPUT_ID = ""

    def action_cursor_up(self) -> None:
        if not self.highlighted:
            self.screen.set_focus(self.screen.query_one(f"#{self.INPUT_ID}", Input))
        else:
            super().action_cursor_up()
