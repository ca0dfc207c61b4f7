"""The saved-searches pane: each saved search with how many articles it matches and
how many of them are new since the user last looked; Enter runs one.

The list comes from the saved-searches controller (a worker asks the library),
again after every sync. A saved search whose query no longer parses is listed
with why, and kept: Enter says so in the status line instead of running it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ..keys import list_bindings
from ..safe import safe_inline

if TYPE_CHECKING:
    from ...saved_searches import SavedSearchStatus

HINT = "No saved searches yet. In the search pane, ctrl+s saves the search being shown."


class SavedList(OptionList, inherit_bindings=False):
    BINDINGS = list_bindings("saved", "Run", "run")


class SavedPane(Vertical):
    """Saved searches with their new counts; Enter runs one in the search pane."""

    BINDINGS = [Binding("escape", "close", "Close", id="saved.close")]

    COMPONENT_CLASSES = {"saved-pane--name", "saved-pane--meta", "saved-pane--new", "saved-pane--problem"}

    DEFAULT_CSS = """
    SavedPane {
        & > #saved-status { height: auto; max-height: 4; padding: 0 1; color: $text-muted; }
        & > SavedList { height: 1fr; padding: 0 1; background: transparent; }
        & > SavedList, & > SavedList:focus { border: none; scrollbar-size-vertical: 1; }
        & > .saved-pane--name { text-style: bold; }
        & > .saved-pane--meta { text-style: dim; }
        & > .saved-pane--new { color: $text-accent; text-style: bold; }
        & > .saved-pane--problem { color: $text-warning; }
    }
    """

    class Chosen(Message):
        """Run this saved search (and mark its matches seen)."""

        def __init__(self, status: SavedSearchStatus) -> None:
            super().__init__()
            self.status = status

    class Closed(Message):
        pass

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.statuses: list[SavedSearchStatus] = []
        self.loaded = False

    def compose(self) -> ComposeResult:
        yield Static(Content("Loading…"), id="saved-status", markup=False)
        yield SavedList(id="saved-list")

    def on_mount(self) -> None:
        self.border_title = "Saved searches"

    @property
    def saved_list(self) -> SavedList:
        return self.query_one(SavedList)

    @property
    def status(self) -> str:
        return str(self.query_one("#saved-status", Static).visual)

    def focus_list(self) -> None:
        self.screen.set_focus(self.saved_list)

    def show(self, statuses: list[SavedSearchStatus], error: str = "") -> None:
        """The saved searches as they stand now (the highlight stays on the same name)."""
        keep = self.current.search.name if self.current is not None else None
        self.statuses, self.loaded = list(statuses), True
        options: list[Option | None] = []
        for number, status in enumerate(self.statuses):
            if number:
                options.append(None)
            options.append(Option(self._content(status), id=f"saved-{number}"))
        saved_list = self.saved_list
        saved_list.set_options(options)
        names = [status.search.name for status in self.statuses]
        if names:
            saved_list.highlighted = names.index(keep) if keep in names else 0
        if error:
            self.say(error, problem=True)
        elif not self.statuses:
            self.say(HINT)
        else:
            new = sum(status.new for status in self.statuses)
            self.say(f"{len(names)} saved search{'es' if len(names) != 1 else ''}, {new:,} new article{'s' if new != 1 else ''}")

    def _content(self, status: SavedSearchStatus) -> Content:
        name = Content.styled(safe_inline(status.search.name, 80), "saved-pane--name")
        query = Content.styled(safe_inline(status.search.query, 200), "saved-pane--meta")
        if status.problem:
            counts = Content.styled(f"cannot run: {safe_inline(status.problem, 200)}; kept", "saved-pane--problem")
        else:
            noun = "article" if status.total == 1 else "articles"
            counts = Content.assemble(
                (f"{status.total:,} {noun} · ", "saved-pane--meta"),
                (f"{status.new:,} new", "saved-pane--new" if status.new else "saved-pane--meta"),
            )
        return Content("\n").join([name, query, counts])

    @property
    def current(self) -> SavedSearchStatus | None:
        index = self.saved_list.highlighted
        if index is None or not self.statuses or index >= self.saved_list.option_count:
            return None
        option_id = self.saved_list.get_option_at_index(index).id
        return self.statuses[int(option_id.split("-")[1])] if option_id else None

    def say(self, text: str, *, problem: bool = False) -> None:
        """One line in the status (untrusted parts already made safe by the caller or here)."""
        line = safe_inline(text, 300)
        content = Content.styled(line, "saved-pane--problem") if problem else Content(line)
        self.query_one("#saved-status", Static).update(content)

    @on(OptionList.OptionSelected, "#saved-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        status = self.current
        if status is None:
            return
        if status.problem:  # kept, not run: say why where the user looks
            self.say(f"{status.search.name!r} cannot run: {status.problem}. It is kept.", problem=True)
            return
        self.post_message(self.Chosen(status))

    def action_close(self) -> None:
        self.post_message(self.Closed())
