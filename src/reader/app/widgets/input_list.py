"""An OptionList that sits under a text box: Up on its first row goes back to the box."""

from __future__ import annotations

from textual.widgets import Input, OptionList

from ..keys import list_bindings

__all__ = ["InputList", "list_bindings"]


class InputList(OptionList, inherit_bindings=False):
    """Subclasses set ``INPUT_ID``, the box that Up on the first row returns to."""

    INPUT_ID = ""

    def action_cursor_up(self) -> None:
        if not self.highlighted:
            self.screen.set_focus(self.screen.query_one(f"#{self.INPUT_ID}", Input))
        else:
            super().action_cursor_up()
