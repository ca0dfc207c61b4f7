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

    def watch_show_vertical_scrollbar(self) -> None:
        """Measure the options again when the scrollbar comes or goes.

        OptionList measures each option's height once per width and clears
        that on a resize, but the scrollbar appearing narrows the text without
        resizing the widget: an option measured before it wrapped to one line
        more than measured, which cut off its separator and put the list's
        scroll position part-way into an item (the flaky bookmarks snapshot).
        """
        self._clear_caches()  # OptionList's own cache reset (private: no public way to ask for it)
        self.call_after_refresh(self.scroll_to_highlight)
