"""The main screen's ways to the web and to the articles folder: ``r``, ``o``, ``c``, watching.

Network and disk work run in thread workers, which reach the UI only through
``call_from_thread``. This controller adds:

* ``r``: every feed fetched in a worker, "Fetching feed n of N: NAME" in the
  bar above the footer, then the usual sync, so new articles appear (unread)
  without a restart;
* watching the articles folder (:mod:`reader.watch`): files that arrive from
  elsewhere are synced in the background, one sync per burst;
* ``o``: the open article's original page in the browser, or its address
  where no browser can open (over SSH);
* ``c``: the folders of the articles folder, with counts; choosing one
  searches ``folder:NAME``.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ...folders import folder_counts, folder_query
from ..safe import safe_inline
from .base import EXPECTED, Controller, describe


class FolderChooser(ModalScreen[str | None]):
    """A list of folders with their article counts; Enter chooses, Esc closes."""

    DEFAULT_CSS = """
    FolderChooser { align: center middle; }
    FolderChooser > OptionList { width: 60; max-width: 90%; height: auto; max-height: 80%; border: round $accent; }
    """
    BINDINGS = [Binding("escape", "dismiss_none", "Close", show=False)]

    def __init__(self, folders: list[tuple[str, int]]) -> None:
        super().__init__()
        self.folders = folders

    def compose(self) -> ComposeResult:
        options = [Option(f"{safe_inline(name)}  ({count:,})", id=str(index)) for index, (name, count) in enumerate(self.folders)]
        chooser = OptionList(*options, id="folders")
        chooser.border_title = "Folders"
        yield chooser

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.folders[int(event.option.id or 0)][0])

    def action_dismiss_none(self) -> None:
        self.dismiss(None)


class Web(Controller):
    """``r`` fetch, ``o`` open the original, ``c`` folders, and watching the articles folder."""

    def __init__(self, screen: Any) -> None:
        super().__init__(screen)
        self.fetching = False
        self.dirty = False  # files changed while a sync or fetch ran: sync again after
        self.watcher: Any = None

    # -- watching the articles folder ---------------------------------------------

    def start_watching(self) -> None:
        from ...watch import ArticlesWatcher

        if self.watcher is None and self.library.articles_dir.is_dir():
            self.watcher = ArticlesWatcher(self.library.articles_dir, self._files_changed).start()

    def stop_watching(self) -> None:
        if self.watcher is not None:
            self.watcher.stop()
            self.watcher = None

    def _files_changed(self, paths: set[str]) -> None:  # the watcher's thread
        try:
            self.screen.app.call_from_thread(self.sync_soon)
        except RuntimeError:  # the app is closing
            pass

    def sync_soon(self) -> None:
        if self.screen.syncing or self.fetching:
            self.dirty = True
        else:
            self.screen.startup.start_sync()

    def sync_finished(self) -> None:
        """Called by the screen when a sync ends: a burst that came during it gets its own."""
        if self.dirty and not self.fetching:
            self.dirty = False
            self.screen.startup.start_sync()

    # -- r: fetch every feed --------------------------------------------------------

    def fetch(self) -> None:
        if self.fetching:
            self.screen.notify("Already fetching the feeds.", markup=False)
            return
        try:
            feeds = self.library.bookmarks.feeds()
        except Exception as error:  # noqa: BLE001 - a locked or damaged store: say so, keep the app
            self.screen.notify(f"Cannot read the feed list: {error}", severity="error", markup=False)
            return
        if not feeds:
            self.screen.notify("No feeds yet: `reader feeds add URL` follows one.", markup=False)
            return
        self.fetching = True
        bar = self._bar()
        bar.display = True
        bar.update_label(f"Fetching {len(feeds)} feeds…")
        self.run(self._fetch, group="fetch")

    def _fetch(self) -> None:  # a worker thread
        from ...config import Preferences
        from ...web.fetching import fetch_feeds

        app = self.screen.app
        preferences = getattr(app, "preferences", None) or Preferences()  # the config file's [feeds]
        try:
            outcomes, _report, _unknown = fetch_feeds(
                self.library,
                self.library.bookmarks,
                progress=lambda done, total, name: app.call_from_thread(self._progress, done, total, name),
                sync=False,
                workers=preferences.feed_concurrency,
                deadline=preferences.feed_timeout,
            )
        except EXPECTED as error:
            app.call_from_thread(self._fetched, [], describe(error))
        except Exception as error:  # noqa: BLE001 - a bug: logged and shown, never a crash
            app.call_from_thread(self._fetched, [], self.unexpected("fetching feeds", error))
        else:
            app.call_from_thread(self._fetched, outcomes, "")

    def _bar(self) -> Any:
        from ..widgets.sync_bar import SyncBar

        return self.screen.query_one(SyncBar)

    def _progress(self, done: int, total: int, name: str) -> None:
        from textual.widgets import ProgressBar

        bar = self._bar()
        bar.update_label(f"Fetching feed {done} of {total}: {safe_inline(name)}")
        bar.query_one(ProgressBar).update(total=max(total, 1), progress=done)

    def _fetched(self, outcomes: list[Any], error: str) -> None:
        self.fetching = False
        self._bar().display = self.screen.syncing
        if error:
            self.screen.notify(error, title="Fetching failed", severity="error", markup=False)
            return
        added = sum(len(o.added) for o in outcomes)
        failed = [o for o in outcomes if o.status == "failed"]
        feeds = len(outcomes)
        lines = [f"{added} new article{'' if added == 1 else 's'} from {feeds} feed{'' if feeds == 1 else 's'}"]
        lines += [safe_inline(o.line()) for o in failed[:5]]
        self.screen.notify("\n".join(lines), title="Feeds", severity="warning" if failed else "information", markup=False)
        if added:
            self.dirty = False
            self.screen.startup.start_sync()

    # -- o: the original page ---------------------------------------------------------

    def open_original(self) -> None:
        from ...web.browser import open_url

        article_id = self.screen.open_id
        if not article_id:
            self.screen.notify("Open an article first.", markup=False)
            return
        try:
            url = self.library.article(article_id).url
        except Exception as error:  # noqa: BLE001 - gone since it was opened
            self.screen.notify(f"Cannot read the article: {error}", severity="error", markup=False)
            return
        opened, message = open_url(url)
        self.screen.notify(safe_inline(message), title="Original page", timeout=8 if opened else 20, markup=False)

    # -- c: folders -------------------------------------------------------------------

    def choose_folder(self) -> None:
        try:
            folders = folder_counts(summary.id for summary in self.library.articles())
        except Exception as error:  # noqa: BLE001
            self.screen.notify(f"Cannot list the folders: {error}", severity="error", markup=False)
            return
        if not folders:
            self.screen.notify("No folders in the articles folder yet.", markup=False)
            return
        self.screen.app.push_screen(FolderChooser(folders), self._folder_chosen)

    def _folder_chosen(self, folder: str | None) -> None:
        if folder:
            self.screen.search_for(folder_query(folder))
