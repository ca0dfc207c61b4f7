"""Indexing an articles folder into the cluster: incremental, in bulk, in parts.

The same rule as the Whoosh sync: a file whose size and mtime match what the
index holds is not read; one that is read is re-analysed (NER included, on
this machine) only when its content hash changed. What changed goes in bulk
requests; deleted files are deleted. Documents are written with their article
id as ``_id``, so a retried request never duplicates one, and a document's
hash is written with it, so an article that did not make it (a node died, the
cluster refused) is simply picked up by the next sync: nothing is lost.

``rebuild`` (or an index of another mapping version) builds a new index beside
the current one and switches the alias in one atomic request when it is
complete: searches never see a half-built index. ``part=(i, n)`` handles only
the articles whose id hashes to part ``i`` of ``n`` (deletions too), so ``n``
machines can index one corpus together.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from ..backend import part_of
from ..errors import ArticlesFolderEmpty, ArticlesFolderMissing
from ..index.schema import ENTITY_FIELDS
from ..index.sync import entity_rows
from ..ingest import ArticleFile, UnreadableArticle, read_article, scan_articles
from ..model import Article, Skipped, SyncReport
from .config import BackendUnavailable
from .mapping import MAPPING_VERSION, WORD_FIELDS, index_body, terms_field, words_field
from .store import OpenSearchStore

BATCH = 200  # articles per bulk request: a few MB of text
SHARDS = 2
REPLICAS = 1
_GENERATION = re.compile(r"-g(\d+)$")
_STATE_FIELDS = ["id", "path", "content_hash", "size", "mtime_ns"]


_File = TypeVar("_File")


class EntityPass:
    """Entity mentions for a sync's batches: NER runs where the indexing runs, before the
    articles are sent (a cluster's documents carry their mentions); the extractor is loaded
    by the first batch that needs one, and named in the report."""

    def __init__(self, report: SyncReport) -> None:
        self.report = report
        self._extractor: Any = None

    def add_mentions(self, parsed: list[tuple[_File, Article]]) -> list[tuple[_File, Article]]:
        if not parsed:
            return parsed
        from dataclasses import replace

        from ..entities import load_extractor, recommended_processes

        if self._extractor is None:
            self._extractor = load_extractor()
            self.report.entity_extractor = self._extractor.name
        texts = [article.body for _file, article in parsed]
        extracted = self._extractor.extract(texts, n_process=recommended_processes(len(parsed)))
        return [(file, replace(article, mentions=tuple(found))) for (file, article), found in zip(parsed, extracted, strict=True)]


def entity_fields(article: Article) -> dict[str, str]:
    """Searchable text per entity kind (``person:`` ...): each canonical name as often as it
    weighs in the article (its mentions, more in the headline and lede: see
    ``index/entity_ranking``), so BM25's term frequency ranks entity searches by them."""
    from ..index.entity_ranking import fold_name, weighted_names

    return {kind: " | ".join(names) for kind, names in weighted_names(article, fold_name, ENTITY_FIELDS).items() if names}


class Terms:
    """The reader's own analysis, as the ``*_terms`` strings :mod:`.mapping` describes."""

    def __init__(self) -> None:
        from ..index.schema import name_analyzer, news_analyzer

        self.stemmed = news_analyzer()
        self.unstemmed = name_analyzer()

    @staticmethod
    def _positions(analyzer: Any, text: str) -> str:
        slots: dict[int, dict[str, None]] = {}
        for token in analyzer(text, positions=True, mode="index"):
            slots.setdefault(token.pos, {})[token.text] = None
        return " ".join("|".join(terms) for _position, terms in sorted(slots.items()))

    def fields(self, article: Article) -> dict[str, Any]:
        body = article.body
        texts = {
            "title": article.title,
            "body": body,
            "authors": " | ".join(article.authors),
            "source": article.source,
            **entity_fields(article),
        }
        found = {
            terms_field(name): self._positions(self.stemmed if name in WORD_FIELDS else self.unstemmed, text)
            for name, text in texts.items()
            if text
        }
        words: set[str] = set()
        for name in WORD_FIELDS:
            if texts[name]:
                found[words_field(name)] = self._positions(self.unstemmed, texts[name])
                words.update(token.text for token in self.unstemmed(texts[name], mode="index"))
        return {**found, "vocabulary": sorted(words)}


def document(article: Article, file: ArticleFile, extractor: str, terms: Terms) -> dict[str, Any]:
    """The cluster's copy of one article: searchable terms and everything needed to show it."""
    doc: dict[str, Any] = {
        "id": article.id,
        "path": file.relpath,
        "content_hash": article.content_hash,
        "size": file.size,
        "mtime_ns": file.mtime_ns,
        "title": article.title,
        "paragraphs": list(article.paragraphs),
        "author_list": list(article.authors),
        "source": article.source,
        "dateline": article.dateline,
        "url": article.url,
        "tags": list(article.tags),
        "title_derived": article.title_derived,
        "word_count": article.word_count,
        "mentions": [[m.start, m.end, m.kind, m.canonical] for m in article.mentions],
        "extractor": extractor,
        "entities": [
            {"key": key, "kind": kind, "name": name, "mentions": count}
            for _id, key, kind, name, count, _lede, _headline in entity_rows(article)
        ],
    }
    if article.date:
        doc["date"] = article.date
    doc.update(terms.fields(article))
    return doc


class _Target:
    """The index this sync writes, and whether the alias must be switched to it at the end."""

    def __init__(self, name: str, previous: str | None, switch: bool) -> None:
        self.name, self.previous, self.switch = name, previous, switch


def _generation(index: str | None) -> int:
    match = _GENERATION.search(index or "")
    return int(match.group(1)) if match else 0


def _create(store: OpenSearchStore, name: str) -> None:
    """Create ``name`` unless another indexer (``--part``) just did."""
    from opensearchpy import exceptions as os_errors

    with store.talking("creating the index"):
        try:
            store.client.indices.create(index=name, body=index_body(SHARDS, REPLICAS))
        except os_errors.RequestError as error:
            if getattr(error, "error", "") != "resource_already_exists_exception":
                raise
        store.client.cluster.health(index=name, params={"wait_for_status": "yellow", "timeout": "60s"}, request_timeout=70)


def _choose_target(store: OpenSearchStore, rebuild: bool, warnings: list[str]) -> _Target:
    current, problem = store.index_state(fresh=True)
    name_base = f"{store.alias}-v{MAPPING_VERSION}-g"
    if current is None:
        name = f"{name_base}1"
        _create(store, name)
        with store.talking("naming the index"):
            store.client.indices.put_alias(index=name, name=store.alias)
        return _Target(name, None, switch=False)
    if problem or rebuild:
        if problem:
            warnings.append(f"index rebuilt from the articles folder: {problem}")
        name = f"{name_base}{_generation(current) + 1}"
        with store.talking("clearing a half-built index"):
            store.client.indices.delete(index=name, ignore_unavailable=True)  # left by a rebuild that was stopped
        _create(store, name)
        return _Target(name, current, switch=True)
    return _Target(current, None, switch=False)


def _known(store: OpenSearchStore, index: str) -> dict[str, tuple[str, str, int, int]]:
    """path -> (id, content hash, size, mtime_ns) of everything in ``index``."""
    known: dict[str, tuple[str, str, int, int]] = {}
    order = [{"id": "asc"}]
    after: list[Any] | None = None
    while True:
        body: dict[str, Any] = {"query": {"match_all": {}}, "size": 2000, "_source": _STATE_FIELDS, "sort": order}
        if after is not None:
            body["search_after"] = after
        with store.talking("reading what is indexed"):
            hits = store.client.search(index=index, body=body)["hits"]["hits"]
        for hit in hits:
            s = hit["_source"]
            known[str(s["path"])] = (
                str(s["id"]),
                str(s.get("content_hash", "")),
                int(s.get("size", -1)),
                int(s.get("mtime_ns", -1)),
            )
        if len(hits) < 2000:
            return known
        after = hits[-1]["sort"]


def _bulk(store: OpenSearchStore, index: str, actions: list[dict[str, Any]]) -> dict[str, str]:
    """Send ``actions``; return article id -> why, for those the cluster did not take (after retries)."""
    from opensearchpy import exceptions as os_errors
    from opensearchpy.helpers import streaming_bulk

    failed: dict[str, str] = {}
    pending = actions
    for attempt in range(4):
        failed = {}
        retry = []
        try:
            with store.talking("indexing"):
                for (ok, item), action in zip(
                    streaming_bulk(
                        store.client,
                        pending,
                        index=index,
                        chunk_size=BATCH,
                        max_chunk_bytes=20 << 20,
                        raise_on_error=False,
                        raise_on_exception=False,
                        max_retries=3,
                        initial_backoff=1,
                    ),
                    pending,
                    strict=True,
                ):
                    if not ok:
                        info = next(iter(item.values()))
                        failed[str(action["_id"])] = _item_reason(info)
                        retry.append(action)
        except BackendUnavailable:
            if attempt == 3:
                raise
            retry = pending
            failed = {str(a["_id"]): "the cluster did not answer" for a in pending}
        except os_errors.OpenSearchException as error:  # raised outside a request (serialisation ...)
            failed = {str(a["_id"]): str(error) for a in pending}
            break
        if not retry:
            return {}
        pending = retry
        if not _wait_for_writes(store, index):
            break  # a shard has no copy left (red): the next sync retries these, once it is back
    return failed


def _wait_for_writes(store: OpenSearchStore, index: str) -> bool:
    """After failed writes (a node left): until the index is writable again (yellow), at most a minute.

    False when it stays red (a shard lost every copy): retrying then only waits.
    """
    from opensearchpy import exceptions as os_errors

    try:
        health = store.client.cluster.health(
            index=index, params={"wait_for_status": "yellow", "timeout": "60s"}, request_timeout=70
        )
    except os_errors.ConnectionError:
        time.sleep(1.0)  # no node answers right now; the next attempt says so if it persists
        return True
    except os_errors.TransportError as error:  # 408: still red when the wait ran out
        return error.status_code != 408
    return not health.get("timed_out", False)


def _item_reason(info: dict[str, Any]) -> str:
    error = info.get("error")
    if isinstance(error, dict):
        return str(error.get("reason") or error.get("type") or error)
    return str(error or f"status {info.get('status')}")


def sync_to_cluster(
    store: OpenSearchStore,
    articles_dir: Path,
    *,
    rebuild: bool = False,
    entities: bool = True,
    progress: Callable[[int, int, str], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    verify: bool = False,
    allow_empty: bool = False,
    part: tuple[int, int] | None = None,
) -> SyncReport:
    """See the module's docstring; ``verify`` and ``allow_empty`` as for the local index
    (:func:`reader.index.sync.sync_library`)."""
    started = time.perf_counter()
    articles_dir = Path(articles_dir)
    if not articles_dir.is_dir():
        raise ArticlesFolderMissing(f"articles folder not found: {articles_dir}")
    if part is not None and rebuild:
        raise ValueError("--rebuild switches the whole index at once; run it without --part")
    warnings: list[str] = []
    target = _choose_target(store, rebuild, warnings)
    known = {} if target.switch else _known(store, target.name)

    def mine(article_id: str) -> bool:
        return part is None or part_of(article_id, part[1]) == part[0]

    problems: list[tuple[str, str]] = []
    files = list(scan_articles(articles_dir, problems=problems))
    if not files and known and not allow_empty:
        raise ArticlesFolderEmpty(
            f"the articles folder {articles_dir} has no articles but the index {store.alias} has {len(known)}:"
            " not removing them all (is a disk not mounted?); `reader index --allow-empty` empties the index"
        )
    report = SyncReport()
    report.skipped.extend(Skipped(path, reason) for path, reason in problems)
    from ..ingest import article_id_for

    seen: set[str] = set()
    to_read: list[ArticleFile] = []
    for file in files:
        if not mine(article_id_for(file.relpath)):
            continue
        seen.add(file.relpath)
        state = known.get(file.relpath)
        if not verify and state is not None and state[2] == file.size and state[3] == file.mtime_ns:
            report.unchanged += 1
        else:
            to_read.append(file)
    removed = [(path, state[0]) for path, state in known.items() if path not in seen and mine(state[0])]
    total = len(to_read) + len(removed)
    done = 0

    if removed:
        deletions: list[dict[str, Any]] = [{"_op_type": "delete", "_id": article_id} for _path, article_id in removed]
        failed = _bulk(store, target.name, deletions)
        for path, article_id in removed:
            if article_id not in failed or "not_found" in failed[article_id]:
                report.removed.append(path)
        done += len(removed)
        if progress:
            progress(done, total, "")

    extraction = EntityPass(report)
    terms = Terms()
    claimed = {state[0]: path for path, state in known.items()}
    for start in range(0, len(to_read), BATCH):
        if cancelled and cancelled():
            break
        batch = to_read[start : start + BATCH]
        parsed: list[tuple[ArticleFile, Article]] = []
        touched: list[tuple[ArticleFile, str]] = []
        for file in batch:
            try:
                article = read_article(file)
            except UnreadableArticle as error:
                report.skipped.append(Skipped(file.relpath, str(error)))
                continue
            except Exception as error:  # noqa: BLE001 - one bad file must never stop a sync
                report.skipped.append(Skipped(file.relpath, f"could not be parsed ({type(error).__name__}: {error})"))
                continue
            owner = claimed.get(article.id)
            if owner is not None and owner != file.relpath:
                report.skipped.append(Skipped(file.relpath, f"same article id as {owner}"))
                continue
            claimed[article.id] = file.relpath
            state = known.get(file.relpath)
            if state is not None and state[1] == article.content_hash:
                touched.append((file, article.id))
            else:
                parsed.append((file, article))
        if entities:
            parsed = extraction.add_mentions(parsed)
        actions: list[dict[str, Any]] = [
            {"_op_type": "index", "_id": article.id, "_source": document(article, file, report.entity_extractor, terms)}
            for file, article in parsed
        ]
        actions += [
            {"_op_type": "update", "_id": article_id, "doc": {"size": file.size, "mtime_ns": file.mtime_ns}}
            for file, article_id in touched
        ]
        failed = _bulk(store, target.name, actions) if actions else {}
        for file, article in parsed:
            if article.id in failed:
                report.warnings.append(f"not indexed, the next sync retries it: {file.relpath}: {failed[article.id]}")
            else:
                (report.changed if file.relpath in known else report.added).append(file.relpath)
        report.unchanged += sum(1 for _file, article_id in touched if article_id not in failed)
        done += len(batch)
        if progress:
            progress(done, total, batch[-1].relpath)

    with store.talking("refreshing the index"):
        store.client.indices.refresh(index=target.name)
    complete = not (cancelled and cancelled()) and not any(w.startswith("not indexed") for w in report.warnings)
    if target.switch:
        if complete:
            _switch_alias(store, target)
        else:
            warnings.append(f"the new index {target.name} is incomplete; searches keep using {target.previous}")
    store.invalidate()
    report.warnings[:0] = warnings
    report.seconds = time.perf_counter() - started
    return report


def _switch_alias(store: OpenSearchStore, target: _Target) -> None:
    """Point the alias at the new index in one request, then drop the old one."""
    actions: list[dict[str, Any]] = [{"add": {"index": target.name, "alias": store.alias}}]
    if target.previous:
        actions.insert(0, {"remove": {"index": target.previous, "alias": store.alias}})
    with store.talking("switching to the new index"):
        store.client.indices.update_aliases(body={"actions": actions})
        if target.previous:
            store.client.indices.delete(index=target.previous, ignore_unavailable=True)


def count_pending(store: OpenSearchStore, articles_dir: Path) -> int:
    """New, changed or gone files since the last sync (a stat walk against the cluster's states)."""
    index = store.current_index()
    if index is None or not Path(articles_dir).is_dir():
        return 0
    known = _known(store, index)
    seen = set()
    pending = 0
    for file in scan_articles(articles_dir):
        seen.add(file.relpath)
        state = known.get(file.relpath)
        if state is None or state[2] != file.size or state[3] != file.mtime_ns:
            pending += 1
    return pending + sum(1 for path in known if path not in seen)
