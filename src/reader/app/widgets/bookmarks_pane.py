"""The bookmarks pane: every bookmark, filtered as you type.

``B`` opens it in the left column. Each bookmark shows its quote, the
article's title and date, its tags and note; orphaned ones (article gone,
or passage no longer found) are marked but shown like the rest. The pane
only displays and asks: the screen loads, opens, edits, deletes and
exports (in workers), and hands the results down.

An OptionList is fine here: bookmarks are made by hand, a few hundred at
most (STYLE.md: OptionList is fine below ~1k items).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.style import Style
from textual.timer import Timer
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ...bookmarks.record import tag_label
from ..messages import deliver_now
from ..safe import safe_inline
from .input_list import InputList, list_bindings

if TYPE_CHECKING:
    from ...bookmarks import Bookmark

#: How long typing in the filter must pause before the list is filtered (seconds).
DEBOUNCE = 0.08
#: Characters of the quote and of the note shown per bookmark.
QUOTE_CHARS = 200
NOTE_CHARS = 160
HINT = "No bookmarks yet. In an article, ( ) pick a sentence, { } a paragraph; b bookmarks it."
#: After the last one was deleted this session.
NONE_LEFT = "No bookmarks left: u brings back the one you deleted."
#: Lines of a note shown under its bookmark (a longer note ends with …).
NOTE_LINES = 4


def quoted(text: str) -> str:
    """``text`` in quotation marks, unless it is a quotation already."""
    if text[:1] in "“\"'‘«„":
        return text
    return "“" + text + "”"


def note_lines(text: str) -> list[str]:
    """A note as it was written, line by line (each cleaned), ``✎`` on the first; at most
    :data:`NOTE_LINES` lines and :data:`NOTE_CHARS` characters, then ``…``."""
    written = [line for line in (safe_inline(raw, NOTE_CHARS) for raw in text.strip().splitlines()) if line]
    shown: list[str] = []
    room = NOTE_CHARS
    for line in written[:NOTE_LINES]:
        if room <= 0:
            break
        shown.append(line if len(line) <= room else line[: max(1, room - 1)] + "…")
        room -= len(line)
    if len(shown) < len(written) and not shown[-1].endswith("…"):
        shown[-1] += " …"
    return [("✎ " if number == 0 else "  ") + line for number, line in enumerate(shown)]


def bookmark_content(
    bookmark: Bookmark,
    *,
    quote: str | Style,
    meta: str | Style,
    tag: str | Style,
    note: str | Style,
    warning: str | Style,
    quote_chars: int = QUOTE_CHARS,
) -> Content:
    """One bookmark as Content: quote, then title · date · tags, then the note (never markup).

    Styles are best given as component classes (``".bookmarks-pane--meta"``):
    Textual resolves them when drawing, so they follow the theme.
    """
    lines: list[Content] = [Content.assemble((quoted(safe_inline(bookmark.quote, quote_chars)), quote))]
    parts: list[Content] = []
    if bookmark.orphaned:
        parts.append(Content.assemble(("⚠ orphaned", warning)))
    title = safe_inline(bookmark.title, 120) or safe_inline(bookmark.article, 80)
    parts.append(Content.assemble((title, meta)))
    if bookmark.date:
        parts.append(Content.assemble((safe_inline(bookmark.date, 20), meta)))
    if bookmark.tags:
        parts.append(Content.assemble((" ".join(tag_label(safe_inline(t, 40)) for t in bookmark.tags), tag)))
    lines.append(Content.assemble((" · ", meta)).join(parts))
    if bookmark.note.strip():
        lines.extend(Content.assemble((line, note)) for line in note_lines(bookmark.note))
    return Content("\n").join(lines)


class BookmarkList(InputList, inherit_bindings=False):
    """The bookmarks; Up on the first goes back to the filter box."""

    INPUT_ID = "bookmarks-filter"
    BINDINGS = list_bindings("bookmarks")


class BookmarksPane(Vertical):
    """Bookmarks with quote, title, date, tags and note; Enter opens the article at the passage."""

    BINDINGS = [
        # priority: the dialog opens when the key arrives (see messages.deliver_now)
        Binding("e", "edit", "Edit", priority=True, id="bookmarks.edit"),
        Binding("d", "delete", "Delete", priority=True, id="bookmarks.delete"),
        Binding("u", "undo", "Undo", id="bookmarks.undo"),
        Binding("x", "export", "Export", id="bookmarks.export"),
        Binding("escape", "close", "Close", id="bookmarks.close"),
    ]

    COMPONENT_CLASSES = {
        "bookmarks-pane--quote",
        "bookmarks-pane--meta",
        "bookmarks-pane--tag",
        "bookmarks-pane--note",
        "bookmarks-pane--orphaned",
        "bookmarks-pane--error",
    }

    DEFAULT_CSS = """
    BookmarksPane {
        & > #bookmarks-filter { padding: 0 1; }
        & > #bookmarks-status { height: auto; max-height: 3; padding: 0 1; color: $text-muted; }
        & > BookmarkList { height: 1fr; padding: 0 1; background: transparent; }
        /* Content styles, drawn in the list: no colour on the quote and the note, so the
           highlight's shows; dim, not $text-muted (an "auto" colour comes out white here) */
        & > .bookmarks-pane--quote { text-style: none; }
        & > .bookmarks-pane--meta { text-style: dim; }
        & > .bookmarks-pane--tag { color: $text-accent; }
        & > .bookmarks-pane--note { text-style: italic; }
        & > .bookmarks-pane--orphaned { color: $text-warning; text-style: bold; }
        & > .bookmarks-pane--error { color: $text-error; }
    }
    """

    class FilterChanged(Message):
        """The (debounced) filter text to list bookmarks for."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class Chosen(Message):
        """Open the article of a bookmark at its passage."""

        def __init__(self, bookmark: Bookmark) -> None:
            super().__init__()
            self.bookmark = bookmark

    class EditRequested(Message):
        def __init__(self, bookmark: Bookmark) -> None:
            super().__init__()
            self.bookmark = bookmark

    class DeleteRequested(Message):
        def __init__(self, bookmark: Bookmark) -> None:
            super().__init__()
            self.bookmark = bookmark

    class UndoRequested(Message):
        pass

    class ExportRequested(Message):
        """Export these bookmarks (the ones shown) as Markdown."""

        def __init__(self, bookmarks: list[Bookmark]) -> None:
            super().__init__()
            self.bookmarks = bookmarks

    class Closed(Message):
        pass

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._timer: Timer | None = None
        self.bookmarks: list[Bookmark] = []
        self.filter_sent = ""
        self.total = 0
        self.loaded = False
        self.error = ""
        self._quote_chars = QUOTE_CHARS
        self.undoable = 0  # bookmarks deleted this session that u can bring back

    def compose(self) -> ComposeResult:
        yield Input(
            placeholder="Filter quotes, notes, tags, titles",
            id="bookmarks-filter",
            compact=True,
            select_on_focus=False,
        )
        yield Static(Content("Loading…"), id="bookmarks-status", markup=False)
        yield BookmarkList(id="bookmark-list")

    def on_mount(self) -> None:
        self.border_title = "Bookmarks"

    @property
    def filter_input(self) -> Input:
        return self.query_one("#bookmarks-filter", Input)

    @property
    def bookmark_list(self) -> BookmarkList:
        return self.query_one(BookmarkList)

    @property
    def status(self) -> str:
        return str(self.query_one("#bookmarks-status", Static).visual)

    @property
    def current(self) -> Bookmark | None:
        """The highlighted bookmark, if any."""
        index = self.bookmark_list.highlighted
        if index is None or not self.bookmarks:
            return None
        option = self.bookmark_list.get_option_at_index(index)
        if option.id is None:
            return None
        return self.bookmarks[int(option.id.split("-")[1])]

    def focus_list(self) -> None:
        self.screen.set_focus(self.bookmark_list)

    def focus_filter(self) -> None:
        self.screen.set_focus(self.filter_input)

    # -- typing ----------------------------------------------------------------

    @on(Input.Changed, "#bookmarks-filter")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DEBOUNCE, self._send)

    def _send(self) -> None:
        self._timer = None
        text = self.filter_input.value.strip()
        if text == self.filter_sent and self.loaded:
            return
        self.filter_sent = text
        self.post_message(self.FilterChanged(text))

    @on(Input.Submitted, "#bookmarks-filter")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
            self._send()
        self.focus_list()

    # -- data in ---------------------------------------------------------------

    def show_bookmarks(self, text: str, bookmarks: Sequence[Bookmark], total: int, *, keep: str | None = None) -> None:
        """Show ``bookmarks`` (those matching ``text``, of ``total``); highlight ``keep`` (an id) if listed."""
        if text != self.filter_sent:
            return  # a newer filter is on its way
        previous = self.current
        previous_index = self.bookmark_list.highlighted or 0
        self.bookmarks = list(bookmarks)
        self.total = total
        self.loaded = True
        self.error = ""
        # about four lines of quote, however narrow the pane
        quote_chars = max(60, min(QUOTE_CHARS, 4 * (self.size.width - 4))) if self.size.width else QUOTE_CHARS
        self._quote_chars = quote_chars
        options: list[Option | None] = []
        for number, bookmark in enumerate(self.bookmarks):
            if number:
                options.append(None)
            content = bookmark_content(
                bookmark,
                quote=".bookmarks-pane--quote",
                meta=".bookmarks-pane--meta",
                tag=".bookmarks-pane--tag",
                note=".bookmarks-pane--note",
                warning=".bookmarks-pane--orphaned",
                quote_chars=quote_chars,
            )
            options.append(Option(content, id=f"bm-{number}"))
        option_list = self.bookmark_list
        option_list.set_options(options)
        if self.bookmarks:
            wanted = keep or (previous.id if previous is not None else None)
            index = next((i for i, b in enumerate(self.bookmarks) if b.id == wanted), None)
            if index is None:  # gone (deleted): stay where we were
                index = min(previous_index // 2, len(self.bookmarks) - 1)
            option_list.highlighted = option_list.get_option_index(f"bm-{index}")
        self._set_status(self._status_text(text))

    def on_resize(self) -> None:
        if self.loaded and not self.error and self.bookmarks:
            width = self.size.width
            if max(60, min(QUOTE_CHARS, 4 * (width - 4))) != self._quote_chars:
                self.show_bookmarks(self.filter_sent, self.bookmarks, self.total)

    def _status_text(self, text: str) -> Content:
        shown, total = len(self.bookmarks), self.total
        orphaned = sum(1 for b in self.bookmarks if b.orphaned)
        if total == 0:
            status = Content(NONE_LEFT if self.undoable else HINT)
        elif text:
            status = Content(f"{shown:,} of {total:,} bookmark{'s' if total != 1 else ''} match")
        else:
            status = Content(f"{total:,} bookmark{'s' if total != 1 else ''}")
        if orphaned:
            status = status + Content.assemble((f" · {orphaned} orphaned", ".bookmarks-pane--orphaned"))
        return status

    def show_error(self, message: str) -> None:
        self.loaded = True
        self.error = message
        self._set_status(
            Content.assemble((safe_inline(message, 300) or "Bookmarks unavailable", ".bookmarks-pane--error"))
        )

    def _set_status(self, content: Content) -> None:
        self.query_one("#bookmarks-status", Static).update(content)

    # -- actions up ------------------------------------------------------------

    @on(OptionList.OptionSelected, "#bookmark-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        bookmark = self.current
        if bookmark is not None:
            self.post_message(self.Chosen(bookmark))

    def action_edit(self) -> None:
        if (bookmark := self.current) is not None:
            deliver_now(self, self.EditRequested(bookmark))

    def action_delete(self) -> None:
        if (bookmark := self.current) is not None:
            deliver_now(self, self.DeleteRequested(bookmark))

    def action_undo(self) -> None:
        self.post_message(self.UndoRequested())

    def action_export(self) -> None:
        if self.bookmarks:
            self.post_message(self.ExportRequested(list(self.bookmarks)))
        else:
            self.app.bell()

    def action_close(self) -> None:
        if self.filter_input.has_focus and self.filter_input.value:
            self.filter_input.value = ""  # first Esc clears the filter
            return
        self.post_message(self.Closed())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("edit", "delete", "undo", "export"):
            if self.filter_input.has_focus:
                return False  # the letter is typed into the filter
            if action in ("edit", "delete"):
                return self.current is not None or None
            if action == "export":
                return bool(self.bookmarks) or None
        return True
