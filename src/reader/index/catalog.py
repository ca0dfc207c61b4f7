"""The article catalog: a compact SQLite table of what the list and reader show.

Whoosh keeps only what ranking needs (its stored fields are just the id), so
results, the 100k-row article list and the reading pane are served from here
with one indexed lookup each. Like the Whoosh index it is rebuildable from
``articles/``: it never holds user data (bookmarks live elsewhere).
"""

from __future__ import annotations

import gc
import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..errors import IndexBusy, IndexCorrupt, IndexProblem, IndexWriteError
from ..model import Article, ArticleSummary, Mention
from .spelling import vocabulary_words

#: 2: the words table for spelling; 3: entities after the text (articles_extractor, entity_docs, entity_text)
CATALOG_VERSION = 3
#: The catalog and SQLite's companions: what a hard reset deletes (never bookmarks).
CATALOG_FILES = ("catalog.sqlite", "catalog.sqlite-wal", "catalog.sqlite-shm", "catalog.sqlite-journal")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    path TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    title TEXT NOT NULL,
    title_derived INTEGER NOT NULL DEFAULT 0,
    authors TEXT NOT NULL DEFAULT '',
    date TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',
    dateline TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    tags TEXT NOT NULL DEFAULT '',
    word_count INTEGER NOT NULL DEFAULT 0,
    paragraphs TEXT NOT NULL,
    mentions TEXT NOT NULL DEFAULT '[]',
    extractor TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS articles_path ON articles(path);
