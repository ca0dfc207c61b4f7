"""The article list: a virtual ScrollView that renders only the visible lines.

A DataTable or OptionList builds every row up front (seconds at 100k rows);
this renders ``render_line`` on demand from plain row records (``article_rows``,
built off the event loop) and keeps the rendered Strips in an LRU cache, like
toolong's LogLines.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.content import Content
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ..keys import motion_bindings
from ..safe import safe_inline
from .article_rows import Row

SORT_KEYS: tuple[str, ...] = ("date", "title", "source")
#: Below this width each article takes two lines (title, then the details).
COLUMNS_MIN_WIDTH = 100


def _wrap(text: str, width: int) -> list[str]:
    """``text`` broken into lines of at most ``width`` cells (a long word is cut)."""
    from .reading.layout import wrap_offsets

    return [text[start:end] for start, end in wrap_offsets(text, max(8, width))]


def _fit(text: str, width: int) -> str:
    """``text`` cropped (with an ellipsis) or padded to exactly ``width`` cells."""
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    return set_cell_size(text, width - 1) + "…"


def _words(count: int) -> str:
    if count >= 10_000:
        return f"{count / 1000:.0f}k w"
    if count >= 1000:
        return f"{count / 1000:.1f}k w"
    return f"{count} w"


class ArticleList(ScrollView, can_focus=True, inherit_bindings=False):
    """Every article, sorted and filtered, one or two lines each."""

    ALLOW_MAXIMIZE = True

    BINDINGS = [
        Binding("enter,o", "open", "Open", id="list.open"),
        *motion_bindings(
            "list",
            {"down": "cursor_down", "up": "cursor_up", "page_down": "page_down", "page_up": "page_up",
             "first": "first", "last": "last"},
            more_keys={"page_down": "space,ctrl+f", "page_up": "ctrl+b"},  # b bookmarks (reading pane) only
        ),
        Binding("s", "cycle_sort", "Sort", id="list.sort"),
        Binding("S", "reverse_sort", "Reverse sort", show=False, id="list.reverse"),
        Binding("u", "toggle_read", "Read/unread", show=False, id="list.toggle_read"),
        Binding("escape", "clear_filters", "Clear filter", id="list.clear_filters"),
    ]

    COMPONENT_CLASSES = {
        "article-list--cursor",
        "article-list--unread",
        "article-list--read",
        "article-list--meta",
        "article-list--marker",
        "article-list--empty",
    }

    DEFAULT_CSS = """
    ArticleList {
        overflow-x: hidden;
        overflow-y: auto;
        & > .article-list--unread { text-style: bold; }
        & > .article-list--read { color: $text-muted; }
        & > .article-list--meta { color: $text-muted; }
        & > .article-list--marker { color: $accent; text-style: bold; }
        & > .article-list--empty { color: $text-muted; text-style: italic; }
        & > .article-list--cursor { background: $block-cursor-blurred-background; }
        &:focus > .article-list--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
    }
    """

    sort_key: reactive[str] = reactive("date", init=False)
    sort_reverse: reactive[bool] = reactive(True, init=False)
    filter_text: reactive[str] = reactive("", init=False)
    cursor: reactive[int] = reactive(0, init=False)

    class Selected(Message):
        """The user chose an article (Enter or a click)."""

        def __init__(self, article_id: str) -> None:
            super().__init__()
            self.article_id = article_id

    class ReadToggled(Message):
        def __init__(self, article_id: str, read: bool) -> None:
            super().__init__()
            self.article_id = article_id
            self.read = read

    class TitleChanged(Message):
        """New pane title (count) and subtitle (order, filter) for the container."""

        def __init__(self, title: Content, subtitle: Content) -> None:
            super().__init__()
            self.title = title
            self.subtitle = subtitle

    class FiltersCleared(Message):
        """Esc in the list dropped the text and entity filters."""

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._rows: list[Row] = []
        self._sorted: list[Row] = []
        self._view: list[Row] = []
        self._read: set[str] = set()
        self._entity_filter: tuple[str, frozenset[str]] | None = None
        self._cursor_id: str | None = None
        self._open_id: str | None = None
        self._line_cache: LRUCache[tuple[object, ...], Strip] = LRUCache(1024)
        self._first_of: int | None = None  # while only the first rows are in: how many there are
        self.empty_message = "No articles yet."
        self.loading_rows = True

    # -- data in ---------------------------------------------------------------

    def set_rows(self, rows: list[Row]) -> None:
        """Replace every row (sorting and filters are kept)."""
        self._rows = rows
        self._first_of = None
        self.loading_rows = False
        self._resort()

    def set_first_rows(self, rows: list[Row], total: int) -> None:
        """Show the first rows of the opening order (newest first) while all ``total`` load.

        The list is drawn at its full length; another order or a filter shows
        "Loading…" until :meth:`set_rows` brings every row, which keeps the
        cursor on the same article. Ignored once it has rows.
        """
        if not self.loading_rows or self._rows:
            return
        self._rows = rows
        self._first_of = max(total, len(rows))
        self._resort()

    def set_read(self, read_ids: Iterable[str]) -> None:
        self._read = set(read_ids)
        self._invalidate()

    def mark_read(self, article_id: str, read: bool = True) -> None:
        if read:
            self._read.add(article_id)
        else:
            self._read.discard(article_id)
        self._invalidate()

    def set_open(self, article_id: str | None) -> None:
        """The article in the reading pane (drawn with a marker)."""
        self._open_id = article_id
        self._invalidate()

    @property
    def entity_filter(self) -> str | None:
        return self._entity_filter[0] if self._entity_filter else None

    def set_entity_filter(self, name: str | None, article_ids: Iterable[str] = ()) -> None:
        self._entity_filter = (name, frozenset(article_ids)) if name else None
        self._refilter()

    # -- data out --------------------------------------------------------------

    @property
    def total(self) -> int:
        return len(self._rows) if self._first_of is None else self._first_of

    @property
    def shown(self) -> int:
        return len(self._view)

    @property
    def row_ids(self) -> list[str]:
        """Ids in display order (for tests and for stepping through articles)."""
        return [row.id for row in self._view]

    @property
    def cursor_id(self) -> str | None:
        return self._view[self.cursor].id if self._view else None

    @property
    def has_filter(self) -> bool:
        return bool(self.filter_text.strip() or self._entity_filter)

    def select_id(self, article_id: str) -> bool:
        """Put the cursor on ``article_id`` if it is shown."""
        for index, row in enumerate(self._view):
            if row.id == article_id:
                self.cursor = index
                return True
        return False

    # -- sorting and filtering -------------------------------------------------

    def watch_sort_key(self) -> None:
        self._resort()

    def watch_sort_reverse(self) -> None:
        self._resort()

    def watch_filter_text(self, old: str, new: str) -> None:
        # typing on narrows what is shown already: no need to look at every row again
        old_words, new_words = old.casefold().split(), new.casefold().split()
        narrowing = bool(old_words) and len(new_words) >= len(old_words) and all(
            before in after for before, after in zip(old_words, new_words, strict=False)
        )
        self._refilter(narrowing=narrowing)

    def _resort(self) -> None:
        rows = self._rows
        key = self.sort_key
        if key == "title":
            ordered = sorted(rows, key=lambda row: row.title_key)
        elif key == "source":
            # by source, newest first inside a source
            ordered = sorted(rows, key=lambda row: row.date, reverse=True)
            ordered.sort(key=lambda row: (not row.source_key, row.source_key))
        else:
            # undated articles last whichever way the dates run
            dated = sorted((row for row in rows if row.date), key=lambda row: row.date)
            undated = [row for row in rows if not row.date]
            ordered = dated + undated
            if self.sort_reverse:
                ordered = dated[::-1] + undated
        if self.sort_reverse and key != "date":
            ordered.reverse()
        self._sorted = ordered
        self._refilter()

    @property
    def _partial_view(self) -> bool:
        """Only the first rows are in, and they are not the first of what is asked for."""
        return self._first_of is not None and (self.has_filter or self.sort_key != "date" or not self.sort_reverse)

    def _refilter(self, narrowing: bool = False) -> None:
        if self._partial_view:
            rows = []
        elif narrowing:
            rows = self._view
        else:
            rows = self._sorted
            if self._entity_filter is not None:
                ids = self._entity_filter[1]
                rows = [row for row in rows if row.id in ids]
        for word in self.filter_text.casefold().split():
            rows = [row for row in rows if word in row.haystack]
        self._view = rows
        self._size_to_rows()
        # Keep the cursor on the same article when it is still shown.
        index = 0
        if self._cursor_id is not None:
            for position, row in enumerate(rows):
                if row.id == self._cursor_id:
                    index = position
                    break
        self.set_reactive(ArticleList.cursor, min(index, max(len(rows) - 1, 0)))
        if rows:
            self._cursor_id = rows[self.cursor].id
        self._update_titles()
        self._invalidate()
        self.call_after_refresh(self._scroll_cursor_visible, False)

    # -- titles ----------------------------------------------------------------

    def _update_titles(self) -> None:
        if self.sort_key == "date":
            order = "newest first" if self.sort_reverse else "oldest first"
        else:
            order = f"{self.sort_key} " + ("Z→A" if self.sort_reverse else "A→Z")
        if self._first_of is not None:
            count = f"{self.total:,}"
        else:
            count = f"{self.shown:,}" if not self.has_filter else f"{self.shown:,}/{self.total:,}"
        subtitle = Content(order)
        if self._entity_filter is not None:  # the filter matters more than the order
            subtitle = Content.assemble("with ", safe_inline(self._entity_filter[0], 30))
        self.post_message(self.TitleChanged(Content(f"Articles {count}"), subtitle))

    # -- geometry --------------------------------------------------------------

    @property
    def row_height(self) -> int:
        return 1 if self.scrollable_content_region.width >= COLUMNS_MIN_WIDTH else 2

    def _size_to_rows(self) -> None:
        """Room for every row shown, or for all of them while the first ones stand in."""
        rows = len(self._view) if self._first_of is None or not self._view else self._first_of
        self.virtual_size = Size(self.size.width, rows * self.row_height)

    def on_resize(self) -> None:
        self._size_to_rows()
        self._invalidate()
        self._scroll_cursor_visible(False)

    def _scroll_cursor_visible(self, animate: bool = False) -> None:
        if not self._view:
            return
        height = self.row_height
        self.scroll_to_region(
            Region(0, self.cursor * height, 1, height), animate=animate, force=True, immediate=True
        )

    def watch_cursor(self, old: int, new: int) -> None:
        if self._view:
            self._cursor_id = self._view[new].id
        self._invalidate()
        self._scroll_cursor_visible()

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, len(self._view) - 1)) if self._view else 0

    # -- actions ---------------------------------------------------------------

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height // self.row_height - 1)

    def action_page_down(self) -> None:
        self.cursor += self._page()

    def action_page_up(self) -> None:
        self.cursor -= self._page()

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = len(self._view) - 1

    def action_open(self) -> None:
        if self._view:
            self.post_message(self.Selected(self._view[self.cursor].id))

    def action_cycle_sort(self) -> None:
        index = SORT_KEYS.index(self.sort_key)
        key = SORT_KEYS[(index + 1) % len(SORT_KEYS)]
        # newest first for dates, A→Z otherwise
        self.set_reactive(ArticleList.sort_reverse, key == "date")
        self.sort_key = key

    def action_reverse_sort(self) -> None:
        self.sort_reverse = not self.sort_reverse

    def action_toggle_read(self) -> None:
        if self._view:
            article_id = self._view[self.cursor].id
            read = article_id not in self._read
            self.mark_read(article_id, read)
            self.post_message(self.ReadToggled(article_id, read))

    def action_clear_filters(self) -> None:
        if self.has_filter:
            self._entity_filter = None
            self.filter_text = ""
            self._refilter()
            self.post_message(self.FiltersCleared())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clear_filters":
            return self.has_filter
        return True

    # -- mouse -----------------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = (offset.y + self.scroll_offset.y) // self.row_height
        if 0 <= index < len(self._view):
            self.cursor = index
            self.post_message(self.Selected(self._view[index].id))

    # -- rendering -------------------------------------------------------------

    def _invalidate(self) -> None:
        self._line_cache.clear()
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._line_cache.clear()

    def _on_focus(self, event: events.Focus) -> None:
        self._invalidate()

    def _on_blur(self, event: events.Blur) -> None:
        self._invalidate()

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        line = scroll_y + y
        height = self.row_height
        index, part = divmod(line, height)
        base = self.rich_style
        if not self._view:
            message = "Loading…" if self.loading_rows else self.empty_message
            lines = _wrap(message, width - 4)  # a path in it must show whole
            if 1 <= y <= len(lines):
                style = self.get_component_rich_style("article-list--empty")
                return Strip([Segment(_fit("  " + lines[y - 1], width), base + style)], width)
            return Strip.blank(width, base)
        if index >= len(self._view):
            return Strip.blank(width, base)
        row = self._view[index]
        is_cursor = index == self.cursor
        key = (row.id, part, width, height, is_cursor, self.has_focus, row.id in self._read, row.id == self._open_id)
        strip = self._line_cache.get(key)
        if strip is None:
            strip = self._render_row(row, part, width, height, is_cursor)
            self._line_cache[key] = strip
        return strip.apply_offsets(scroll_x, line)

    def _render_row(self, row: Row, part: int, width: int, height: int, is_cursor: bool) -> Strip:
        base = self.rich_style
        style = self.get_component_rich_style
        cursor = style("article-list--cursor") if is_cursor else Style()
        read = row.id in self._read
        title_style = base + style("article-list--read" if read else "article-list--unread") + cursor
        meta_style = base + style("article-list--meta") + cursor
        marker_style = base + style("article-list--marker") + cursor
        marker = "▌" if row.id == self._open_id else ("●" if not read else " ")
        segments: list[Segment]
        if height == 1:
            # marker, date, source, title, authors, words
            fixed = 2 + 12 + 18 + 2 + 26 + 8
            title_width = max(10, width - fixed)
            segments = [
                Segment(f" {marker}", marker_style),
                Segment(_fit(row.date, 10) + "  ", meta_style),
                Segment(_fit(row.source, 16) + "  ", meta_style),
                Segment(_fit(row.title, title_width) + "  ", title_style),
                Segment(_fit(row.authors, 24) + "  ", meta_style),
                Segment(_words(row.words).rjust(7) + " ", meta_style),
            ]
        elif part == 0:
            segments = [
                Segment(f" {marker} ", marker_style),
                Segment(_fit(row.title, width - 3), title_style),
            ]
        else:
            details = " · ".join(
                value for value in (row.date, row.source, row.authors, _words(row.words)) if value
            )
            segments = [Segment("   " + _fit(details, width - 3), meta_style)]
        return Strip(segments).adjust_cell_length(width, base + cursor)
