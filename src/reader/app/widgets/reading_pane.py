"""The reading pane: one article, wrapped to a comfortable measure.

A line-API widget: the article is laid out once per width into lines that
remember their offsets into ``Article.body``; styles (entity kinds, search
hits, the current match) are applied when a visible line is rendered, so
toggling a kind or stepping to the next hit never re-wraps the text.

Everything is addressed by body offset (scroll position, hits, mentions,
bookmarks and the passage cursor). The passage cursor moves by sentence
(``(``/``)``) and paragraph (``{``/``}``); a click puts it on a sentence, a
double click on a paragraph. Mouse selection works too: each Strip carries
Textual's selection offsets (``apply_offsets``) and :meth:`get_selection`
maps them back to the body. ``b`` asks to bookmark the selection, else the
passage (the screen opens the dialog and the store does the saving).
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
from textual.geometry import Region, Size, Spacing
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.selection import Selection
from textual.strip import Strip

from ...model import ENTITY_KINDS, Article, Mention
from ..messages import deliver_now
from ..passages import sentence_spans
from ..safe import safe_body, safe_inline

#: Widest text column, in cells (~66–76 characters reads best).
MEASURE = 76
#: Most hits we highlight in one article (per-item work stays bounded).
MAX_HITS = 5000
#: Longest passage a paragraph or an extended selection of sentences gives.
MAX_QUOTE = 10_000
#: Gutter marks: a line of a bookmarked passage, and the first line of one with a note.
MARK_BOOKMARK = "▍"
MARK_NOTE = "✎"
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
_SENTENCES = Binding.Group("Sentence", compact=True)
_PARAGRAPHS = Binding.Group("Paragraph", compact=True)

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


@dataclass(frozen=True, slots=True)
class Mark:
    """A bookmarked passage as shown: offsets into the displayed body."""

    start: int
    end: int
    bookmark_id: str
    has_note: bool = False


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
        # priority: the dialog opens when the key arrives, so a note typed right after lands in it
        Binding("b", "bookmark", "Bookmark", priority=True, id="reading.bookmark"),
        # the passage cursor (what b bookmarks): vim's sentence and paragraph motions
        Binding(
            "left_parenthesis", "previous_sentence", "Previous sentence",
            id="reading.previous_sentence", group=_SENTENCES,
        ),
        Binding("right_parenthesis", "next_sentence", "Next sentence", id="reading.next_sentence", group=_SENTENCES),
        Binding(
            "left_curly_bracket", "previous_paragraph", "Previous paragraph",
            id="reading.previous_paragraph", group=_PARAGRAPHS,
        ),
        Binding(
            "right_curly_bracket", "next_paragraph", "Next paragraph",
            id="reading.next_paragraph", group=_PARAGRAPHS,
        ),
        Binding(
            "greater_than_sign", "extend_passage", "Passage + next sentence",
            show=False, id="reading.extend_passage",
        ),
        Binding(
            "less_than_sign", "shrink_passage", "Passage - last sentence",
            show=False, id="reading.shrink_passage",
        ),
        Binding("escape", "clear_passage", "Clear passage", show=False, id="reading.clear_passage"),
        Binding("pagedown,space", "page_down", "Page down", show=False, id="reading.page_down"),
        Binding("pageup,shift+space", "page_up", "Page up", show=False, id="reading.page_up"),
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
        "reading-pane--passage",
        "reading-pane--bookmark",
        "reading-pane--gutter",
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
        /* bookmark and passage colours are theme: styles/app.tcss */
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

    class BookmarkRequested(Message):
        """``b``: bookmark ``Article.body[start:end]`` (or edit the bookmark already there)."""

        def __init__(self, start: int, end: int, bookmark_id: str | None = None) -> None:
            super().__init__()
            self.start = start
            self.end = end
            self.bookmark_id = bookmark_id

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
        self.sentences: list[tuple[int, int]] = []  # displayed-body offsets, in order
        self._sentence_starts: list[int] = []
        self.passage: tuple[int, int] | None = None  # the passage cursor
        self.passage_unit = ""  # "sentence", "sentences", "paragraph", "selection" or "bookmark"
        self.marks: list[Mark] = []  # bookmarked passages, sorted
        self._mark_starts: list[int] = []
        self._longest_mark = 0
        self.empty_message = "Choose an article from the list (Enter), or press / to search."

    # -- content ---------------------------------------------------------------

    def show(self, article: Article | None) -> None:
        """Display ``article`` (``None`` for the empty pane), scrolled to the top."""
        self.article = article
        self.targets, self.target_index, self.target_label = [], -1, ""
        self.hits, self._hit_starts = [], []
        self.passage, self.passage_unit = None, ""
        self._set_marks([])
        self._update_subtitle()
        if article is None:
            self.body, self.paragraph_spans, self.mentions = "", [], []
            self._raw_body, self._remap = "", _identity
            self._mention_starts, self._longest_mention = [], 0
            self.sentences, self._sentence_starts = [], []
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
        sentences: list[tuple[int, int]] = []
        for start, end in spans:
            sentences.extend(sentence_spans(body[start:end], start))
        self.sentences = sentences
        self._sentence_starts = [start for start, _ in sentences]
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

    # -- bookmarks ---------------------------------------------------------------

    def set_bookmarks(self, bookmarks: Iterable) -> None:
        """Mark bookmarked passages (records with ``start``/``end`` into ``Article.body``,
        ``id``, ``note`` and ``orphaned``); orphaned ones have no place in the text."""
        remap, length = self._remap, len(self._raw_body)
        marks = []
        for bookmark in bookmarks:
            if getattr(bookmark, "orphaned", False) or not (0 <= bookmark.start < bookmark.end <= length):
                continue
            start, end = remap(bookmark.start), remap(bookmark.end)
            if end > start:
                marks.append(Mark(start, end, bookmark.id, bool(bookmark.note.strip())))
        self._set_marks(marks)
        self._restyle()

    def _set_marks(self, marks: list[Mark]) -> None:
        marks.sort(key=lambda mark: (mark.start, mark.end))
        self.marks = marks
        self._mark_starts = [mark.start for mark in marks]
        self._longest_mark = max((mark.end - mark.start for mark in marks), default=0)
        count = len(marks)
        self.border_title = Content(f"Article · {count} bookmark{'s' if count != 1 else ''}" if count else "Article")

    def marks_between(self, start: int, end: int) -> list[Mark]:
        """Bookmarked passages overlapping displayed-body ``[start, end)``."""
        if not self.marks:
            return []
        low = bisect_left(self._mark_starts, start - self._longest_mark)
        high = bisect_left(self._mark_starts, end)
        return [mark for mark in self.marks[low:high] if mark.end > start]

    def mark_at(self, start: int, end: int) -> Mark | None:
        """The bookmark on exactly ``[start, end)`` (displayed-body offsets), if any."""
        index = bisect_left(self._mark_starts, start)
        while index < len(self.marks) and self.marks[index].start == start:
            if self.marks[index].end == end:
                return self.marks[index]
            index += 1
        return None

    def raw_offset(self, offset: int, *, end: bool = False) -> int:
        """A displayed-body offset as an offset into ``Article.body`` (the inverse of remap).

        Characters the display dropped (control characters) stay outside a passage:
        a start maps after them, an end before them.
        """
        if self._remap is _identity:
            return offset
        positions = range(len(self._raw_body) + 1)
        if end:
            return bisect_left(positions, offset, key=self._remap)
        return max(0, bisect_right(positions, offset, key=self._remap) - 1)

    # -- the passage cursor ---------------------------------------------------------

    def set_passage(self, start: int, end: int, unit: str = "sentence", *, scroll: bool = True) -> None:
        """Put the passage cursor on displayed-body ``[start, end)``."""
        start, end = max(0, start), min(len(self.body), end)
        if end <= start:
            return
        self.passage, self.passage_unit = (start, end), unit
        self._restyle()
        if scroll:
            self.show_passage()

    def clear_passage(self) -> None:
        if self.passage is not None:
            self.passage, self.passage_unit = None, ""
            self._restyle()

    @property
    def passage_text(self) -> str:
        return self.body[self.passage[0] : self.passage[1]] if self.passage else ""

    def show_passage(self, *, context: bool = False) -> None:
        """Scroll just enough to show the passage (its top if it is taller than the pane)."""
        if self.passage is None:
            return
        self._relayout()
        top = self.line_for_offset(self.passage[0])
        bottom = self.line_for_offset(max(self.passage[0], self.passage[1] - 1))
        height = self.scrollable_content_region.height
        if context:
            y = top - max(1, height // 3)
            self.scroll_to(y=max(0, y), animate=False, immediate=True, force=True)
        elif bottom - top + 1 >= height:
            self.scroll_to(y=top, animate=False, immediate=True, force=True)
        else:
            self.scroll_to_region(
                Region(0, top, 1, bottom - top + 1),
                spacing=Spacing(1, 0, 1, 0),
                animate=False,
                immediate=True,
                force=True,
            )
        self._anchor = (self.top_offset(), int(self.scroll_y))

    def _visible_span(self) -> tuple[int, int]:
        """Displayed-body offsets of the first and last body text on screen."""
        y = int(self.scroll_y)
        height = max(1, self.scrollable_content_region.height)
        body_lines = [line for line in self.lines[y : y + height] if line.is_body]
        if not body_lines:
            return (0, 0) if y == 0 else (len(self.body), len(self.body))
        return body_lines[0].start, body_lines[-1].end

    def _passage_on_screen(self) -> bool:
        if self.passage is None:
            return False
        first, last = self._visible_span()
        return self.passage[0] < last and self.passage[1] > first

    def _sentence_at(self, offset: int) -> int:
        return max(0, bisect_right(self._sentence_starts, offset) - 1)

    def _first_sentence_on_screen(self) -> int:
        first, _last = self._visible_span()
        index = bisect_left(self._sentence_starts, first)
        if index >= len(self.sentences):
            return self._sentence_at(first)
        return index

    def _paragraph_at(self, offset: int) -> int:
        starts = [start for start, _ in self.paragraph_spans]
        return max(0, bisect_right(starts, offset) - 1)

    def _paragraph_passage(self, index: int) -> tuple[int, int]:
        start, end = self.paragraph_spans[index]
        text = self.body[start:end]
        start += len(text) - len(text.lstrip())
        end -= len(text) - len(text.rstrip())
        if end - start > MAX_QUOTE:
            cut = self.body.rfind(" ", start + MAX_QUOTE // 2, start + MAX_QUOTE)
            end = cut if cut > start else start + MAX_QUOTE
        return start, end

    def action_next_sentence(self) -> None:
        if not self.sentences:
            self.app.bell()
            return
        if not self._passage_on_screen():
            index = self._first_sentence_on_screen()
        elif self.passage_unit == "paragraph":
            index = self._sentence_at(self.passage[0])
        else:
            index = bisect_left(self._sentence_starts, self.passage[1])
            if index >= len(self.sentences):
                self.app.bell()
                return
        self.set_passage(*self.sentences[index], "sentence")

    def action_previous_sentence(self) -> None:
        if not self.sentences:
            self.app.bell()
            return
        if not self._passage_on_screen():
            index = self._first_sentence_on_screen()
        elif self.passage_unit == "paragraph":
            index = self._sentence_at(self.passage[1] - 1)
        else:
            index = self._sentence_at(self.passage[0]) - 1
            if index < 0 or self._sentence_starts[index] >= self.passage[0]:
                self.app.bell()
                return
        self.set_passage(*self.sentences[index], "sentence")

    def _usable_paragraphs(self) -> list[int]:
        return [index for index, (start, end) in enumerate(self.paragraph_spans) if self.body[start:end].strip()]

    def action_next_paragraph(self) -> None:
        usable = self._usable_paragraphs()
        if not usable:
            self.app.bell()
            return
        if not self._passage_on_screen():
            first, _last = self._visible_span()
            current = self._paragraph_at(first)
            wanted = next((i for i in usable if i >= current), None)
        else:
            current = self._paragraph_at(self.passage[0])
            wanted = next((i for i in usable if i > current), None)
        if wanted is None:
            self.app.bell()
            return
        self.set_passage(*self._paragraph_passage(wanted), "paragraph")

    def action_previous_paragraph(self) -> None:
        usable = self._usable_paragraphs()
        if not usable:
            self.app.bell()
            return
        if not self._passage_on_screen():
            first, _last = self._visible_span()
            current = self._paragraph_at(first)
            wanted = next((i for i in reversed(usable) if i <= current), usable[0])
        else:
            current = self._paragraph_at(self.passage[0])
            if self.passage_unit == "paragraph" and self.passage == self._paragraph_passage(current):
                wanted = next((i for i in reversed(usable) if i < current), None)
            else:
                wanted = current  # from a sentence: its whole paragraph
        if wanted is None:
            self.app.bell()
            return
        self.set_passage(*self._paragraph_passage(wanted), "paragraph")

    def action_extend_passage(self) -> None:
        """Add the next sentence to the passage."""
        if self.passage is None or not self._passage_on_screen():
            self.action_next_sentence()
            return
        index = bisect_left(self._sentence_starts, self.passage[1])
        if index >= len(self.sentences) or self.sentences[index][1] - self.passage[0] > MAX_QUOTE:
            self.app.bell()
            return
        self.set_passage(self.passage[0], self.sentences[index][1], "sentences")

    def action_shrink_passage(self) -> None:
        """Drop the last sentence of a passage of several."""
        if self.passage is None:
            self.app.bell()
            return
        last = self._sentence_at(self.passage[1] - 1)
        if last == 0 or self.sentences[last][0] <= self.passage[0]:
            self.app.bell()
            return
        self.set_passage(self.passage[0], self.sentences[last - 1][1], "sentences")

    def action_clear_passage(self) -> None:
        self.screen.clear_selection()
        self.clear_passage()

    def selected_span(self) -> tuple[int, int] | None:
        """Displayed-body offsets of the mouse selection in this pane, trimmed; None if none."""
        selection = self.text_selection
        if selection is None or (selection.start is None and selection.end is None):
            return None  # nothing, or "select all" (a triple click): not a passage
        span = self._selection_span(selection)
        if span is None:
            return None
        start, end = span
        while start < end and self.body[start].isspace():
            start += 1
        while end > start and self.body[end - 1].isspace():
            end -= 1
        return (start, end) if end > start else None

    def action_bookmark(self) -> None:
        """Ask to bookmark the selection, else the passage (else the first sentence on screen)."""
        if self.article is None:
            self.app.bell()
            return
        selected = self.selected_span()
        if selected is not None:
            start, end = selected
            if end - start > MAX_QUOTE:
                self.notify(
                    f"That selection is too long to bookmark ({end - start:,} characters; at most {MAX_QUOTE:,}).",
                    severity="warning",
                    markup=False,
                )
                return
            self.screen.clear_selection()
            self.set_passage(start, end, "selection", scroll=False)
        elif self.passage is None or not self._passage_on_screen():
            if not self.sentences:
                self.app.bell()
                return
            self.set_passage(*self.sentences[self._first_sentence_on_screen()], "sentence")
        start, end = self.passage
        mark = self.mark_at(start, end)
        deliver_now(
            self,
            self.BookmarkRequested(
                self.raw_offset(start), self.raw_offset(end, end=True), mark.bookmark_id if mark else None
            ),
        )

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
        if action == "clear_passage":  # else Esc goes on to the screen (back to the list)
            return self.passage is not None or self.selected_span() is not None
        if action in ("bookmark", "next_sentence", "previous_sentence", "next_paragraph", "previous_paragraph"):
            return self.article is not None or None
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
        selection = self.text_selection
        if not line.is_body:
            if not line.text:
                return Strip.blank(width, base)
            style = base + self.get_component_rich_style(f"reading-pane--{line.role}")
            text = Text(line.text, style=style, end="")
            if selection is not None and (span := selection.get_span(index)) is not None:
                start, end = span
                start = max(0, start - self._pad)
                end = len(line.text) if end == -1 else max(0, end - self._pad)
                text.stylize(self._selection_style(), start, end)
            return Strip([pad, *Segment.apply_style(text.render(self.app.console), style)]).crop_extend(0, width, base)
        text = Text(self.body[line.start : line.end], style=base, end="")
        for start, end, style in self._spans_for(line.start, line.end):
            text.stylize(style, start - line.start, end - line.start)
        if selection is not None and (span := self._selection_span(selection)) is not None:
            start, end = max(span[0], line.start), min(span[1], line.end)
            if end > start:
                text.stylize(self._selection_style(), start - line.start, end - line.start)
        # Rich drops a Text's own style when it has no spans: apply the base explicitly
        segments = [self._gutter(line, base), *Segment.apply_style(text.render(self.app.console), base)]
        return Strip(segments).crop_extend(0, width, base)

    def _selection_style(self) -> Style:
        """The theme's selection background; the text keeps its colour (the theme's
        foreground is "transparent", which a Rich style would turn into the background)."""
        return Style(bgcolor=self.screen.get_component_rich_style("screen--selection").bgcolor)

    def _gutter(self, line: Line, base: Style) -> Segment:
        """The left padding, with a mark on lines of a bookmarked passage (same width)."""
        if not self._pad or not self.marks:
            return Segment(" " * self._pad, base)
        marks = self.marks_between(line.start, max(line.end, line.start + 1))
        if not marks:
            return Segment(" " * self._pad, base)
        noted = any(mark.has_note and line.start <= mark.start < line.end + 1 for mark in marks)
        symbol = MARK_NOTE if noted else MARK_BOOKMARK
        style = base + self.get_component_rich_style("reading-pane--gutter")
        return Segment(" " * (self._pad - 1) + symbol, style)

    def _spans_for(self, start: int, end: int) -> list[tuple[int, int, Style]]:
        """Styled spans overlapping body ``[start, end)``: mentions, bookmarks, hits,
        the passage cursor, then the current match."""
        spans: list[tuple[int, int, Style]] = []
        get_style = self.get_component_rich_style
        if self.mentions and self.kinds:
            low = bisect_left(self._mention_starts, start - self._longest_mention)
            high = bisect_left(self._mention_starts, end)
            for mention in self.mentions[low:high]:
                if mention.end > start and mention.kind in self.kinds:
                    spans.append((mention.start, mention.end, get_style(f"reading-pane--{mention.kind}")))
        if self.marks:
            mark_style = get_style("reading-pane--bookmark")
            for mark in self.marks_between(start, end):
                spans.append((mark.start, mark.end, mark_style))
        if self.hits:
            low = bisect_left(self._hit_starts, start - 200)
            high = bisect_left(self._hit_starts, end)
            hit_style = get_style("reading-pane--hit")
            for hit_start, hit_end in self.hits[low:high]:
                if hit_end > start:
                    spans.append((hit_start, hit_end, hit_style))
        if self.passage is not None and self.passage[1] > start and self.passage[0] < end:
            spans.append((self.passage[0], self.passage[1], get_style("reading-pane--passage")))
        if 0 <= self.target_index < len(self.targets):
            target = self.targets[self.target_index]
            if target.end > start and target.start < end:
                spans.append((target.start, target.end, get_style("reading-pane--current")))
        return [(max(s, start), min(e, end), style) for s, e, style in spans]

    # -- mouse selection -------------------------------------------------------------

    def _selection_offset(self, x: int, y: int, end: bool) -> int:
        """The displayed-body offset for a selection point (x counts characters, padding included)."""
        if y < 0:
            return 0
        if y >= len(self.lines):
            return len(self.body)
        line = self.lines[y]
        if line.is_body:
            return line.start + min(max(0, x - self._pad), line.end - line.start)
        # a heading or a blank line: the nearest body text in the right direction
        index = bisect_left(self._body_line_rows, y)
        if end:
            return self.lines[self._body_line_rows[index - 1]].end if index > 0 else 0
        if index < len(self._body_line_rows):
            return self.lines[self._body_line_rows[index]].start
        return len(self.body)

    def _selection_span(self, selection: Selection) -> tuple[int, int] | None:
        """Displayed-body ``(start, end)`` under a selection, or None if it covers no body text."""
        if not self.body:
            return None
        start = 0 if selection.start is None else self._selection_offset(*selection.start, end=False)
        end = len(self.body) if selection.end is None else self._selection_offset(*selection.end, end=True)
        return (start, end) if end > start else None

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        """The selected text, for copying: headings as lines, the body as written (not as wrapped)."""
        parts: list[str] = []
        body_top = self._body_line_rows[0] if self._body_line_rows else len(self.lines)
        first = 0 if selection.start is None else max(0, selection.start.y)
        last = len(self.lines) - 1 if selection.end is None else selection.end.y
        headings = []
        for y in range(first, min(last + 1, body_top)):
            line = self.lines[y]
            span = selection.get_span(y)
            if not line.text or line.role == "rule" or span is None:
                continue
            start, end = span
            start = max(0, start - self._pad)
            end = len(line.text) if end == -1 else max(0, end - self._pad)
            if line.text[start:end]:
                headings.append(line.text[start:end])
        if headings:
            parts.append("\n".join(headings))
        span = self._selection_span(selection)
        if span is not None:
            parts.append(self.body[span[0] : span[1]])
        text = "\n\n".join(parts)
        return (text, "\n") if text else None

    def selection_updated(self, selection: Selection | None) -> None:
        self._restyle()

    def text_select_all(self) -> None:
        """A double click picks the paragraph as the passage (see on_click), not all the text."""

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
        if self.selected_span() is not None:
            return  # the end of a drag: the selection is what counts
        offset = event.get_content_offset(self)
        if offset is None:
            return
        body_offset = self.offset_at(offset.x, offset.y)
        if body_offset is None:
            return
        marks = self.marks_between(body_offset, body_offset + 1)
        if event.chain >= 2 and self.paragraph_spans:
            self.set_passage(*self._paragraph_passage(self._paragraph_at(body_offset)), "paragraph", scroll=False)
        elif marks:  # a bookmarked passage: pick it (b then edits its note)
            mark = min(marks, key=lambda mark: mark.end - mark.start)
            self.set_passage(mark.start, mark.end, "bookmark", scroll=False)
        elif self.sentences:
            self.set_passage(*self.sentences[self._sentence_at(body_offset)], "sentence", scroll=False)
        mention = self.mention_at(body_offset)
        if mention is not None and event.chain == 1:
            self.post_message(self.MentionClicked(mention))
