"""The reader App: wires the library, theme, keymap, global keys and first screen."""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import Iterable
from functools import partial
from typing import Any

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widget import Widget
from textual.worker import WorkerCancelled, WorkerFailed

from ..config import Preferences
from .marks import ReadMarks, open_marks
from .newest import NewestRows
from .safe import safe_inline, safe_text
from .screens.help import BindingInfo, HelpScreen, collect_bindings
from .screens.main import MainScreen

DARK, LIGHT = "textual-dark", "textual-light"


class ReaderApp(App[int], inherit_bindings=False):
    """A terminal reader for a folder of news articles."""

    CSS_PATH = "styles/app.tcss"
    TITLE = "reader"

    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("question_mark", "help", "Help", id="app.help"),
        Binding("ctrl+p", "command_palette", "Commands", show=False, priority=True, id="app.command_palette"),
        Binding("ctrl+t", "toggle_dark", "Light/dark theme", show=False, id="app.toggle_theme"),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True, id="app.quit_now"),
        Binding("ctrl+c", "help_quit", show=False, system=True, id="app.help_quit"),
    ]

    def __init__(
        self,
        library: Any,
        *,
        marks: ReadMarks | None = None,
        keymap: dict[str, str] | None = None,
        sync: bool = True,
        theme: str = DARK,
        newest: NewestRows | None = None,
        preferences: Preferences | None = None,
        problems: list[str] | None = None,
    ) -> None:
        """``problems``: the config file's, one line each, shown when the app starts (stderr is hidden by then)."""
        super().__init__()
        self.notified: list[str] = []  # every notification's text, also after its toast timed out
        self.config_problems = list(problems or ())
        self.preferences = preferences if preferences is not None else Preferences()  # the config file's
        self.newest = newest if newest is not None else NewestRows(library)
        self.library = library
        self.marks_error = ""
        if marks is None:
            marks, self.marks_error = open_marks(library)
        self.marks = marks
        self.sync_on_start = sync
        self.interrupted_sync = False  # closed while the library was still indexing
        self.theme = theme
        self.keymap_problems: list[str] = []
        if keymap:
            from .keymap import checked_keymap

            keymap, self.keymap_problems = checked_keymap(keymap)
            self.set_keymap(keymap)

    def get_default_screen(self) -> Screen[Any]:
        return MainScreen(
            self.library, self.marks, sync=self.sync_on_start, newest=self.newest, kinds=self.preferences.highlight
        )

    def on_mount(self) -> None:
        self._quit_on_hangup_or_term()
        for problem in self.config_problems:  # the defaults are used for each
            self.notify(problem, title="Config file", severity="warning", timeout=10, markup=False)
        for problem in self.keymap_problems:  # from the config file's [keys]; the rest still apply
            self.notify(problem, severity="warning", timeout=10, markup=False)
        if self.marks_error:
            self.notify(
                f"Read marks and positions are kept for this session only: {self.marks_error}",
                severity="warning",
                timeout=8,
                markup=False,
            )

    def _quit_on_hangup_or_term(self) -> None:
        """SIGHUP (the terminal closed) and SIGTERM quit the way ``q`` does.

        The CLI turns both into an exception (``console.signals_as_exceptions``);
        inside the event loop that landed in whichever callback was running and was
        swallowed, and the app lived on with no terminal, Textual's input thread
        spinning on the dead pty. Handled by the loop instead, they end the app.
        """
        if self.is_headless:
            return
        loop = asyncio.get_running_loop()
        for name in ("SIGHUP", "SIGTERM"):
            number = getattr(signal, name, None)
            if number is None:
                continue
            try:
                loop.add_signal_handler(number, self._quit_on_signal, int(number))
            except (NotImplementedError, RuntimeError, ValueError):  # not the main thread, or no signals here
                continue

    def _quit_on_signal(self, signum: int) -> None:
        asyncio.get_running_loop().remove_signal_handler(signum)  # a second one takes its default action
        hung_up = signum == getattr(signal, "SIGHUP", None)
        ending = self._quit_without_terminal if hung_up else self._quit
        self.run_worker(ending(128 + signum), group="quit", exit_on_error=False)

    async def _quit_without_terminal(self, return_code: int) -> None:
        """The terminal hung up: keep what the user did, then end at once. Textual's
        shutdown restores the screen through a writer thread that the dead pty has
        already stopped, and waited on it for good (a core spinning on the input)."""
        try:
            await self._keep_user_state()
        finally:
            os._exit(return_code)  # an index write in progress is left as a kill would leave it: recoverable

    def notify(self, message: str, *, title: str = "", **options: Any) -> None:
        """Every notification (the screens' and widgets' too) passes the one sanitiser:
        errors quote paths, file names and reasons, and Textual passes ESC through."""
        message = safe_text(message)
        self.notified.append(message)
        super().notify(message, title=safe_inline(title), **options)

    def on_unmount(self) -> None:
        close = getattr(self.marks, "close", None)
        if close is not None:
            close()

    @property
    def main(self) -> MainScreen:
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                return screen
        raise LookupError("no main screen")

    # -- bindings, help and the command palette ----------------------------------

    def binding_sections(self) -> list[tuple[str, list[DOMNode]]]:
        """Every pane with its own keys, for ``?`` and the command palette."""
        main = self.main
        from .widgets.article_list import ArticleList
        from .widgets.bookmarks_pane import BookmarkList, BookmarksPane
        from .widgets.entity_sidebar import EntityList, EntitySidebar
        from .widgets.reading import ReadingPane
        from .widgets.result_rows import ResultList
        from .widgets.saved_pane import SavedList, SavedPane
        from .widgets.search_pane import SearchPane

        def one(kind: type[Widget]) -> DOMNode:
            return main.query_one(kind)

        return [
            ("Everywhere", [self, main]),
            ("Article list", [one(ArticleList)]),
            ("Reading pane", [one(ReadingPane)]),
            ("Entity sidebar", [one(EntitySidebar), one(EntityList)]),
            ("Search pane", [one(SearchPane), one(ResultList)]),
            ("Bookmarks pane", [one(BookmarksPane), one(BookmarkList)]),
            ("Saved searches", [one(SavedPane), one(SavedList)]),
        ]

    def bindings_info(self) -> list[BindingInfo]:
        return collect_bindings(self.binding_sections())

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(self.bindings_info()))

    def action_toggle_dark(self) -> None:
        self.theme = LIGHT if self.current_theme.dark else DARK

    async def action_quit(self) -> None:
        await self._quit(0)

    async def _quit(self, return_code: int) -> None:
        await self._keep_user_state()
        self.exit(return_code)

    async def _keep_user_state(self) -> None:
        """Finish what must not be lost: a bookmark being written, the reading position, read marks."""
        # a bookmark being written is finished first: the store call decides, not the exit
        for worker in list(self.workers):
            if worker.group == "bookmark-write" and not worker.is_finished:
                try:
                    await worker.wait()
                except (WorkerCancelled, WorkerFailed):
                    pass  # what it did or did not write is what the store says; a failure was shown
        try:
            self.main.save_position()
        except LookupError:
            pass
        flush = getattr(self.marks, "flush", None)
        if flush is not None:
            await asyncio.to_thread(flush)

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if not isinstance(screen, MainScreen):
            return
        seen: set[str] = {"command_palette", "quit", "help_quit"}
        for info in self.bindings_info():
            key = f"{info.section}:{info.action}"
            if key in seen or info.action in seen:
                continue
            seen.add(key)
            keys = ", ".join(info.keys)
            title = info.description if info.section == "Everywhere" else f"{info.section}: {info.description}"
            yield SystemCommand(title, f"Key: {keys}", partial(self._run_from_palette, info))

    def _run_from_palette(self, info: BindingInfo) -> None:
        node = info.node
        if isinstance(node, Widget) and node.focusable and not node.has_focus:
            node.focus()
        self.call_later(self.run_action, info.action, node)