CREATE INDEX IF NOT EXISTS articles_extractor ON articles(extractor);
CREATE INDEX IF NOT EXISTS articles_date ON articles(date, path);
CREATE TABLE IF NOT EXISTS skipped (
    path TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    reason TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS entity_counts (
    article_id TEXT NOT NULL,
    key TEXT NOT NULL,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    mentions INTEGER NOT NULL,
    lede INTEGER NOT NULL DEFAULT 0,
    headline INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS entity_counts_key ON entity_counts(key);
CREATE INDEX IF NOT EXISTS entity_counts_article ON entity_counts(article_id);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS entity_docs (doc INTEGER PRIMARY KEY, article_id TEXT NOT NULL UNIQUE);
CREATE VIRTUAL TABLE IF NOT EXISTS entity_text USING fts5(
    person, org, place, "group", money, percent, other, tokenize="unicode61 remove_diacritics 2"
);
CREATE TABLE IF NOT EXISTS words (word TEXT PRIMARY KEY) WITHOUT ROWID;
"""

_SEP = "\x1f"
#: How long a write waits for another process's (milliseconds).
_BUSY_TIMEOUT_MS = 10_000


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


#: One row of entity counts: (article id, corpus key, kind, name as written, mentions,
#: mentions in the lede, 1 when the headline names it: see entity_ranking.py).
EntityCountRow = tuple[str, str, str, str, int, int, int]
#: Columns added to ``entity_counts`` after catalog format 3 came out: added on open, 0 in older rows.
_LATER_COLUMNS = {"lede": "INTEGER NOT NULL DEFAULT 0", "headline": "INTEGER NOT NULL DEFAULT 0"}
_INSERT_COUNTS = "INSERT INTO entity_counts(article_id, key, kind, name, mentions, lede, headline) VALUES (?,?,?,?,?,?,?)"
_INSERT_OLD_COUNTS = "INSERT INTO entity_counts(article_id, key, kind, name, mentions) VALUES (?,?,?,?,?)"


class Catalog:
    """Thread-safe access to ``catalog.sqlite`` (the app queries it from workers)."""

    def __init__(self, path: Path) -> None:
        """Open (or create) the catalog; raises an :class:`IndexProblem` with one line.

        A folder that cannot be written is opened read-only, so a previous
        index stays searchable; writing then fails with IndexWriteError.
        """
        self.path = path
        self._lock = threading.RLock()
        self.readonly = False
        self._placed: bool | None = None
        try:
            self._db = self._open()
        except sqlite3.Error as error:
            problem = problem_for(error, path, write=True)
            if not isinstance(problem, IndexWriteError) or not path.exists():
                raise problem from None
            self._db = self._open_readonly()
            self.readonly = True

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        try:
            db.execute(f"PRAGMA busy_timeout={_BUSY_TIMEOUT_MS}")
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version not in (0, CATALOG_VERSION):
                raise IndexCorrupt(
                    f"{self.path.name} was written by another version of reader"
                    f" (catalog format {version}, this version uses {CATALOG_VERSION})"
                )
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            if version == 0:  # new: create the tables (an existing catalog is not written on open)
                db.executescript(_SCHEMA)
                db.execute(f"PRAGMA user_version={CATALOG_VERSION}")
            else:
                _add_later_columns(db)
                _add_listing_index(db)
        except BaseException:
            db.close()
            raise
        return db

    @property
    def placed(self) -> bool:
        """Whether ``entity_counts`` has the lede and headline columns (a read-only older catalog has not)."""
        with self._lock:
            if self._placed is None:
                self._placed = not _missing_columns(self._db)
            return self._placed

    def _open_readonly(self) -> sqlite3.Connection:
        """Read-only; ``immutable`` when even the WAL index cannot be made (a read-only folder)."""
        last: sqlite3.Error | None = None
        for options in ("mode=ro", "mode=ro&immutable=1"):
            try:
                db = sqlite3.connect(
                    f"file:{quote(str(self.path))}?{options}", uri=True, check_same_thread=False, isolation_level=None
                )
                db.execute("SELECT count(*) FROM articles").fetchone()
                return db
            except sqlite3.Error as error:
                last = error
        assert last is not None  # the loop ran and failed
        raise problem_for(last, self.path, write=False) from None

    @contextmanager
    def _reading(self) -> Iterator[None]:
        with self._lock:
            try:
                yield
            except sqlite3.Error as error:
                raise problem_for(error, self.path, write=False) from None

    def check(self) -> str:
        """SQLite's quick_check over the whole file: "" or what is damaged (one line)."""
        try:
            with self._reading():
                rows = self._db.execute("PRAGMA quick_check(1)").fetchall()
        except IndexCorrupt as error:
            return str(error)
        result = rows[0][0] if rows else "no answer"
        return "" if result == "ok" else f"{self.path.name} is damaged ({' '.join(str(result).split())[:160]})"

    def checkpoint(self) -> bool:
        """Move the write-ahead log into the database file and empty it; False when that could not be done."""
        try:
            with self._lock:
                busy = self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        except sqlite3.Error:
            return False
        return busy is not None and busy[0] == 0

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # -- writing -------------------------------------------------------------

    def transaction(self) -> _Transaction:
        """``with catalog.transaction() as catalog:`` writes all or nothing (BEGIN IMMEDIATE)."""
        return _Transaction(self)

    def put(self, article: Article, size: int, mtime_ns: int, extractor: str, entity_rows: Iterable[EntityCountRow]) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO articles VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                article.id,
                article.path,
                size,
                mtime_ns,
                article.content_hash,
                article.title,
                int(article.title_derived),
                _SEP.join(article.authors),
                article.date,
                article.source,
                article.dateline,
                article.url,
                _SEP.join(article.tags),
                article.word_count,
                json.dumps(article.paragraphs, ensure_ascii=False),
                json.dumps([[m.start, m.end, m.kind, m.canonical] for m in article.mentions], ensure_ascii=False),
                extractor,
            ),
        )
        self._db.execute("DELETE FROM entity_counts WHERE article_id=?", (article.id,))
        self._insert_counts(entity_rows)
        self._forget_entity_text(article.id)  # its entities come again (entity_phase.py)
        self._db.execute("DELETE FROM skipped WHERE path=?", (article.path,))
        self._db.executemany(
            "INSERT OR IGNORE INTO words VALUES (?)",
            ((word,) for word in vocabulary_words(article.title, *article.paragraphs)),
        )

    def set_entities(
        self,
        article_id: str,
        content_hash: str,
        mentions: Iterable[Mention],
        extractor: str,
        entity_rows: Iterable[EntityCountRow],
        entity_text: dict[str, str],
    ) -> bool:
        """An article's entities, extracted after its text was indexed (see ``entity_phase``).

        Written only while the article is still the version they were extracted
        from (``content_hash``): False when a sync changed or removed it meanwhile.
        """
        updated = self._db.execute(
            "UPDATE articles SET mentions=?, extractor=? WHERE id=? AND content_hash=?",
            (
                json.dumps([[m.start, m.end, m.kind, m.canonical] for m in mentions], ensure_ascii=False),
                extractor,
                article_id,
                content_hash,
            ),
        ).rowcount
        if not updated:
            return False
        self._db.execute("DELETE FROM entity_counts WHERE article_id=?", (article_id,))
        self._insert_counts(entity_rows)
        self._forget_entity_text(article_id)
        if entity_text:
            self._db.execute("INSERT INTO entity_docs(article_id) VALUES (?)", (article_id,))
            columns = list(entity_text)
            self._db.execute(
                f"INSERT INTO entity_text(rowid, {', '.join(_quoted(c) for c in columns)})"
                f" VALUES (last_insert_rowid(), {', '.join('?' * len(columns))})",
                [entity_text[c] for c in columns],
            )
        return True

    def _insert_counts(self, rows: Iterable[EntityCountRow]) -> None:
        if self.placed:
            self._db.executemany(_INSERT_COUNTS, rows)
        else:  # an older catalog the columns could not be added to yet (see _add_later_columns)
            self._db.executemany(_INSERT_OLD_COUNTS, (row[:5] for row in rows))

    def _forget_entity_text(self, article_id: str) -> None:
        row = self._db.execute("SELECT doc FROM entity_docs WHERE article_id=?", (article_id,)).fetchone()
        if row is not None:
            self._db.execute("DELETE FROM entity_text WHERE rowid=?", row)
            self._db.execute("DELETE FROM entity_docs WHERE doc=?", row)

    def entity_matches(self, expression: str) -> list[str]:
        """Ids of the articles whose entities match an FTS5 ``expression`` (see entity_search.py)."""
        with self._reading():
            rows = self._db.execute(
                "SELECT d.article_id FROM entity_text JOIN entity_docs d ON d.doc = entity_text.rowid"
                " WHERE entity_text MATCH ?",
                (expression,),
            ).fetchall()
        return [row[0] for row in rows]

    def entity_evidence(self, expression: str, kinds: Iterable[str]) -> list[tuple[str, int, Any, Any, Any, Any, Any]]:
        """(article id, words, kind, name, mentions, lede, headline) of the ``kinds`` names of every article
        matching an FTS5 ``expression``; one row with kind None for an article with no such name.

        One query for the whole search (entity_ranking.py ranks from it), not one per hit.
        """
        kinds = list(kinds)
        places = "e.lede, e.headline" if self.placed else "0, 0"
        with self._reading():
            rows = self._db.execute(
                f"SELECT d.article_id, a.word_count, e.kind, e.name, e.mentions, {places}"
                " FROM entity_text JOIN entity_docs d ON d.doc = entity_text.rowid"
                " JOIN articles a ON a.id = d.article_id"
                " LEFT JOIN entity_counts e ON e.article_id = d.article_id"
                f" AND e.kind IN ({','.join('?' * len(kinds))})"
                " WHERE entity_text MATCH ?",
                (*kinds, expression),
            ).fetchall()
        return rows

    def mentions(self, ids: list[str]) -> dict[str, tuple[str, list[tuple[int, int, str, str]]]]:
        """id -> (body, mentions as (start, end, kind, canonical)) of the given articles."""
        if not ids:
            return {}
        with self._reading():
            rows = self._db.execute(
                f"SELECT id, paragraphs, mentions FROM articles WHERE id IN ({','.join('?' * len(ids))})", ids
            ).fetchall()
        return {
            id_: ("\n\n".join(json.loads(paragraphs)), [(s, e, k, c) for s, e, k, c in json.loads(mentions)])
            for id_, paragraphs, mentions in rows
        }

    def touch(self, article_id: str, size: int, mtime_ns: int) -> None:
        self._db.execute("UPDATE articles SET size=?, mtime_ns=? WHERE id=?", (size, mtime_ns, article_id))

    def remove(self, article_id: str) -> None:
        self._db.execute("DELETE FROM articles WHERE id=?", (article_id,))
        self._db.execute("DELETE FROM entity_counts WHERE article_id=?", (article_id,))
        self._forget_entity_text(article_id)

    def mark_skipped(self, path: str, size: int, mtime_ns: int, reason: str) -> None:
        self._db.execute("INSERT OR REPLACE INTO skipped VALUES (?,?,?,?)", (path, size, mtime_ns, reason))

    def forget_skipped(self, path: str) -> None:
        self._db.execute("DELETE FROM skipped WHERE path=?", (path,))

    def clear(self) -> None:
        # schema_version stays: an emptied catalog is still this version's, and
        # an empty catalog *without* it next to a full search index means the
        # catalog was lost (IndexStore.problem), not a --rebuild killed half-way.
        with self._lock, _converted(self.path, write=True):
            self._db.executescript(
                "DELETE FROM articles; DELETE FROM skipped; DELETE FROM entity_counts;"
                " DELETE FROM entity_docs; DELETE FROM entity_text;"
                " DELETE FROM meta WHERE key != 'schema_version'; DELETE FROM words;"
            )

    def set_meta(self, key: str, value: str) -> None:
        self._db.execute("INSERT OR REPLACE INTO meta VALUES (?,?)", (key, value))

    def known_words(self, candidates: Iterable[str]) -> list[str]:
        """Those of ``candidates`` that occur in some indexed article (ever)."""
        candidates = list(candidates)
        found: list[str] = []
        with self._reading():
            for start in range(0, len(candidates), 900):
                chunk = candidates[start : start + 900]
                rows = self._db.execute(f"SELECT word FROM words WHERE word IN ({','.join('?' * len(chunk))})", chunk)
                found.extend(row[0] for row in rows)
        return found

    def words_near(self, initial: str, shortest: int, longest: int) -> list[str]:
        """Indexed words starting with ``initial`` whose length is in a range."""
        with self._reading():
            rows = self._db.execute(
                "SELECT word FROM words WHERE word >= ? AND word < ? AND length(word) BETWEEN ? AND ?",
                (initial, initial + "\uffff", shortest, longest),
            ).fetchall()
        return [row[0] for row in rows]

    def words_starting(self, prefix: str, limit: int) -> list[str]:
        """Up to ``limit`` indexed words beginning with ``prefix``, in alphabetical order."""
        with self._reading():
            rows = self._db.execute(
                "SELECT word FROM words WHERE word >= ? AND word < ? LIMIT ?", (prefix, prefix + "\uffff", limit)
            ).fetchall()
        return [row[0] for row in rows]

    def meta(self, key: str, default: str = "") -> str:
        with self._reading():
            row = self._db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else default

    # -- reading -------------------------------------------------------------

    def file_states(self) -> dict[str, tuple[str, int, int, str]]:
        """path -> (id, size, mtime_ns, content_hash) for every indexed article."""
        with self._reading():
            rows = self._db.execute("SELECT path, id, size, mtime_ns, content_hash FROM articles").fetchall()
        return {path: (id_, size, mtime, digest) for path, id_, size, mtime, digest in rows}

    def skipped_states(self) -> dict[str, tuple[int, int, str]]:
        with self._reading():
            rows = self._db.execute("SELECT path, size, mtime_ns, reason FROM skipped").fetchall()
        return {path: (size, mtime, reason) for path, size, mtime, reason in rows}

    def entities_pending(self, limit: int = -1) -> list[str]:
        """Ids of articles whose text is indexed but whose entities are still to come, oldest rows first."""
        with self._reading():
            rows = self._db.execute("SELECT id FROM articles WHERE extractor='' ORDER BY rowid LIMIT ?", (limit,)).fetchall()
        return [row[0] for row in rows]

    def content_hashes(self, ids: list[str]) -> dict[str, str]:
        """id -> content hash of the given articles (those still indexed)."""
        out: dict[str, str] = {}
        with self._reading():
            for start in range(0, len(ids), 500):
                part = ids[start : start + 500]
                marks = ",".join("?" * len(part))
                out.update(self._db.execute(f"SELECT id, content_hash FROM articles WHERE id IN ({marks})", part).fetchall())
        return out

    def count_entities_pending(self) -> int:
        with self._reading():
            row = self._db.execute("SELECT count(*) FROM articles WHERE extractor=''").fetchone()
        return int(row[0])

    def count(self) -> int:
        with self._reading():
            count: int = self._db.execute("SELECT count(*) FROM articles").fetchone()[0]
        return count

    def summaries(self) -> list[ArticleSummary]:
        return self._summaries("ORDER BY path")

    def newest_summaries(self, limit: int) -> list[ArticleSummary]:
        """The first ``limit`` articles in the app list's opening order, without reading them all.

        Dated articles newest first (equal dates by path, last first), then the
        undated ones by path: what sorting :meth:`summaries` newest first gives.
        Read backwards along ``articles_date``: without it SQLite scans every
        row, and a row holds its article's text, so the scan read the whole
        table (0.4-0.8 s of CPU at 100k Reuters articles, ten times that at 1M)
        before the app could draw its first screen.
        """
        if limit <= 0:
            return []
        newest = self._summaries("WHERE date != '' ORDER BY date DESC, path DESC LIMIT ?", (limit,))
        if len(newest) < limit:
            newest += self._summaries("WHERE date = '' ORDER BY path LIMIT ?", (limit - len(newest),))
        return newest

    def _summaries(self, where_and_order: str, args: tuple[object, ...] = ()) -> list[ArticleSummary]:
        # 100k rows and summaries would set off full garbage collections for nothing (~0.1 s)
        enabled = gc.isenabled()
        gc.disable()
        try:
            with self._reading():
                rows = self._db.execute(
                    "SELECT id, path, title, date, source, authors, word_count, title_derived FROM articles " + where_and_order,
                    args,
                ).fetchall()
            return [
                ArticleSummary(
                    id_, path, title, date, source, tuple(authors.split(_SEP)) if authors else (), words, bool(derived)
                )
                for id_, path, title, date, source, authors, words, derived in rows
            ]
        finally:
            if enabled:
                gc.enable()

    def heads(self, ids: list[str]) -> dict[str, tuple[str, str, str, str]]:
        """id -> (path, title, date, source) for result lists."""
        if not ids:
            return {}
        with self._reading():
            rows = self._db.execute(
                f"SELECT id, path, title, date, source FROM articles WHERE id IN ({','.join('?' * len(ids))})", ids
            ).fetchall()
        return {row[0]: row[1:] for row in rows}

    def with_url(self, url: str) -> list[tuple[str, str, str]]:
        """(id, path, title) of the articles whose front matter or page names ``url``."""
        with self._reading():
            rows = self._db.execute("SELECT id, path, title FROM articles WHERE url=? ORDER BY path", (url,))
            return [(id_, path, title) for id_, path, title in rows]

    def bodies(self, ids: list[str]) -> dict[str, str]:
        if not ids:
            return {}
        with self._reading():
            rows = self._db.execute(
                f"SELECT id, paragraphs FROM articles WHERE id IN ({','.join('?' * len(ids))})", ids
            ).fetchall()
        return {id_: "\n\n".join(json.loads(paragraphs)) for id_, paragraphs in rows}

    def article(self, article_id: str) -> Article | None:
        with self._reading():
            row = self._db.execute(
                "SELECT id, path, content_hash, title, title_derived, authors, date, source, dateline, url, tags,"
                " paragraphs, mentions FROM articles WHERE id=?",
                (article_id,),
            ).fetchone()
        if row is None:
            return None
        id_, path, digest, title, derived, authors, date, source, dateline, url, tags, paragraphs, mentions = row
        paragraphs = tuple(json.loads(paragraphs))
        body = "\n\n".join(paragraphs)
        return Article(
            id=id_,
            path=path,
            title=title,
            title_derived=bool(derived),
            paragraphs=paragraphs,
            content_hash=digest,
            authors=tuple(authors.split(_SEP)) if authors else (),
            date=date,
            source=source,
            dateline=dateline,
            url=url,
            tags=tuple(tags.split(_SEP)) if tags else (),
            mentions=tuple(Mention(s, e, body[s:e], kind, canonical) for s, e, kind, canonical in json.loads(mentions)),
        )

    def entity_rows(self, *, kind: str | None = None, article: str | None = None) -> Iterator[tuple[str, str, str, int, int]]:
        """(key, kind, name, mentions, articles) per name spelling, for aggregation.

        With ``article``: only that article's spellings, and its own mentions.
        """
        where, args = [], []
        if kind:
            where.append("kind=?")
            args.append(kind)
        if article:
            where.append("article_id=?")
            args.append(article)
        sql = "SELECT key, kind, name, sum(mentions), count(DISTINCT article_id) FROM entity_counts"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " GROUP BY key, name"
        with self._reading():
            rows = self._db.execute(sql, args).fetchall()
        return iter(rows)

    def person_key_counts(self) -> dict[str, int]:
        with self._reading():
            rows = self._db.execute("SELECT key, sum(mentions) FROM entity_counts WHERE kind='person' GROUP BY key").fetchall()
        return dict(rows)

    def entity_article_totals(self) -> dict[str, int]:
        with self._reading():
            rows = self._db.execute("SELECT key, count(DISTINCT article_id) FROM entity_counts GROUP BY key").fetchall()
        return dict(rows)

    def entity_keys_for_name(self, name: str) -> list[tuple[str, str]]:
        with self._reading():
            rows = self._db.execute(
                "SELECT DISTINCT key, kind FROM entity_counts WHERE name=? COLLATE NOCASE", (name,)
            ).fetchall()
        return rows

    def entity_key_rows(self, keys: Iterable[str]) -> list[tuple[str, str, str, int]]:
        """(article id, key, name, mentions) of every row of these keys."""
        keys = list(keys)
        rows: list[tuple[str, str, str, int]] = []
        with self._reading():
            for i in range(0, len(keys), 500):
                chunk = keys[i : i + 500]
                marks = ",".join("?" * len(chunk))
                rows += self._db.execute(
                    f"SELECT article_id, key, name, mentions FROM entity_counts WHERE key IN ({marks})", chunk
                ).fetchall()
        return rows

    def entity_names_for_keys(self, keys: list[str]) -> list[tuple[str, str, str]]:
        """(key, kind, spelling) of every name indexed under these keys."""
        if not keys:
            return []
        marks = ",".join("?" * len(keys))
        with self._reading():
            rows = self._db.execute(f"SELECT DISTINCT key, kind, name FROM entity_counts WHERE key IN ({marks})", keys).fetchall()
        return rows

    def entity_article_counts(self, key: str) -> list[tuple[str, int]]:
        with self._reading():
            rows = self._db.execute(
                "SELECT article_id, sum(mentions) FROM entity_counts WHERE key=? GROUP BY article_id", (key,)
            ).fetchall()
        return rows


