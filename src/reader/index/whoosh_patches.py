"""Where reader reaches into Whoosh's internals, kept in one place.

Each patch is an optimisation measured at 100k articles, pinned to the
Whoosh version in ``pyproject.toml`` (whoosh-reloaded below 2.8), and leaves
Whoosh as it was when the internals are not what it expects.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.machinery
import sys
import types
from collections.abc import Callable, Iterator, Sequence
from typing import Any


class _Lengths:
    """One segment's field lengths (a byte per article) held in memory."""

    __slots__ = ("data",)

    def __init__(self, data: bytes) -> None:
        self.data = data

    def __getitem__(self, docnum: int) -> int:
        return self.data[docnum] if docnum < len(self.data) else 0


def with_lengths_in_memory(searcher: Any) -> Any:
    """Keep each segment's title and body lengths in memory (a few hundred KB at 100k articles).

    BM25 reads a document's field length for every posting it scores, and
    without mmap each read is a seek and a read on the segment file: 30% of
    a prefix search's time at 100k articles. Reaches into Whoosh's W3 codec;
    anything unexpected leaves the searcher as it was.
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


def leaf_posting_ids(leaf: Any, fieldname: str, text: Any) -> set[int]:
    """Every document number in one segment's posting list of a term, deleted ones included.

    Read a block at a time (Whoosh keeps ~100 ids per block) instead of a
    matcher step per posting: a set of 10,000 ids in about a millisecond.
    Reaches into Whoosh's W3 codec; anything else is read through the matcher.
    """
    from whoosh.codec.whoosh3 import W3LeafMatcher

    text = leaf._text_to_bytes(fieldname, text)
    matcher = leaf._terms.matcher(fieldname, text, leaf.schema[fieldname].format)
    if not isinstance(matcher, W3LeafMatcher):
        return set(matcher.all_ids())
    found: set[int] = set()
    while matcher.is_active():
        matcher._read_ids()
        found.update(matcher._ids)
        matcher._next_block()
    return found


#: Term infos remembered per segment (each ~100 bytes); past this the memo starts over.
TERM_MEMO_SIZE = 50_000
_ABSENT = object()


def remember_term_lookups() -> None:
    """Each segment's terms reader remembers the terms it looked up.

    Whoosh looks a term up in a segment's on-disk hash table (an md5 and a
    few reads) again for each question about it: whether it is there, its
    document frequency, its postings, its weight. A two-word search at 20k
    articles in 8 segments did ~500 lookups, a fifth of its time; and typing
    asks for the same words again and again. Segments never change once
    written, so the answers can be kept with the reader (and go with it).
    """
    from whoosh.codec.whoosh3 import W3TermInfo, W3TermsReader
    from whoosh.reading import TermNotFound

    if getattr(W3TermsReader, "_reader_remembers", False):
        return

    def lookup(self: Any, fieldname: str, tbytes: bytes) -> Any:
        memo = self.__dict__.get("_reader_terms")
        if memo is None:
            memo = self.__dict__["_reader_terms"] = {}
        key = (fieldname, tbytes)
        info = memo.get(key)
        if info is None:
            try:
                info = W3TermInfo.from_bytes(self._tindex[self._keycoder(fieldname, tbytes)])
            except KeyError:
                info = _ABSENT
            if len(memo) >= TERM_MEMO_SIZE:
                memo.clear()
            memo[key] = info
        return info

    def term_info(self: Any, fieldname: str, tbytes: bytes) -> Any:
        info = lookup(self, fieldname, tbytes)
        if info is _ABSENT:
            raise TermNotFound(f"No term {fieldname}:{tbytes!r}")
        return info

    def contains(self: Any, term: tuple[str, bytes]) -> bool:
        return lookup(self, *term) is not _ABSENT

    def doc_frequency(self: Any, fieldname: str, tbytes: bytes) -> int:
        info = lookup(self, fieldname, tbytes)
        if info is _ABSENT:
            raise KeyError(tbytes)  # as Whoosh's own: the segment reader turns it into 0
        return int(info.doc_frequency())

    def frequency(self: Any, fieldname: str, tbytes: bytes) -> float:
        info = lookup(self, fieldname, tbytes)
        if info is _ABSENT:
            raise KeyError(tbytes)
        return float(info.weight())

    W3TermsReader.term_info = term_info
    W3TermsReader.__contains__ = contains
    W3TermsReader.doc_frequency = doc_frequency
    W3TermsReader.frequency = frequency
    W3TermsReader._reader_remembers = True


def map_segment_files() -> None:
    """Read segments through a memory map, without copying them into memory.

    Without a map every read of a posting block or a term is a seek and a
    read system call on the segment file (~3,000 for a two-word search at
    20k articles). Whoosh's own mapped mode wraps each mapped file in a
    ``BytesIO``, which copies it (259 MB of memory at 20k articles); here
    the file object reads the map in place, and the pages are the page
    cache's, shared and reclaimable.
    """
    from whoosh.filedb import compound
    from whoosh.filedb.structfile import BufferFile

    if getattr(compound.CompoundStorage, "_reader_maps", False):
        return

    class MappedFile(BufferFile):  # type: ignore[misc] # Whoosh is untyped
        def __init__(self, source: Any, offset: int, length: int, name: str) -> None:
            self._buf = memoryview(source)[offset : offset + length]
            self._name = name
            self.file = compound.SubFile(source, offset, length, name=name)
            self.onclose = None
            self.is_real = False
            self.is_closed = False

    copying_open = compound.CompoundStorage.open_file

    def open_file(self: Any, name: str, *args: Any, **kwargs: Any) -> Any:
        if self._source is None:
            return copying_open(self, name, *args, **kwargs)
        offset, length = self.range(name)
        return MappedFile(self._source, offset, length, name)

    compound.CompoundStorage.open_file = open_file
    compound.CompoundStorage._reader_maps = True


def leaf_postings(leaf: Any, fieldname: str, tbytes: bytes, values: bool = False) -> dict[int, Any]:
    """One segment's posting list of a term as document number -> weight (or, with ``values``,
    -> (weight, encoded positions)), deleted ones included; read a block at a time."""
    from whoosh.codec.whoosh3 import W3LeafMatcher

    matcher = leaf._terms.matcher(fieldname, tbytes, leaf.schema[fieldname].format)
    found: dict[int, Any] = {}
    if not isinstance(matcher, W3LeafMatcher):
        while matcher.is_active():
            found[matcher.id()] = (matcher.weight(), matcher.value()) if values else matcher.weight()
            matcher.next()
        return found
    while matcher.is_active():
        matcher._read_ids()
        matcher._read_weights()
        if values:
            matcher._read_values()
            found.update(zip(matcher._ids, zip(matcher._weights, matcher._values, strict=True), strict=True))
        else:
            found.update(zip(matcher._ids, matcher._weights, strict=True))
        matcher._next_block()
    return found


def _compound_hash(self: Any) -> int:
    return hash((type(self).__name__, self.boost, tuple(self.subqueries)))


def fix_compound_query_hash() -> None:
    """Give Whoosh's And/Or queries a hash that tells different words apart.

    Whoosh hashes a compound query as the XOR of its parts, and a word in a
    query is ``Or(title:word, body:word)``: the word's hash cancels out, every
    word's pair hashes alike, and the parser's de-duplication compares each
    word with every other (a 900-word query: a million comparisons, 1.5 s).
    The replacement agrees with Whoosh's ``__eq__`` (class, boost, parts).
    """
    from whoosh.query.compound import CompoundQuery

    CompoundQuery.__hash__ = _compound_hash


class _FlushLengths:
    """The new segment's field lengths, each field's column read once, for writing its postings.

    Whoosh looks up a document's field length for every posting it writes
    (for the block's length bounds): a dictionary lookup, a string format and
    a seek-and-read per posting, 9% of a 2,000-article build.
    """

    def __init__(self, perdoc: Any) -> None:
        from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
        from whoosh.util.numeric import byte_to_length

        self._perdoc = perdoc
        self._columns: dict[str, Any] = {}
        self._lenfield = _lenfield
        self._column = LENGTHS_COLUMN
        self._lengths = [byte_to_length(byte) for byte in range(256)]

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int | None:
        data = self._columns.get(fieldname)
        if data is None:
            data = self._columns[fieldname] = self._load(fieldname)
        if data is False:
            return self._perdoc.doc_field_length(docnum, fieldname, default)  # type: ignore[no-any-return]
        byte = data[docnum] if docnum < len(data) else 0
        return self._lengths[byte] if byte else None  # as Whoosh: None for no length

    def _load(self, fieldname: str) -> Any:
        column = self._perdoc._cached_reader(self._lenfield(fieldname), self._column)
        if column is None:
            return b""
        if getattr(column, "_typecode", None) != "B":
            return False  # not the layout expected: ask Whoosh each time
        data = column._dbfile.get(column._basepos, column._count)
        return bytes(data) if len(data) == column._count else False

    def close(self) -> None:
        self._perdoc.close()

    def __bool__(self) -> bool:
        return True


def fast_flush_lengths() -> None:
    """Let a Whoosh segment writer read the new segment's lengths from memory (see _FlushLengths).

    The same steps as ``SegmentWriter._flush_segment``, with the lengths reader wrapped.
    """
    from whoosh.codec.whoosh3 import W3PerDocReader
    from whoosh.writing import SegmentWriter

    if getattr(SegmentWriter._flush_segment, "_reader_patched", False):
        return

    def _flush_segment(self: Any) -> None:
        self.perdocwriter.close()
        pdr = self.per_document_reader() if self.codec.length_stats else None
        lengths = _FlushLengths(pdr) if isinstance(pdr, W3PerDocReader) else pdr
        self.fieldwriter.add_postings(self.schema, lengths, self.pool.iter_postings())
        self.fieldwriter.close()
        if lengths:
            lengths.close()

    _flush_segment._reader_patched = True  # type: ignore[attr-defined]
    SegmentWriter._flush_segment = _flush_segment


_M_TRIM_THRESHOLD = -1  # glibc's mallopt parameter
_TRIM_DEFAULT = 128 * 1024  # glibc's default trim threshold
_TRIM_WHILE_WRITING = 256 * 1024 * 1024


def _libc_mallopt() -> Any:
    """glibc's ``mallopt``, or None (another C library, or none to be found)."""
    try:
        import ctypes

        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return None
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    return mallopt


@contextlib.contextmanager
def freed_memory_kept() -> Iterator[None]:
    """While writing a segment, freed memory stays with the process instead of going back to the system.

    Whoosh compresses each posting block with ``zlib.compress``, which
    allocates and frees ~270 KB of compressor state each time; glibc hands
    that back to the system at once (it sits at the top of the heap) and
    the next call faults the pages in again: 36 µs per block instead of
    4 µs, 55% of a Whoosh commit's CPU on real news. Raising glibc's trim
    threshold while writing keeps the pages; it is set back afterwards (and
    the process keeps glibc's fixed mmap threshold from then on). Nothing
    changes in what is written.
    """
    mallopt = _libc_mallopt()
    if mallopt is None or not mallopt(_M_TRIM_THRESHOLD, _TRIM_WHILE_WRITING):
        yield
        return
    try:
        yield
    finally:
        mallopt(_M_TRIM_THRESHOLD, _TRIM_DEFAULT)


# -- importing Whoosh without what it never uses here ----------------------------------


def _real(name: str) -> types.ModuleType:
    """The real module ``name``, imported now (a stand-in, if one is in place, gives way)."""
    if isinstance(sys.modules.get(name), _StandIn):
        del sys.modules[name]
    return importlib.import_module(name)


class _StandIn(types.ModuleType):
    """A module Whoosh imports a name from while it loads; anything else asked of it is the real module's."""

    def __getattr__(self, attribute: str) -> Any:
        if attribute.startswith("__"):  # the import system asks for __path__ and the like
            raise AttributeError(attribute)
        return getattr(_real(self.__name__), attribute)


def _called_later(module: str, name: str) -> Any:
    """A function that calls ``module.name``, importing the real module on the first call."""

    def call(*args: Any, **kwargs: Any) -> Any:
        return getattr(_real(module), name)(*args, **kwargs)

    return call


def _builtin_md5() -> Any:
    """The interpreter's own MD5 (the same digests as OpenSSL's, faster for short keys), else hashlib's."""
    try:
        return importlib.import_module("_md5").md5
    except ImportError:  # a Python built without it
        return _called_later("hashlib", "md5")


def _stand_in(module: str, **names: Any) -> Callable[[], _StandIn]:
    """What makes the stand-in for ``module``: a module holding only ``names``."""

    def make() -> _StandIn:
        stand_in = _StandIn(module)
        for name, value in names.items():
            setattr(stand_in, name, value)
        return stand_in

    return make


#: Whoosh module -> (what it imports, its stand-in while it loads).
_STAND_INS = {
    # ``from urllib.request import urlretrieve`` (never called by reader) pulls in
    # http.client, email, ssl and socket: a third of Whoosh's import time.
    "whoosh.compat": (
        "urllib.request",
        _stand_in("urllib.request", urlretrieve=_called_later("urllib.request", "urlretrieve")),
    ),
    # The ``cached_property`` package imports asyncio for its async variants.
    "whoosh.reading": ("cached_property", _stand_in("cached_property", cached_property=functools.cached_property)),
    # ``from whoosh.lang.morph_en import variations`` (for the ``Variations`` query, which
    # reader never builds) compiles ~900 English suffix rules into regexes: ~5 ms.
    "whoosh.query.terms": (
        "whoosh.lang.morph_en",
        _stand_in("whoosh.lang.morph_en", variations=_called_later("whoosh.lang.morph_en", "variations")),
    ),
    # ``from hashlib import md5``, to hash each term looked up in a segment's term table:
    # ``hashlib`` loads OpenSSL (~3 ms) to give the MD5 the interpreter already has.
    "whoosh.filedb.filetables": ("hashlib", _stand_in("hashlib", md5=_builtin_md5())),
}


class _StandInLoader:  # an importlib loader (importlib.abc alone costs ~5 ms to import)
    def __init__(self, loader: Any, name: str, make: Any) -> None:
        self.loader, self.name, self.make = loader, name, make

    def create_module(self, spec: Any) -> Any:
        return self.loader.create_module(spec)

    def exec_module(self, module: types.ModuleType) -> None:
        stand_in = None
        if self.name not in sys.modules:
            stand_in = sys.modules[self.name] = self.make()
        try:
            self.loader.exec_module(module)
        finally:
            if stand_in is not None and sys.modules.get(self.name) is stand_in:
                del sys.modules[self.name]


class _LightWhoosh:  # an importlib meta path finder
    def find_spec(self, name: str, path: Sequence[str] | None, target: Any = None) -> Any:
        if name not in _STAND_INS:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is not None and spec.loader is not None:
            spec.loader = _StandInLoader(spec.loader, *_STAND_INS[name])  # type: ignore[assignment] # duck-typed loader
        return spec


def import_whoosh_lightly() -> None:
    """Whoosh, when it is first imported, loads without ``urllib.request``, ``asyncio``, ``morph_en`` and ``hashlib``.

    Four of its modules import a name they never use in reader from modules
    that are slow to import (~40% of Whoosh's import time, which a new
    ``reader search`` process pays before its first hit). While those four
    load, a stand-in module gives them the name; it is gone as soon as they
    have, and anything that imports the real module later gets it.
    """
    if "whoosh.compat" in sys.modules or any(isinstance(f, _LightWhoosh) for f in sys.meta_path):
        return
    sys.meta_path.insert(0, _LightWhoosh())


import_whoosh_lightly()  # before anything in reader imports Whoosh (store.py imports this module first)

