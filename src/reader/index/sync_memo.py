"""What the last complete sync left: so that a no-change sync at a million articles stays cheap.

At 1M articles a no-change sync spent most of its time on two things that
only confirm what the last sync already knew: SQLite's ``quick_check``,
which reads the whole catalog (5.5 s at 375k articles), and loading every
article's file state to compare with the folder (1.4 s at 375k). The memo,
written by a sync that finished, holds

- the catalog files' identity (inode, size, mtime of the database and its
  write-ahead log, taken after a checkpoint): while it is the same, nobody
  has written or damaged the catalog since, so the full-file check is not
  needed again;
- a digest of the folder listing that sync worked from (each article file's
  path, size and mtime, and the problems found): while the catalog is the
  one the memo describes and the listing digest is the same, every file is
  as indexed and there is nothing to read.

Any write to the catalog (a sync, the entity phase, another process) changes
its identity, and any change to the articles folder seen by a stat walk
changes the digest; either sends the sync down the full path, which writes
a new memo when it finishes. The memo is a cache: losing it, or finding it
damaged, costs one slow sync and nothing else.
"""

from __future__ import annotations

import json
import os
from array import array
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..ingest import ArticleFile
    from .store import IndexStore

SYNC_MEMO = "sync-memo.json"

Identity = list[list[int] | None]


def listing_digest(articles_dir: Path, files: Sequence[ArticleFile], problems: Iterable[tuple[str, str]]) -> str:
    """One digest of what a stat walk saw, in the walk's (sorted) order.

    Paths joined in one string and sizes and mtimes packed as 64-bit
    integers: 0.2 s for a million files, where formatting each file's line
    took 0.8 s.
    """
    import hashlib  # here: loading OpenSSL is ~3 ms of every new `reader search`, which never syncs

    digest = hashlib.blake2b(digest_size=16)
    digest.update(os.fsencode(os.path.realpath(articles_dir)) + b"\0")
    digest.update("\n".join([file.relpath for file in files]).encode("utf-8", "surrogatepass"))
    digest.update(array("q", map(_size, files)).tobytes())
    digest.update(array("q", map(_mtime, files)).tobytes())
    digest.update(b"\0problems\0")
    digest.update("\n".join([f"{path}\0{reason}" for path, reason in problems]).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


_size, _mtime = attrgetter("size"), attrgetter("mtime_ns")


def catalog_identity(catalog_path: Path) -> Identity:
    """Inode, size and mtime of the catalog and its write-ahead log (None for a missing file)."""
    identity: Identity = []
    for path in (catalog_path, catalog_path.with_name(catalog_path.name + "-wal")):
        try:
            st = os.stat(path)
        except FileNotFoundError:
            identity.append(None)
            continue
        identity.append(None if path != catalog_path and st.st_size == 0 else [st.st_ino, st.st_size, st.st_mtime_ns])
    return identity


@dataclass(frozen=True)
class SyncMemo:
    catalog: Identity
    listing: str

    @classmethod
    def read(cls, index_dir: Path) -> SyncMemo | None:
        try:
            data = json.loads((index_dir / SYNC_MEMO).read_text(encoding="utf-8"))
            memo = cls(catalog=data["catalog"], listing=str(data["listing"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None  # missing or damaged: the full path, once
        return memo

    def describes(self, catalog_path: Path) -> bool:
        """Whether the catalog is untouched since the memo was written."""
        return self.catalog == catalog_identity(catalog_path)

    def write(self, index_dir: Path) -> None:
        """Atomically (a rename); a failure to write is no problem, only a slower next sync."""
        temporary = index_dir / f"{SYNC_MEMO}.tmp-{os.getpid()}"
        try:
            temporary.write_text(json.dumps({"catalog": self.catalog, "listing": self.listing}), encoding="utf-8")
            os.replace(temporary, index_dir / SYNC_MEMO)
        except OSError:
            try:
                temporary.unlink()
            except OSError:
                pass


def forget(index_dir: Path) -> None:
    """Before a sync writes: a memo must never outlive the state it describes if the identity check is fooled."""
    try:
        (index_dir / SYNC_MEMO).unlink()
    except OSError:
        pass


def remember(store: IndexStore, listing: str) -> None:
    """Write the memo of a finished sync; the caller holds the sync lock.

    The catalog is checkpointed first, so that closing it later does not
    change its identity.
    """
    if store.catalog.readonly or not store.catalog.checkpoint():
        return
    SyncMemo(catalog_identity(store.folder.catalog_path), listing).write(store.index_dir)


@contextmanager
def kept_across(store: IndexStore) -> Iterator[None]:
    """Around a catalog write that leaves every file state as it was (the entity phase), under the sync lock.

    A memo that held before the write holds after it, with the catalog's new
    identity: else the first sync after the entity phase would re-check and
    re-compare the whole catalog (~20 s at 1M articles).
    """
    memo = SyncMemo.read(store.index_dir)
    held = memo is not None and memo.describes(store.folder.catalog_path)
    yield
    if memo is not None and held:
        remember(store, memo.listing)
