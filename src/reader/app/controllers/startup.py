"""Start-up and indexing: the article list's rows, and the sync that brings the index up to date.

At start the newest rows (read while Textual was importing, ``NewestRows``)
are drawn first, then every row; if files changed since the last sync the
index is brought up to date in a worker, the list refreshed as it goes.
Indexing has two phases: the sync makes the text searchable, then another
worker extracts the entities (minutes for a large first index) while the
sidebar says they are still coming; a sync cancels it and starts it again
after, and an extraction cut short (quit, kill) resumes at the next start.
"""

from __future__ import annotations

import gc
import subprocess
import threading
from collections.abc import Callable
from time import monotonic
from typing import TYPE_CHECKING

from textual.message import Message
from textual.timer import Timer
from textual.worker import get_current_worker

from ..messages import (
    EntitiesFinished,
    EntitiesNeeded,
    EntitiesProgress,
    NewestLoaded,
    SummariesLoaded,
    SyncFinished,
    SyncNeeded,
    SyncProgress,
)
from ..widgets.article_rows import make_rows
from ..widgets.sync_bar import SyncBar

if TYPE_CHECKING:
    from ..screens.main import MainScreen

from .base import EXPECTED, Controller, describe

#: Seconds without typing (and without a sync) before the index's segments are merged.
MERGE_WHEN_IDLE = 3.0
#: Merge when the index has more segments than this (a merge leaves 3).
MERGE_ABOVE = 4
#: Refresh the list this often while indexing (seconds).
REFRESH_DURING_SYNC = 1.0
#: The longest the full load waits for the newest rows (``NewestRows``) to be drawn (seconds).
FIRST_DRAW_WAIT = 1.0
INDEXING = "Indexing… articles appear as they are added."
NO_ARTICLES = "No articles yet: put .txt, .md or .html files in the articles folder; they appear as they arrive"


