"""The reading pane: one article, wrapped to a comfortable measure.

A line-API widget. The article is laid out once per width (``layout``);
styles (entity kinds, search hits, bookmarks, the passage cursor, the
current match) are applied when a visible line is drawn (``render``), so
toggling a kind or stepping to the next hit never re-wraps the text.

Everything is addressed by displayed-body offset: the scroll position,
hits, mentions and bookmarks (``targets``) and the passage cursor
(``passage``), which moves by sentence (``(``/``)``) and paragraph
(``{``/``}``); a click puts it on a sentence, a double click on a paragraph.
Mouse selection works too (``selection``). ``b`` asks to bookmark the
selection, else the passage: the screen opens the dialog and the store does
the saving.

Why this file is longer than ~500 lines: about 150 are declarations (keys,
CSS, messages) and 70 the read-only views the screen and the tests use; the
logic lives in the modules beside it (``document``, ``layout``, ``passage``,
``targets``, ``render``, ``selection``). What is left is the widget's
Textual hooks, which belong together.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.content import Content
from textual.geometry import Region, Size, Spacing
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.selection import Selection
from textual.strip import Strip

from ....model import ENTITY_KINDS, Article, Mention
from ...keys import motion_bindings
from ...messages import deliver_now
from ...safe import safe_inline
from .document import Document
from .find import find_spans
from .layout import MEASURE, Layout, Line, layout_article
from .passage import MAX_QUOTE, Move, PassageCursor
from .render import body_strip, empty_strip, gutter, heading_strip, highlight_spans
from .selection import selected_text, selection_span, trimmed_span
from .targets import Mark, SpanIndex, Target, TargetCycle

DEFAULT_KINDS = frozenset({"person", "org", "place", "group"})

_MATCHES = Binding.Group("Next/prev match", compact=True)
_SENTENCES = Binding.Group("Sentence", compact=True)
_PARAGRAPHS = Binding.Group("Paragraph", compact=True)


class ReadingPane(ScrollView, can_focus=True, inherit_bindings=False):
    """Shows one article with its entities and search hits highlighted."""

    ALLOW_MAXIMIZE = True

    BINDINGS = [
        Binding("n", "next_match", "Next match", id="reading.next_match", group=_MATCHES),
        Binding("N", "previous_match", "Prev match", id="reading.previous_match", group=_MATCHES),
        *motion_bindings("reading", {"down": "scroll_down", "up": "scroll_up"}),
        # priority: the dialog opens when the key arrives, so a note typed right after lands in it
        Binding("b", "bookmark", "Bookmark", priority=True, id="reading.bookmark"),
        Binding("y", "copy_quote(True)", "Copy citation", show=False, id="reading.copy_citation"),
        Binding("Y", "copy_quote(False)", "Copy quote", show=False, id="reading.copy_quote"),
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
        Binding("ctrl+f", "find", "Find", id="reading.find"),
        Binding("escape", "end_find", "Back to search hits", show=False, id="reading.end_find"),
        *motion_bindings(
            "reading",
            {"page_down": "page_down", "page_up": "page_up"},
            more_keys={"page_down": "space", "page_up": "shift+space"},
        ),
        Binding("ctrl+d", "half_page_down", "Half page down", show=False, id="reading.half_down"),
        Binding("ctrl+u", "half_page_up", "Half page up", show=False, id="reading.half_up"),
        *motion_bindings(
            "reading", {"first": "scroll_home", "last": "scroll_end"}, names={"first": "top", "last": "bottom"}
        ),
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

    class FindRequested(Message):
        """ctrl+f: open the find bar (with ``text``, what is being found now)."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class TargetChanged(Message):
        """The current match moved (for status lines)."""

        def __init__(self, label: str, index: int, total: int) -> None:
            super().__init__()
            self.label = label
            self.index = index
            self.total = total

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.doc = Document()
        self.kinds: frozenset[str] = DEFAULT_KINDS
        self.cycle = TargetCycle()
        self.cursor = PassageCursor()
        self.text_layout = Layout()
        self._anchor: tuple[int, int] | None = None
        self._generation = 0
        self._line_cache: LRUCache[tuple[int, int, int], Strip] = LRUCache(512)
        self.finding = ""  # what ctrl+f is finding; its matches stand in for the search hits meanwhile
        self._found: SpanIndex[Target] = SpanIndex()
        self.empty_message = "Choose an article from the list (Enter), or press / to search."

    # -- read by the screen and the tests ------------------------------------------------

    @property
    def article(self) -> Article | None:
        return self.doc.article

    @property
    def body(self) -> str:
        """The displayed body (``Article.body`` cleaned for the terminal)."""
        return self.doc.body

    @property
    def mentions(self) -> list[Mention]:
        """The article's mentions, remapped to the displayed body, sorted."""
        return self.doc.mentions.items

    @property
    def hits(self) -> list[Target]:
        return self.doc.hits.items

    @property
    def marks(self) -> list[Mark]:
        """Bookmarked passages, sorted."""
        return self.doc.marks.items

    @property
    def targets(self) -> list[Target]:
        return self.cycle.targets

    @property
    def target_index(self) -> int:
        return self.cycle.index

    @property
    def target_label(self) -> str:
        return self.cycle.label

    @property
    def lines(self) -> list[Line]:
        return self.text_layout.lines

    @property
    def sentences(self) -> list[tuple[int, int]]:
        return self.cursor.sentences

    @property
    def passage(self) -> tuple[int, int] | None:
        return self.cursor.passage

    @property
    def passage_unit(self) -> str:
        return self.cursor.unit

    @property
    def passage_text(self) -> str:
        return self.cursor.text

    @property
    def _pad(self) -> int:
        return self.text_layout.pad

    @property
    def _body_line_rows(self) -> list[int]:
        return self.text_layout.body_line_rows

    # -- content ---------------------------------------------------------------

    def show(self, article: Article | None) -> None:
        """Display ``article`` (``None`` for the empty pane), scrolled to the top."""
        self.doc = Document(article)
        self.finding, self._found = "", SpanIndex()
        self.cycle.set([], "")
        self._marks_changed()
        self._update_subtitle()
        self.cursor = PassageCursor(self.doc.body, self.doc.paragraph_spans)
        self.text_layout = Layout()
        self._relayout()
        self.scroll_to(y=0, animate=False, immediate=True, force=True)

    def set_hits(self, spans: Iterable[tuple[int, int]]) -> None:
        """Highlight search hits: ``(start, end)`` offsets into ``Article.body``."""
        self.doc.set_hits(spans)
        if not self.finding and (self.cycle.label == "match" or not self.cycle.targets):
            self.target_matches()
        self._restyle()

    def set_kinds(self, kinds: Iterable[str]) -> None:
        self.kinds = frozenset(kinds)
        self._restyle()

    def mentions_of(self, canonical: str, kind: str | None = None) -> list[Mention]:
        return self.doc.mentions_of(canonical, kind)

    # -- bookmarks ---------------------------------------------------------------

    def set_bookmarks(self, bookmarks: Iterable[Any]) -> None:
        """Mark bookmarked passages (records with ``start``/``end`` into ``Article.body``,
        ``id``, ``note`` and ``orphaned``); orphaned ones have no place in the text."""
        self.doc.set_bookmarks(bookmarks)
        self._marks_changed()
        self._restyle()

    def _marks_changed(self) -> None:
        count = len(self.doc.marks)
        self.border_title = Content(f"Article · {count} bookmark{'s' if count != 1 else ''}" if count else "Article")

    def marks_between(self, start: int, end: int) -> list[Mark]:
        """Bookmarked passages overlapping displayed-body ``[start, end)``."""
        return self.doc.marks.between(start, end)

    def mark_at(self, start: int, end: int) -> Mark | None:
        """The bookmark on exactly ``[start, end)`` (displayed-body offsets), if any."""
        return self.doc.marks.exactly(start, end)

    # -- the passage cursor ---------------------------------------------------------

    def set_passage(self, start: int, end: int, unit: str = "sentence", *, scroll: bool = True) -> None:
        """Put the passage cursor on displayed-body ``[start, end)``."""
        if not self.cursor.set(start, end, unit):
            return
        self._restyle()
        if scroll:
            self.show_passage()

    def clear_passage(self) -> None:
        if self.cursor.clear():
            self._restyle()

    def show_passage(self, *, context: bool = False) -> None:
        """Scroll just enough to show the passage (its top if it is taller than the pane)."""
        passage = self.cursor.passage
        if passage is None:
            return
        self._relayout()
        top = self.text_layout.line_for_offset(passage[0])
        bottom = self.text_layout.line_for_offset(max(passage[0], passage[1] - 1))
        height = self.scrollable_content_region.height
        if context:
            self.scroll_to(y=max(0, top - max(1, height // 3)), animate=False, immediate=True, force=True)
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
        return self.text_layout.visible_span(int(self.scroll_y), self.scrollable_content_region.height)

    def _move(self, move: Move | None) -> None:
        if move is None:
            self.app.bell()
        else:
            self.set_passage(*move)

    def action_next_sentence(self) -> None:
        self._move(self.cursor.next_sentence(self._visible_span()))

    def action_previous_sentence(self) -> None:
        self._move(self.cursor.previous_sentence(self._visible_span()))

    def action_next_paragraph(self) -> None:
        self._move(self.cursor.next_paragraph(self._visible_span()))

    def action_previous_paragraph(self) -> None:
        self._move(self.cursor.previous_paragraph(self._visible_span()))

    def action_extend_passage(self) -> None:
        """Add the next sentence to the passage."""
        self._move(self.cursor.extend(self._visible_span()))

    def action_shrink_passage(self) -> None:
        """Drop the last sentence of a passage of several."""
        self._move(self.cursor.shrink())

    def action_clear_passage(self) -> None:
        self.screen.clear_selection()
        self.clear_passage()

    def selected_span(self) -> tuple[int, int] | None:
        """Displayed-body offsets of the mouse selection in this pane, trimmed; None if none."""
        return trimmed_span(self.text_layout, self.body, self.text_selection)

    def _choose_passage(self, purpose: str) -> tuple[int, int] | None:
        """The selection, else the passage, else the first sentence on screen (it becomes the passage)."""
        if self.article is None:
            self.app.bell()
            return None
        selected = self.selected_span()
        if selected is not None:
            start, end = selected
            if end - start > MAX_QUOTE:
                self.notify(
                    f"That selection is too long to {purpose} ({end - start:,} characters; at most {MAX_QUOTE:,}).",
                    severity="warning",
                    markup=False,
                )
                return None
            self.screen.clear_selection()
            self.set_passage(start, end, "selection", scroll=False)
        elif not self.cursor.on_screen(self._visible_span()):
            first = self.cursor.first_on_screen(self._visible_span())
            if first is None:
                self.app.bell()
                return None
            self.set_passage(*first)
        return self.cursor.passage

    def action_copy_quote(self, markdown: bool) -> None:
        """``y``: the passage as a Markdown citation; ``Y``: the plain quote (OSC 52, so over SSH and tmux too)."""
        from ....citation import CitedWork, markdown_citation, plain_quote

        passage = self._choose_passage("copy")
        if passage is None or self.article is None:
            return
        quote = self.body[passage[0] : passage[1]]
        article = self.article
        if markdown:
            work = CitedWork(article.title, article.source, article.authors, article.date, article.url, article.path)
            text, what = markdown_citation(quote, work), "a Markdown citation"
        else:
            text, what = plain_quote(quote), "the quote"
        self.app.copy_to_clipboard(text)
        self.notify(
            f"Copied {what} to the clipboard (through the terminal, OSC 52: works over SSH and in tmux "
            "when the terminal allows it).",
            markup=False,
        )

    def action_bookmark(self) -> None:
        """Ask to bookmark the selection, else the passage (else the first sentence on screen)."""
        if self._choose_passage("bookmark") is None or self.cursor.passage is None:
            return
        start, end = self.cursor.passage
        mark = self.mark_at(start, end)
        deliver_now(
            self,
            self.BookmarkRequested(
                self.doc.raw_offset(start), self.doc.raw_offset(end, end=True), mark.bookmark_id if mark else None
            ),
        )

    # -- matches (n / N) -------------------------------------------------------

    def _set_targets(self, targets: list[Target], label: str) -> None:
        self.cycle.set(targets, label)
        self._update_subtitle()
        self.refresh_bindings()
        self._restyle()

    def target_entity(self, canonical: str, kind: str | None = None) -> None:
        """Make ``n``/``N`` step through the mentions of one entity."""
        mentions = self.mentions_of(canonical, kind)
        self._set_targets([Target(m.start, m.end) for m in mentions], safe_inline(canonical, 40))

    def target_matches(self) -> None:
        """Make ``n``/``N`` step through the search hits again."""
        self._set_targets(list(self.doc.hits), "match" if self.doc.hits else "")

    # -- find in the article (ctrl+f) ------------------------------------------------------

    def find(self, text: str) -> int:
        """Highlight every place ``text`` occurs (case ignored) and go to the first from the top
        of the pane on; ``n``/``N`` step through them. Returns how many; "" stops finding."""
        self.finding = " ".join(text.split())
        if not self.finding:
            self.end_find()
            return 0
        self._found = SpanIndex(Target(start, end) for start, end in find_spans(self.body, self.finding))
        self._set_targets(list(self._found), safe_inline(repr(self.finding), 40))
        if self.cycle.targets:
            self._show_target(self.cycle.step(1, self.top_offset()))
        return len(self._found)

    def end_find(self) -> None:
        """Stop finding: the article's search hits are highlighted and stepped through again."""
        self.finding, self._found = "", SpanIndex()
        self.target_matches()

    def action_find(self) -> None:
        self.post_message(self.FindRequested(self.finding))

    def action_end_find(self) -> None:
        self.end_find()

    def go_to_target(self, index: int) -> None:
        if self.cycle.targets:
            self._show_target(self.cycle.go(index))

    def _show_target(self, target: Target) -> None:
        self.scroll_to_offset(target.start, context=True)
        self._update_subtitle()
        self._restyle()
        self.post_message(self.TargetChanged(self.cycle.label, self.cycle.index, len(self.cycle.targets)))

    def action_next_match(self) -> None:
        if not self.cycle.targets:
            self.app.bell()
        else:
            self._show_target(self.cycle.step(1, self.top_offset()))

    def action_previous_match(self) -> None:
        if not self.cycle.targets:
            self.app.bell()
        else:
            self._show_target(self.cycle.step(-1, self.top_offset()))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("next_match", "previous_match"):
            return bool(self.cycle.targets)
        if action == "end_find":
            return bool(self.finding)
        if action == "find":
            return self.article is not None
        if action == "clear_passage":  # else Esc goes on to the screen (back to the list)
            return self.cursor.passage is not None or self.selected_span() is not None
        if action in ("bookmark", "next_sentence", "previous_sentence", "next_paragraph", "previous_paragraph"):
            return self.article is not None or None
        return True

    def action_step_article(self, direction: int) -> None:
        self.post_message(self.StepArticle(direction))

    def action_half_page_down(self) -> None:
        self.scroll_to(y=self.scroll_y + self.scrollable_content_region.height // 2, animate=False)

    def action_half_page_up(self) -> None:
        self.scroll_to(y=self.scroll_y - self.scrollable_content_region.height // 2, animate=False)

    def _update_subtitle(self) -> None:
        subtitle = self.cycle.subtitle()
        self.border_subtitle = Content(subtitle) if subtitle else None

    # -- positions -------------------------------------------------------------

    def line_for_offset(self, offset: int) -> int:
        """The y of the line showing body ``offset``."""
        return self.text_layout.line_for_offset(offset)

    def top_offset(self) -> int:
        """Body offset at the top of the pane (what we save as the position)."""
        return self.text_layout.top_offset(int(self.scroll_y))

    def remap_offset(self, offset: int) -> int:
        """An offset into ``Article.body`` as an offset into the displayed body."""
        return self.doc.remap(offset)

    def scroll_to_offset(self, offset: int, *, context: bool = False) -> None:
        """Scroll so body ``offset`` is visible: at the top, or a third down with context."""
        self._relayout()
        y = self.text_layout.line_for_offset(offset)
        if context:
            y -= max(1, self.scrollable_content_region.height // 3)
        self.scroll_to(y=max(0, y), animate=False, immediate=True, force=True)
        # kept exactly, so a resize right after (a scrollbar appearing) does not drift
        self._anchor = (offset if not context else self.top_offset(), int(self.scroll_y))

    # -- layout ----------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        top = self.top_offset() if self.text_layout.lines else 0
        if self._anchor is not None and self._anchor[1] == int(self.scroll_y):
            top = self._anchor[0]
        self._relayout()
        if top:
            self.scroll_to_offset(top)

    def _relayout(self) -> None:
        width = self.scrollable_content_region.width
        if width <= 0:
            width = max(1, self.size.width)
        if width == self.text_layout.width:
            return
        preferences = getattr(self.app, "preferences", None)  # the config file's wrap_width, in the reader app
        wrap_width = preferences.wrap_width if preferences is not None else MEASURE
        self.text_layout = layout_article(self.doc.article, self.doc.body, self.doc.paragraph_spans, width, wrap_width)
        self.virtual_size = Size(width, len(self.text_layout.lines))
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
        if width != self.text_layout.width:
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
        get_style = self.get_component_rich_style
        if self.article is None:
            return empty_strip(self.empty_message, index, width, base, get_style("reading-pane--empty"))
        if index >= len(self.text_layout.lines):
            return Strip.blank(width, base)
        line = self.text_layout.lines[index]
        selection = self.text_selection
        if not line.is_body:
            if not line.text:
                return Strip.blank(width, base)
            return heading_strip(
                line,
                self.text_layout.pad,
                width,
                base,
                get_style(f"reading-pane--{line.role}"),
                selection.get_span(index) if selection is not None else None,
                self._selection_style(),
                self.app.console,
            )
        return body_strip(
            line,
            self.body,
            width,
            base,
            gutter(line, self.text_layout.pad, self.doc.marks, base, get_style),
            self._spans_for(line.start, line.end),
            selection_span(self.text_layout, selection) if selection is not None else None,
            self._selection_style(),
            self.app.console,
        )

    def _spans_for(self, start: int, end: int) -> list[tuple[int, int, Style]]:
        """Styled spans overlapping body ``[start, end)`` (see render.highlight_spans)."""
        return highlight_spans(
            start,
            end,
            mentions=self.doc.mentions,
            kinds=self.kinds,
            marks=self.doc.marks,
            hits=self._found if self.finding else self.doc.hits,
            passage=self.cursor.passage,
            current=self.cycle.current,
            get_style=self.get_component_rich_style,
        )

    def _selection_style(self) -> Style:
        """The theme's selection background; the text keeps its colour (the theme's
        foreground is "transparent", which a Rich style would turn into the background)."""
        return Style(bgcolor=self.screen.get_component_rich_style("screen--selection").bgcolor)

    # -- mouse -----------------------------------------------------------------

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        """The selected text, for copying: headings as lines, the body as written (not as wrapped)."""
        text = selected_text(self.text_layout, self.body, selection)
        return (text, "\n") if text else None

    def selection_updated(self, selection: Selection | None) -> None:
        self._restyle()

    def text_select_all(self) -> None:
        """A double click picks the paragraph as the passage (see on_click), not all the text."""

    def offset_at(self, x: int, y: int) -> int | None:
        """The body offset under content cell ``(x, y)``, if it is body text."""
        return self.text_layout.offset_at(self.body, x, int(self.scroll_y) + y)

    def mention_at(self, offset: int) -> Mention | None:
        return next((m for m in self.doc.mentions.containing(offset) if m.kind in self.kinds), None)

    def on_click(self, event: events.Click) -> None:
        if self.selected_span() is not None:
            return  # the end of a drag: the selection is what counts
        offset = event.get_content_offset(self)
        if offset is None:
            return
        body_offset = self.offset_at(offset.x, offset.y)
        if body_offset is None:
            return
        marks = [(mark.start, mark.end) for mark in self.marks_between(body_offset, body_offset + 1)]
        move = self.cursor.at_click(body_offset, double=event.chain >= 2, bookmarked=marks)
        if move is not None:
            self.set_passage(*move, scroll=False)
        mention = self.mention_at(body_offset)
        if mention is not None and event.chain == 1:
            self.post_message(self.MentionClicked(mention))

