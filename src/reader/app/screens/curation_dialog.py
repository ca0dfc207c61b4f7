"""Correcting an entity from the sidebar: merge it, rename it, change its kind.

:class:`CurationDialog` asks for what the correction needs (the entity to
merge into, the new name, the kind), checks it in a thread worker with
:func:`reader.curating.plan` and stays open with one line saying what is
wrong (merging into itself or into a hidden entity, an unknown name with the
closest ones, an unknown kind). A rename to a name another entity has offers
the merge: Enter again merges into it. A correction that changes many
articles asks first, saying how many. It closes with the recorded
correction; nothing is written before the last Enter.
"""

from __future__ import annotations

from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Static

from ...model import ENTITY_KINDS
from ..problems import EXPECTED, unexpected
from ..safe import safe_inline
from .bookmark_dialog import ConfirmDialog

#: A correction that changes at least this many articles asks for a confirmation first.
CONFIRM_FROM_ARTICLES = 10

_PROMPTS = {
    "merge": "Merge into (the entity it becomes):",
    "rename": "New name:",
    "kind": f"Kind ({', '.join(ENTITY_KINDS)}):",
    "hide": "",
}
_TITLES = {"merge": "Merge", "rename": "Rename", "kind": "Change kind", "hide": "Hide"}


def confirm_question(planned: Any) -> Content:
    """"Merge 'X' into 'Y'? It changes 37 articles." for the confirmation."""
    articles = f"{planned.articles} article{'s' if planned.articles != 1 else ''}"
    what = {
        "merge": f"Merge {safe_inline(planned.name, 60)} into {safe_inline(planned.value, 60)}?",
        "rename": f"Rename {safe_inline(planned.name, 60)} to {safe_inline(planned.value, 60)}?",
        "kind": f"Make {safe_inline(planned.name, 60)} {planned.value} (was {planned.kind})?",
        "hide": f"Hide {safe_inline(planned.name, 60)} everywhere (not an entity)?",
    }[planned.action]
    return Content(f"{what}\nIt changes {articles}; u in the sidebar undoes it.")


class CurationDialog(ModalScreen[Any]):
    """One correction of one entity; dismissed with the recorded correction (None: cancelled)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="curation.cancel")]

    DEFAULT_CSS = """
    CurationDialog {
        align: center middle;
        & > #curation {
            width: 72;
            max-width: 100%;
            height: auto;
            border: round $primary;
            border-title-color: $text;
            border-title-style: bold;
            background: $surface;
            padding: 0 1;
        }
        & #curation-prompt { height: auto; }
        & #curation-message { height: auto; color: $text-error; }
        & #curation-keys { color: $text-muted; }
    }
    """

    def __init__(self, library: Any, action: str, name: str, kind: str, suggestions: list[str] | None = None) -> None:
        super().__init__()
        self.library = library
        self.action = action
        self.entity_name = name
        self.entity_kind = kind
        self.suggestions = suggestions or []
        self.message = ""
        self._offered_merge: str | None = None  # a rename to a taken name: Enter merges into it

    def compose(self) -> ComposeResult:
        with Vertical(id="curation") as box:
            box.border_title = f"{_TITLES[self.action]}: {safe_inline(self.entity_name, 50)} ({self.entity_kind})"
            yield Static(Content(_PROMPTS[self.action]), id="curation-prompt", markup=False)
            words = list(ENTITY_KINDS) if self.action == "kind" else self.suggestions
            value = self.entity_name if self.action == "rename" else ""
            yield Input(value, suggester=SuggestFromList(words, case_sensitive=False), id="curation-input")
            yield Static(id="curation-message", markup=False)
            yield Static(Content("Enter: apply · Esc: cancel"), id="curation-keys", markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def show_message(self, text: str) -> None:
        """One line under the input saying what is wrong (or what Enter will do now)."""
        self.message = text
        self.query_one("#curation-message", Static).update(Content(safe_inline(text, 300)))

    @on(Input.Changed, "#curation-input")
    def _typed(self) -> None:
        if self._offered_merge is not None or self.message:
            self._offered_merge = None
            self.show_message("")

    @on(Input.Submitted, "#curation-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._offered_merge is not None:
            self.check("merge", self._offered_merge)
        else:
            self.check(self.action, event.value)

    @work(thread=True, exclusive=True, group="curation")
    def check(self, action: str, value: str) -> None:
        from ...curating import CurationError, NameTaken, plan

        try:
            planned = plan(self.library, action, self.entity_name, value, kind=self.entity_kind)
        except NameTaken as taken:
            self.app.call_from_thread(self._offer_merge, taken.existing)
            return
        except CurationError as error:
            self.app.call_from_thread(self.show_message, str(error))
            return
        except EXPECTED as error:
            self.app.call_from_thread(self.show_message, f"Could not check it: {error}")
            return
        except Exception as error:  # noqa: BLE001 - logged and shown (raised in tests)
            self.app.call_from_thread(self.show_message, unexpected(self.app, "checking an entity correction", error))
            return
        self.app.call_from_thread(self._confirm_then_record, planned)

    def _offer_merge(self, existing: str) -> None:
        self.show_message(f"{existing} already exists: Enter merges {self.entity_name} into it")
        self._offered_merge = existing

    def _confirm_then_record(self, planned: Any) -> None:
        if planned.articles < CONFIRM_FROM_ARTICLES:
            self.write(planned)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.write(planned)
            else:
                self.show_message("Nothing changed.")

        self.app.push_screen(ConfirmDialog(_TITLES[planned.action], confirm_question(planned)), callback=answered)

    @work(thread=True, exclusive=True, group="curation")
    def write(self, planned: Any) -> None:
        from ...curating import record

        try:
            correction = record(self.library, planned)
        except EXPECTED as error:
            self.app.call_from_thread(self.show_message, f"Not saved: {error}")
            return
        except Exception as error:  # noqa: BLE001 - logged and shown (raised in tests)
            self.app.call_from_thread(self.show_message, unexpected(self.app, "saving an entity correction", error))
            return
        self.app.call_from_thread(self.dismiss, correction)

    def action_cancel(self) -> None:
        self.dismiss(None)
