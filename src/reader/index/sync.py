"""Incremental sync of the articles folder into the index.

A no-change sync is one stat walk compared with the catalog (or, when the
last sync finished and nothing has touched the catalog or the folder since,
with that sync's memo: see sync_memo.py). Changed files
are re-read, and re-analysed only when their content hash changed. Work is
committed in batches, Whoosh first and the catalog second, so a sync killed
at any point leaves an index that opens in the old or new state of each
batch, and the next sync finishes the job (documents are written with
``update_document`` so a retried batch never duplicates one; documents the
catalog does not know are found by comparing counts and removed).

One sync at a time per index folder (an OS lock that dies with its process);
an index found damaged or of another version is rebuilt from the articles.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ArticlesFolderEmpty, ArticlesFolderMissing, IndexBusy, IndexCorrupt, IndexProblem
from ..ingest import ArticleFile, UnreadableArticle, read_article, scan_articles
from ..model import Article, Skipped, SyncReport
from .catalog import EntityCountRow
from .merging import MAX_SEGMENTS as MAX_SEGMENTS  # re-exported (tests)
from .merging import merge_smallest
from .schema import SCHEMA_VERSION
from .sync_memo import SyncMemo, listing_digest
from .sync_memo import forget as forget_memo
from .sync_memo import remember as remember_sync

if TYPE_CHECKING:
    from .store import IndexStore

#: progress(done, total, path) while syncing; total is known up front.
Progress = Callable[[int, int, str], None]

BATCH_SIZE = 10_000  # the largest batch; the first ones are smaller (see _batches)
#: Batches with at least this many articles to write go through the bulk segment writer (bulk_writer.py).
BULK_MIN = 200
WRITER_TIMEOUT = 60.0  # seconds to wait for another process's sync to finish


def _unchanged(state: tuple[int, int] | tuple[int, int, str] | None, file: ArticleFile) -> bool:
    return state is not None and state[0] == file.size and state[1] == file.mtime_ns


#: The reason a file is skipped for sharing its id with an indexed file (the rival's path follows).
SAME_ID_AS = "same article id as "


def _still_skipped(skip: tuple[int, int, str], file: ArticleFile) -> bool:
    """A recorded skip holds while the file is unchanged; a permission problem only while it lasts
    (``chmod`` changes neither the size nor the mtime)."""
    if not _unchanged(skip, file):
        return False
    return skip[2] != "permission denied" or not os.access(file.path, os.R_OK)


@dataclass
class Plan:
    """What a sync would do, from one stat walk compared with the catalog."""

    to_read: list[ArticleFile]
    removed: list[tuple[str, str]]  # (path, id) of indexed files that are gone
    known_skips: list[Skipped]  # skipped before and not changed since
    problems: list[tuple[str, str]]  # (path, reason) found while walking
    unchanged: int
    states: dict[str, tuple[str, int, int, str]]  # the catalog's path -> (id, size, mtime_ns, hash)
    vanished_skips: list[str]  # skipped files that are gone
    files: int  # article files found
    listing: str = ""  # the digest of the stat walk (sync_memo.listing_digest)


def plan(store: IndexStore, articles_dir: Path, *, verify: bool = False) -> Plan:
    """What a sync would do. ``verify``: read every file again, whatever its stat says.

    A file skipped for sharing its id with another comes back once that
    rival is no longer indexed (deleted, or renamed away).
    """
    if not articles_dir.is_dir():
        raise ArticlesFolderMissing(f"articles folder not found: {articles_dir}")
    problems: list[tuple[str, str]] = []
    files = list(scan_articles(articles_dir, problems=problems))
    listing = listing_digest(articles_dir, files, problems)
    if not verify:
        memo = SyncMemo.read(store.index_dir)
        if memo is not None and memo.listing == listing and store.exists() and memo.describes(store.folder.catalog_path):
            unchanged_plan = _as_last_synced(store, files, problems, listing)
            if unchanged_plan is not None:
                return unchanged_plan
    states = store.catalog.file_states()
    skips = store.catalog.skipped_states()
    seen = {file.relpath for file in files}
    to_read: list[ArticleFile] = []
    known_skips: list[Skipped] = []
    unchanged = 0
    for file in files:
        state = states.get(file.relpath)
        skip = skips.get(file.relpath)
        if verify:
            to_read.append(file)
        elif state is not None and _unchanged(state[1:3], file):
            unchanged += 1
        elif state is None and skip is not None and _still_skipped(skip, file) and not _rival_left(skip[2], states, seen):
            known_skips.append(Skipped(file.relpath, skip[2]))
        else:
            to_read.append(file)
    removed = [(path, state[0]) for path, state in states.items() if path not in seen]
    vanished_skips = [path for path in skips if path not in seen]
    return Plan(to_read, removed, known_skips, problems, unchanged, states, vanished_skips, len(files), listing)


def _as_last_synced(
    store: IndexStore, files: list[ArticleFile], problems: list[tuple[str, str]], listing: str
) -> Plan | None:
    """The plan when the folder and the catalog are as the last finished sync left them: nothing to do.

    None when a file skipped for a permission problem has become readable
    (a ``chmod`` changes neither size nor mtime, so the listing cannot show it).
    """
    skips = store.catalog.skipped_states()
    known_skips: list[Skipped] = []
    if skips:
        for file in files:
            skip = skips.get(file.relpath)
            if skip is None:
                continue
            if not _still_skipped(skip, file):
                return None
            known_skips.append(Skipped(file.relpath, skip[2]))
    return Plan([], [], known_skips, problems, len(files) - len(known_skips), {}, [], len(files), listing)


def _rival_left(reason: str, states: dict[str, tuple[str, int, int, str]], seen: set[str]) -> bool:
    """For a file skipped for its id: whether the file that held the id is no longer indexed."""
    if not reason.startswith(SAME_ID_AS):
        return False
    rival = reason[len(SAME_ID_AS) :]
    return rival not in states or rival not in seen


def count_pending(store: IndexStore, articles_dir: Path) -> int:
    try:
        planned = plan(store, Path(articles_dir))
    except ArticlesFolderMissing:
        return 0
    return len(planned.to_read) + len(planned.removed)


def _refuse_emptying(store: IndexStore, articles_dir: Path) -> None:
    """An articles folder with no article while the index has some: an unmounted disk, most likely.

    Syncing would drop every article and orphan every bookmark, so it takes
    ``allow_empty`` (``reader index --allow-empty``).
    """
    if next(iter(scan_articles(articles_dir)), None) is not None:
        return
    try:
        indexed = store.catalog.count()
    except IndexProblem:
        return  # a damaged catalog: nothing in it to keep
    if indexed:
        raise ArticlesFolderEmpty(
            f"the articles folder {articles_dir} has no articles but the index has {indexed}: not removing them all"
            " (is a disk not mounted?); `reader index --allow-empty` empties the index"
        )


def entity_rows(article: Article) -> list[EntityCountRow]:
    if not article.mentions:
        return []
    from ..entities import corpus_key, titled_name
    from .entity_ranking import fold_name, in_headline, lede_end

    named = in_headline(article, fold_name)
    lede = lede_end(article.body)
    counts: Counter[tuple[str, str, str]] = Counter()
    in_lede: Counter[tuple[str, str, str]] = Counter()
    headline: dict[tuple[str, str, str], int] = {}
    for mention in article.mentions:
        name = mention.canonical
        if mention.kind == "person" and " " not in name:
            # "Mr. Trump" kept as written: the evidence that lets a lone surname join a full name
            name = titled_name(article.body, mention.start, name)
        row = (corpus_key(mention.kind, mention.canonical), mention.kind, name)
        counts[row] += 1
        in_lede[row] += mention.start < lede
        headline[row] = int((mention.kind, mention.canonical) in named)
    return [(article.id, *row, n, in_lede[row], headline[row]) for row, n in counts.items()]


def _document(article: Article) -> dict[str, str]:
    doc = {
        "id": article.id,
        "title": article.title,
        "body": article.body,
        "title_exact": article.title,
        "body_exact": article.body,
        "authors": " | ".join(article.authors),
        "source": article.source,
        "tags": ",".join(article.tags),
    }
    if article.date:
        doc["date"] = article.date
    return {key: value for key, value in doc.items() if value}


def sync_library(
    store: IndexStore,
    articles_dir: Path,
    *,
    rebuild: bool = False,
    entities: bool = True,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    batch_size: int | None = None,
    timeout: float | None = None,
    verify: bool = False,
    allow_empty: bool = False,
) -> SyncReport:
    """Bring the index up to date; raises :class:`IndexProblem` subclasses with one line.

    Waits up to ``timeout`` (default :data:`WRITER_TIMEOUT`) for another
    process's sync, then raises IndexBusy. A damaged index, or one of another
    schema version, is rebuilt (said in ``report.warnings``); so is one found
    damaged half-way. Write failures (disk full, read-only folder) raise
    IndexWriteError and leave the last committed state readable. ``verify``
    reads every file (a change that kept size and mtime is otherwise not
    seen); an articles folder with no article empties a non-empty index only
    with ``allow_empty`` (else ArticlesFolderEmpty).
    """
    started = time.perf_counter()
    articles_dir = Path(articles_dir)
    if not articles_dir.is_dir():
        raise ArticlesFolderMissing(f"articles folder not found: {articles_dir}")
    with store.writing(WRITER_TIMEOUT if timeout is None else timeout):
        if not allow_empty:
            _refuse_emptying(store, articles_dir)
        store.remove_leftovers()
        warnings = []
        # Checked afresh: a long-lived process (the app) may have checked long
        # ago, before another process changed or damaged the index.
        # SQLite's full-file check reads the whole catalog (~15 s at 1M articles):
        # not again while the catalog is the one the last finished sync left.
        memo = SyncMemo.read(store.index_dir)
        trusted = memo is not None and memo.describes(store.folder.catalog_path)
        problem = store.problem(fresh=True) or ("" if trusted else store.catalog.check())
        if problem:
            warnings.append(f"index rebuilt from the articles folder: {problem}")
            store.reset(hard=True)
        elif rebuild:
            store.reset()
        run = _Run(store, articles_dir, progress, cancelled, batch_size or BATCH_SIZE, started, verify)
        try:
            report = _sync(run)
        except IndexCorrupt as error:  # damage that only showed while writing
            if problem:
                raise
            warnings.append(f"index rebuilt from the articles folder: {error}")
            store.reset(hard=True)
            report = _sync(run)
        if run.listing and not (cancelled and cancelled()):  # the next no-change sync is cheap (sync_memo.py)
            remember_sync(store, run.listing)
    report.warnings[:0] = warnings
    report.searchable_seconds = time.perf_counter() - started
    if entities and not (cancelled and cancelled()):
        from .entity_phase import extract_pending

        phase = extract_pending(store, cancelled=cancelled, timeout=WRITER_TIMEOUT if timeout is None else timeout)
        report.entity_extractor = phase.extractor
        report.entities_extracted, report.entity_seconds = phase.extracted, phase.seconds
    report.entities_pending = store.catalog.count_entities_pending() if store.exists() else 0
    report.seconds = time.perf_counter() - started
    return report


FIRST_BATCH = 100


_REPORT_EVERY = 500  # articles written between progress reports and cancel checks inside a batch


class _Cancelled(BaseException):
    """Leaves a batch being written (BaseException: a cancel is not damage to check for)."""


def _batches(count: int, largest: int) -> Iterator[tuple[int, int]]:
    """(start, end) of each batch: small at first, doubling up to ``largest``.

    The first articles of a big first index reach the app's list (and the
    progress bar, and a cancel request) within a second or two, while later
    batches are large enough to keep Whoosh's per-commit cost down.
    """
    start, size = 0, min(FIRST_BATCH, largest)
    while start < count:
        yield start, min(count, start + size)
        start += size
        size = min(size * 2, largest)


@dataclass
class _Run:
    store: IndexStore
    articles_dir: Path
    progress: Progress | None
    cancelled: Callable[[], bool] | None
    batch_size: int
    started: float
    verify: bool
    listing: str = ""  # the digest of the last plan's stat walk, for the memo


def _sync(run: _Run) -> SyncReport:
    store, progress, cancelled = run.store, run.progress, run.cancelled
    if store.exists():
        _reconcile(store)
    planned = plan(store, run.articles_dir, verify=run.verify)
    to_read, removed, states, vanished = planned.to_read, planned.removed, planned.states, planned.vanished_skips
    run.listing = planned.listing
    report = SyncReport(unchanged=planned.unchanged)
    report.skipped.extend(Skipped(path, reason) for path, reason in planned.problems)
    report.skipped.extend(planned.known_skips)
    if not to_read and not removed and store.exists():
        if vanished:
            with store.catalog.transaction() as catalog:
                for path in vanished:
                    catalog.forget_skipped(path)
        report.seconds = time.perf_counter() - run.started
        return report

    forget_memo(store.index_dir)  # written again when this sync finishes
    index = store.whoosh_index()
    if not store.catalog.meta("schema_version"):  # a first sync killed between creating and noting it
        with store.catalog.transaction() as catalog:
            catalog.set_meta("schema_version", str(SCHEMA_VERSION))
    fresh = index.doc_count_all() == 0
    claimed_ids = {state[0]: path for path, state in states.items()}  # id -> the path that holds it
    total = len(to_read) + len(removed)
    done = 0

    # Deletions first, in their own small commit.
    if removed:
        with _writer(store, index) as writer:
            for _path, article_id in removed:
                writer.delete_by_term("id", article_id)
        with store.catalog.transaction() as catalog:
            for path, article_id in removed:
                catalog.remove(article_id)
                claimed_ids.pop(article_id, None)
                report.removed.append(path)
            for path in vanished:
                catalog.forget_skipped(path)
        store.invalidate()
        done += len(removed)
        if progress:
            progress(done, total, "")

    for start, end in _batches(len(to_read), run.batch_size):
        if cancelled and cancelled():
            break
        batch = to_read[start:end]
        parsed: list[tuple[ArticleFile, Article]] = []
        touched: list[tuple[str, ArticleFile]] = []
        skipped: list[tuple[ArticleFile, str]] = []
        for file in batch:
            notes: list[str] = []
            try:
                article = read_article(file, notes=notes)
            except UnreadableArticle as error:
                skipped.append((file, str(error)))
                continue
            except Exception as error:  # noqa: BLE001 - one bad file must never stop a sync
                skipped.append((file, f"could not be parsed ({type(error).__name__}: {error})"))
                continue
            report.warnings.extend(f"{file.relpath}: {note}" for note in notes)
            owner = claimed_ids.get(article.id)
            if owner is not None and owner != file.relpath:
                skipped.append((file, f"{SAME_ID_AS}{owner}"))
                continue
            claimed_ids[article.id] = file.relpath
            state = states.get(file.relpath)
            if state is not None and state[3] == article.content_hash:
                touched.append((article.id, file))
            else:
                parsed.append((file, article))

        if parsed:
            bulk = len(parsed) >= BULK_MIN
            try:
                with _writer(store, index, bulk=bulk, limitmb=256) as writer:
                    for number, (file, article) in enumerate(parsed, 1):
                        if fresh and file.relpath not in states:
                            writer.add_document(**_document(article))
                        else:
                            writer.update_document(**_document(article))
                        if number % _REPORT_EVERY == 0:
                            if cancelled and cancelled():
                                raise _Cancelled
                            if progress:  # a big batch takes seconds: keep the bar moving
                                progress(done + number * len(batch) // len(parsed) // 2, total, file.relpath)
            except _Cancelled:
                break  # this batch is dropped whole; the next sync does it again
        with store.catalog.transaction() as catalog:
            for file, article in parsed:
                catalog.put(article, file.size, file.mtime_ns, "", [])  # entities to come: entity_phase.py
                (report.changed if file.relpath in states else report.added).append(file.relpath)
            for article_id, file in touched:
                catalog.touch(article_id, file.size, file.mtime_ns)
                report.unchanged += 1
            for file, reason in skipped:
                catalog.mark_skipped(file.relpath, file.size, file.mtime_ns, reason)
                report.skipped.append(Skipped(file.relpath, reason))
        store.invalidate()
        done += len(batch)
        if progress:
            progress(done, total, batch[-1].relpath)
    report.seconds = time.perf_counter() - run.started
    return report


@contextmanager
def _writer(store: IndexStore, index: Any, mergetype: Any = None, *, bulk: bool = False, **options: Any) -> Iterator[Any]:
    """A Whoosh writer committed at the end, cancelled (releasing its lock) on any error.

    ``bulk``: the bulk segment writer (bulk_writer.py), which writes the same
    segment as Whoosh's own many times faster, for a batch of many articles.

    OSError (disk full, read-only) becomes IndexWriteError; anything else is
    checked against the index on disk and becomes IndexCorrupt when a
    segment turns out to be damaged.
    """
    from whoosh.index import LockError

    from .folder import write_error
    from .whoosh_patches import fast_flush_lengths, freed_memory_kept

    fast_flush_lengths()
    try:
        if bulk:
            from .bulk_writer import BulkSegmentWriter, supports

            bulk = supports(index)
        writer = BulkSegmentWriter(index, timeout=WRITER_TIMEOUT) if bulk else index.writer(timeout=WRITER_TIMEOUT, **options)
    except LockError:
        raise IndexBusy(f"the search index in {store.search_dir} is locked by another writer; try again later") from None
    except OSError as error:
        raise write_error(error, store.search_dir) from None
    try:
        with freed_memory_kept():
            yield writer
            writer.commit(mergetype=mergetype or merge_smallest)
    except BaseException as error:
        try:
            writer.cancel()
        except Exception:  # noqa: BLE001 - the writer is already broken
            pass
        if isinstance(error, OSError):
            raise write_error(error, store.search_dir) from None
        if isinstance(error, Exception):
            damage = store.verify_search_index()
            if damage:
                raise IndexCorrupt(damage) from None
        raise
    store.record_fingerprint(index)


def _reconcile(store: IndexStore) -> None:
    """Make the search index hold each catalog article exactly once.

    Cheap when the two counts agree. They differ after a sync was killed
    between its Whoosh commit and its catalog commit (documents the catalog
    does not know, which stay hidden from results and are deleted here), or
    when a document is missing or doubled; such articles leave the catalog
    so this sync reads them again.
    """
    index = store.whoosh_index()
    if index.doc_count() == store.catalog.count():  # ids are the catalog's primary key
        return
    known = {state[0] for state in store.catalog.file_states().values()}
    with index.reader() as reader:
        counts = Counter(fields.get("id") for fields in reader.all_stored_fields())
    stray = [article_id for article_id in counts if article_id not in known]
    doubled = [article_id for article_id, n in counts.items() if n > 1 and article_id in known]
    missing = [article_id for article_id in known if article_id not in counts]
    if stray or doubled:
        with _writer(store, index) as writer:
            for article_id in (*stray, *doubled):
                if article_id is not None:
                    writer.delete_by_term("id", article_id)
    if doubled or missing:
        with store.catalog.transaction() as catalog:
            for article_id in (*doubled, *missing):
                catalog.remove(article_id)
    store.invalidate()
