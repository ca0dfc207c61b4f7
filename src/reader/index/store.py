"""The local index: Whoosh for ranking, the SQLite catalog for everything shown.

:class:`IndexStore` owns the open handles (the catalog, the Whoosh index and
one long-lived searcher, refreshed when the index changes) and the lock that
guards them; the work is done next door:

- ``folder.py``: the files on disk, the sync lock, cleaning up after a kill;
- ``health.py``: whether the index can be used, and the segment fingerprints;
- ``searching.py``: searching, counting, highlighting, "did you mean";
- ``entity_queries.py``: entities across the corpus;
- ``whoosh_patches.py``: where we reach into Whoosh's internals.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ArticleNotFound
from ..model import (
    Article,
    ArticleSummary,
    EntityOccurrence,
    EntityReport,
    EntitySummary,
    QueryExplanation,
    SearchResults,
    SyncReport,
)
from . import searching
from .catalog import Catalog
from .folder import INDEX_NAME, IndexFolder, write_error
from .health import Health, record_fingerprint, verify_search_index
from .spelling import Vocabulary
from .versions import SCHEMA_VERSION
from .whoosh_patches import map_segment_files, with_lengths_in_memory

if TYPE_CHECKING:
    from .curation import Curation
    from .entity_page import EntityPage

# Whoosh (and the query and schema modules built on it) is imported where a
# search or a write needs it, not here: the app's first paint and the list
# come from the catalog alone, and importing Whoosh costs ~150 ms. The entity
# modules likewise: a new ``reader search`` of words never loads them.

_REFRESH_EVERY = 1.0  # seconds between checks for a newer index generation


class IndexStore:
    """The embedded search backend (see :mod:`reader.backend` for the other one)."""

    backend_name = "whoosh"

    def __init__(self, index_dir: str | Path, articles_dir: str | Path | None = None) -> None:
        """``articles_dir``, when given, is refused as (or as a parent of) the index folder."""
        self.index_dir = Path(index_dir)
        self.folder = IndexFolder(self.index_dir, None if articles_dir is None else Path(articles_dir))
        self.lock = threading.RLock()
        self.health = Health(self)
        self._catalog: Catalog | None = None
        self._index: Any = None
        self._searcher: Any = None
        self._checked = 0.0
        #: the user's entity corrections, oldest first (set by the Library from the user-state database)
        self.corrections: tuple[Any, ...] = ()
        self._curation: tuple[object, Curation] | None = None

    @cached_property
    def schema(self) -> Any:
        from .schema import build_schema

        return build_schema()

    @cached_property
    def analyzer(self) -> Any:
        from .schema import news_analyzer

        return news_analyzer()

    @cached_property
    def queries(self) -> Any:
        from .query import QueryBuilder

        return QueryBuilder(self.schema)

    @cached_property
    def segment_ids(self) -> Any:
        """Each segment's id -> document map, for entity clauses (see entity_search.py)."""
        from .entity_search import SegmentIds

        return SegmentIds()

    @property
    def vocabulary(self) -> Vocabulary:
        return Vocabulary(self.catalog)

    def stem(self, word: str) -> str:
        """The indexed form of one word."""
        if word.isalpha():  # one token, nothing to fold: straight to the analyzer's cache
            term: str = self.analyzer.term(word)
            return term
        return next((token.text for token in self.analyzer(word, mode="query")), "")

    # -- opening -------------------------------------------------------------

    @property
    def search_dir(self) -> Path:
        return self.folder.search_dir

    @property
    def catalog(self) -> Catalog:
        if self._catalog is None:
            with self.lock:
                if self._catalog is None:
                    self.folder.claim()
                    self._catalog = Catalog(self.folder.catalog_path)
        return self._catalog

    @property
    def location(self) -> str:
        return str(self.index_dir)

    def exists(self) -> bool:
        """Whether a search index is there (a table of contents; nothing is parsed)."""
        return self.folder.has_search_index()

    def whoosh_index(self, create: bool = False) -> Any:
        """The Whoosh index, created empty when missing (or when ``create``)."""
        from whoosh.filedb.filestore import FileStorage

        with self.lock:
            if create or not self.exists():
                self.folder.claim()
                self.drop_handles()
                try:
                    self.search_dir.mkdir(parents=True, exist_ok=True)
                    self._index = FileStorage(str(self.search_dir)).create_index(self.schema, indexname=INDEX_NAME)
                except OSError as error:
                    raise write_error(error, self.search_dir) from None
                with self.catalog.transaction() as catalog:
                    catalog.set_meta("schema_version", str(SCHEMA_VERSION))
            elif self._index is None:
                # Mapped, read in place (see map_segment_files): Whoosh's own mapped
                # files copy each segment into memory (259 MB at 20k articles).
                map_segment_files()
                storage = FileStorage(str(self.search_dir), supports_mmap=True)
                self._index = storage.open_index(INDEX_NAME, schema=self.schema)
            return self._index

    def searcher(self) -> Any:
        """The shared searcher, refreshed at most once a second when the index moved on."""
        with self.lock:
            if self._searcher is None:
                self._searcher = with_lengths_in_memory(self.whoosh_index().searcher())
                self._checked = time.monotonic()
            elif time.monotonic() - self._checked > _REFRESH_EVERY:
                self._checked = time.monotonic()
                if not self._searcher.up_to_date():
                    # Not Searcher.refresh(): it reuses segment readers by segment
                    # id, keeping their old deletions (a changed or deleted article
                    # still matched its old words) and segments merged away.
                    stale, self._searcher = self._searcher, with_lengths_in_memory(self.whoosh_index().searcher())
                    stale.close()
            return self._searcher

    def is_current(self, searcher: Any) -> bool:
        """Whether ``searcher`` is still the shared one (not replaced and closed)."""
        return searcher is self._searcher

    def drop_handles(self) -> None:
        """Close the searcher and forget the Whoosh index (reopened when next needed)."""
        with self.lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None
            self._index = None

    def forget_cached_results(self) -> None:
        """Drop the open searcher's cached results: entities written into the catalog change
        what ``person:`` and the like find while the Whoosh index, and so the searcher, stay."""
        with self.lock:
            if self._searcher is not None:
                from .results_cache import ResultsCache

                ResultsCache.of(self._searcher).clear()

    def invalidate(self) -> None:
        """After our own writes: make the next search see them."""
        with self.lock:
            self._checked = 0.0

    def close(self) -> None:
        with self.lock:
            self.drop_handles()
            self.health.forget()
            if self._catalog is not None:
                self._catalog.close()
                self._catalog = None

    # -- writing -------------------------------------------------------------

    #: A sync can leave entities to come (entity_phase.py): the text is searchable first.
    entities_after_text = True

    def extract_entities(
        self, *, progress: Callable[[int, int, str], None] | None = None, cancelled: Callable[[], bool] | None = None
    ) -> EntityReport:
        from .entity_phase import extract_pending

        return extract_pending(self, progress=progress, cancelled=cancelled)

    def entities_pending(self) -> int:
        return self.catalog.count_entities_pending() if self.exists() else 0

    def merge_segments(self) -> tuple[int, int]:
        from .merging import merge_segments

        return merge_segments(self)

    def segment_count(self) -> int:
        """Segments in the search index (a folder listing)."""
        return sum(1 for path in self.search_dir.glob("*.seg")) if self.exists() else 0

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
        """See :func:`reader.index.sync.sync_library`; ``part`` is for shared clusters only."""
        from .sync import sync_library

        if part is not None:
            raise ValueError("--part splits indexing of one cluster among machines; the local index is indexed whole")
        report: SyncReport = sync_library(
            self,
            articles_dir,
            rebuild=rebuild,
            entities=entities,
            progress=progress,
            cancelled=cancelled,
            verify=verify,
            allow_empty=allow_empty,
        )
        return report

    def pending(self, articles_dir: Path) -> int:
        from .sync import count_pending

        return count_pending(self, articles_dir)

    def writing(self, timeout: float) -> AbstractContextManager[None]:
        """Exclusive right to update this index, across processes (see :meth:`IndexFolder.writing`)."""
        return self.folder.writing(timeout)

    def reset(self, *, hard: bool = False) -> None:
        """Forget the search index and catalog (bookmarks live elsewhere).

        The catalog is emptied first and the search folder is renamed away
        before it is deleted, so a reset killed half-way leaves an empty or
        an untouched-but-hidden index, never a half-deleted one. ``hard``
        deletes the catalog file itself (for a catalog too damaged to empty).
        """
        with self.lock:
            self.folder.refuse_foreign_search_files()  # before anything is emptied
            self.drop_handles()
            self.health.forget()
            try:
                if hard:
                    if self._catalog is not None:
                        try:
                            self._catalog.close()
                        except Exception:  # noqa: BLE001 - it is being thrown away
                            pass
                        self._catalog = None
                    self.folder.remove_catalog_files()
                else:
                    self.catalog.clear()
                self.folder.discard_search()
            except OSError as error:
                raise write_error(error, self.index_dir) from None

    def remove_leftovers(self) -> None:
        self.folder.remove_leftovers()

    def record_fingerprint(self, index: Any) -> None:
        record_fingerprint(self.search_dir, index)

    def verify_search_index(self) -> str:
        return verify_search_index(self.search_dir, self.schema)

    # -- health ----------------------------------------------------------------

    def problem(self, *, fresh: bool = False) -> str:
        """Why the index cannot be used as it is ("" when it is fine), in one line (see health.py)."""
        return self.health.problem(fresh=fresh)

    # -- reading -------------------------------------------------------------

    def count(self) -> int:
        return self.catalog.count()

    def summaries(self) -> list[ArticleSummary]:
        return self.catalog.summaries()

    def newest_summaries(self, limit: int) -> list[ArticleSummary]:
        return self.catalog.newest_summaries(limit)

    def claim_folder(self) -> None:
        self.folder.claim()

    def article_versions(self) -> dict[str, str]:
        return {article_id: digest for article_id, _, _, digest in self.catalog.file_states().values()}

    def articles_with_url(self, url: str) -> list[tuple[str, str, str]]:
        return self.catalog.with_url(url)

    def article(self, article_id: str) -> Article:
        article = self.catalog.article(article_id)
        if article is None:
            raise ArticleNotFound(article_id)
        return article

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
        """Ranked hits; raises QueryError (bad query) or IndexCorrupt (damaged index, one line).

        Counting every match costs more than finding the best ``limit`` (Whoosh
        skips blocks that cannot reach the top, and a count must visit them
        all): with ``count=False`` the total is exact only when fewer than
        ``limit`` articles matched, and :meth:`count_matches` gives it later.
        A ``prefix*`` stands for its ``prefix_words`` most frequent words
        (default :data:`~reader.index.query.MAX_PREFIX_WORDS`).
        """
        return searching.search(
            self, text, limit=limit, snippets=snippets, count=count, prefix_words=prefix_words, offset=offset, sort=sort
        )

    def search_key(self, text: str, *, prefix_words: int | None = None) -> str | None:
        return searching.search_key(self, text, prefix_words=prefix_words)

    def count_matches(
        self, text: str, *, prefix_words: int | None = None, cancelled: Callable[[], bool] | None = None
    ) -> int | None:
        return searching.count_matches(self, text, prefix_words=prefix_words, cancelled=cancelled)

    def matching_ids(self, text: str, *, prefix_words: int | None = None) -> set[str]:
        return searching.matching_ids(self, text, prefix_words=prefix_words)

    def hit_spans(self, text: str, article_id: str, *, prefix_words: int | None = None) -> list[tuple[int, int]]:
        return searching.hit_spans(self, text, article_id, prefix_words=prefix_words)

    def suggest(self, text: str) -> str:
        return searching.suggest(self, text)

    def explain(self, text: str, *, limit: int, prefix_words: int | None = None) -> QueryExplanation:
        from .explain import explain

        return explain(self, text, limit=limit, prefix_words=prefix_words)

    # -- entities ------------------------------------------------------------

    @property
    def entity_counts(self) -> Catalog:
        return self.catalog

    def curation(self) -> Curation:
        """:attr:`corrections` applied to the catalog (rebuilt when either changes)."""
        stamp = (self.corrections, self.catalog.count())
        cached = self._curation
        if cached is None or cached[0] != stamp:
            from .curation import build as build_curation

            cached = self._curation = (stamp, build_curation(self.catalog, self.corrections))
        return cached[1]

    def entities(self, *, kind: str | None = None, article: str | None = None) -> list[EntitySummary]:
        from . import entity_queries

        return entity_queries.entities(self.catalog, kind=kind, article=article, curation=self.curation())

    def entity_occurrences(self, name: str, kind: str | None = None) -> list[EntityOccurrence]:
        from . import entity_queries

        return entity_queries.entity_occurrences(self.catalog, name, kind, self.curation())

    def entity_page(self, name: str, kind: str, aliases: tuple[str, ...]) -> EntityPage | None:
        from .entity_page import entity_page

        return entity_page(self.catalog, name, kind, aliases, self.curation())

    def entity_article_ids(self, name: str, kind: str | None = None) -> list[str]:
        from . import entity_queries

        return entity_queries.entity_article_ids(self.catalog, name, kind, self.curation())
