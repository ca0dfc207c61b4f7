"""Is the index usable as it is? One line that says why not, or "".

Checked when first needed and again at most once a second while it is bad
(another process may have rebuilt it): the catalog opens, has this
version's schema and no damage recorded, and the Whoosh table of contents
and every segment it lists open. A sync rebuilds an index with a problem.

Whoosh segment files have no checksums, and bytes overwritten inside one
show only when a search reads them (or never: wrong results). Segment files
are never modified once written, so after each commit we note their size,
mtime and hash (the fingerprint); at open a stat per file finds any change
(the hash is read only when the mtime moved, e.g. a copied index).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import IndexCorrupt, IndexProblem
from .folder import CATALOG_FILE, FINGERPRINT, INDEX_NAME
from .versions import SCHEMA_VERSION

if TYPE_CHECKING:
    from .store import IndexStore

RECHECK_EVERY = 1.0  # seconds between checks of an index found bad
MISSING = "the search index is missing"


def describe(error: BaseException) -> str:
    """An unexpected exception as a short line: its type and the start of its message."""
    text = " ".join(str(error).split())
    if len(text) > 160:
        text = text[:157] + "..."
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def file_hash(path: Path) -> str:
    import hashlib  # only when a segment's mtime moved: loading OpenSSL is ~3 ms of a new process

    digest = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# -- the fingerprint ---------------------------------------------------------------


def record_fingerprint(search_dir: Path, index: Any) -> None:
    """After a commit of ours: note the segment files of the new generation (best effort)."""
    try:
        generation = index.latest_generation()
        names = os.listdir(search_dir)
        known = read_fingerprint(search_dir).get("files", {})
        files = {}
        for segment in index._segments():
            prefix = segment.segment_id() + "."
            for name in names:
                if name.startswith(prefix):
                    st = os.stat(search_dir / name)
                    old = known.get(name)
                    if old and old[:2] == [st.st_size, st.st_mtime_ns]:
                        files[name] = old
                    else:
                        files[name] = [st.st_size, st.st_mtime_ns, file_hash(search_dir / name)]
        temporary = search_dir / f"{FINGERPRINT}.tmp-{os.getpid()}"
        temporary.write_text(json.dumps({"generation": generation, "files": files}))
        os.replace(temporary, search_dir / FINGERPRINT)
    except (OSError, ValueError):
        pass  # unverifiable until the next commit; never a reason to fail one


def read_fingerprint(search_dir: Path) -> dict[str, Any]:
    try:
        data = json.loads((search_dir / FINGERPRINT).read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def check_fingerprint(search_dir: Path, index: Any) -> str:
    """"" or which segment file changed since our commit wrote it."""
    recorded = read_fingerprint(search_dir)
    try:
        generation = index.latest_generation()
        if recorded.get("generation") != generation:
            return ""  # written by a commit not (yet) fingerprinted
        for name, (size, mtime_ns, digest) in recorded.get("files", {}).items():
            path = search_dir / name
            try:
                st = os.stat(path)
            except FileNotFoundError:
                change = f"segment file {name} is missing"
            else:
                if st.st_size != size:
                    change = f"segment file {name} changed size after it was written ({st.st_size} bytes, was {size})"
                elif st.st_mtime_ns != mtime_ns and file_hash(path) != digest:
                    change = f"segment file {name} was modified after it was written"
                else:
                    continue
            # Not damage if a commit of another process replaced the generation meanwhile.
            return change if index.latest_generation() == generation else ""
    except (OSError, TypeError, ValueError):
        return ""
    return ""


def verify_search_index(search_dir: Path, schema: Any) -> str:
    """Read every segment through (stored fields, terms, postings): "" or what is damaged.

    Slow on a big index: used after an unexplained failure while searching,
    to tell damage from a bug, and when a write fails.
    """
    from whoosh.filedb.filestore import FileStorage

    try:
        storage = FileStorage(str(search_dir), supports_mmap=False)
        index = storage.open_index(INDEX_NAME, schema=schema)
        changed = check_fingerprint(search_dir, index)
        if changed:
            return f"the search index is damaged ({changed})"
        with index.reader() as reader:
            for _fields in reader.all_stored_fields():
                pass
            for fieldname in reader.indexed_field_names():
                for term in reader.lexicon(fieldname):
                    reader.postings(fieldname, term).all_ids()
    except Exception as error:  # noqa: BLE001 - any failure to read is damage
        return f"the search index is damaged ({describe(error)})"
    return ""


# -- the verdict, remembered -------------------------------------------------------


class Health:
    """One store's verdict on its index, checked lazily and re-checked while bad."""

    def __init__(self, store: IndexStore) -> None:
        self._store = store
        self._lock = store.lock  # one lock: the check swaps the store's searcher
        self._problem: str | None = None  # None: not checked yet; "": healthy
        self._checked = 0.0
        self._verified: object = None  # the generation a full read found healthy

    def forget(self) -> None:
        with self._lock:
            self._problem = None

    def problem(self, *, fresh: bool = False) -> str:
        """Why the index cannot be used as it is ("" when it is fine), in one line."""
        with self._lock:
            stale = bool(self._problem) and time.monotonic() - self._checked > RECHECK_EVERY
            if self._problem is None or stale or fresh:
                self._problem = self._check()
                self._checked = time.monotonic()
            return self._problem

    def _check(self) -> str:
        store = self._store
        store.drop_handles()
        try:
            articles = store.catalog.count()
            version = store.catalog.meta("schema_version")
            damaged = store.catalog.meta("damaged")
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
        if not store.exists():
            return f"{MISSING} ({store.search_dir} has no table of contents)" if articles else ""
        try:
            documents: int = store.searcher().doc_count()
        except IndexProblem:
            raise
        except Exception as error:  # noqa: BLE001 - any failure to open is damage
            store.drop_handles()
            return f"the search index is damaged ({describe(error)})"
        if documents and not articles and not version:  # a catalog made afresh next to a full index
            return f"{CATALOG_FILE} is missing or empty (the search index next to it has {documents} articles)"
        changed = check_fingerprint(store.search_dir, store.whoosh_index())
        if changed:
            store.drop_handles()
            return f"the search index is damaged ({changed})"
        return ""

    def mark_damaged(self, reason: str) -> None:
        """Remember damage found while reading, so that the next sync (of any process) rebuilds."""
        with self._lock:
            self._problem = reason
            self._checked = time.monotonic()
        self._store.drop_handles()
        try:
            with self._store.catalog.transaction() as catalog:
                catalog.set_meta("damaged", reason)
        except IndexProblem:
            pass  # a read-only or damaged catalog: at least this process knows

    def diagnose(self) -> str:
        """After an unexpected exception from Whoosh: the damage found, or "" (then it is a bug).

        The full read runs once per index generation: a bug that fails every
        search must not re-read the whole index each time.
        """
        store = self._store
        with self._lock:
            self._problem = None
            problem = self.problem()
            if not problem:
                generation = read_fingerprint(store.search_dir).get("generation"), store.folder.toc_names()
                if generation != self._verified:
                    problem = verify_search_index(store.search_dir, store.schema)
                    self._verified = None if problem else generation
        if problem:
            self.mark_damaged(problem)
        return problem
