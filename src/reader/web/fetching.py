"""``reader fetch``: read feeds a few at a time, write each new entry once, sync once.

Per feed: a conditional GET (ETag, Last-Modified) bounded by a deadline;
then, for each entry not seen before (by id, link or content hash, across all
feeds), its article is written into ``articles/<feed>/``. An entry is marked
seen once its file is written, or once it is known not to be an article; a
transient failure (a timeout, a 503) leaves it for the next fetch. A feed that
fails is reported with its reason and touches nothing; the others go on.
Nothing here deletes or rewrites an article file.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from ..ingest import UnreadableArticle
from . import http
from .feeds import FeedError, entry_article, parse_feed
from .pages import folder_name, write_article

if TYPE_CHECKING:
    from ..bookmarks.feeds import FeedRecord
    from ..library import Library
    from ..model import SyncReport

#: Feeds read at the same time.
WORKERS = 4
#: Seconds a feed may take, its entries' pages included; what is left waits for the next fetch.
FEED_DEADLINE = 120.0


class FeedState(Protocol):
    """Where feeds and seen entries are kept (the user-state database)."""

    def feeds(self) -> list[FeedRecord]: ...
    def seen_any(self, keys: Iterable[str]) -> bool: ...
    def mark_seen(self, feed: str, keys: Iterable[str], path: str, note: str = "") -> None: ...
    def record_fetch(self, name: str, status: str, *, etag: str = "", last_modified: str = "", added: int = 0) -> None: ...


@dataclass(slots=True)
class FeedOutcome:
    """One feed's fetch: ``status`` is new, unchanged or failed."""

    name: str
    status: str = "unchanged"
    added: list[str] = field(default_factory=list)  # article file paths
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (entry title or link, reason)
    error: str = ""
    warning: str = ""
    left: int = 0  # new entries left for the next fetch (deadline reached, transient failures)

    def line(self) -> str:
        """The one line ``reader fetch`` prints for this feed."""
        if self.status == "failed":
            return f"{self.name}: failed: {self.error}"
        parts = [f"{len(self.added)} new" if self.added else "unchanged"]
        if self.skipped:
            parts.append(f"{len(self.skipped)} skipped")
        if self.left:
            parts.append(f"{self.left} left for next time")
        return f"{self.name}: " + ", ".join(parts)


class _Claims:
    """Entry keys taken by a worker in this run: the same story in two feeds is written once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._keys: set[str] = set()

    def claim(self, keys: tuple[str, ...]) -> bool:
        with self._lock:
            if self._keys.intersection(keys):
                return False
            self._keys.update(keys)
            return True


def fetch_feed(
    library: Library,
    state: FeedState,
    feed: FeedRecord,
    *,
    client: http.Client,
    claims: _Claims,
    deadline: float = FEED_DEADLINE,
) -> FeedOutcome:
    outcome = FeedOutcome(feed.name)
    started = time.monotonic()
    try:
        response = http.get(
            feed.url, etag=feed.etag, last_modified=feed.last_modified, client=client, timeout=min(deadline, http.TOTAL_TIMEOUT)
        )
        if response.not_modified:
            state.record_fetch(feed.name, "unchanged", etag=feed.etag, last_modified=feed.last_modified)
            return outcome
        parsed = parse_feed(response.content, response.url, response.content_type)
    except (http.FetchError, FeedError) as error:
        outcome.status, outcome.error = "failed", str(error)
        state.record_fetch(feed.name, f"failed: {error}", etag=feed.etag, last_modified=feed.last_modified)
        return outcome
    outcome.warning = parsed.warning
    folder = folder_name(feed.name)
    for entry in parsed.entries:
        if state.seen_any(entry.keys) or not claims.claim(entry.keys):
            continue  # written before, or by another feed in this run, or twice in this feed
        if time.monotonic() - started > deadline:
            outcome.left += 1
            continue
        label = entry.title or entry.link or "an entry"
        try:
            fetched = entry_article(entry, feed.title or feed.name, client=client)
        except http.FetchError as error:
            outcome.skipped.append((label, f"{error} (will try again)"))
            outcome.left += 1
            continue
        except UnreadableArticle as error:
            outcome.skipped.append((label, str(error)))
            state.mark_seen(feed.name, entry.keys, "", str(error))
            continue
        existing = library.articles_with_url(fetched.url) if fetched.url else []
        if existing:
            state.mark_seen(feed.name, entry.keys, existing[0][1], "already in the articles folder")
            continue
        try:
            path = write_article(library.articles_dir, fetched, folder=folder, feed=feed.name)
        except OSError as error:
            outcome.status, outcome.error = "failed", f"cannot write into {library.articles_dir} ({error.strerror or error})"
            break
        state.mark_seen(feed.name, entry.keys, path)
        outcome.added.append(path)
    if outcome.status != "failed":
        outcome.status = "new" if outcome.added else "unchanged"
    state.record_fetch(
        feed.name,
        outcome.status if outcome.status != "failed" else f"failed: {outcome.error}",
        etag=response.etag if not outcome.left else "",  # entries left over: the next GET must not be a 304
        last_modified=response.last_modified if not outcome.left else "",
        added=len(outcome.added),
    )
    return outcome


def fetch_feeds(
    library: Library,
    state: FeedState,
    names: list[str] | None = None,
    *,
    entities: bool = True,
    workers: int = WORKERS,
    progress: Callable[[int, int, str], None] | None = None,
    sync: bool = True,
    deadline: float = FEED_DEADLINE,
) -> tuple[list[FeedOutcome], SyncReport | None, list[str]]:
    """Fetch every feed (or the named ones), then one sync (unless ``sync=False``:
    the app runs its own, with progress). ``workers`` feeds at a time, each within
    ``deadline`` seconds (the config file's ``[feeds]`` concurrency and timeout).

    Returns the outcomes in feed order, the sync report (None when nothing
    was written or no sync was asked for) and the names asked for that are
    not feeds. ``progress(done, total, name)`` is called as each feed ends.
    """
    feeds = state.feeds()
    unknown: list[str] = []
    if names:
        by_name = {feed.name.casefold(): feed for feed in feeds}
        unknown = [name for name in names if name.casefold() not in by_name]
        feeds = [by_name[name.casefold()] for name in dict.fromkeys(names) if name.casefold() in by_name]
    claims = _Claims()
    done = 0
    lock = threading.Lock()

    def one(feed: FeedRecord) -> FeedOutcome:
        nonlocal done
        outcome = fetch_feed(library, state, feed, client=client, claims=claims, deadline=deadline)
        with lock:
            done += 1
            if progress:
                progress(done, len(feeds), feed.name)
        return outcome

    with http.new_client() as client, ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        outcomes = list(pool.map(one, feeds))
    written = any(outcome.added for outcome in outcomes)
    report = library.sync(entities=entities) if written and sync else None
    return outcomes, report, unknown
