"""Notice files arriving in the articles folder while the app is open.

A fetch from the shell, a page saved from the browser or a sync tool drops
files into ``articles/``; the app should show them without a restart. The
watcher is watchfiles (the Rust ``notify`` crate: inotify, FSEvents or
ReadDirectoryChangesW, one kernel watch per folder, so 100k files cost no
polling), debounced so a burst of writes is one sync, and filtered to names
that can be articles. It only calls ``on_change``; the caller syncs (in a
worker, never on the UI thread).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path

from .ingest import ARTICLE_SUFFIXES

#: Milliseconds of quiet after a change before ``on_change`` is called.
DEBOUNCE_MS = 1000


def is_article_change(path: str) -> bool:
    """A change worth a sync: an article file, or a folder (a moved-in folder of articles)."""
    name = os.path.basename(path)
    if not name or name.startswith("."):  # hidden: editors' swap files, our own temporary files
        return False
    parts = Path(path).parts
    if any(part.startswith(".") for part in parts[-4:-1]):
        return False
    return name.lower().endswith(ARTICLE_SUFFIXES) or "." not in name


class ArticlesWatcher:
    """Calls ``on_change(paths)`` from a background thread after changes settle.

    ``stop()`` ends the thread within about ``step`` milliseconds.
    """

    def __init__(
        self,
        root: str | os.PathLike[str],
        on_change: Callable[[set[str]], None],
        *,
        debounce_ms: int = DEBOUNCE_MS,
        force_polling: bool | None = None,
    ) -> None:
        self.root = Path(root)
        self.on_change = on_change
        self.debounce_ms = debounce_ms
        self.force_polling = force_polling
        self.error = ""  # why watching stopped, when it did by itself
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> ArticlesWatcher:
        self._thread = threading.Thread(target=self._run, name="reader-articles-watcher", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _run(self) -> None:
        from watchfiles import watch

        try:
            for changes in watch(
                self.root,
                watch_filter=lambda _change, path: is_article_change(path),
                debounce=self.debounce_ms,
                step=50,
                stop_event=self._stop,
                raise_interrupt=False,
                force_polling=self.force_polling,
                ignore_permission_denied=True,
            ):
                if self._stop.is_set():
                    break
                self.on_change({path for _change, path in changes})
        except (OSError, RuntimeError) as error:  # the folder vanished, too many watches …
            self.error = f"stopped watching {self.root}: {error}"
