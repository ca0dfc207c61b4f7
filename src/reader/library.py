"""The one API the CLI, the app and scripts use.

It hides the search backend (the embedded Whoosh index and its catalog, or
an OpenSearch cluster: see :mod:`reader.backend`) and the entity extractor
behind a handful of methods with stable names; nothing outside ``index/``
and ``opensearch/`` (which translates the parsed query) imports whoosh, and
nothing outside ``entities/`` imports spaCy.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import (  # re-exported: the CLI, the app and scripts catch them from here
    ArticleNotFound,
    ArticlesFolderEmpty,
    ArticlesFolderMissing,
    ForeignIndexFolder,
    IndexBusy,
    IndexCorrupt,
    IndexProblem,
    IndexWriteError,
    QueryError,
)
from .model import (
    Article,
    ArticleSummary,
    EntityOccurrence,
    EntityReport,
    EntitySummary,
    QueryExplanation,
    SearchResults,
    SyncReport,
)

__all__ = [
    "ARTICLES_ENV",
    "INDEX_ENV",
    "ArticleNotFound",
    "ArticlesFolderEmpty",
    "ArticlesFolderMissing",
    "ForeignIndexFolder",
    "IndexBusy",
    "IndexCorrupt",
    "IndexProblem",
    "IndexWriteError",
    "Library",
    "ProgressCallback",
    "QueryError",
    "default_paths",
]

if TYPE_CHECKING:  # imported when first used: ``import reader.library`` stays cheap
    from .backend import BackendStatus, SearchBackend
    from .bookmarks import BookmarkStore
    from .bookmarks.record import Bookmark
    from .index.entity_page import EntityPage

PathArgument = str | os.PathLike[str]

ARTICLES_ENV = "READER_ARTICLES"
INDEX_ENV = "READER_INDEX"

#: progress(done, total, path) is called while syncing; total is known up front.
ProgressCallback = Callable[[int, int, str], None]


def default_paths(
    articles_dir: PathArgument | None = None,
    index_dir: PathArgument | None = None,
) -> tuple[Path, Path]:
    """Flag, then environment, then ``./articles`` and ``./index``."""
    articles = articles_dir or os.environ.get(ARTICLES_ENV) or "articles"
    index = index_dir or os.environ.get(INDEX_ENV) or "index"
    return Path(articles), Path(index)


class Library:
    """A folder of articles and the local index that makes it searchable."""

    def __init__(
        self,
        articles_dir: PathArgument | None = None,
        index_dir: PathArgument | None = None,
        *,
        user_state: PathArgument | None = None,
        backend: SearchBackend | None = None,
    ) -> None:
        """``user_state`` is the user-state database's file; by default ``<index_dir>/bookmarks.sqlite``.
        ``backend`` overrides the choice :func:`reader.backend.open_backend` makes from the environment."""
        self.articles_dir, self.index_dir = default_paths(articles_dir, index_dir)
        self._user_state = Path(user_state) if user_state is not None else None
        self._store: SearchBackend | None = backend
        self._bookmarks: BookmarkStore | None = None
        self._bookmarks_lock = threading.Lock()  # the app's workers may ask at the same time

    # -- the index -----------------------------------------------------------

    @property
    def store(self) -> SearchBackend:
        """The search backend: the Whoosh index in ``index_dir``, or the cluster in ``READER_OPENSEARCH_URL``."""
        if self._store is None:
            from .backend import open_backend

            self._store = open_backend(self.index_dir, self.articles_dir)
        return self._store

    def status(self) -> BackendStatus:
        """Which backend and index are in use and how many articles they hold (``reader status``;
        creates nothing: no index, no count)."""
        from .backend import BackendStatus

        store = self.store
        if not store.exists():  # asked first: the local index's health check makes its folder
            return BackendStatus(store.backend_name, store.location, 0)
        problem = store.problem()
        return BackendStatus(store.backend_name, store.location, 0 if problem else store.count(), problem)

    def sync(
        self,
        *,
        rebuild: bool = False,
        entities: bool = True,
        progress: ProgressCallback | None = None,
        cancelled: Callable[[], bool] | None = None,
        verify: bool = False,
        allow_empty: bool = False,
        part: tuple[int, int] | None = None,
    ) -> SyncReport:
        """Bring the index up to date with the articles folder.

        Only new or changed files are parsed and analysed; deleted files leave
        the index. ``rebuild`` starts the search index over (never bookmarks).
        A damaged index, or one of another version, is rebuilt and said so in
        ``report.warnings``. Raises :class:`IndexBusy` when another process's
        sync does not finish in time and :class:`IndexWriteError` when the
        index cannot be written (disk full, read-only folder); what was
        committed before stays readable. ``verify`` reads every file again
        (a change that kept size and mtime is otherwise not seen). An articles
        folder with no article while the index has some raises
        :class:`ArticlesFolderEmpty` (an unmounted disk would orphan every
        bookmark) unless ``allow_empty``. ``part=(i, n)`` (a cluster only)
        indexes the articles whose id hashes to part ``i`` of ``n``, so ``n``
        machines can share the work.
        """
        report = self.store.sync(
            self.articles_dir,
            rebuild=rebuild,
            entities=entities,
            progress=progress,
            cancelled=cancelled,
            verify=verify,
            allow_empty=allow_empty,
            part=part,
        )
        if not (cancelled and cancelled()):
            from .bookmarks import BookmarkStoreError

            try:
                self._reanchor_bookmarks(report)
            except BookmarkStoreError as error:  # the index is fine; say so, never touch the file
                report.warnings.append(f"bookmarks not re-anchored: {error}")
        return report

    @property
    def entities_after_text(self) -> bool:
        """Whether a sync can make the text searchable first and leave entities to
        :meth:`extract_entities` (the local index; a backend without the second phase
        extracts them in the sync itself: pass ``entities=True`` to :meth:`sync`)."""
        return bool(getattr(self.store, "entities_after_text", False))

    def extract_entities(
        self,
        *,
        progress: ProgressCallback | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> EntityReport:
        """The second phase of indexing: entities for the articles that have none yet.

        :meth:`sync` with ``entities=False`` makes the text searchable and
        leaves entities to come; this extracts them (spaCy, in worker
        processes) from the indexed text and writes them chunk by chunk,
        each under the sync lock only while it is written. Cancelled or
        killed, it resumes where it stopped the next time it runs.
        ``sync(entities=True)`` runs it after the text. Nothing to do
        without :attr:`entities_after_text`.
        """
        extract = getattr(self.store, "extract_entities", None)
        return extract(progress=progress, cancelled=cancelled) if extract else EntityReport()

    def entities_pending(self) -> int:
        """How many indexed articles still wait for their entities (0 without an index)."""
        pending = getattr(self.store, "entities_pending", None)
        return int(pending()) if pending else 0

    def merge_segments(self) -> tuple[int, int]:
        """Merge the search index's many small segments into one (the few largest stay);
        (segments before, after). Every query walks every segment; a first build leaves
        one per batch. Takes the sync lock: call it after a sync, never while someone types.
        (0, 0) for a backend that merges by itself."""
        merge = getattr(self.store, "merge_segments", None)
        return merge() if merge else (0, 0)

    def segments(self) -> int:
        """How many segments the search index has now (0 without an index, or for a cluster)."""
        count = getattr(self.store, "segment_count", None)
        return int(count()) if count else 0

    def merge_command(self) -> list[str]:
        """The command that runs :meth:`merge_segments` in a process of its own, which the app
        starts when it is idle and stops when the user types (a merge holds the interpreter)."""
        import sys

        return [sys.executable, "-m", "reader.index.merging", str(self.index_dir)]

    def _reanchor_bookmarks(self, report: SyncReport) -> None:
        """Keep bookmarks on their passages after articles changed or vanished.

        Only after a completed sync: a partial one would orphan bookmarks of
        articles it had not reached yet (nothing would be lost, but it would
        look alarming). Every bookmarked article whose text is not the version
        its bookmarks were last anchored to is re-anchored, whether it changed
        in this sync or an earlier re-anchor was skipped (store busy, crash).
        """
        if not self.has_user_state():
            return
        bookmarks = self.bookmarks
        bookmarks.purge_deleted()  # soft deletes older than 30 days (writes only when some are due)
        if not bookmarks.articles():
            return
        from .ingest import article_id_for

        versions = self.store.article_versions()
        bookmarks.orphan_missing(versions)
        parsed = {article_id_for(path) for path in (*report.added, *report.changed)}  # all of them after a rebuild
        stale = sorted(set(bookmarks.stale_articles(versions)) | (parsed & bookmarks.articles()))
        if stale and bookmarks.read_only:  # shown re-anchored in the app, kept as they were in the file
            report.warnings.append(
                f"bookmarks of {len(stale)} changed article(s) not re-anchored: {bookmarks.path} is read-only"
                f" ({bookmarks.read_only}); the next sync that can write it will"
            )
            return
        for article_id in stale:
            bookmarks.reanchor_article(self.article(article_id), recheck=article_id in parsed)

    def claim_index_folder(self) -> None:
        """Make sure the index folder is reader's before anything is written in it.

        A new or empty folder is created and marked; raises
        :class:`ForeignIndexFolder` (one line) for a folder reader must not
        use: not empty and not an index, the articles folder or inside it, a
        file. Every method that writes calls it; the app calls it first.
        """
        self.store.claim_folder()

    def index_problem(self) -> str:
        """Why the index cannot be used as it is, in one line ("" when it is fine).

        A damaged index, one missing a part or written by another version of
        reader; :meth:`sync` rebuilds it from the articles folder (bookmarks
        are never touched). :meth:`search` raises :class:`IndexCorrupt` with
        this line meanwhile.
        """
        return self.store.problem()

    def pending(self) -> int:
        """How many files are new, changed or gone since the last sync (a stat walk)."""
        return self.store.pending(self.articles_dir)

    # -- reading -------------------------------------------------------------

    def search(
        self,
        query: str,
        limit: int = 10,
        *,
        snippets: bool = True,
        count: bool = True,
        prefix_words: int | None = None,
        exact: bool = False,
        offset: int = 0,
        sort: str = "relevance",
    ) -> SearchResults:
        """Ranked hits for ``query``; raises :class:`QueryError` on malformed syntax.

        ``offset`` skips that many of the best hits (the next page);
        ``sort="date"`` orders them newest first (undated last), by relevance
        within a date.

        ``count=False`` skips counting every match (often most of the time
        a search takes): ``results.counted`` then says whether ``total`` is
        exact, and :meth:`count` gives the number when it is needed. A
        ``prefix*`` stands for its ``prefix_words`` most frequent words
        (64 by default; the app's search-as-you-type asks for fewer).
        ``exact`` makes the whole query exact, as if each word were typed
        ``=word`` (no stemming, no fuzzy matching; case still ignored).
        """
        query = _exact(query) if exact else query
        self._load_corrections()
        return self.store.search(
            query, limit=limit, snippets=snippets, count=count, prefix_words=prefix_words, offset=offset, sort=sort
        )

    def explain(self, query: str, limit: int = 3, *, prefix_words: int | None = None, exact: bool = False) -> QueryExplanation:
        """How ``query`` is understood and run, and why its top ``limit`` hits rank where they do.

        Each word after folding and stemming, the common words dropped,
        prefix and fuzzy expansions (with their article counts, and how many
        were cut), fields and dates, whether the graded match was used, and
        per hit its BM25F score per word and field. Raises QueryError like
        :meth:`search`.
        """
        query = _exact(query) if exact else query
        self._load_corrections()
        return self.store.explain(query, limit=max(1, limit), prefix_words=prefix_words)

    def search_key(self, query: str, *, prefix_words: int | None = None, exact: bool = False) -> str | None:
        """A string equal for two queries that :meth:`search` answers alike (same options) while
        the index stays the same, computed without searching; None when the backend cannot tell.
        The app keeps the results on screen while the word being typed changes nothing."""
        key = getattr(self.store, "search_key", None)
        if key is None:
            return None
        query = _exact(query) if exact else query
        self._load_corrections()
        found: str | None = key(query, prefix_words=prefix_words)
        return found

    def count(
        self,
        query: str,
        *,
        prefix_words: int | None = None,
        cancelled: Callable[[], bool] | None = None,
        exact: bool = False,
    ) -> int | None:
        """How many articles ``query`` matches (what ``search(...).total`` counts).

        Safe to call from another thread while searches run; returns None
        if ``cancelled()`` turns true first (asked every few thousand matches).
        """
        query = _exact(query) if exact else query
        self._load_corrections()
        return self.store.count_matches(query, prefix_words=prefix_words, cancelled=cancelled)

    def matching_ids(self, query: str) -> set[str]:
        """Ids of every article ``query`` matches (those :meth:`count` counts); raises
        :class:`QueryError`. Saved searches compare them with what the user has seen."""
        self._load_corrections()  # entity corrections change what person:… matches, as in search()
        return self.store.matching_ids(query)

    def hit_spans(
        self, query: str, article_id: str, *, prefix_words: int | None = None, exact: bool = False
    ) -> list[tuple[int, int]]:
        """Where ``query`` matches inside one article's body, for highlighting and n/N
        (``prefix_words`` and ``exact`` as given to :meth:`search`)."""
        query = _exact(query) if exact else query
        self._load_corrections()
        return self.store.hit_spans(query, article_id, prefix_words=prefix_words)

    def article(self, article_id: str) -> Article:
        """The full article, entity mentions included (as the user corrected them);
        raises :class:`ArticleNotFound`."""
        article = self.store.article(article_id)
        self._load_corrections()
        store = self.store
        if not store.corrections or not article.mentions:
            return article
        from dataclasses import replace

        from .index.curation import curate_mentions

        curated = curate_mentions(store.curation(), store.entity_counts, article.mentions, article_id=article.id)
        return replace(article, mentions=curated)

    def articles(self) -> list[ArticleSummary]:
        """Every indexed article, cheaply, in path order (the app sorts)."""
        return self.store.summaries()

    def newest_articles(self, limit: int) -> tuple[list[ArticleSummary], int]:
        """Up to ``limit`` articles newest first (undated ones last, by path) and
        how many there are in all, without loading every row: the app draws its
        first screenful from these. They are the first of :meth:`articles`
        sorted by date, newest first."""
        return self.store.newest_summaries(limit), self.store.count()

    def articles_with_url(self, url: str) -> list[tuple[str, str, str]]:
        """(id, path, title) of indexed articles from ``url`` (so a page is not added twice)."""
        if not self.store.exists():
            return []
        return self.store.articles_with_url(url)

    def __len__(self) -> int:
        return self.store.count()

    # -- bookmarks and reading state ---------------------------------------------

    @property
    def user_state_path(self) -> Path:
        """The user-state database (bookmarks, feeds, read marks, curation, saved searches)."""
        if self._user_state is not None:
            return self._user_state
        from .bookmarks import store_path

        return store_path(self.index_dir)

    def has_user_state(self) -> bool:
        """Whether the user-state database exists (asking must not create it)."""
        return self._bookmarks is not None or self.user_state_path.exists()

    @property
    def bookmarks(self) -> BookmarkStore:
        """The user's bookmark store (:attr:`user_state_path`), opened on first use."""
        if self._bookmarks is None:
            with self._bookmarks_lock:  # one store, even when two threads open it first
                if self._bookmarks is None:
                    from .bookmarks import BookmarkStore, store_path

                    path = self.user_state_path
                    if path == store_path(self.index_dir):
                        try:
                            self.claim_index_folder()  # never a bookmarks file in a folder that is not ours
                        except IndexWriteError:
                            pass  # a read-only folder: the store opens read-only and creates nothing
                    else:
                        try:
                            path.parent.mkdir(parents=True, exist_ok=True)  # the platform's data folder
                        except OSError:
                            pass  # the store says why it cannot write there
                    self._bookmarks = BookmarkStore(path)
        return self._bookmarks

    def search_bookmarks(self, text: str) -> list[Bookmark]:
        """``in:bookmarks text``: live bookmarks whose quote, note, tags or title have every
        word, in articles that match its entity words (``person:lighthizer``, ``-org:x``),
        which are answered by the index like any entity search (the user's merges and hides
        applied). Raises :class:`QueryError` for an entity word that does not parse."""
        from .index.entity_queries import split_entity_words

        wanted, excluded, rest = split_entity_words(text)
        found = self.bookmarks.search(rest) if rest else self.bookmarks.list()
        if wanted and found:
            articles = self.matching_ids(" ".join(wanted))
            found = [b for b in found if b.article in articles]
        if excluded and found:
            articles = self.matching_ids(" OR ".join(excluded))
            found = [b for b in found if b.article not in articles]
        return found

    # -- entities ------------------------------------------------------------

    def entities(self, *, kind: str | None = None, article: str | None = None) -> list[EntitySummary]:
        """Canonical entities with mention and article counts, most mentioned first
        (the user's corrections applied: merged, renamed, re-kinded, hidden ones left out)."""
        self._load_corrections()
        return self.store.entities(kind=kind, article=article)

    def entity_occurrences(self, name: str) -> list[EntityOccurrence]:
        """Articles that mention the entity called ``name`` (canonical or alias)."""
        self._load_corrections()
        return self.store.entity_occurrences(name)

    def entity_articles(self, name: str, kind: str | None = None) -> list[str]:
        """Ids of the articles that mention an entity."""
        self._load_corrections()
        return self.store.entity_article_ids(name, kind=kind)

    def entity_page(self, name: str, kind: str | None = None) -> EntityPage:
        """Everything the collection says about one entity: aliases, counts, a timeline of
        mentions, who appears with it, its articles newest first with the sentence naming it.
        Raises :class:`~reader.curating.CurationError` (closest names suggested) for an unknown name."""
        from .curating import CurationError, find_entity

        entity = find_entity(self, name, kind)
        page = self.store.entity_page(entity.name, entity.kind, entity.aliases)
        if page is None:
            raise CurationError(f"no article mentions {entity.name!r}")
        return page

    def _load_corrections(self) -> None:
        """Hand the user's entity corrections to the index, which applies them at query time
        (a small table read; no user-state file is created just to read it)."""
        from .bookmarks import BookmarkStoreError

        store = self.store
        if not self.has_user_state():
            store.corrections = ()
            return
        try:
            store.corrections = tuple(self.bookmarks.active_corrections())
        except BookmarkStoreError:
            pass  # keep the last ones read: a busy or damaged store must not break searching

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
        if self._bookmarks is not None:
            self._bookmarks.close()
            self._bookmarks = None

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def exact_query(query: str) -> str:
    """``query`` as ``exact=True`` searches it (every plain word ``=word``): what a saved search keeps."""
    return _exact(query)


def _exact(query: str) -> str:
    """``query`` with every plain word and phrase made exact (see index.query.exact_query)."""
    from .index.query import exact_query

    return exact_query(query)
