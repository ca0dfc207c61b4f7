"""Where reader reaches into Whoosh's internals, kept in one place.

Each patch is an optimisation measured at 100k articles, pinned to the
Whoosh version in ``pyproject.toml`` (whoosh-reloaded below 2.8), and leaves
Whoosh as it was when the internals are not what it expects.
"""

from __future__ import annotations

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
