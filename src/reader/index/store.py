"""The local index: Whoosh for ranking, the SQLite catalog for everything shown.

One long-lived searcher is refreshed (not reopened) when the index changes;
snippets are made only for the hits returned. Layout of the index folder::

    index/search/          Whoosh segments (rebuildable)
    index/catalog.sqlite   article catalog and entity counts (rebuildable)
    index/bookmarks.sqlite the user's bookmarks (never touched here)
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import re
import shutil
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path

from ..ingest.sanitize import valid_unicode
from ..model import (
    Article,
    EntityOccurrence,
    EntitySummary,
    Hit,
    SearchResults,
)
from .catalog import CATALOG_FILES, Catalog
from .errors import IndexBusy, IndexCorrupt, IndexProblem, IndexWriteError
from .spelling import Vocabulary
from .versions import SCHEMA_VERSION

# Whoosh (and the query and schema modules built on it) is imported where a
# search or a write needs it, not here: the app's first paint and the list
# come from the catalog alone, and importing Whoosh costs ~150 ms.

SEARCH_DIR = "search"
CATALOG_FILE = "catalog.sqlite"
SYNC_LOCK = "sync.lock"
INDEX_NAME = "articles"
_TOC = re.compile(rf"^_{INDEX_NAME}_([0-9]+)\.toc$")
_TOC_TEMP = re.compile(rf"^_{INDEX_NAME}_([0-9]+)\.toc\..+$")  # left by a commit killed before its rename
_OLD_SEARCH = "search.old-"  # a search index being thrown away (see reset)
FINGERPRINT = "fingerprint.json"  # size, mtime and hash of each segment file, written after our commits
_REFRESH_EVERY = 1.0  # seconds between checks for a newer index generation


class IndexStore:
    def __init__(self, index_dir: str | Path) -> None:
        self.index_dir = Path(index_dir)
        self._lock = threading.RLock()
        self._catalog: Catalog | None = None
        self._index = None
        self._searcher = None
        self._checked = 0.0
        self._problem: str | None = None  # None: not checked yet; "": healthy
        self._problem_checked = 0.0
        self._verified: object = None  # the generation a full read found healthy

    @cached_property
    def schema(self):
        from .schema import build_schema

        return build_schema()

    @cached_property
    def analyzer(self):
        from .schema import news_analyzer

        return news_analyzer()

    @cached_property
    def queries(self):
        from .query import QueryBuilder

        return QueryBuilder(self.schema)

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
        """Whether a search index is there (a table of contents; nothing is parsed)."""
        try:
            return any(_TOC.match(name) for name in os.listdir(self.search_dir))
        except OSError:
            return False

    def whoosh_index(self, create: bool = False):
        """The Whoosh index, created empty when missing (or when ``create``)."""
        from whoosh.filedb.filestore import FileStorage

        with self._lock:
            if create or not self.exists():
                self._drop_searcher()
                try:
                    self.search_dir.mkdir(parents=True, exist_ok=True)
                    self._index = FileStorage(str(self.search_dir)).create_index(self.schema, indexname=INDEX_NAME)
                except OSError as error:
                    raise write_error(error, self.search_dir) from None
                with self.catalog.transaction() as catalog:
                    catalog.set_meta("schema_version", str(SCHEMA_VERSION))
            elif self._index is None:
                # No mmap: Whoosh wraps each mapped compound segment in a BytesIO,
                # which copies it into memory (259 MB at 20k articles against 31 MB).
                storage = FileStorage(str(self.search_dir), supports_mmap=False)
                self._index = storage.open_index(INDEX_NAME, schema=self.schema)
            return self._index

    def reset(self, *, hard: bool = False) -> None:
        """Forget the search index and catalog (bookmarks live elsewhere).

        The catalog is emptied first and the search folder is renamed away
        before it is deleted, so a reset killed half-way leaves an empty or
        an untouched-but-hidden index, never a half-deleted one. ``hard``
        deletes the catalog file itself (for a catalog too damaged to empty).
        """
        with self._lock:
            self._drop_searcher()
            self._index = None
            self._problem = None
            try:
                if hard:
                    if self._catalog is not None:
                        try:
                            self._catalog.close()
                        except Exception:  # noqa: BLE001 - it is being thrown away
                            pass
                        self._catalog = None
                    for name in CATALOG_FILES:
                        try:
                            (self.index_dir / name).unlink()
                        except FileNotFoundError:
                            pass
                else:
                    self.catalog.clear()
                if self.search_dir.exists():
                    doomed = self.index_dir / f"{_OLD_SEARCH}{os.getpid()}-{time.monotonic_ns()}"
                    os.replace(self.search_dir, doomed)
                self.remove_leftovers()
            except OSError as error:
                raise write_error(error, self.index_dir) from None

    def remove_leftovers(self) -> None:
        """What a killed sync left behind: temporary TOCs, search folders being deleted."""
        try:
            for name in os.listdir(self.search_dir):
                if _TOC_TEMP.match(name) or name.startswith(FINGERPRINT + ".tmp"):
                    os.unlink(self.search_dir / name)
        except OSError:
            pass
        try:
            for name in os.listdir(self.index_dir):
                if name.startswith(_OLD_SEARCH):
                    shutil.rmtree(self.index_dir / name, ignore_errors=True)
        except OSError:
            pass

    # -- health ----------------------------------------------------------------

    def problem(self, *, fresh: bool = False) -> str:
        """Why the index cannot be used as it is ("" when it is fine), in one line.

        Checked when first needed, and again at most once a second while it
        is bad (another process may have rebuilt it): the catalog opens, has
        this version's schema and no damage recorded, and the Whoosh table of
        contents and every segment it lists open. A sync rebuilds an index
        with a problem.
        """
        with self._lock:
            stale = bool(self._problem) and time.monotonic() - self._problem_checked > _REFRESH_EVERY
            if self._problem is None or stale or fresh:
                self._problem = self._check()
                self._problem_checked = time.monotonic()
            return self._problem

    def problem_is_missing_search(self) -> bool:
        return self.problem().startswith(_MISSING)

    def _check(self) -> str:
        self._drop_searcher()
        self._index = None
        try:
            articles = self.catalog.count()
            version = self.catalog.meta("schema_version")
            damaged = self.catalog.meta("damaged")
        except IndexCorrupt as error:
            return str(error)
        if damaged:
            return damaged
        if articles and version != str(SCHEMA_VERSION):
            age = "an older" if version.isdigit() and int(version) < SCHEMA_VERSION else "another"
            return (
                f"the index was written by {age} version of reader"
                f" (index schema {version or 'unknown'}, this version uses {SCHEMA_VERSION})"
            )
        if not self.exists():
            return f"{_MISSING} ({self.search_dir} has no table of contents)" if articles else ""
        try:
            self._searcher = self._new_searcher()
            self._checked = time.monotonic()
            documents = self._searcher.doc_count()
        except IndexProblem:
            raise
        except Exception as error:  # noqa: BLE001 - any failure to open is damage
            self._drop_searcher()
            self._index = None
            return f"the search index is damaged ({_describe(error)})"
        if documents and not articles and not version:  # a catalog made afresh next to a full index
            return f"{CATALOG_FILE} is missing or empty (the search index next to it has {documents} articles)"
        changed = self._check_fingerprint()
        if changed:
            self._drop_searcher()
            self._index = None
            return f"the search index is damaged ({changed})"
        return ""

    # Whoosh segment files have no checksums, and bytes overwritten inside one
    # show only when a search reads them (or never: wrong results). Segment
    # files are never modified once written, so after each commit we note
    # their size, mtime and hash; at open a stat per file finds any change
    # (the hash is read only when the mtime moved, e.g. a copied index).

    def record_fingerprint(self, index) -> None:
        """After a commit of ours: note the segment files of the new generation (best effort)."""
        try:
            generation = index.latest_generation()
            names = os.listdir(self.search_dir)
            known = self._read_fingerprint().get("files", {})
            files = {}
            for segment in index._segments():
                prefix = segment.segment_id() + "."
                for name in names:
                    if name.startswith(prefix):
                        st = os.stat(self.search_dir / name)
                        old = known.get(name)
                        if old and old[:2] == [st.st_size, st.st_mtime_ns]:
                            files[name] = old
                        else:
                            files[name] = [st.st_size, st.st_mtime_ns, _file_hash(self.search_dir / name)]
            temporary = self.search_dir / f"{FINGERPRINT}.tmp-{os.getpid()}"
            temporary.write_text(json.dumps({"generation": generation, "files": files}))
            os.replace(temporary, self.search_dir / FINGERPRINT)
        except (OSError, ValueError):
            pass  # unverifiable until the next commit; never a reason to fail one

    def _read_fingerprint(self) -> dict:
        try:
            data = json.loads((self.search_dir / FINGERPRINT).read_text())
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _check_fingerprint(self) -> str:
        """"" or which segment file changed since our commit wrote it."""
        recorded = self._read_fingerprint()
        try:
            generation = self.whoosh_index().latest_generation()
            if recorded.get("generation") != generation:
                return ""  # written by a commit not (yet) fingerprinted
            for name, (size, mtime_ns, digest) in recorded.get("files", {}).items():
                path = self.search_dir / name
                try:
                    st = os.stat(path)
                except FileNotFoundError:
                    change = f"segment file {name} is missing"
                else:
                    if st.st_size != size:
                        change = f"segment file {name} changed size after it was written ({st.st_size} bytes, was {size})"
                    elif st.st_mtime_ns != mtime_ns and _file_hash(path) != digest:
                        change = f"segment file {name} was modified after it was written"
                    else:
                        continue
                # Not damage if a commit of another process replaced the generation meanwhile.
                return change if self.whoosh_index().latest_generation() == generation else ""
        except (OSError, TypeError, ValueError):
            return ""
        return ""

    def verify_search_index(self) -> str:
        """Read every segment through (stored fields, terms, postings): "" or what is damaged.

        Slow on a big index: used after an unexplained failure while
        searching, to tell damage from a bug.
        """
        from whoosh.filedb.filestore import FileStorage

        changed = self._check_fingerprint()
        if changed:
            return f"the search index is damaged ({changed})"
        try:
            storage = FileStorage(str(self.search_dir), supports_mmap=False)
            with storage.open_index(INDEX_NAME, schema=self.schema).reader() as reader:
                for _fields in reader.all_stored_fields():
                    pass
                for fieldname in reader.indexed_field_names():
                    for term in reader.lexicon(fieldname):
                        reader.postings(fieldname, term).all_ids()
        except Exception as error:  # noqa: BLE001 - any failure to read is damage
            return f"the search index is damaged ({_describe(error)})"
        return ""

    def mark_damaged(self, reason: str) -> None:
        """Remember damage found while reading, so that the next sync (of any process) rebuilds."""
        with self._lock:
            self._problem = reason
            self._problem_checked = time.monotonic()
            self._drop_searcher()
            self._index = None
        try:
            with self.catalog.transaction() as catalog:
                catalog.set_meta("damaged", reason)
        except IndexProblem:
            pass  # a read-only or damaged catalog: at least this process knows

    def _diagnose(self, error: Exception) -> str:
        """After an unexpected exception from Whoosh: the damage found, or "" (then it is a bug).

        The full read runs once per index generation: a bug that fails every
        search must not re-read the whole index each time.
        """
        with self._lock:
            self._problem = None
            problem = self.problem()
            if not problem:
                generation = self._read_fingerprint().get("generation"), self._toc_names()
                if generation != self._verified:
                    problem = self.verify_search_index()
                    self._verified = None if problem else generation
        if problem:
            self.mark_damaged(problem)
        return problem

    def _toc_names(self) -> tuple[str, ...]:
        try:
            return tuple(sorted(name for name in os.listdir(self.search_dir) if _TOC.match(name)))
        except OSError:
            return ()

    @contextmanager
    def writing(self, timeout: float):
        """Exclusive right to update this index, across processes, waiting up to ``timeout`` s.

        An OS lock (``flock`` on ``index/sync.lock``, via Whoosh's FileLock):
        the kernel releases it when its process dies, so a killed sync never
        leaves a stale lock behind. Whoosh's own ``WRITELOCK`` is the same kind.
        """
        from whoosh.util.filelock import FileLock, try_for

        lock = FileLock(str(self.index_dir / SYNC_LOCK))
        try:
            self.index_dir.mkdir(parents=True, exist_ok=True)
            acquired = try_for(lock.acquire, timeout=timeout, delay=0.05)
        except OSError as error:
            raise write_error(error, self.index_dir) from None
        if not acquired:
            raise IndexBusy(
                f"another process is updating the index in {self.index_dir} (waited {timeout:g} s);"
                " try again when it has finished"
            )
        try:
            yield
        finally:
            try:
                lock.release()
            except Exception:  # noqa: BLE001 - closing our own descriptor
                pass

    def _drop_searcher(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None

    def _new_searcher(self):
        return _with_lengths_in_memory(self.whoosh_index().searcher())

    def searcher(self):
        """The shared searcher, refreshed at most once a second when the index moved on."""
        with self._lock:
            if self._searcher is None:
                self._searcher = self._new_searcher()
                self._checked = time.monotonic()
            elif time.monotonic() - self._checked > _REFRESH_EVERY:
                self._checked = time.monotonic()
                if not self._searcher.up_to_date():
                    # Not Searcher.refresh(): it reuses segment readers by segment
                    # id, keeping their old deletions (a changed or deleted article
                    # still matched its old words) and segments merged away.
                    stale, self._searcher = self._searcher, self._new_searcher()
                    stale.close()
            return self._searcher

    def invalidate(self) -> None:
        """After our own writes: make the next search see them."""
        with self._lock:
            self._checked = 0.0

    def close(self) -> None:
        with self._lock:
            self._drop_searcher()
            self._index = None
            self._problem = None
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

    def search(
        self, text: str, *, limit: int = 10, snippets: bool = True, count: bool = True, prefix_words: int | None = None
    ) -> SearchResults:
        """Ranked hits; raises QueryError (bad query) or IndexCorrupt (damaged index, one line).

        Counting every match costs more than finding the best ``limit`` (Whoosh
        skips blocks that cannot reach the top, and a count must visit them
        all): with ``count=False`` the total is exact only when fewer than
        ``limit`` articles matched, and :meth:`count_matches` gives it later.
        A ``prefix*`` stands for its ``prefix_words`` most frequent words
        (default :data:`~reader.index.query.MAX_PREFIX_WORDS`).
        """
        text = valid_unicode(text)
        parsed = self._parse(text)
        if parsed is None:
            return SearchResults(query=text, hits=[], total=0)
        with self._lock:  # Whoosh's readers are not thread-safe: see _count
            return self._guarded(self._search, text, parsed, limit, snippets, count, prefix_words)

    def count_matches(
        self, text: str, *, prefix_words: int | None = None, cancelled: Callable[[], bool] | None = None
    ) -> int | None:
        """How many articles the query matches (the any-word fallback's count when all-words finds none).

        None when ``cancelled()`` turned true while counting (it is asked
        every few thousand matches), or the index changed meanwhile.
        """
        text = valid_unicode(text)
        parsed = self._parse(text)
        if parsed is None:
            return 0
        return self._guarded(self._count, text, parsed, prefix_words, cancelled)

    def _parse(self, text: str):
        """The parsed query (``text`` already valid Unicode), or None when nothing can match.

        Raises the Library's QueryError or IndexCorrupt.
        """
        from whoosh import query as wq

        from ..library import QueryError as LibraryQueryError
        from .query import QueryError

        try:
            parsed = self.queries.parse(text)
        except QueryError as error:
            raise LibraryQueryError(str(error)) from None
        problem = self.problem()
        if problem and not self.problem_is_missing_search():
            raise IndexCorrupt(problem)
        if parsed is wq.NullQuery or not self.exists():
            return None
        return parsed

    def _guarded(self, function, *args):
        try:
            return function(*args)
        except IndexProblem:
            raise
        except Exception as error:  # noqa: BLE001 - damage shows up as any exception
            problem = self._diagnose(error)
            if problem:
                raise IndexCorrupt(problem) from None
            raise

    def _expanded(self, text: str, parsed, prefix_words: int | None, any_word: bool = False):
        """The query with prefixes and fuzzy words expanded; None when an any-word form cannot be made."""
        from .query import MAX_PREFIX_WORDS, QueryError, expand_words, fuzzy_originals

        if any_word:
            try:
                parsed = self.queries.parse(text, any_word=True)
            except QueryError:
                return None
        reader = self.searcher().reader()
        originals = fuzzy_originals(text, self.stem)
        return expand_words(parsed, reader, self.stem, originals, self.vocabulary, prefix_words or MAX_PREFIX_WORDS)

    def _count(self, text: str, parsed, prefix_words: int | None, cancelled) -> int | None:
        with self._lock:
            searcher = self.searcher()
            expanded = self._expanded(text, parsed, prefix_words)
        total = self._count_docs(searcher, expanded, cancelled)
        if total == 0 and _required_parts(expanded) > 1:
            with self._lock:
                any_word = self._expanded(text, parsed, prefix_words, any_word=True)
            if any_word is not None:
                total = self._count_docs(searcher, any_word, cancelled)
        return total

    _COUNT_CHUNK = 2000

    def _count_docs(self, searcher, query, cancelled) -> int | None:
        """Matches counted a chunk at a time, holding the lock only for a chunk.

        Whoosh's segment readers share one file position per file among
        all their readers (a seek, then a read), so two threads reading at
        once read each other's bytes: every use of the searcher holds
        ``_lock``. A count of a common phrase takes a third of a second at
        100k articles; between chunks a search typed meanwhile gets the
        lock, and a cancelled count stops.
        """
        documents = searcher.docs_for_query(query)
        total = 0
        while True:
            with self._lock:
                if self._searcher is not searcher:  # replaced (and closed) after a sync
                    return None
                chunk = sum(1 for _ in itertools.islice(documents, self._COUNT_CHUNK))
            total += chunk
            if chunk < self._COUNT_CHUNK:
                return total
            if cancelled is not None and cancelled():
                return None

    def _search(self, text: str, parsed, limit: int, snippets: bool, count: bool, prefix_words: int | None) -> SearchResults:
        from .query import highlight_terms
        from .snippets import make_snippets

        searcher = self.searcher()
        parsed = self._expanded(text, parsed, prefix_words)
        limit = max(1, int(limit))

        def run(query):
            found = searcher.search(query, limit=limit)
            scored = found.scored_length()
            if scored < limit:  # nothing was skipped: the count is exact
                return found, scored, True
            return (found, len(found), True) if count else (found, scored, False)

        results, total, counted = run(parsed)
        fallback = False
        if total == 0 and _required_parts(parsed) > 1:
            any_word = self._expanded(text, parsed, prefix_words, any_word=True)
            if any_word is not None:
                found, found_total, found_counted = run(any_word)
                if found_total:
                    results, parsed, total, counted, fallback = found, any_word, found_total, found_counted, True
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
        terms_shown = tuple(sorted(terms.terms | terms.prefixes))
        return SearchResults(text, hits, total, fallback, suggestion, terms_shown, counted)

    def stem(self, word: str) -> str:
        """The indexed form of one word."""
        if word.isalpha():  # one token, nothing to fold: straight to the analyzer's cache
            return self.analyzer.term(word)
        return next((token.text for token in self.analyzer(word, mode="query")), "")

    def hit_spans(self, text: str, article_id: str, *, prefix_words: int | None = None) -> list[tuple[int, int]]:
        """Where ``text`` (a query) matches inside one article's body."""
        from .query import QueryError, highlight_terms
        from .snippets import match_spans

        text = valid_unicode(text)
        try:
            parsed = self.queries.parse(text)
        except QueryError:
            return []
        article = self.catalog.article(article_id)
        if article is None or not self.exists():
            return []
        with self._lock:
            parsed = self._expanded(text, parsed, prefix_words)
        return match_spans(article.body, highlight_terms(parsed), self.analyzer)

    @property
    def vocabulary(self) -> Vocabulary:
        return Vocabulary(self.catalog)

    def suggest(self, text: str) -> str:
        """A "did you mean" query: unknown plain words replaced by the closest indexed word."""
        with self._lock:
            return self._suggest(text)

    def _suggest(self, text: str) -> str:
        from .query import STOP_WORDS, QueryError, preprocess

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
        from .query import STOP_WORDS

        candidates: set[str] = set()
        for distance in (1, 2):
            candidates = self.vocabulary.similar(word, distance)
            if candidates:
                break
        # Words of deleted articles stay in the vocabulary; only suggest what still matches.
        frequency = {c: reader.doc_frequency("body", self.stem(c)) for c in candidates if c not in STOP_WORDS}
        best = max(frequency, key=lambda c: (frequency[c], c), default="")
        return best if best and frequency[best] else ""

    # -- entities ------------------------------------------------------------

    def entities(self, *, kind: str | None = None, article: str | None = None) -> list[EntitySummary]:
        from ..entities import preferred_name

        merges = self.entity_merges()
        grouped: dict[str, dict] = {}
        for key, entity_kind, name, mentions, _articles in self.catalog.entity_rows(kind=kind, article=article):
            target = merges.get(key, key)
            entry = grouped.setdefault(target, {"kind": entity_kind, "names": {}, "mentions": 0, "keys": set()})
            entry["names"][name] = entry["names"].get(name, 0) + mentions
            entry["mentions"] += mentions
            entry["keys"].add(key)
        totals = self.catalog.entity_article_totals()
        summaries = []
        for target, entry in grouped.items():
            members = entry["keys"] | {k for k, t in merges.items() if t == target} | {target}
            if len(members) == 1:
                articles = totals.get(target, 0)  # corpus-wide, even when listing one article's entities
            else:
                articles = len({a for key in members for a, _n in self.catalog.entity_article_counts(key)})
            names = entry["names"]
            if len(members) > 1:  # a merged surname: show the full name
                names = {n: c for n, c in names.items() if " " in n} or names
            name = preferred_name(names)
            aliases = tuple(sorted(n for n in entry["names"] if n != name))
            summaries.append(EntitySummary(name, entry["kind"], aliases, entry["mentions"], articles))
        summaries.sort(key=lambda e: (-e.articles, -e.mentions, e.name.lower()))
        return summaries

    def entity_merges(self) -> dict[str, str]:
        """Corpus-level links a single article cannot make: ``Trump`` -> ``Donald Trump``.

        A lone surname merges into the one full name in the corpus it can
        belong to (see :func:`reader.entities.corpus_aliases`); ambiguous ones
        (``Li`` with Li Keqiang and Li Qiang) stay apart.
        """
        from ..entities import corpus_aliases

        return corpus_aliases(self.catalog.person_key_counts())

    def resolve_entity(self, name: str, kind: str | None = None) -> list[tuple[str, str]]:
        """(key, kind) pairs an entity name refers to, corpus-level merges included."""
        from ..entities import corpus_key
        from ..model import ENTITY_KINDS

        found = [(k, kd) for k, kd in self.catalog.entity_keys_for_name(name) if kind in (None, kd)]
        if not found:
            for entity_kind in ([kind] if kind else ENTITY_KINDS):
                key = corpus_key(entity_kind, name)
                if self.catalog.entity_article_counts(key):
                    found.append((key, entity_kind))
        merges = self.entity_merges()
        targets = {merges.get(key, key) for key, _kind in found}
        members = {key: entity_kind for key, entity_kind in found}
        for key, target in merges.items():
            if target in targets:
                members[key] = "person"
        for target in targets:
            members.setdefault(target, "person")
        return sorted(members.items())

    def entity_article_ids(self, name: str, kind: str | None = None) -> list[str]:
        ids = []
        for key, _kind in self.resolve_entity(name, kind):
            ids.extend(article_id for article_id, _count in self.catalog.entity_article_counts(key))
        return sorted(set(ids))

    def entity_occurrences(self, name: str, kind: str | None = None) -> list[EntityOccurrence]:
        """One row per article mentioning the entity, with its first mentioning sentence."""
        from ..entities import sentence_around

        keys = {key for key, _kind in self.resolve_entity(name, kind)}
        counts: dict[str, int] = {}
        for key in keys:
            for article_id, mentions in self.catalog.entity_article_counts(key):
                counts[article_id] = counts.get(article_id, 0) + mentions
        occurrences = []
        for article_id, mentions in counts.items():
            article = self.catalog.article(article_id)
            if article is None:
                continue
            first = next((m for m in article.mentions if mention_key(m.kind, m.canonical) in keys), None)
            sentence = sentence_around(article.body, first.start, first.end) if first else ""
            occurrences.append(EntityOccurrence(article_id, article.title, article.date, mentions, sentence))
        occurrences.sort(key=lambda o: (o.date or "9999", o.article_id))
        return occurrences


_MISSING = "the search index is missing"


def _describe(error: BaseException) -> str:
    text = " ".join(str(error).split())
    if len(text) > 160:
        text = text[:157] + "..."
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _file_hash(path) -> str:
    digest = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_error(error: OSError, where) -> IndexWriteError:
    """An OSError while writing the index, as one line that says where and why."""
    reason = error.strerror or str(error)
    return IndexWriteError(f"cannot write the index in {where}: {reason}")


def mention_key(kind: str, canonical: str) -> str:
    from ..entities import corpus_key

    return corpus_key(kind, canonical)


class _Lengths:
    """One segment's field lengths (a byte per article) held in memory."""

    __slots__ = ("data",)

    def __init__(self, data: bytes) -> None:
        self.data = data

    def __getitem__(self, docnum: int) -> int:
        return self.data[docnum] if docnum < len(self.data) else 0


def _with_lengths_in_memory(searcher):
    """Keep each segment's title and body lengths in memory (a few hundred KB at 100k articles).

    BM25 reads a document's field length for every posting it scores, and
    without mmap each read is a seek and a read on the segment file: 30% of
    a prefix search's time at 100k articles. Reaches into Whoosh's W3 codec
    (pinned below 2.8); anything unexpected leaves the searcher as it was.
    """
    try:
        from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3PerDocReader

        for leaf, _offset in searcher.reader().leaf_readers():
            perdoc = getattr(leaf, "_perdoc", None)
            if not isinstance(perdoc, W3PerDocReader):
                continue
            for field in ("title", "body"):
                name = f"_{field}_len"
                column = perdoc._cached_reader(name, LENGTHS_COLUMN)
                if column is None or getattr(column, "_typecode", None) != "B":
                    continue
                data = column._dbfile.get(column._basepos, column._count)
                if len(data) == column._count:
                    perdoc._readers[name] = _Lengths(bytes(data))
    except Exception:  # noqa: BLE001 - an optimisation only; the searcher still works
        pass
    return searcher


def _required_parts(parsed) -> int:
    from whoosh import query as wq

    if isinstance(parsed, wq.And):
        return len(parsed.subqueries)
    return 1
