"""The footer, showing only the keys that fit whole.

Textual's footer lets the last key run under the right edge ("B Bookm▏" at 80
columns). This one hides every key from the first that would be cut, so what
is shown reads whole; ``? Help`` comes first (see ``MainScreen.active_bindings``)
and lists everything, so nothing becomes unreachable.
"""

from __future__ import annotations

from textual.events import Resize
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterLabel  # the group label class is not exported


class FittingFooter(Footer):
    """A footer that hides the keys that do not fit rather than cutting one."""

    async def recompose(self) -> None:
        await super().recompose()
        self.fit()

    def on_resize(self, event: Resize) -> None:
        self.fit()

    def _width(self, widget: Widget) -> int:
        """Cells ``widget`` takes in the row, margins included, measured without a layout pass."""
        size = self.size if self.size.width else self.app.size
        content = widget.get_content_width(size, self.app.size)
        return content + widget.styles.gutter.width + widget.styles.margin.width

    def fit(self) -> None:
        """Show keys from the left while they fit whole beside the command palette key; hide the rest."""
        if not self.is_attached or not self.size.width:
            return
        keys = [child for child in self.children if not child.has_class("-command-palette")]
        palette = [child for child in self.children if child.has_class("-command-palette")]
        room = self.size.width - sum(self._width(child) for child in palette)
        used, overflowing = 0, False
        for index, child in enumerate(keys):
            width = self._width(child)
            overflowing = overflowing or used + width > room
            child.display = not overflowing
            if overflowing and isinstance(child, FooterLabel) and index and keys[index - 1].display:
                keys[index - 1].display = False  # a group's keys ("()") go with their label ("Sentence")
            used += width
