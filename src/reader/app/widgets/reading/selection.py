"""Mouse selection in the reading pane, mapped back to the body.

Each Strip carries Textual's selection offsets (``Strip.apply_offsets``):
a selection arrives as screen points ``(x, y)`` over the laid-out lines.
These turn it into displayed-body offsets (for styling, for ``b``) and into
the text to copy: headings as lines, the body as written, not as wrapped.
"""

from __future__ import annotations

from textual.selection import Selection

from .layout import Layout


def selection_span(layout: Layout, selection: Selection) -> tuple[int, int] | None:
    """Displayed-body ``(start, end)`` under a selection, or None if it covers no body text."""
    if not layout.body_length:
        return None
    start = 0 if selection.start is None else layout.nearest_offset(*selection.start, end=False)
    end = layout.body_length if selection.end is None else layout.nearest_offset(*selection.end, end=True)
    return (start, end) if end > start else None


def trimmed_span(layout: Layout, body: str, selection: Selection | None) -> tuple[int, int] | None:
    """The selected body offsets without surrounding spaces; None for no selection or "select all"."""
    if selection is None or (selection.start is None and selection.end is None):
        return None  # nothing, or "select all" (a triple click): not a passage
    span = selection_span(layout, selection)
    if span is None:
        return None
    start, end = span
    while start < end and body[start].isspace():
        start += 1
    while end > start and body[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else None


def selected_text(layout: Layout, body: str, selection: Selection) -> str:
    """The selected text for the clipboard: heading lines, then the body text as written."""
    lines = layout.lines
    parts: list[str] = []
    body_top = layout.body_line_rows[0] if layout.body_line_rows else len(lines)
    first = 0 if selection.start is None else max(0, selection.start.y)
    last = len(lines) - 1 if selection.end is None else selection.end.y
    headings = []
    for y in range(first, min(last + 1, body_top)):
        line = lines[y]
        cells = selection.get_span(y)
        if not line.text or line.role == "rule" or cells is None:
            continue
        start, end = cells
        start = max(0, start - layout.pad)
        end = len(line.text) if end == -1 else max(0, end - layout.pad)
        if line.text[start:end]:
            headings.append(line.text[start:end])
    if headings:
        parts.append("\n".join(headings))
    span = selection_span(layout, selection)
    if span is not None:
        parts.append(body[span[0] : span[1]])
    return "\n\n".join(parts)