class _Transaction:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    def __enter__(self) -> Catalog:
        self.catalog._lock.acquire()
        try:
            self.catalog._db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as error:
            self.catalog._lock.release()
            raise problem_for(error, self.catalog.path, write=True) from None
        return self.catalog

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: object) -> None:
        try:
            if exc_type is None:
                try:
                    self.catalog._db.execute("COMMIT")
                    return
                except sqlite3.Error as error:
                    exc = error
            try:
                self.catalog._db.execute("ROLLBACK")
            except sqlite3.Error:
                pass  # SQLite already rolled back (disk full, I/O error)
            if isinstance(exc, sqlite3.Error):
                raise problem_for(exc, self.catalog.path, write=True) from None
        finally:
            self.catalog._lock.release()


def _missing_columns(db: sqlite3.Connection) -> list[str]:
    have = {row[1] for row in db.execute("PRAGMA table_info(entity_counts)")}
    return [name for name in _LATER_COLUMNS if name not in have]


def _add_listing_index(db: sqlite3.Connection) -> None:
    """Give a catalog written before ``articles_date`` existed the index the first screen is read
    along (see ``newest_summaries``). Built once, a scan of every row (about a second at 100k
    articles); never waits for another process's write: tried again at the next open."""
    if db.execute("SELECT 1 FROM sqlite_master WHERE type='index' AND name='articles_date'").fetchone():
        return
    db.execute("PRAGMA busy_timeout=0")
    try:
        db.execute("CREATE INDEX IF NOT EXISTS articles_date ON articles(date, path)")
    except sqlite3.OperationalError:
        pass  # busy or read-only: the newest rows are found by a scan until then
    finally:
        db.execute(f"PRAGMA busy_timeout={_BUSY_TIMEOUT_MS}")


