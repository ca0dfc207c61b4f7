"""How the main screen's panes share the width (pure rules, no Textual).

Three columns: the left one (the article list, the search pane or the
bookmarks pane), the reading pane, and the entity sidebar. On a narrow
terminal only two fit, the side pane used last kept; on a tiny one only the
pane with focus shows.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Widths at which side panes collapse: below NARROW only two panes show,
#: below TINY only the focused one.
NARROW = 100
TINY = 60
#: Narrowest reading pane shown next to both side panes; below it one side pane hides.
MIN_READING = 44
#: The entity sidebar opens by itself when the terminal is at least this wide.
SIDEBAR_AUTO = 150

#: The panes by name: "left" (list, search or bookmarks), "reading", "entities".
PANES = ("left", "reading", "entities")


@dataclass(frozen=True, slots=True)
class PaneLayout:
    """Which panes show and how wide the side ones are (None: they share the width)."""

    narrow: bool
    tiny: bool
    show: dict[str, bool]
    left_width: int | None
    entities_width: int | None


def side_widths(width: int, left_view: str, reading_empty: bool = False) -> tuple[int, int]:
    """Widths of the left column and of the entity sidebar; a search or bookmarks
    column gets more room than the list, and so does the list while no article is
    open (its titles are cut at ~37 characters in 40 columns)."""
    if width < TINY:
        return width, width
    narrow = width < NARROW
    if left_view == "list" and reading_empty:
        left = int(width * 0.6)  # the reading pane only says how to open one
    elif left_view != "list":
        left = int(width * (0.44 if narrow else 0.46))
    else:
        left = 30 if narrow else 40
    return left, 28 if narrow else 30


def plan(
    width: int, *, left_view: str, entities_open: bool, side: str, active: str, reading_empty: bool = False
) -> PaneLayout:
    """The layout at ``width``: ``side`` is the side pane used last, ``active`` the one with focus."""
    tiny = width < TINY
    left_width, entities_width = side_widths(width, left_view, reading_empty)
    show = {"left": True, "reading": True, "entities": entities_open}
    if tiny:
        show = {name: name == active for name in PANES}
    elif show["entities"] and width - left_width - entities_width < MIN_READING:
        # no room for both side panes: keep the one used last
        if side == "entities":
            show["left"] = False
        else:
            show["entities"] = False
    return PaneLayout(
        narrow=TINY <= width < NARROW,
        tiny=tiny,
        show=show,
        left_width=None if tiny else left_width,
        entities_width=None if tiny else entities_width,
    )
