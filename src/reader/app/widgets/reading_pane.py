"""The reading pane: one article, wrapped to a comfortable measure.

A line-API widget: the article is laid out once per width into lines that
remember their offsets into ``Article.body``; styles (entity kinds, search
hits, the current match) are applied when a visible line is rendered, so
toggling a kind or stepping to the next hit never re-wraps the text.

Everything is addressed by body offset (scroll position, hits, mentions), so
a passage cursor (sentence or paragraph) can be added later on top of
:meth:`line_for_offset` and :attr:`ReadingPane.lines`.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ...model import ENTITY_KINDS, Article, Mention
from ..safe import safe_body, safe_inline

#: Widest text column, in cells (~66–76 characters reads best).
MEASURE = 76
#: Most hits we highlight in one article (per-item work stays bounded).
MAX_HITS = 5000
#: Words longer than this are folded rather than wrapped.
_WORD = re.compile(r"\S+\s*|\s+")

def _identity(offset: int) -> int:
    return offset


def term_spans(body: str, terms: Iterable[str]) -> list[tuple[int, int]]:
    """Rough hit spans from analysed terms (words starting with a term), for a
    library that cannot say where a query matched."""
    words = sorted({re.escape(term.strip("*")) for term in terms if term.strip("*")}, key=len, reverse=True)
    if not words or not body:
        return []
    pattern = re.compile(r"\b(?:" + "|".join(words) + r")\w*", re.IGNORECASE)
    spans = []
    for match in pattern.finditer(body):
        spans.append(match.span())
        if len(spans) >= MAX_HITS:
            break
    return spans


_MATCHES = Binding.Group("Next/prev match", compact=True)

DEFAULT_KINDS = frozenset({"person", "org", "place", "group"})


@dataclass(frozen=True, slots=True)
class Line:
    """One screen line: body text ``[start, end)`` or a header line (``role``)."""

    start: int = -1
    end: int = -1
    text: str = ""
    role: str = ""  # "" for body lines; title / byline / meta / rule / end for the rest

    @property
    def is_body(self) -> bool:
        return self.start >= 0


@dataclass(frozen=True, slots=True)
class Target:
    """Something ``n``/``N`` steps through: a search hit or an entity mention."""

    start: int
    end: int


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


class ReadingPane(ScrollView, can_focus=True, inherit_bindings=False):
    """Shows one article with its entities and search hits highlighted."""

    ALLOW_MAXIMIZE = True

    BINDINGS = [
        Binding("n", "next_match", "Next match", id="reading.next_match", group=_MATCHES),
        Binding("N", "previous_match", "Prev match", id="reading.previous_match", group=_MATCHES),
        Binding("down,j", "scroll_down", "Down", show=False, id="reading.down"),
        Binding("up,k", "scroll_up", "Up", show=False, id="reading.up"),
        Binding("pagedown,space", "page_down", "Page down", show=False, id="reading.page_down"),
        Binding("pageup,b", "page_up", "Page up", show=False, id="reading.page_up"),
        Binding("ctrl+d", "half_page_down", "Half page down", show=False, id="reading.half_down"),
        Binding("ctrl+u", "half_page_up", "Half page up", show=False, id="reading.half_up"),
        Binding("home,g", "scroll_home", "Top", show=False, id="reading.top"),
        Binding("end,G", "scroll_end", "Bottom", show=False, id="reading.bottom"),
        Binding("]", "step_article(1)", "Next article", show=False, id="reading.next_article"),
        Binding("[", "step_article(-1)", "Prev article", show=False, id="reading.previous_article"),
    ]

    COMPONENT_CLASSES = {
        "reading-pane--title",
        "reading-pane--byline",
        "reading-pane--meta",
        "reading-pane--rule",
        "reading-pane--end",
        "reading-pane--empty",
        "reading-pane--hit",
        "reading-pane--current",
        *(f"reading-pane--{kind}" for kind in ENTITY_KINDS),
    }

    DEFAULT_CSS = """
    ReadingPane {
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-gutter: stable;
        & > .reading-pane--title { text-style: bold; color: $text; }
        & > .reading-pane--byline { color: $text; }
        & > .reading-pane--meta { color: $text-muted; }
        & > .reading-pane--rule { color: $text-muted; }
        & > .reading-pane--end { color: $text-muted; }
        & > .reading-pane--empty { color: $text-muted; text-style: italic; }
        /* entity kind colours are theme: styles/app.tcss */
        & > .reading-pane--hit { text-style: reverse; }
        & > .reading-pane--current {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: bold;
        }
    }
    """

    class MentionClicked(Message):
        """A highlighted entity was clicked in the text."""

        def __init__(self, mention: Mention) -> None:
            super().__init__()
            self.mention = mention

    class StepArticle(Message):
        """Go to the next (1) or previous (-1) article in the list."""

        def __init__(self, direction: int) -> None:
            super().__init__()
            self.direction = direction

    class TargetChanged(Message):
        """The current match moved (for status lines)."""

        def __init__(self, label: str, index: int, total: int) -> None:
            super().__init__()
            self.label = label
            self.index = index
            self.total = total

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.article: Article | None = None
        self.body = ""
        self.paragraph_spans: list[tuple[int, int]] = []
        self.mentions: list[Mention] = []  # remapped to the clean body, sorted
        self._mention_starts: list[int] = []
        self._longest_mention = 0
        self.hits: list[tuple[int, int]] = []
        self._hit_starts: list[int] = []
        self._raw_body = ""
        self._remap = _identity
        self.kinds: frozenset[str] = DEFAULT_KINDS
        self.targets: list[Target] = []
        self.target_index = -1
        self.target_label = ""
        self.lines: list[Line] = []
        self._body_line_starts: list[int] = []  # body offset of each body line
        self._body_line_rows: list[int] = []  # its y
        self._layout_width = -1
        self._anchor: tuple[int, int] | None = None
        self._pad = 0
        self._generation = 0
        self._line_cache: LRUCache[tuple[int, int, int], Strip] = LRUCache(512)
        self.empty_message = "Choose an article from the list (Enter), or press / to search."

    # -- content ---------------------------------------------------------------

    def show(self, article: Article | None) -> None:
        """Display ``article`` (``None`` for the empty pane), scrolled to the top."""
        self.article = article
        self.targets, self.target_index, self.target_label = [], -1, ""
        self.hits, self._hit_starts = [], []
        self._update_subtitle()
        if article is None:
            self.body, self.paragraph_spans, self.mentions = "", [], []
            self._raw_body, self._remap = "", _identity
            self._mention_starts, self._longest_mention = [], 0
        else:
            self._load(article)
        self._layout_width = -1
        self._relayout()
        self.scroll_to(y=0, animate=False, immediate=True, force=True)

    def _load(self, article: Article) -> None:
        raw = article.body
        body, remap = safe_body(raw)
        self.body = body
        self._raw_body, self._remap = raw, remap
        spans, position = [], 0
        for paragraph in article.paragraphs:
            start, end = remap(position), remap(position + len(paragraph))
            spans.append((start, end))
            position += len(paragraph) + 2
        self.paragraph_spans = spans
        mentions = []
        for mention in article.mentions:
            if not (0 <= mention.start < mention.end <= len(raw)):
                continue
            start, end = remap(mention.start), remap(mention.end)
            if end > start:
                mentions.append(
                    Mention(start, end, mention.text, mention.kind, mention.canonical)
                )
        mentions.sort(key=lambda mention: (mention.start, mention.end))
        self.mentions = mentions
        self._mention_starts = [mention.start for mention in mentions]
        self._longest_mention = max((m.end - m.start for m in mentions), default=0)

    def set_hits(self, spans: Iterable[tuple[int, int]]) -> None:
        """Highlight search hits: ``(start, end)`` offsets into ``Article.body``."""
        remap = self._remap
        hits = sorted(
            (remap(start), remap(end))
            for start, end in list(spans)[:MAX_HITS]
            if 0 <= start < end <= len(self._raw_body)
        )
        self.hits = [(start, end) for start, end in hits if end > start]
        self._hit_starts = [start for start, _ in self.hits]
        if self.target_label == "match" or not self.targets:
            self.target_matches()
        self._restyle()

    def set_kinds(self, kinds: Iterable[str]) -> None:
        self.kinds = frozenset(kinds)
        self._restyle()

    def mentions_of(self, canonical: str, kind: str | None = None) -> list[Mention]:
        return [
            mention
            for mention in self.mentions
            if mention.canonical == canonical and (kind is None or mention.kind == kind)
        ]

    # -- matches (n / N) -------------------------------------------------------

    def _set_targets(self, targets: list[Target], label: str) -> None:
        self.targets = targets
        self.target_label = label
        self.target_index = -1
        self._update_subtitle()
        self.refresh_bindings()

    def target_entity(self, canonical: str, kind: str | None = None) -> None:
        """Make ``n``/``N`` step through the mentions of one entity."""
        mentions = self.mentions_of(canonical, kind)
        self._set_targets([Target(m.start, m.end) for m in mentions], safe_inline(canonical, 40))
        self._restyle()

    def target_matches(self) -> None:
        """Make ``n``/``N`` step through the search hits again."""
        self._set_targets([Target(s, e) for s, e in self.hits], "match" if self.hits else "")
        self._restyle()

    def go_to_target(self, index: int) -> None:
        if not self.targets:
            return
        self.target_index = index % len(self.targets)
        target = self.targets[self.target_index]
        self.scroll_to_offset(target.start, context=True)
        self._update_subtitle()
        self._restyle()
        self.post_message(self.TargetChanged(self.target_label, self.target_index, len(self.targets)))

    def action_next_match(self) -> None:
        if not self.targets:
            self.app.bell()
            return
        if self.target_index < 0:
            self.go_to_target(self._first_target_on_screen())
        else:
            self.go_to_target(self.target_index + 1)

    def action_previous_match(self) -> None:
        if not self.targets:
            self.app.bell()
            return
        if self.target_index < 0:
            self.go_to_target(self._first_target_on_screen() - 1)
        else:
            self.go_to_target(self.target_index - 1)

    def _first_target_on_screen(self) -> int:
        top = self.top_offset()
        starts = [target.start for target in self.targets]
        index = bisect_left(starts, top)
        return index if index < len(self.targets) else 0

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("next_match", "previous_match"):
            return bool(self.targets)
        if action == "step_article":
            return True
        return True

    def action_step_article(self, direction: int) -> None:
        self.post_message(self.StepArticle(direction))

    def action_half_page_down(self) -> None:
        self.scroll_to(y=self.scroll_y + self.scrollable_content_region.height // 2, animate=False)

    def action_half_page_up(self) -> None:
        self.scroll_to(y=self.scroll_y - self.scrollable_content_region.height // 2, animate=False)

    def _update_subtitle(self) -> None:
        if not self.targets:
            self.border_subtitle = None
            return
        index = f"{self.target_index + 1}/" if self.target_index >= 0 else ""
        count = len(self.targets)
        noun = self.target_label if self.target_label != "match" else ("match" if count == 1 else "matches")
        self.border_subtitle = Content(f"{noun} {index}{count} · n/N")

    # -- positions -------------------------------------------------------------

    def line_for_offset(self, offset: int) -> int:
        """The y of the line showing body ``offset``."""
        if not self._body_line_starts:
            return 0
        index = max(0, bisect_right(self._body_line_starts, offset) - 1)
        return self._body_line_rows[index]

    def top_offset(self) -> int:
        """Body offset at the top of the pane (what we save as the position)."""
        y = int(self.scroll_y)
        for line in self.lines[y:]:
            if line.is_body:
                return line.start if y > 0 else 0
        return 0

    def remap_offset(self, offset: int) -> int:
        """An offset into ``Article.body`` as an offset into the displayed body."""
        return self._remap(offset)

    def scroll_to_offset(self, offset: int, *, context: bool = False) -> None:
        """Scroll so body ``offset`` is visible: at the top, or a third down with context."""
        self._relayout()
        y = self.line_for_offset(offset)
        if context:
            y -= max(1, self.scrollable_content_region.height // 3)
        self.scroll_to(y=max(0, y), animate=False, immediate=True, force=True)
        # kept exactly, so a resize right after (a scrollbar appearing) does not drift
        self._anchor = (offset if not context else self.top_offset(), int(self.scroll_y))

    # -- layout ----------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        top = self.top_offset() if self.lines else 0
        if self._anchor is not None and self._anchor[1] == int(self.scroll_y):
            top = self._anchor[0]
        self._relayout()
        if top:
            self.scroll_to_offset(top)

    def _relayout(self) -> None:
        width = self.scrollable_content_region.width
        if width <= 0:
            width = max(1, self.size.width)
        if width == self._layout_width:
            return
        self._layout_width = width
        measure = max(10, min(MEASURE, width - 2))
        self._pad = max(0, (width - measure) // 2)
        lines: list[Line] = []
        article = self.article
        if article is not None:
            for start, end in wrap_offsets(safe_inline(article.title, 1000) or "(untitled)", measure):
                lines.append(Line(text=(safe_inline(article.title, 1000) or "(untitled)")[start:end], role="title"))
            if article.authors:
                byline = "By " + safe_inline(", ".join(article.authors), 300)
                for start, end in wrap_offsets(byline, measure):
                    lines.append(Line(text=byline[start:end], role="byline"))
            meta = " · ".join(
                value
                for value in (
                    safe_inline(article.date, 40),
                    safe_inline(article.source, 100),
                    safe_inline(article.dateline, 100),
                )
                if value
            )
            if meta:
                for start, end in wrap_offsets(meta, measure):
                    lines.append(Line(text=meta[start:end], role="meta"))
            lines.append(Line(text="─" * min(measure, 24), role="rule"))
            lines.append(Line(role="blank"))
            body = self.body
            starts: list[int] = []
            rows: list[int] = []
            for number, (p_start, p_end) in enumerate(self.paragraph_spans):
                if number:
                    lines.append(Line(role="blank"))
                for start, end in wrap_offsets(body[p_start:p_end], measure):
                    starts.append(p_start + start)
                    rows.append(len(lines))
                    lines.append(Line(p_start + start, p_start + end))
            lines.append(Line(role="blank"))
            lines.append(Line(text="∎", role="end"))
            self._body_line_starts, self._body_line_rows = starts, rows
        else:
            self._body_line_starts, self._body_line_rows = [], []
        self.lines = lines
        self.virtual_size = Size(width, len(lines))
        self._restyle()

    # -- rendering -------------------------------------------------------------

    def _restyle(self) -> None:
        self._generation += 1
        self._line_cache.clear()
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._line_cache.clear()

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        if width != self._layout_width:
            self._relayout()
        index = scroll_y + y
        key = (index, width, self._generation)
        strip = self._line_cache.get(key)
        if strip is None:
            strip = self._render_line(index, width)
            self._line_cache[key] = strip
        return strip.apply_offsets(scroll_x, index)

    def _render_line(self, index: int, width: int) -> Strip:
        base = self.rich_style
        if self.article is None:
            lines = wrap_offsets(self.empty_message, max(10, min(MEASURE, width - 4)))
            if 1 <= index <= len(lines):
                style = base + self.get_component_rich_style("reading-pane--empty")
                start, end = lines[index - 1]
                text = self.empty_message[start:end]
                pad = max(1, (width - cell_len(text)) // 2)
                return Strip([Segment(" " * pad, base), Segment(text, style)]).crop_extend(0, width, base)
            return Strip.blank(width, base)
        if index >= len(self.lines):
            return Strip.blank(width, base)
        line = self.lines[index]
        pad = Segment(" " * self._pad, base)
        if not line.is_body:
            if not line.text:
                return Strip.blank(width, base)
            style = base + self.get_component_rich_style(f"reading-pane--{line.role}")
            return Strip([pad, Segment(line.text, style)]).crop_extend(0, width, base)
        text = Text(self.body[line.start : line.end], style=base, end="")
        for start, end, style in self._spans_for(line.start, line.end):
            text.stylize(style, start - line.start, end - line.start)
        segments = [pad, *text.render(self.app.console)]
        return Strip(segments).crop_extend(0, width, base)

    def _spans_for(self, start: int, end: int) -> list[tuple[int, int, Style]]:
        """Styled spans overlapping body ``[start, end)``: mentions, then hits, then the current match."""
        spans: list[tuple[int, int, Style]] = []
        get_style = self.get_component_rich_style
        if self.mentions and self.kinds:
            low = bisect_left(self._mention_starts, start - self._longest_mention)
            high = bisect_left(self._mention_starts, end)
            for mention in self.mentions[low:high]:
                if mention.end > start and mention.kind in self.kinds:
                    spans.append((mention.start, mention.end, get_style(f"reading-pane--{mention.kind}")))
        if self.hits:
            low = bisect_left(self._hit_starts, start - 200)
            high = bisect_left(self._hit_starts, end)
            hit_style = get_style("reading-pane--hit")
            for hit_start, hit_end in self.hits[low:high]:
                if hit_end > start:
                    spans.append((hit_start, hit_end, hit_style))
        if 0 <= self.target_index < len(self.targets):
            target = self.targets[self.target_index]
            if target.end > start and target.start < end:
                spans.append((target.start, target.end, get_style("reading-pane--current")))
        return [(max(s, start), min(e, end), style) for s, e, style in spans]

    # -- mouse -----------------------------------------------------------------

    def offset_at(self, x: int, y: int) -> int | None:
        """The body offset under content cell ``(x, y)``, if it is body text."""
        index = int(self.scroll_y) + y
        if not (0 <= index < len(self.lines)):
            return None
        line = self.lines[index]
        if not line.is_body:
            return None
        column = x - self._pad
        if column < 0:
            return None
        cells = 0
        for position in range(line.start, line.end):
            cells += cell_len(self.body[position])
            if cells > column:
                return position
        return None

    def mention_at(self, offset: int) -> Mention | None:
        index = bisect_right(self._mention_starts, offset) - 1
        while index >= 0 and self.mentions[index].start > offset - self._longest_mention - 1:
            mention = self.mentions[index]
            if mention.start <= offset < mention.end and mention.kind in self.kinds:
                return mention
            index -= 1
        return None

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        body_offset = self.offset_at(offset.x, offset.y)
        if body_offset is None:
            return
        mention = self.mention_at(body_offset)
        if mention is not None:
            self.post_message(self.MentionClicked(mention))
