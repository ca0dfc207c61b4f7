"""The local index: Whoosh for ranking, the SQLite catalog for everything shown.

One long-lived searcher is refreshed (not reopened) when the index changes;
snippets are made only for the hits returned. Layout of the index folder::

    index/search/          Whoosh segments (rebuildable)
    index/catalog.sqlite   article catalog and entity counts (rebuildable)
    index/bookmarks.sqlite the user's bookmarks (never touched here)
"""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

from whoosh import index as windex
from whoosh import query as wq
from whoosh.filedb.filestore import FileStorage

from ..model import (
    Article,
    EntityOccurrence,
    EntitySummary,
    Hit,
    SearchResults,
)
from .catalog import Catalog
from .query import (
    STOP_WORDS,
    QueryBuilder,
    QueryError,
    expand_words,
    fuzzy_originals,
    highlight_terms,
    preprocess,
    words_within,
)
from .schema import SCHEMA_VERSION, build_schema, news_analyzer
from .snippets import make_snippets, match_spans

SEARCH_DIR = "search"
CATALOG_FILE = "catalog.sqlite"
INDEX_NAME = "articles"
_REFRESH_EVERY = 1.0  # seconds between checks for a newer index generation


class IndexStore:
    def __init__(self, index_dir: str | Path) -> None:
        self.index_dir = Path(index_dir)
        self._lock = threading.RLock()
        self._catalog: Catalog | None = None
        self._index = None
        self._searcher = None
        self._checked = 0.0
        self.schema = build_schema()
        self.analyzer = news_analyzer()
        self.queries = QueryBuilder(self.schema)

    # -- opening -------------------------------------------------------------

    @property
    def search_dir(self) -> Path:
        return self.index_dir / SEARCH_DIR

    @property
    def catalog(self) -> Catalog:
        if self._catalog is None:
            with self._lock:
                if self._catalog is None:
                    self.index_dir.mkdir(parents=True, exist_ok=True)
                    self._catalog = Catalog(self.index_dir / CATALOG_FILE)
        return self._catalog

    def exists(self) -> bool:
        return windex.exists_in(str(self.search_dir), indexname=INDEX_NAME) if self.search_dir.is_dir() else False

    def whoosh_index(self, create: bool = False):
        """The Whoosh index, created empty when missing (or when ``create``)."""
        with self._lock:
            if create or not self.exists():
                self._drop_searcher()
                self.search_dir.mkdir(parents=True, exist_ok=True)
                self._index = FileStorage(str(self.search_dir)).create_index(self.schema, indexname=INDEX_NAME)
                with self.catalog.transaction() as catalog:
                    catalog.set_meta("schema_version", str(SCHEMA_VERSION))
            elif self._index is None:
                # No mmap: Whoosh wraps each mapped compound segment in a BytesIO,
                # which copies it into memory (259 MB at 20k articles against 31 MB).
                storage = FileStorage(str(self.search_dir), supports_mmap=False)
                self._index = storage.open_index(INDEX_NAME, schema=self.schema)
            return self._index

    def reset(self) -> None:
        """Forget the search index and catalog (bookmarks live elsewhere)."""
        with self._lock:
            self._drop_searcher()
            self._index = None
            if self.search_dir.exists():
                shutil.rmtree(self.search_dir)
            self.catalog.clear()

    def _drop_searcher(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None

    def searcher(self):
        """The shared searcher, refreshed at most once a second when the index moved on."""
        with self._lock:
            if self._searcher is None:
                self._searcher = self.whoosh_index().searcher()
                self._checked = time.monotonic()
            elif time.monotonic() - self._checked > _REFRESH_EVERY:
                self._checked = time.monotonic()
                self._searcher = self._searcher.refresh()
            return self._searcher

    def invalidate(self) -> None:
        """After our own writes: make the next search see them."""
        with self._lock:
            self._checked = 0.0

    def close(self) -> None:
        with self._lock:
            self._drop_searcher()
            self._index = None
            if self._catalog is not None:
                self._catalog.close()
                self._catalog = None

    # -- reading -------------------------------------------------------------

    def count(self) -> int:
        return self.catalog.count()

    def summaries(self):
        return self.catalog.summaries()

    def article(self, article_id: str) -> Article:
        from ..library import ArticleNotFound

        article = self.catalog.article(article_id)
        if article is None:
            raise ArticleNotFound(article_id)
        return article

    def search(self, text: str, *, limit: int = 10, snippets: bool = True) -> SearchResults:
        from ..library import QueryError as LibraryQueryError

        try:
            parsed = self.queries.parse(text)
        except QueryError as error:
            raise LibraryQueryError(str(error)) from None
        if parsed is wq.NullQuery or not self.exists():
            return SearchResults(query=text, hits=[], total=0)
        searcher = self.searcher()
        reader = searcher.reader()
        originals = fuzzy_originals(text, self.stem)
        parsed = expand_words(parsed, reader, self.stem, originals)
        limit = max(1, int(limit))
        results = searcher.search(parsed, limit=limit)
        total = len(results)
        fallback = False
        if total == 0 and _required_parts(parsed) > 1:
            try:
                any_word = expand_words(self.queries.parse(text, any_word=True), reader, self.stem, originals)
            except QueryError:
                any_word = None
            if any_word is not None:
                results = searcher.search(any_word, limit=limit)
                if len(results):
                    parsed, total, fallback = any_word, len(results), True
        suggestion = self.suggest(text) if total == 0 or fallback else ""
        ids = [hit["id"] for hit in results]
        heads = self.catalog.heads(ids)
        terms = highlight_terms(parsed)
        bodies = self.catalog.bodies(ids) if snippets else {}
        hits = []
        for hit in results:
            head = heads.get(hit["id"])
            if head is None:  # indexed but not yet in the catalog (a sync in flight)
                continue
            path, title, date, source = head
            found = make_snippets(bodies.get(hit["id"], ""), terms, self.analyzer) if snippets else ()
            hits.append(Hit(hit["id"], path, title, date, source, round(float(hit.score), 4), found))
        return SearchResults(text, hits, total, fallback, suggestion, tuple(sorted(terms.terms | terms.prefixes)))

    def stem(self, word: str) -> str:
        """The indexed form of one word."""
        return next((token.text for token in self.analyzer(word, mode="query")), "")

    def hit_spans(self, text: str, article_id: str) -> list[tuple[int, int]]:
        """Where ``text`` (a query) matches inside one article's body."""
        try:
            parsed = self.queries.parse(text)
        except QueryError:
            return []
        article = self.catalog.article(article_id)
        if article is None or not self.exists():
            return []
        parsed = expand_words(parsed, self.searcher().reader(), self.stem, fuzzy_originals(text, self.stem))
        return match_spans(article.body, highlight_terms(parsed), self.analyzer)

    def suggest(self, text: str) -> str:
        """A "did you mean" query: unknown plain words replaced by the closest indexed word."""
        if not self.exists():
            return ""
        reader = self.searcher().reader()
        try:
            cleaned = preprocess(text)
        except QueryError:
            return ""
        changed = False
        words = []
        for word in cleaned.split(" "):
            bare = word.rstrip("~*").strip('"')
            if (
                not bare.isalpha()
                or ":" in word
                or bare.lower() in STOP_WORDS
                or word in ("AND", "OR", "NOT")
                or len(bare) < 3
            ):
                words.append(word)
                continue
            stem = self.stem(bare)
            if stem and reader.doc_frequency("body", stem):
                words.append(word)
                continue
            best = self._closest_word(reader, bare.lower())
            if best:
                words.append(best)
                changed = True
            else:
                words.append(word)
        return " ".join(words) if changed else ""

    def _closest_word(self, reader, word: str) -> str:
        candidates: set[str] = set()
        for distance in (1, 2):
            candidates = words_within(reader, word, distance)
            if candidates:
                break
        if not candidates:
            return ""

        return max(candidates, key=lambda candidate: reader.doc_frequency("body", self.stem(candidate)))

    # -- entities ------------------------------------------------------------

    def entities(self, *, kind: str | None = None, article: str | None = None) -> list[EntitySummary]:
        from ..entities import preferred_name

        grouped: dict[str, dict] = {}
        for key, entity_kind, name, mentions, articles in self.catalog.entity_rows(kind=kind, article=article):
            entry = grouped.setdefault(key, {"kind": entity_kind, "names": {}, "mentions": 0, "articles": set()})
            entry["names"][name] = entry["names"].get(name, 0) + mentions
            entry["mentions"] += mentions
        counts = self._article_counts(grouped.keys(), article)
        summaries = []
        for key, entry in grouped.items():
            name = preferred_name(entry["names"])
            aliases = tuple(sorted(n for n in entry["names"] if n != name))
            summaries.append(EntitySummary(name, entry["kind"], aliases, entry["mentions"], counts.get(key, 0)))
        summaries.sort(key=lambda e: (-e.articles, -e.mentions, e.name.lower()))
        return summaries

    def _article_counts(self, keys, article: str | None) -> dict[str, int]:
        """Article counts are corpus-wide even when listing one article's entities."""
        totals = self.catalog.entity_article_totals()
        return {key: totals.get(key, 0) for key in keys}

    def resolve_entity(self, name: str, kind: str | None = None) -> list[tuple[str, str]]:
        """(key, kind) pairs an entity name refers to: exact spelling first, then corpus key."""
        from ..entities import corpus_key
        from ..model import ENTITY_KINDS

        found = [(k, kd) for k, kd in self.catalog.entity_keys_for_name(name) if kind in (None, kd)]
        if found:
            return found
        keys = []
        for entity_kind in ([kind] if kind else ENTITY_KINDS):
            key = corpus_key(entity_kind, name)
            if self.catalog.entity_article_counts(key):
                keys.append((key, entity_kind))
        return keys

    def entity_article_ids(self, name: str, kind: str | None = None) -> list[str]:
        ids = []
        for key, _kind in self.resolve_entity(name, kind):
            ids.extend(article_id for article_id, _count in self.catalog.entity_article_counts(key))
        return sorted(set(ids))

    def entity_occurrences(self, name: str, kind: str | None = None) -> list[EntityOccurrence]:
        from ..entities import sentence_around

        occurrences = []
        for key, _kind in self.resolve_entity(name, kind):
            for article_id, mentions in self.catalog.entity_article_counts(key):
                article = self.catalog.article(article_id)
                if article is None:
                    continue
                sentence = ""
                for mention in article.mentions:
                    if mention_key(mention.kind, mention.canonical) == key:
                        sentence = sentence_around(article.body, mention.start, mention.end)
                        break
                occurrences.append(EntityOccurrence(article_id, article.title, article.date, mentions, sentence))
        occurrences.sort(key=lambda o: (o.date or "9999", o.article_id))
        return occurrences


def mention_key(kind: str, canonical: str) -> str:
    from ..entities import corpus_key

    return corpus_key(kind, canonical)


def _required_parts(parsed) -> int:
    if isinstance(parsed, wq.And):
        return len(parsed.subqueries)
    return 1