def _add_later_columns(db: sqlite3.Connection) -> None:
    """Bring an older format-3 catalog's ``entity_counts`` up to date (adding a column with a
    default rewrites nothing: its rows read 0, ranked by mention counts alone until re-indexed)."""
    try:
        for name in _missing_columns(db):
            db.execute(f"ALTER TABLE entity_counts ADD COLUMN {name} {_LATER_COLUMNS[name]}")
    except sqlite3.OperationalError:
        pass  # busy or read-only: tried again at the next open; meanwhile ranked by counts alone


@contextmanager
def _converted(path: Path, write: bool) -> Iterator[None]:
    try:
        yield
    except sqlite3.Error as error:
        raise problem_for(error, path, write=write) from None


def problem_for(error: sqlite3.Error, path: Path, *, write: bool) -> IndexProblem:
    """An SQLite error as one line that says what is wrong with the catalog."""
    name = getattr(error, "sqlite_errorname", "") or ""
    text = " ".join(str(error).split())
    if (
        name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB"))
        or "malformed" in text
        or "not a database" in text
        or "Could not decode" in text  # garbage where text was: damage quick_check cannot see
    ):
        return IndexCorrupt(f"{path.name} is damaged ({text})")
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in text:
        return IndexBusy(f"{path.name} is locked by another process ({text}); try again when it has finished")
    if write:
        return IndexWriteError(f"cannot write the index in {path.parent}: {text}")
    return IndexProblem(f"cannot read {path}: {text}")
