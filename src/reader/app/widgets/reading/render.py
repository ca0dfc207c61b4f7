"""Drawing one screen line of the reading pane as a Strip.

Styles are applied when a visible line is drawn, never baked into the text:
toggling an entity kind or stepping to the next hit restyles without
re-wrapping. Styles come in by component class name (``reading-pane--hit``)
through ``get_style``, so they follow the theme.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from rich.cells import cell_len
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.strip import Strip

from ....model import Mention
from .layout import MEASURE, Line, wrap_offsets
from .targets import Mark, SpanIndex, Target

#: Gutter marks: a line of a bookmarked passage, and the first line of one with a note.
MARK_BOOKMARK = "▍"
MARK_NOTE = "✎"

StyleFor = Callable[[str], Style]


def highlight_spans(
    start: int,
    end: int,
    *,
    mentions: SpanIndex[Mention],
    kinds: Collection[str],
    marks: SpanIndex[Mark],
    hits: SpanIndex[Target],
    passage: tuple[int, int] | None,
    current: Target | None,
    get_style: StyleFor,
) -> list[tuple[int, int, Style]]:
    """Styled spans overlapping body ``[start, end)``, clipped to it, in drawing order:
    mentions, bookmarks, hits, the passage cursor, then the current match."""
    spans: list[tuple[int, int, Style]] = []
    if kinds:
        for mention in mentions.between(start, end):
            if mention.kind in kinds:
                spans.append((mention.start, mention.end, get_style(f"reading-pane--{mention.kind}")))
    if marks:
        mark_style = get_style("reading-pane--bookmark")
        spans.extend((mark.start, mark.end, mark_style) for mark in marks.between(start, end))
    if hits:
        hit_style = get_style("reading-pane--hit")
        spans.extend((hit.start, hit.end, hit_style) for hit in hits.between(start, end))
    if passage is not None and passage[1] > start and passage[0] < end:
        spans.append((passage[0], passage[1], get_style("reading-pane--passage")))
    if current is not None and current.end > start and current.start < end:
        spans.append((current.start, current.end, get_style("reading-pane--current")))
    return [(max(s, start), min(e, end), style) for s, e, style in spans]


def gutter(line: Line, pad: int, marks: SpanIndex[Mark], base: Style, get_style: StyleFor) -> Segment:
    """The left padding, with a mark on lines of a bookmarked passage (same width)."""
    if not pad or not marks:
        return Segment(" " * pad, base)
    on_line = marks.between(line.start, max(line.end, line.start + 1))
    if not on_line:
        return Segment(" " * pad, base)
    noted = any(mark.has_note and line.start <= mark.start < line.end + 1 for mark in on_line)
    symbol = MARK_NOTE if noted else MARK_BOOKMARK
    return Segment(" " * (pad - 1) + symbol, base + get_style("reading-pane--gutter"))


def empty_strip(message: str, index: int, width: int, base: Style, style: Style) -> Strip:
    """Line ``index`` of the pane with no article: ``message`` wrapped and centred from line 1."""
    lines = wrap_offsets(message, max(10, min(MEASURE, width - 4)))
    if not 1 <= index <= len(lines):
        return Strip.blank(width, base)
    start, end = lines[index - 1]
    text = message[start:end]
    pad = max(1, (width - cell_len(text)) // 2)
    return Strip([Segment(" " * pad, base), Segment(text, base + style)]).crop_extend(0, width, base)


def heading_strip(
    line: Line,
    pad: int,
    width: int,
    base: Style,
    style: Style,
    selected: tuple[int, int] | None,
    selection_style: Style,
    console: Console,
) -> Strip:
    """A title, byline, meta, rule or end line; ``selected`` is the selection's cells on it."""
    if not line.text:
        return Strip.blank(width, base)
    style = base + style
    text = Text(line.text, style=style, end="")
    if selected is not None:
        start, end = selected
        start = max(0, start - pad)
        end = len(line.text) if end == -1 else max(0, end - pad)
        text.stylize(selection_style, start, end)
    return Strip([Segment(" " * pad, base), *Segment.apply_style(text.render(console), style)]).crop_extend(
        0, width, base
    )


def body_strip(
    line: Line,
    body: str,
    width: int,
    base: Style,
    left: Segment,
    spans: list[tuple[int, int, Style]],
    selected: tuple[int, int] | None,
    selection_style: Style,
    console: Console,
) -> Strip:
    """A line of body text behind its gutter ``left``, with ``spans`` and the selected body offsets styled."""
    text = Text(body[line.start : line.end], style=base, end="")
    for start, end, style in spans:
        text.stylize(style, start - line.start, end - line.start)
    if selected is not None:
        start, end = max(selected[0], line.start), min(selected[1], line.end)
        if end > start:
            text.stylize(selection_style, start - line.start, end - line.start)
    # Rich drops a Text's own style when it has no spans: apply the base explicitly
    return Strip([left, *Segment.apply_style(text.render(console), base)]).crop_extend(0, width, base)