class Startup(Controller):
    """Loads the list's rows and runs the sync; ``syncing`` while it does."""

    syncing = False
    extracting = False
    _last_list_refresh = 0.0
    _last_typing = 0.0
    _merge: subprocess.Popen[bytes] | None = None
    _merge_watch: Timer | None = None

    def __init__(self, screen: MainScreen, *, sync: bool) -> None:
        super().__init__(screen)
        self.sync_on_start = sync
        self._newest_drawn = threading.Event()

    def start(self) -> None:
        """On mount: the newest rows if they are in already (then they are in the first paint), then every row."""
        if self.screen.newest.wait(0):
            self.show_newest()
        self.load_summaries(check_pending=self.sync_on_start, startup=True)
        if self.sync_on_start:
            self.schedule_merge()

    # -- the list's rows -----------------------------------------------------------

    def load_summaries(self, *, check_pending: bool = False, startup: bool = False) -> None:
        self.run(self._load_summaries, check_pending, startup, group="summaries")

    def _load_summaries(self, check_pending: bool, startup: bool) -> None:
        worker = get_current_worker()
        if startup:
            newest = self.screen.newest
            newest.wait()  # one reader of the library at a time
            if newest.summaries:
                self.post(NewestLoaded())  # ignored when start() showed them
                # let them be drawn first: building every row competes for the interpreter
                self._newest_drawn.wait(FIRST_DRAW_WAIT)
        error = ""
        try:
            rows = make_rows(self.library.articles())
        except EXPECTED as exc:  # no index yet, an unreadable one…: the sync says more
            rows, error = [], describe(exc)
        except Exception as exc:  # noqa: BLE001 - logged and shown (raised in tests)
            rows, error = [], self.unexpected("reading the article list", exc)
        if worker.is_cancelled:
            return
        self.post(SummariesLoaded(rows, error))
        if check_pending:
            try:
                pending = self.library.pending()
            except EXPECTED:  # the sync itself will say what is wrong
                pending = 0 if rows else 1
            except Exception as exc:  # noqa: BLE001 - logged and shown (raised in tests)
                self.unexpected("checking for new articles", exc)
                pending = 0 if rows else 1
            if pending > 0 or not rows:
                self.post(SyncNeeded(pending))
            elif not worker.is_cancelled:
                self._entities_needed()
                # open the searcher now, so the first keystroke in / is not the slow one
                try:
                    self.library.search("warmup", limit=1, snippets=False)
                except EXPECTED:
                    pass  # the first real search reports it
                except Exception as exc:  # noqa: BLE001 - logged and shown (raised in tests)
                    self.unexpected("opening the search index", exc)

    def _articles_folder(self) -> str:
        import os

        from ..safe import safe_inline

        return safe_inline(os.path.abspath(getattr(self.screen.library, "articles_dir", "articles")), 400)

    def summaries_loaded(self, message: SummariesLoaded) -> None:
        article_list = self.screen.article_list
        article_list.empty_message = INDEXING if self.syncing else f"{NO_ARTICLES} ({self._articles_folder()})"
        article_list.set_rows(message.summaries)
        # The list holds an object or more per article; left to the collector,
        # each full collection walks them all (90-130 ms at 100k articles, a
        # visible stall while typing a search). They live until the next load.
        gc.freeze()

    def show_newest(self) -> None:
        """Show the newest rows while the rest load."""
        newest, article_list = self.screen.newest, self.screen.article_list
        if article_list.total:  # shown already (by start), or every row is in
            return
        if not newest.summaries:
            self._newest_drawn.set()
            return
        article_list.set_first_rows(make_rows(newest.summaries), newest.total)
        self.screen.call_after_refresh(self._newest_drawn.set)

    # -- indexing ----------------------------------------------------------------

    def start_sync(self, pending: int = 0) -> None:
        if self.syncing:
            return
        self.syncing = True
        self._stop_entities()  # the sync needs the lock; the entities resume after it
        bar = self.screen.query_one(SyncBar)
        bar.display = True
        bar.update_label(f"Indexing {pending:,} new or changed articles…" if pending > 0 else "Indexing…")
        self.screen.article_list.empty_message = INDEXING
        self.screen.article_list.refresh()
        self.run(self._sync, group="sync")

    def _throttled(self, message: Callable[[int, int], Message], every: float) -> Callable[[int, int, str], None]:
        """A progress callback that posts ``message(done, total)`` at most every ``every`` seconds (and at the end)."""
        last = 0.0

        def progress(done: int, total: int, _where: str) -> None:
            nonlocal last
            now = monotonic()
            if now - last >= every or done >= total:
                last = now
                self.post(message(done, total))

        return progress

    def _sync(self) -> None:
        worker = get_current_worker()
        progress = self._throttled(SyncProgress, 0.05)
        try:
            two_phases = self.library.entities_after_text  # else entities come in the sync itself
            report = self.library.sync(entities=not two_phases, progress=progress, cancelled=lambda: worker.is_cancelled)
        except EXPECTED as exc:
            self.post(SyncFinished(None, f"{type(exc).__name__}: {exc}"))
        except Exception as exc:  # noqa: BLE001 - logged and shown (raised in tests)
            self.post(SyncFinished(None, self.unexpected("indexing", exc), notified=True))
        else:
            self.post(SyncFinished(report))

    def progress(self, message: SyncProgress) -> None:
        self.screen.query_one(SyncBar).update_progress(message.done, message.total)
        now = monotonic()
        if now - self._last_list_refresh >= REFRESH_DURING_SYNC:
            self._last_list_refresh = now
            self.load_summaries()

    def finished(self, message: SyncFinished) -> None:
        self.syncing = False
        self.screen.query_one(SyncBar).display = False
        if message.error:
            if not message.notified:
                self.screen.notify(message.error, title="Indexing failed", severity="error", markup=False)
        elif message.report is not None:
            report = message.report
            changes = len(report.added) + len(report.changed) + len(report.removed)
            if changes or report.skipped:
                parts = [f"{len(report.added)} added"]
                if report.changed:
                    parts.append(f"{len(report.changed)} changed")
                if report.removed:
                    parts.append(f"{len(report.removed)} removed")
                if report.skipped:
                    parts.append(f"{len(report.skipped)} skipped")
                self.screen.notify(", ".join(parts), title="Index updated", markup=False)
            if report.entities_pending:
                self.start_entities(report.entities_pending)
            self.schedule_merge()
        self.load_summaries()

    # -- entities, the second phase ------------------------------------------------

    # -- merging segments when idle ------------------------------------------------

    def schedule_merge(self) -> None:
        self.screen.set_timer(MERGE_WHEN_IDLE, self._merge_if_idle)

    def user_typing(self) -> None:
        """A keystroke in the search box: no merge now (a running one is stopped and tried later)."""
        self._last_typing = monotonic()
        if self._merge is not None and self._merge.poll() is None:
            self._merge.terminate()
            self._forget_merge()
            self.schedule_merge()

    def _merge_if_idle(self) -> None:
        if self._merge is not None or self.syncing or not self.screen.is_attached:
            return
        if monotonic() - self._last_typing < MERGE_WHEN_IDLE:
            self.schedule_merge()
            return
        try:
            if self.library.segments() <= MERGE_ABOVE:
                return
            self._merge = subprocess.Popen(  # noqa: S603 - our own interpreter and module
                self.library.merge_command(), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
        except OSError:
            return  # no merge: searches walk a few more segments
        self._merge_watch = self.screen.set_interval(0.5, self._merge_done)

    def _merge_done(self) -> None:
        merge = self._merge
        if merge is None or merge.poll() is not None:
            self._forget_merge()

    def _forget_merge(self) -> None:
        if self._merge_watch is not None:
            self._merge_watch.stop()
            self._merge_watch = None
        self._merge = None

    def stop_merge(self) -> None:
        """On quit: a merge never outlives the app (the index stays as it was)."""
        if self._merge is not None and self._merge.poll() is None:
            self._merge.terminate()
        self._merge = None

    def _entities_needed(self) -> None:
        """From a worker: start the entity phase if articles wait for their entities."""
        try:
            pending = self.library.entities_pending()
        except EXPECTED:
            return
        except Exception as exc:  # noqa: BLE001 - logged and shown (raised in tests)
            self.unexpected("checking for entities to extract", exc)
            return
        if pending:
            self.post(EntitiesNeeded(pending))

    def start_entities(self, pending: int = 0) -> None:
        if self.extracting or self.syncing:
            return
        self.extracting = True
        self.screen.sidebar.set_pending(f"Entities still coming ({pending:,} articles)…" if pending else "Entities still coming…")
        self.run(self._extract_entities, group="entities")

    def _stop_entities(self) -> None:
        if self.extracting:
            self.screen.workers.cancel_group(self.screen, "entities")
            self.extracting = False

    def _extract_entities(self) -> None:
        worker = get_current_worker()
        progress = self._throttled(EntitiesProgress, 0.25)
        try:
            report = self.library.extract_entities(progress=progress, cancelled=lambda: worker.is_cancelled)
        except EXPECTED as exc:
            self.post(EntitiesFinished(error=f"{type(exc).__name__}: {exc}"))
        except Exception as exc:  # noqa: BLE001 - logged and shown (raised in tests)
            self.post(EntitiesFinished(error=self.unexpected("extracting entities", exc)))
        else:
            if not worker.is_cancelled:
                self.post(EntitiesFinished(report.extracted, report.pending))

    def entities_progress(self, message: EntitiesProgress) -> None:
        if self.extracting:
            left = message.total - message.done
            self.screen.sidebar.set_pending(f"Entities still coming ({left:,} of {message.total:,} articles)…")

    def entities_finished(self, message: EntitiesFinished) -> None:
        self.extracting = False
        self.screen.sidebar.set_pending("")
        if message.error:
            self.screen.notify(message.error, title="Entity extraction stopped", severity="warning", markup=False)
            return
        open_id = self.screen.articles.open_id
        if open_id is not None and not self.screen.reading.mentions:
            self.screen.open_article(open_id, focus=False)  # its entities may have come in
