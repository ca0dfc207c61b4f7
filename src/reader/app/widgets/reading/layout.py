"""Wrapping with offsets: an article laid out into screen lines that remember
where in the displayed body they come from.

No Textual here. The pane lays the article out once per width; scroll
positions, hits, mentions, bookmarks and the passage cursor are all body
offsets, which :class:`Layout` turns into rows and back.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from rich.cells import cell_len

from ....model import Article
from ...safe import safe_inline

#: Widest text column, in cells (~66–76 characters reads best).
MEASURE = 76

_WORD = re.compile(r"\S+\s*|\s+")


@dataclass(frozen=True, slots=True)
class Line:
    """One screen line: body text ``[start, end)`` or a header line (``role``)."""

    start: int = -1
    end: int = -1
    text: str = ""
    role: str = ""  # "" for body lines; title / byline / meta / rule / blank / end for the rest

    @property
    def is_body(self) -> bool:
        return self.start >= 0


def _fold(text: str, start: int, end: int, width: int) -> list[tuple[int, int]]:
    """Cut ``text[start:end]`` (one long word) into pieces of at most ``width`` cells."""
    if text[start:end].isascii():
        return [(position, min(position + width, end)) for position in range(start, end, width)]
    pieces, position, cells = [], start, 0
    for index in range(start, end):
        size = cell_len(text[index])
        if cells and cells + size > width:
            pieces.append((position, index))
            position, cells = index, 0
        cells += size
    pieces.append((position, end))
    return pieces


def wrap_offsets(text: str, width: int) -> list[tuple[int, int]]:
    """Break ``text`` into ``(start, end)`` line spans of at most ``width`` cells.

    Breaks at spaces; a word wider than the line is folded. Trailing spaces
    are left off each line. Linear in the length of the text.
    """
    width = max(1, width)
    lines: list[tuple[int, int]] = []
    line_start = line_end = used = 0
    for match in _WORD.finditer(text):
        start, stop = match.span()
        piece = match.group()
        word_end = start + len(piece.rstrip())
        if word_end == start:  # whitespace only: leading, or between lines
            if used == 0:
                line_start = line_end = stop
            continue
        word_cells = cell_len(text[start:word_end])
        if used and used + word_cells > width:
            lines.append((line_start, line_end))
            used = 0
        if used == 0:
            line_start = start
        if word_cells > width:
            pieces = _fold(text, start, word_end, width)
            lines.extend(pieces[:-1])
            line_start = pieces[-1][0]
            word_cells = cell_len(text[line_start:word_end])
        line_end = word_end
        used += word_cells + (stop - word_end)
    if used or not lines:
        lines.append((line_start, line_end))
    return lines


@dataclass(slots=True)
class Layout:
    """The lines of one article at one width, with the rows of its body lines."""

    width: int = -1
    pad: int = 0  # cells left of the text column (the gutter)
    body_length: int = 0
    lines: list[Line] = field(default_factory=list)
    body_line_starts: list[int] = field(default_factory=list)  # body offset of each body line
    body_line_rows: list[int] = field(default_factory=list)  # its y

    def line_for_offset(self, offset: int) -> int:
        """The y of the line showing body ``offset``."""
        if not self.body_line_starts:
            return 0
        index = max(0, bisect_right(self.body_line_starts, offset) - 1)
        return self.body_line_rows[index]

    def top_offset(self, y: int) -> int:
        """Body offset of the first body line at or below row ``y`` (0 at the very top)."""
        for line in self.lines[y:]:
            if line.is_body:
                return line.start if y > 0 else 0
        return 0

    def visible_span(self, y: int, height: int) -> tuple[int, int]:
        """Body offsets of the first and last body text in rows ``[y, y + height)``."""
        body_lines = [line for line in self.lines[y : y + max(1, height)] if line.is_body]
        if not body_lines:
            return (0, 0) if y == 0 else (self.body_length, self.body_length)
        return body_lines[0].start, body_lines[-1].end

    def offset_at(self, body: str, x: int, y: int) -> int | None:
        """The body offset under cell ``(x, y)`` of the laid-out text, if it is body text."""
        if not (0 <= y < len(self.lines)):
            return None
        line = self.lines[y]
        column = x - self.pad
        if not line.is_body or column < 0:
            return None
        cells = 0
        for position in range(line.start, line.end):
            cells += cell_len(body[position])
            if cells > column:
                return position
        return None

    def nearest_offset(self, x: int, y: int, *, end: bool) -> int:
        """The body offset for a selection point (``x`` counts characters, padding included);
        on a heading or blank line, the nearest body text in the right direction."""
        if y < 0:
            return 0
        if y >= len(self.lines):
            return self.body_length
        line = self.lines[y]
        if line.is_body:
            return line.start + min(max(0, x - self.pad), line.end - line.start)
        index = bisect_left(self.body_line_rows, y)
        if end:
            return self.lines[self.body_line_rows[index - 1]].end if index > 0 else 0
        if index < len(self.body_line_rows):
            return self.lines[self.body_line_rows[index]].start
        return self.body_length


def _wrapped(text: str, measure: int, role: str) -> list[Line]:
    return [Line(text=text[start:end], role=role) for start, end in wrap_offsets(text, measure)]


def layout_article(
    article: Article | None, body: str, paragraph_spans: list[tuple[int, int]], width: int, wrap_width: int = MEASURE
) -> Layout:
    """Title, byline, meta, a rule, then each paragraph of ``body`` wrapped at ``wrap_width``
    (the config file's ``wrap_width``) or the pane's width if narrower, centred in ``width``."""
    measure = max(10, min(wrap_width, width - 2))
    layout = Layout(width=width, pad=max(0, (width - measure) // 2), body_length=len(body))
    if article is None:
        return layout
    lines = layout.lines
    lines.extend(_wrapped(safe_inline(article.title, 1000) or "(untitled)", measure, "title"))
    if article.authors:
        lines.extend(_wrapped("By " + safe_inline(", ".join(article.authors), 300), measure, "byline"))
    meta = " · ".join(
        value
        for value in (safe_inline(article.date, 40), safe_inline(article.source, 100), safe_inline(article.dateline, 100))
        if value
    )
    if meta:
        lines.extend(_wrapped(meta, measure, "meta"))
    lines.append(Line(text="─" * min(measure, 24), role="rule"))
    lines.append(Line(role="blank"))
    for number, (p_start, p_end) in enumerate(paragraph_spans):
        if number:
            lines.append(Line(role="blank"))
        for start, end in wrap_offsets(body[p_start:p_end], measure):
            layout.body_line_starts.append(p_start + start)
            layout.body_line_rows.append(len(lines))
            lines.append(Line(p_start + start, p_start + end))
    lines.append(Line(role="blank"))
    lines.append(Line(text="∎", role="end"))
    return layout
