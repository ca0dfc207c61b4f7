"""Reading a shared archive from an OpenSearch cluster: search, articles, entities.

Everything a reader shows comes from the cluster (``_source`` and
aggregations), so a machine with only the URL can list, read, search and
follow entities without the articles folder. Searches go to the alias, which
points at one complete index (see :mod:`.sync` for how a rebuild switches it).
Highlights are made here from the article text in ``_source`` with the same
code as the Whoosh backend, so offsets, ``n``/``N`` and bookmarks agree.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ArticleNotFound, IndexCorrupt
from ..index import entity_queries
from ..model import (
    PARAGRAPH_SEPARATOR,
    Article,
    ArticleSummary,
    EntityOccurrence,
    EntitySummary,
    Mention,
    QueryExplanation,
    SearchResults,
    SyncReport,
)
from . import searching
from .config import BackendUnavailable, OpenSearchConfig
from .entities import ClusterEntityCounts
from .mapping import MAPPING_VERSION, terms_field, words_field

if TYPE_CHECKING:
    from ..index.curation import Curation
    from ..index.entity_page import EntityPage

_SUMMARY_FIELDS = ["id", "path", "title", "date", "source", "author_list", "word_count", "title_derived"]
_PAGE = 1000  # documents per page when listing every article
RECHECK_EVERY = 2.0  # seconds between looks at which index the alias names


class OpenSearchStore:
    """The cluster side of :class:`reader.Library` (what :class:`IndexStore` is for Whoosh)."""

    backend_name = "opensearch"

    def __init__(self, config: OpenSearchConfig) -> None:
        self.config = config
        self._lock = threading.RLock()
        self._client: Any = None
        self._state_cache: tuple[str | None, str] | None = None
        self._state_checked = 0.0
        #: The user's entity corrections (set by Library from the user-state database).
        self.corrections: tuple[Any, ...] = ()
        self._curation: tuple[tuple[Any, ...], Curation] | None = None

    # -- connection ----------------------------------------------------------------

    @property
    def client(self) -> Any:
        if self._client is None:
            with self._lock:
                if self._client is None:
                    self._client = self.config.client()
        return self._client

    @property
    def alias(self) -> str:
        return self.config.alias

    @property
    def location(self) -> str:
        current = self.index_state(fresh=True)[0]
        return f"{self.config.display_url}, index {self.alias}" + (f" ({current})" if current else " (not created yet)")

    @contextmanager
    def talking(self, doing: str) -> Iterator[None]:
        """Cluster errors as one line for users (:class:`BackendUnavailable`, an IndexProblem)."""
        from opensearchpy import exceptions as os_errors

        where = self.config.display_url
        try:
            yield
        except os_errors.AuthenticationException:
            raise BackendUnavailable(
                f"the OpenSearch cluster at {where} refused the credentials while {doing}"
                " (check READER_OPENSEARCH_USER and READER_OPENSEARCH_PASSWORD)"
            ) from None
        except os_errors.AuthorizationException as error:
            raise BackendUnavailable(f"not allowed while {doing} on {where}: {_reason(error)}") from None
        except os_errors.ConnectionError as error:
            raise BackendUnavailable(f"cannot reach the OpenSearch cluster at {where} while {doing}: {_reason(error)}") from None
        except os_errors.TransportError as error:
            raise BackendUnavailable(f"the OpenSearch cluster at {where} failed while {doing}: {_reason(error)}") from None

    # -- the index behind the alias ------------------------------------------------------

    def current_index(self) -> str | None:
        """The concrete index the alias points at (None when there is none yet)."""
        with self.talking("looking up the index"):
            if not self.client.indices.exists_alias(name=self.alias):
                return None
            found = self.client.indices.get_alias(name=self.alias)
        names = sorted(found)
        return names[-1] if names else None

    def mapping_version(self, index: str) -> int | None:
        with self.talking("reading the index mapping"):
            mapping = self.client.indices.get_mapping(index=index)
        meta = mapping.get(index, {}).get("mappings", {}).get("_meta", {}) or {}
        version = meta.get("reader_mapping")
        return int(version) if isinstance(version, int) else None

    def index_state(self, *, fresh: bool = False) -> tuple[str | None, str]:
        """(the index behind the alias, its problem), asked again at most every few seconds.

        Asking before every search cost three requests (alias, mapping) per
        search; another machine's rebuild is seen within :data:`RECHECK_EVERY`.
        """
        with self._lock:
            now = time.monotonic()
            if fresh or self._state_cache is None or now - self._state_checked > RECHECK_EVERY:
                index = self.current_index()
                self._state_cache = (index, self._mapping_problem(index) if index else "")
                self._state_checked = now
            return self._state_cache

    def exists(self) -> bool:
        return self.index_state()[0] is not None

    def problem(self, *, fresh: bool = False) -> str:
        """Why the index cannot be used ("" when fine); raises BackendUnavailable when the cluster cannot be asked."""
        return self.index_state(fresh=fresh)[1]

    def _mapping_problem(self, index: str) -> str:
        version = self.mapping_version(index)
        if version != MAPPING_VERSION:
            age = "an older" if version is None or version < MAPPING_VERSION else "another"
            return (
                f"the OpenSearch index {index} was written by {age} version of reader"
                f" (mapping {version if version is not None else 'unknown'}, this version uses {MAPPING_VERSION})"
            )
        return ""

    def usable(self) -> str | None:
        """The alias when it can be searched, None when there is no index yet; raises on a stale mapping."""
        index, problem = self.index_state()
        if problem:
            raise IndexCorrupt(problem)
        return self.alias if index else None

    def count(self) -> int:
        if self.usable() is None:
            return 0
        with self.talking("counting articles"):
            return int(self.client.count(index=self.alias)["count"])

    def invalidate(self) -> None:
        """After our own writes: look at the alias and mapping afresh."""
        with self._lock:
            self._state_cache = None
            self._curation = None

    def close(self) -> None:
        if self._client is not None:
            try:
                self._client.close()
            except Exception:  # noqa: BLE001 - closing a dead connection must not fail the caller
                pass
            self._client = None

    # -- queries -------------------------------------------------------------------

    @cached_property
    def analyzer(self) -> Any:
        from ..index.schema import news_analyzer

        return news_analyzer()

    @cached_property
    def queries(self) -> Any:
        from ..index.query import QueryBuilder
        from ..index.schema import build_schema

        return QueryBuilder(build_schema())

    def stem(self, word: str) -> str:
        return str(self.analyzer.term(word)) if word.isalpha() else next((t.text for t in self.analyzer(word, mode="query")), "")

    def parse(self, text: str, *, any_word: bool = False) -> Any:
        """The query as typed, its entity words following the user's corrections (as on Whoosh)."""
        parsed = self.queries.parse(text, any_word=any_word)
        if not self.corrections:
            return parsed
        from ..index.curation import rewrite_query

        schema = self.queries.schema
        return rewrite_query(parsed, self.curation(), self.entity_counts, lambda name: schema[name].analyzer)

    def search(
        self,
        text: str,
        *,
        limit: int = 10,
        snippets: bool = True,
        count: bool = True,
        prefix_words: int | None = None,
        offset: int = 0,
        sort: str = "relevance",
    ) -> SearchResults:
        return searching.search(
            self, text, limit=limit, snippets=snippets, count=count, prefix_words=prefix_words, offset=offset, sort=sort
        )

    def count_matches(
        self, text: str, *, prefix_words: int | None = None, cancelled: Callable[[], bool] | None = None
    ) -> int | None:
        counted = searching.count_matches(self, text, prefix_words=prefix_words, cancelled=cancelled)
        return None if cancelled is not None and cancelled() else counted

    def matching_ids(self, text: str, *, prefix_words: int | None = None) -> set[str]:
        return searching.matching_ids(self, text, prefix_words=prefix_words)

    def hit_spans(self, text: str, article_id: str, *, prefix_words: int | None = None) -> list[tuple[int, int]]:
        return searching.hit_spans(self, text, article_id, prefix_words=prefix_words)

    def explain(self, text: str, *, limit: int, prefix_words: int | None = None) -> QueryExplanation:
        from .explain import explain

        return explain(self, text, limit=limit, prefix_words=prefix_words)

    def suggest(self, text: str) -> str:
        """"Did you mean": the same rule as the Whoosh backend, with the cluster's vocabulary."""
        from ..index.searching import suggest_words

        if self.usable() is None:
            return ""
        return suggest_words(text, known=self._known_word, closest=self._closest_word)

    def _known_word(self, word: str) -> bool:
        stem = self.stem(word)
        if not stem:
            return False
        with self.talking("checking a word"):
            found = self.client.count(index=self.alias, body={"query": {"term": {terms_field("body"): stem}}})
        return int(found["count"]) > 0

    def _closest_word(self, word: str) -> str:
        """Of the indexed words one edit away (else two) with the same first letter, the most frequent."""
        from whoosh.support.levenshtein import damerau_levenshtein

        from ..index.query import STOP_WORDS

        options = {"field": words_field("body"), "suggest_mode": "always", "max_edits": 2, "prefix_length": 1, "size": 20}
        with self.talking("looking for similar words"):
            found = self.client.search(index=self.alias, body={"size": 0, "suggest": {"word": {"text": word, "term": options}}})
        candidates = [
            (damerau_levenshtein(word, option["text"], limit=3), int(option["freq"]), str(option["text"]))
            for entry in found.get("suggest", {}).get("word", ())
            for option in entry.get("options", ())
            if option["text"] not in STOP_WORDS and option["text"] != word
        ]
        if not candidates:
            return ""
        nearest = min(distance for distance, _freq, _text in candidates)
        closest = sorted({text for distance, _freq, text in candidates if distance == nearest})
        # Ranked as the Whoosh backend ranks them: by how many articles have the word's stem.
        filters = {text: {"term": {terms_field("body"): self.stem(text)}} for text in closest}
        body = {"size": 0, "aggs": {"stems": {"filters": {"filters": filters}}}}
        with self.talking("looking for similar words"):
            buckets = self.client.search(index=self.alias, body=body)["aggregations"]["stems"]["buckets"]
        frequency = {text: int(bucket["doc_count"]) for text, bucket in buckets.items()}
        best = max(closest, key=lambda text: (frequency.get(text, 0), text))
        return best if frequency.get(best, 0) else ""

    # -- articles ------------------------------------------------------------------

    def source(self, article_id: str, fields: list[str] | None = None) -> dict[str, Any] | None:
        if self.usable() is None:
            return None
        with self.talking("reading an article"):
            found = self.client.search(
                index=self.alias, body={"query": {"term": {"id": article_id}}, "size": 1, "_source": fields if fields else True}
            )
        hits = found["hits"]["hits"]
        return dict(hits[0]["_source"]) if hits else None

    def article(self, article_id: str) -> Article:
        source = self.source(article_id)
        if source is None:
            raise ArticleNotFound(article_id)
        return article_from_source(source)

    def summaries(self) -> list[ArticleSummary]:
        return [summary_from_source(source) for source in self.scan({"match_all": {}}, _SUMMARY_FIELDS, sort=[{"path": "asc"}])]

    def newest_summaries(self, limit: int) -> list[ArticleSummary]:
        """Dated articles newest first (equal dates by path, last first), then undated ones by path."""
        if limit <= 0 or self.usable() is None:
            return []
        dated = {"bool": {"filter": [{"exists": {"field": "date"}}]}}
        undated = {"bool": {"must_not": [{"exists": {"field": "date"}}]}}
        newest = self._top(dated, [{"date": "desc"}, {"path": "desc"}], limit)
        if len(newest) < limit:
            newest += self._top(undated, [{"path": "asc"}], limit - len(newest))
        return newest

    def _top(self, query: dict[str, Any], sort: list[dict[str, str]], size: int) -> list[ArticleSummary]:
        with self.talking("listing articles"):
            found = self.client.search(
                index=self.alias, body={"query": query, "sort": sort, "size": size, "_source": _SUMMARY_FIELDS}
            )
        return [summary_from_source(hit["_source"]) for hit in found["hits"]["hits"]]

    def scan(
        self, query: dict[str, Any], fields: list[str], sort: list[dict[str, str]] | None = None
    ) -> Iterator[dict[str, Any]]:
        """Every matching document's ``_source`` (search_after pages: no scroll context left behind)."""
        index = self.usable()
        if index is None:
            return
        order = [*(sort or []), {"id": "asc"}]
        after: list[Any] | None = None
        while True:
            body: dict[str, Any] = {"query": query, "size": _PAGE, "_source": fields, "sort": order}
            if after is not None:
                body["search_after"] = after
            with self.talking("listing articles"):
                hits = self.client.search(index=index, body=body)["hits"]["hits"]
            for hit in hits:
                yield hit["_source"]
            if len(hits) < _PAGE:
                return
            after = hits[-1]["sort"]

    def article_versions(self) -> dict[str, str]:
        return {str(s["id"]): str(s.get("content_hash", "")) for s in self.scan({"match_all": {}}, ["id", "content_hash"])}

    def articles_with_url(self, url: str) -> list[tuple[str, str, str]]:
        found = self.scan({"term": {"url": url}}, ["id", "path", "title"], sort=[{"path": "asc"}])
        return [(str(s["id"]), str(s.get("path", "")), str(s.get("title", ""))) for s in found]

    def claim_folder(self) -> None:
        """Nothing of the index is local; the user-state database makes its own folder."""

    # -- entities --------------------------------------------------------------------

    @property
    def entity_counts(self) -> ClusterEntityCounts:
        return ClusterEntityCounts(self)

    def curation(self) -> Curation:
        """:attr:`corrections` applied to the cluster's entity keys (rebuilt when they, the
        index behind the alias or its article count change)."""
        from ..index.curation import build as build_curation

        stamp = (self.corrections, self.index_state()[0], self.count())
        cached = self._curation
        if cached is None or cached[0] != stamp:
            cached = self._curation = (stamp, build_curation(self.entity_counts, self.corrections))
        return cached[1]

    def entities(self, *, kind: str | None = None, article: str | None = None) -> list[EntitySummary]:
        return entity_queries.entities(self.entity_counts, kind=kind, article=article, curation=self.curation())

    def entity_occurrences(self, name: str, kind: str | None = None) -> list[EntityOccurrence]:
        return entity_queries.entity_occurrences(self.entity_counts, name, kind, self.curation())

    def entity_article_ids(self, name: str, kind: str | None = None) -> list[str]:
        return entity_queries.entity_article_ids(self.entity_counts, name, kind, self.curation())

    def entity_page(self, name: str, kind: str, aliases: tuple[str, ...]) -> EntityPage | None:
        from ..index.entity_page import entity_page

        return entity_page(self.entity_counts, name, kind, aliases, self.curation())

    # -- writing ---------------------------------------------------------------------

    def sync(
        self,
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
        from .sync import sync_to_cluster

        return sync_to_cluster(
            self,
            articles_dir,
            rebuild=rebuild,
            entities=entities,
            progress=progress,
            cancelled=cancelled,
            verify=verify,
            allow_empty=allow_empty,
            part=part,
        )

    def pending(self, articles_dir: Path) -> int:
        from .sync import count_pending

        return count_pending(self, articles_dir)


# -- documents <-> records ------------------------------------------------------------


def summary_from_source(source: dict[str, Any]) -> ArticleSummary:
    return ArticleSummary(
        str(source["id"]),
        str(source.get("path", "")),
        str(source.get("title", "")),
        str(source.get("date", "")),
        str(source.get("source", "")),
        tuple(source.get("author_list") or ()),
        int(source.get("word_count", 0)),
        bool(source.get("title_derived", False)),
    )


def article_from_source(source: dict[str, Any]) -> Article:
    paragraphs = tuple(source.get("paragraphs") or ())
    body = PARAGRAPH_SEPARATOR.join(paragraphs)
    mentions = tuple(
        Mention(int(start), int(end), body[int(start) : int(end)], str(kind), str(canonical))
        for start, end, kind, canonical in source.get("mentions") or ()
    )
    return Article(
        id=str(source["id"]),
        path=str(source.get("path", "")),
        title=str(source.get("title", "")),
        paragraphs=paragraphs,
        content_hash=str(source.get("content_hash", "")),
        authors=tuple(source.get("author_list") or ()),
        date=str(source.get("date", "")),
        source=str(source.get("source", "")),
        dateline=str(source.get("dateline", "")),
        url=str(source.get("url", "")),
        tags=tuple(source.get("tags") or ()),
        title_derived=bool(source.get("title_derived", False)),
        mentions=mentions,
    )


def _reason(error: Exception) -> str:
    info = getattr(error, "info", None)
    if isinstance(info, dict):
        cause = info.get("error")
        if isinstance(cause, dict):
            return str(cause.get("reason") or cause.get("type") or error)
    text = " ".join(str(getattr(error, "error", "") or error).split())
    return text[:200] or type(error).__name__


__all__ = ["OpenSearchStore", "article_from_source", "summary_from_source"]
