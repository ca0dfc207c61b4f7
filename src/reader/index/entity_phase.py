"""The second phase of indexing: entities for articles whose text is already searchable.

A sync makes the text searchable first (``sync.py``, about ten times faster
than extracting entities) and leaves each new or changed article's catalog row
with no extractor: its entities are still to come. This phase finds those rows,
extracts their entities in worker processes and writes them in chunks, each
under the sync lock for as long as its writes take, so a sync (or a quit) never
waits long for it. A chunk lands whole or not at all: an interrupted phase
leaves the rest pending, and the next sync, ``reader index`` or app start picks
them up where it stopped. Nothing is re-read from the articles folder.

Each chunk writes into the catalog only: the mentions and entity counts (the
sidebar, entity lists and pages read them there) and the names that
``person:``/``org:``/… search (``entity_search.py``). The Whoosh index is not
touched: the text index is never written twice. An article changed by a sync
while its entities were being extracted is left pending for the next round.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from ..model import Article, EntityReport, Mention

if TYPE_CHECKING:
    from .store import IndexStore

#: progress(done, total, article id) while extracting; total is known up front.
Progress = Callable[[int, int, str], None]

#: The first chunk is small (entities reach the sidebar within seconds), then chunks
#: double up to this many articles per commit (fewer Whoosh segments to merge).
LARGEST_CHUNK = 2000
FIRST_CHUNK = 100
#: Seconds to wait for the sync lock before each chunk.
LOCK_TIMEOUT = 60.0
#: Extracted articles between two looks at ``cancelled``.
_CHECK_EVERY = 25


class _Cancelled(BaseException):
    """Leaves a chunk being extracted (BaseException: not damage to check for)."""


def extract_pending(
    store: IndexStore,
    *,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    timeout: float = LOCK_TIMEOUT,
) -> EntityReport:
    """Extract and write the entities of every article that has none yet."""
    started = time.perf_counter()
    report = EntityReport()
    if not store.exists():
        return report
    total = store.catalog.count_entities_pending()
    if not total:
        return report
    from ..entities import load_extractor, recommended_processes

    extractor = load_extractor()
    report.extractor = extractor.name
    done = 0
    chunk = FIRST_CHUNK
    failed: set[str] = set()  # changed while extracting: skipped this round
    try:
        while not (cancelled and cancelled()):
            ids = [i for i in store.catalog.entities_pending(chunk + len(failed)) if i not in failed][:chunk]
            if not ids:
                break
            articles = [article for article in map(store.catalog.article, ids) if article is not None]
            extracted = extractor.extract((a.body for a in articles), n_process=recommended_processes(len(articles)))
            with_mentions = _collect(articles, extracted, cancelled)
            written = _write(store, with_mentions, extractor.name, timeout)
            failed.update(a.id for a in articles if a.id not in written)
            report.extracted += len(written)
            done += len(articles)
            if progress:
                progress(min(done, total), total, ids[-1])
            chunk = min(chunk * 2, LARGEST_CHUNK)
    except _Cancelled:
        pass
    report.cancelled = bool(cancelled and cancelled())
    report.pending = store.catalog.count_entities_pending()
    report.seconds = time.perf_counter() - started
    return report


def _collect(articles: list[Article], extracted: Iterator[list[Mention]], cancelled: Callable[[], bool] | None) -> list[Article]:
    """Each article with its mentions; raises _Cancelled between articles when asked
    (closing ``extracted`` stops its worker processes)."""
    from dataclasses import replace

    out: list[Article] = []
    try:
        for number, (article, mentions) in enumerate(zip(articles, extracted, strict=True), 1):
            out.append(replace(article, mentions=tuple(mentions)))
            if number % _CHECK_EVERY == 0 and cancelled and cancelled():
                raise _Cancelled
    finally:
        close = getattr(extracted, "close", None)
        if close is not None:
            close()
    return out


def _write(store: IndexStore, articles: list[Article], extractor: str, timeout: float) -> set[str]:
    """Write one chunk into the catalog; the ids written (articles a sync changed meanwhile are not)."""
    from .entity_search import entity_text
    from .sync import entity_rows
    from .sync_memo import kept_across

    analyze = store.schema["person"].analyzer
    texts = {article.id: entity_text(article.mentions, analyze) for article in articles}
    written: set[str] = set()
    with store.writing(timeout), kept_across(store):  # entities change no file state
        with store.catalog.transaction() as catalog:
            for article in articles:
                rows = entity_rows(article)
                if catalog.set_entities(article.id, article.content_hash, article.mentions, extractor, rows, texts[article.id]):
                    written.add(article.id)
        store.forget_cached_results()
    return written
