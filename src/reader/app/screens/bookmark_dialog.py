"""The small dialogs of bookmarking: note and tags, and "delete this?".

:class:`BookmarkDialog` does the saving itself, in a thread worker, with a
function the main screen hands it; it closes (returning the saved
bookmark) only after that function returned. On any error it stays open
with the error inline and the note and tags as typed, so nothing is lost:
Enter tries again, Esc gives up knowingly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Input, Label, Static, TextArea

from ..problems import EXPECTED, unexpected
from ..safe import safe_inline, safe_text
from ..widgets.bookmarks_pane import quoted

#: What saving can meet besides a broken store: the passage no longer in the article
#: (QuoteNotFound is a ValueError), the bookmark deleted meanwhile (a KeyError).
_SAVE_ERRORS: tuple[type[Exception], ...] = (*EXPECTED, ValueError, KeyError)

#: Characters of the quote shown in the dialog (it scrolls past ~8 lines; a passage is rarely longer).
QUOTE_CHARS = 20_000


@dataclass(frozen=True)
class BookmarkDraft:
    """What the dialog shows and starts from."""

    quote: str
    title: str = ""
    date: str = ""
    note: str = ""
    tags: tuple[str, ...] = ()
    editing: bool = False


def parse_tags(text: str) -> tuple[str, ...]:
    """``"trade, #china , "`` -> ``("trade", "china")`` (the store cleans them again)."""
    return tuple(tag.strip().lstrip("#").strip() for tag in text.split(",") if tag.strip().lstrip("#").strip())


class TagSuggester(Suggester):
    """Completes the tag being typed (after the last comma) from known tags."""

    def __init__(self, tags: Iterable[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.tags = sorted(set(tags), key=str.casefold)

    async def get_suggestion(self, value: str) -> str | None:
        word = value.rpartition(",")[2].lstrip()
        if not word:
            return None
        folded = word.casefold()
        for tag in self.tags:
            if tag.casefold().startswith(folded) and len(tag) > len(word):
                return value + tag[len(word) :]
        return None


class NoteArea(TextArea):
    """A note box where Enter saves; ctrl+j (or shift/alt+Enter) starts a new line."""

    class Submitted(Message):
        pass

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            self.post_message(self.Submitted())
            return
        if event.key in ("ctrl+j", "shift+enter", "alt+enter", "ctrl+enter"):
            event.stop()
            event.prevent_default()
            self.insert("\n")
            return
        await super()._on_key(event)


class BookmarkDialog(ModalScreen[object]):
    """Note and tags for one passage; saves through ``save(note, tags)`` off the event loop."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="bookmark_dialog.cancel"),
        Binding("ctrl+s", "save", "Save", id="bookmark_dialog.save"),
        Binding("ctrl+o", "open_editor", "Note in $EDITOR", priority=True, id="bookmark_dialog.editor"),
        # priority: the field changes when Tab arrives, so what is typed next lands in it
        Binding("tab", "app.focus_next", "Next field", show=False, priority=True, id="bookmark_dialog.next_field"),
        Binding(
            "shift+tab", "app.focus_previous", "Previous field", show=False, priority=True, id="bookmark_dialog.previous_field"
        ),
    ]

    DEFAULT_CSS = """
    BookmarkDialog {
        align: center middle;
        & > #dialog {
            width: 76;
            max-width: 100%;
            height: auto;
            max-height: 100%;
            border: round $accent;
            border-title-color: $text;
            border-title-style: bold;
            background: $surface;
            padding: 0 1;
        }
        & #quote-box { height: auto; max-height: 8; scrollbar-size-vertical: 1; }
        & #quote { height: auto; color: $text; text-style: italic; }
        & #source { height: auto; max-height: 2; color: $text-muted; margin-bottom: 1; }
        & Label { color: $text-muted; }
        & #note { height: 4; min-height: 3; border: none; padding: 0; background: $boost; }
        & #note:focus { background: $boost; }
        & #tags { padding: 0; margin-bottom: 1; }
        & #dialog-status { height: auto; max-height: 3; }
        & #dialog-status.-error { color: $text-error; }
        & #dialog-status.-busy { color: $text-warning; }
        & #dialog-keys { color: $text-muted; height: auto; }
    }
    """

    class Saved(Message):
        def __init__(self, bookmark: object) -> None:
            super().__init__()
            self.bookmark = bookmark

    class Failed(Message):
        def __init__(self, error: str) -> None:
            super().__init__()
            self.error = error

    def __init__(
        self,
        draft: BookmarkDraft,
        save: Callable[[str, tuple[str, ...]], object],
        *,
        known_tags: Iterable[str] = (),
    ) -> None:
        super().__init__()
        self.draft = draft
        self.save_function = save
        self.known_tags = tuple(known_tags)
        self.saving = False
        self.error = ""

    def compose(self) -> ComposeResult:
        draft = self.draft
        quote = safe_inline(draft.quote, QUOTE_CHARS)
        source = " · ".join(part for part in (safe_inline(draft.title, 200), safe_inline(draft.date, 20)) if part)
        with Vertical(id="dialog") as dialog:
            dialog.border_title = "Edit bookmark" if draft.editing else "Bookmark this passage"
            with VerticalScroll(id="quote-box"):  # the whole passage: the wheel, or Tab to it and the arrows, scroll it
                yield Static(Content(quoted(quote)), id="quote", markup=False)
            yield Static(Content(source), id="source", markup=False)
            yield Label(Content("Note"), markup=False)
            yield NoteArea(safe_text(draft.note), id="note", soft_wrap=True, show_line_numbers=False, compact=True)
            yield Label(Content("Tags (comma-separated)"), markup=False)
            yield Input(
                ", ".join(draft.tags),
                placeholder="e.g. figure-to-check, quote",
                id="tags",
                compact=True,
                suggester=TagSuggester(self.known_tags) if self.known_tags else None,
                select_on_focus=False,
            )
            yield Static(Content(""), id="dialog-status", markup=False)
            yield Static(
                Content("Enter saves · ctrl+j new line · ctrl+o editor · Tab next · Esc cancels"),
                id="dialog-keys",
                markup=False,
            )

    def on_mount(self) -> None:
        note = self.query_one(NoteArea)
        note.move_cursor(note.document.end)
        note.focus()

    def on_key(self, event: events.Key) -> None:
        """Keys typed before the note box had focus (right after b) come to the screen:
        type them into the field that has focus now, instead of dropping them."""
        target = self.focused
        if not (event.is_printable and event.character) or self.saving or target is None:
            return
        if isinstance(target, NoteArea):
            target.insert(event.character)
        elif isinstance(target, Input):
            target.insert_text_at_cursor(event.character)
        else:
            return
        event.stop()

    @property
    def note(self) -> str:
        return self.query_one(NoteArea).text

    @property
    def tags(self) -> tuple[str, ...]:
        return parse_tags(self.query_one("#tags", Input).value)

    # -- the user's editor ------------------------------------------------------

    def action_open_editor(self) -> None:
        """The note in $VISUAL/$EDITOR, the app suspended meanwhile (as lazygit does);
        an editor that fails or exits non-zero leaves the note as it was."""
        from textual.app import SuspendNotSupported

        from ...editor import EditorFailed, edit_text

        if self.saving:
            self.app.bell()
            return
        note = self.query_one(NoteArea)
        edited: str | None = None
        failure = ""
        try:
            with self.app.suspend():
                try:  # nothing may leave this block by raising: Textual resumes only after a normal exit
                    edited = edit_text(note.text)
                except (EditorFailed, OSError) as error:
                    failure = str(error)
        except SuspendNotSupported:
            self._set_status("This terminal cannot hand the screen to an editor: type the note here.", "-error")
            return
        if edited is None:
            self._set_status(f"{safe_inline(failure, 300)}: the note is as it was.", "-error")
            return
        note.load_text(safe_text(edited))
        note.move_cursor(note.document.end)
        note.focus()
        self._set_status("The note from your editor: Enter saves, Esc cancels.")

    # -- saving ----------------------------------------------------------------

    @on(NoteArea.Submitted)
    @on(Input.Submitted, "#tags")
    def _submitted(self, event: Message) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        if self.saving:
            return
        self.saving = True
        self._set_status("Saving…", "-busy")
        self.query_one(NoteArea).read_only = True
        self.query_one("#tags", Input).disabled = True
        self._save(self.note, self.tags)

    @work(thread=True, exclusive=True, group="bookmark-write")
    def _save(self, note: str, tags: tuple[str, ...]) -> None:
        try:
            bookmark = self.save_function(note, tags)
        except _SAVE_ERRORS as exc:  # busy, read-only disk, damaged store, passage gone…: say so, keep the text
            self.post_message(self.Failed(f"{type(exc).__name__}: {exc}" if not str(exc) else str(exc)))
        except Exception as exc:  # noqa: BLE001 - a bug: logged and shown (raised in tests), the text kept
            self.post_message(self.Failed(unexpected(self.app, "saving a bookmark", exc)))
        else:
            self.post_message(self.Saved(bookmark))

    @on(Saved)
    def _saved(self, message: Saved) -> None:
        self.dismiss(message.bookmark)

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self.saving = False
        self.error = message.error
        note = self.query_one(NoteArea)
        note.read_only = False
        self.query_one("#tags", Input).disabled = False
        self._set_status(
            f"Not saved: {safe_inline(message.error, 300)}\nYour note and tags are still here: "
            "Enter tries again, Esc discards them.",
            "-error",
        )
        note.focus()

    def _set_status(self, text: str, state: str = "") -> None:
        status = self.query_one("#dialog-status", Static)
        status.set_classes(state)
        status.update(Content(text))

    def action_cancel(self) -> None:
        if self.saving:
            self.app.bell()  # the store call is on its way; its answer decides
            return
        self.dismiss(None)


class ConfirmDialog(ModalScreen[bool]):
    """A yes/no question; y or Enter says yes, n or Esc says no."""

    BINDINGS = [
        Binding("y,enter", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    DEFAULT_CSS = """
    ConfirmDialog {
        align: center middle;
        & > #confirm {
            width: 64;
            max-width: 100%;
            height: auto;
            border: round $error;
            border-title-color: $text;
            border-title-style: bold;
            background: $surface;
            padding: 0 1;
        }
        & #confirm-text { height: auto; max-height: 8; margin-bottom: 1; }
        & #confirm-keys { color: $text-muted; }
    }
    """

    def __init__(self, title: str, question: Content, keys: str = "y / Enter: yes · n / Esc: no") -> None:
        super().__init__()
        self.title_text = title
        self.question = question
        self.keys = keys

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm") as box:
            box.border_title = self.title_text
            yield Static(self.question, id="confirm-text", markup=False)
            yield Static(Content(self.keys), id="confirm-keys", markup=False)

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
