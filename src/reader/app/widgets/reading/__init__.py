"""The reading pane and its parts: ``layout`` (wrapping with offsets), ``passage``
(the passage cursor), ``targets`` (hits, mentions, bookmarks, n/N), ``render``
(drawing a line), ``selection`` (mouse selection), ``pane`` (the widget)."""

from __future__ import annotations

from .layout import MEASURE, Line, wrap_offsets
from .pane import DEFAULT_KINDS, ReadingPane
from .passage import MAX_QUOTE, PassageCursor
from .render import MARK_BOOKMARK, MARK_NOTE
from .targets import MAX_HITS, Mark, Target, term_spans

__all__ = [
    "DEFAULT_KINDS",
    "MARK_BOOKMARK",
    "MARK_NOTE",
    "MAX_HITS",
    "MAX_QUOTE",
    "MEASURE",
    "Line",
    "Mark",
    "PassageCursor",
    "ReadingPane",
    "Target",
    "term_spans",
    "wrap_offsets",
]
