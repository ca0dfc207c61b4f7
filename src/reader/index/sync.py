"""Incremental sync of the articles folder into the index.

A no-change sync is one stat walk compared with the catalog. Changed files
are re-read, and re-analysed only when their content hash changed. Work is
committed in batches, Whoosh first and the catalog second, so a sync killed
at any point leaves an index that opens in the old or new state of each
batch, and the next sync finishes the job (documents are written with
``update_document`` so a retried batch never duplicates one).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from ..ingest import ArticleFile, UnreadableArticle, read_article, scan_articles
from ..model import Article, Mention, Skipped, SyncReport
from .schema import ENTITY_FIELDS

BATCH_SIZE = 2000
WRITER_TIMEOUT = 60.0  # seconds to wait for another process's writer to finish


class ArticlesFolderMissing(FileNotFoundError):
    pass


def _unchanged(state, file: ArticleFile) -> bool:
    return state is not None and state[0] == file.size and state[1] == file.mtime_ns


def plan(store, articles_dir: Path):
    """What a sync would do: (to_read, removed, known_skips, problems, unchanged)."""
    if not articles_dir.is_dir():
        raise ArticlesFolderMissing(f"articles folder not found: {articles_dir}")
    problems: list = []
    files = list(scan_articles(articles_dir, problems=problems))
    states = store.catalog.file_states()
    skips = store.catalog.skipped_states()
    to_read, known_skips, seen = [], [], set()
    unchanged = 0
    for file in files:
        seen.add(file.relpath)
        state = states.get(file.relpath)
        if state is not None and _unchanged(state[1:3], file):
            unchanged += 1
        elif state is None and _unchanged(skips.get(file.relpath), file):
            known_skips.append(Skipped(file.relpath, skips[file.relpath][2]))
        else:
            to_read.append(file)
    removed = [(path, state[0]) for path, state in states.items() if path not in seen]
    vanished_skips = [path for path in skips if path not in seen]
    return to_read, removed, known_skips, problems, unchanged, states, vanished_skips


def count_pending(store, articles_dir: Path) -> int:
    try:
        to_read, removed, *_ = plan(store, Path(articles_dir))
    except ArticlesFolderMissing:
        return 0
    return len(to_read) + len(removed)


def entity_fields(mentions: tuple[Mention, ...]) -> dict[str, str]:
    """Whoosh field text per entity kind: each canonical name once."""
    names: dict[str, dict[str, None]] = {kind: {} for kind in ENTITY_FIELDS}
    for mention in mentions:
        kind = mention.kind if mention.kind in names else None
        if kind:
            names[kind][mention.canonical] = None
    return {kind: " | ".join(values) for kind, values in names.items() if values}


def entity_rows(article: Article):
    if not article.mentions:
        return []
    from ..entities import corpus_key

    counts: Counter = Counter()
    for mention in article.mentions:
        counts[(corpus_key(mention.kind, mention.canonical), mention.kind, mention.canonical)] += 1
    return [(article.id, key, kind, name, n) for (key, kind, name), n in counts.items()]


def _document(article: Article) -> dict:
    doc = {
        "id": article.id,
        "title": article.title,
        "body": article.body,
        "authors": " | ".join(article.authors),
        "source": article.source,
        "tags": ",".join(article.tags),
        "hash": article.content_hash,
    }
    if article.date:
        doc["date"] = article.date
    doc.update(entity_fields(article.mentions))
    return {key: value for key, value in doc.items() if value}


def sync_library(
    store,
    articles_dir: Path,
    *,
    rebuild: bool = False,
    entities: bool = True,
    progress: Callable[[int, int, str], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    batch_size: int = BATCH_SIZE,
) -> SyncReport:
    started = time.perf_counter()
    articles_dir = Path(articles_dir)
    if rebuild:
        if not articles_dir.is_dir():
            raise ArticlesFolderMissing(f"articles folder not found: {articles_dir}")
        store.reset()
    to_read, removed, known_skips, problems, unchanged, states, vanished = plan(store, articles_dir)
    report = SyncReport(unchanged=unchanged)
    report.skipped.extend(Skipped(path, reason) for path, reason in problems)
    report.skipped.extend(known_skips)
    if not to_read and not removed and store.exists():
        if vanished:
            with store.catalog.transaction() as catalog:
                for path in vanished:
                    catalog.forget_skipped(path)
        report.seconds = time.perf_counter() - started
        return report

    index = store.whoosh_index()
    fresh = index.doc_count_all() == 0
    extractor = None
    claimed_ids = {state[0]: path for path, state in states.items()}
    total = len(to_read) + len(removed)
    done = 0

    # Deletions first, in their own small commit.
    if removed:
        writer = index.writer(timeout=WRITER_TIMEOUT)
        for _path, article_id in removed:
            writer.delete_by_term("id", article_id)
        writer.commit()
        with store.catalog.transaction() as catalog:
            for path, article_id in removed:
                catalog.remove(article_id)
                claimed_ids.pop(article_id, None)
                report.removed.append(path)
            for path in vanished:
                catalog.forget_skipped(path)
        done += len(removed)
        if progress:
            progress(done, total, "")

    for start in range(0, len(to_read), batch_size):
        if cancelled and cancelled():
            break
        batch = to_read[start : start + batch_size]
        parsed: list[tuple[ArticleFile, Article]] = []
        touched: list[tuple[str, ArticleFile]] = []
        skipped: list[tuple[ArticleFile, str]] = []
        for file in batch:
            try:
                article = read_article(file)
            except UnreadableArticle as error:
                skipped.append((file, str(error)))
                continue
            except Exception as error:  # noqa: BLE001 - one bad file must never stop a sync
                skipped.append((file, f"could not be parsed ({type(error).__name__}: {error})"))
                continue
            owner = claimed_ids.get(article.id)
            if owner is not None and owner != file.relpath:
                skipped.append((file, f"same article id as {owner}"))
                continue
            claimed_ids[article.id] = file.relpath
            state = states.get(file.relpath)
            if state is not None and state[3] == article.content_hash:
                touched.append((article.id, file))
            else:
                parsed.append((file, article))

        if entities and parsed:
            if extractor is None:
                from ..entities import load_extractor

                extractor = load_extractor()
                report.entity_extractor = extractor.name
            from ..entities import recommended_processes

            processes = recommended_processes(len(parsed))
            texts = [article.body for _file, article in parsed]
            extracted = extractor.extract(texts, n_process=processes)
            parsed = [
                (file, _with_mentions(article, mentions))
                for (file, article), mentions in zip(parsed, extracted, strict=True)
            ]

        if parsed:
            writer = index.writer(timeout=WRITER_TIMEOUT, limitmb=256)
            for file, article in parsed:
                if fresh and file.relpath not in states:
                    writer.add_document(**_document(article))
                else:
                    writer.update_document(**_document(article))
            writer.commit()
        with store.catalog.transaction() as catalog:
            for file, article in parsed:
                catalog.put(article, file.size, file.mtime_ns, report.entity_extractor, entity_rows(article))
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
    report.seconds = time.perf_counter() - started
    return report


def _with_mentions(article: Article, mentions: list[Mention]) -> Article:
    from dataclasses import replace

    return replace(article, mentions=tuple(mentions))
