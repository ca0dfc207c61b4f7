"""The article list's first rows, read before the app is up (no Textual here)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from ..model import ArticleSummary
from .problems import EXPECTED, unexpected

#: Rows read on their own at start-up, so the list draws before all 100k are in (a tall screen's worth).
FIRST_ROWS = 200


class NewestRows:
    """The list's first rows, read in a thread from the moment the app is made.

    Reading and cleaning 100k rows takes most of a second; the first screen
    needs a few dozen, which one query finds in ~30 ms (``newest_articles``)
    while Textual is still setting up. Libraries without that method load
    everything, as before.
    """

    def __init__(self, library: Any) -> None:
        self.summaries: list[ArticleSummary] = []
        self.total = 0
        self._done = threading.Event()
        newest = getattr(library, "newest_articles", None)
        if newest is None:
            self._done.set()
        else:
            threading.Thread(target=self._read, args=(newest,), name="reader-newest", daemon=True).start()

    def _read(self, newest: Callable[[int], tuple[list[ArticleSummary], int]]) -> None:
        try:
            summaries, self.total = newest(FIRST_ROWS)
            # in path order, as articles() gives them, so the list's sort orders equal dates the same way
            summaries.sort(key=lambda summary: summary.path)
            self.summaries = summaries
        except EXPECTED:
            pass  # the full load says what is wrong
        except Exception as exc:  # noqa: BLE001 - a bug: logged; the full load still runs
            unexpected(None, "reading the newest articles", exc)
        finally:
            self._done.set()

    def wait(self, timeout: float | None = None) -> bool:
        return self._done.wait(timeout)
