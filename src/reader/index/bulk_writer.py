"""A Whoosh segment written in bulk: the same files, byte for byte, as Whoosh's own writer.

Whoosh's ``SegmentWriter`` analyses a document into Token objects, puts each
posting as a tuple into a pool, sorts the pool, and writes the postings one
Python call at a time through ``W3PostingsWriter``: most of a build's time
on real news. :class:`BulkSegmentWriter` keeps Whoosh's writer for everything
around the postings (the lock, the per-document columns, the compound file,
the table of contents, ``update_document``'s deletions) and replaces the
middle: each text field is analysed with the schema's own
:class:`~reader.index.schema.NewsAnalyzer` word-to-term cache into plain
lists (term -> document numbers, frequencies, encoded positions), and each
term's posting blocks are written whole, with the same pickles, compression,
block statistics and term infos as ``W3PostingsWriter``. The segment it
writes is identical to Whoosh's (``tests/test_bulk_writer.py`` compares the
files), so no search can tell which writer wrote it.

Segments the merge policy merges into the new one are read posting by
posting, as Whoosh reads them, into the same lists. Fields it has no fast path for (ids, dates, tags) go through the field's own
``index()``, as Whoosh's writer does.
"""

from __future__ import annotations

import zlib
from array import array
from collections import Counter
from operator import sub
from pickle import dumps
from typing import Any

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, WHOOSH3_HEADER_MAGIC, W3Codec, W3TermInfo, _lenfield
from whoosh.fields import UnknownFieldError
from whoosh.formats import Frequency, Positions
from whoosh.system import pack_int, pack_long, pack_uint, pack_ushort, unpack_uint
from whoosh.writing import SegmentWriter

from ..text.fold import fold_punctuation
from .schema import _GLUE, NewsAnalyzer

_POSITIONS, _FREQUENCY, _GENERIC = "positions", "frequency", "generic"
_FLUSH_BYTES = 1 << 20  # postings buffered before a write to the file
_CACHE_WORDS = 500_000  # words remembered per analyzer before the cache starts over


class _TermCache(dict[str, str]):
    """Word as written -> indexed term ("" for none), filled from the analyzer on a miss.

    Looked up with ``map(cache.__getitem__, words)``, so a known word costs
    no Python call. Glued words (``MnuchinSteven``) are noted in ``glued``
    with the terms of their parts, which the index also holds.
    """

    def __init__(self, analyzer: NewsAnalyzer) -> None:
        super().__init__()
        self.term = analyzer.term
        self.glued: dict[str, tuple[str, ...]] = {}

    def __missing__(self, word: str) -> str:
        term = self[word] = self.term(word)
        if _GLUE.search(word):
            self.glued[word] = tuple(self.term(part) for part in _GLUE.split(word))
        return term


def _field_plan(field: Any) -> str:
    """How a field's postings are gathered: the NewsAnalyzer fast paths, or the field's own ``index()``."""
    if field.vector or field.separate_spelling():
        raise ValueError("the bulk writer writes no term vectors or spelling fields")
    if isinstance(field.analyzer, NewsAnalyzer) and field.scorable:
        if type(field.format) is Positions:
            return _POSITIONS
        if type(field.format) is Frequency:
            return _FREQUENCY
    return _GENERIC


def supports(index: Any) -> bool:
    """Whether :class:`BulkSegmentWriter` can write this index's segments."""
    from whoosh.codec import default_codec

    codec = default_codec()
    if not isinstance(codec, W3Codec) or codec._inlinelimit > 1:  # noqa: SLF001 - inlined postings are not written here
        return False
    try:
        for _name, field in index.schema.items():
            _field_plan(field)
    except ValueError:
        return False
    return True


class BulkSegmentWriter(SegmentWriter):  # type: ignore[misc] # Whoosh is untyped
    """A Whoosh segment writer that gathers postings in lists and writes each term's blocks whole."""

    def __init__(self, ix: Any, **kwargs: Any) -> None:
        super().__init__(ix, **kwargs)
        codec = self.codec
        if not isinstance(codec, W3Codec):
            raise TypeError(f"the bulk writer writes Whoosh 3 segments, not {type(codec).__name__}")
        self._blocklimit: int = codec._blocklimit
        self._compression: int = codec._compression
        self._plans = {name: _field_plan(field) for name, field in self.schema.items()}
        #: field -> term -> ([docnum], [frequency], [encoded positions]); the generic fields:
        #: term bytes -> ([docnum], [weight], [value])
        self._postings: dict[str, dict[Any, tuple[list[int], list[Any], list[Any]]]] = {}
        self._caches: dict[int, _TermCache] = {}
        self._one_position: list[bytes] = []  # position -> its encoding alone (the most common case)

    # -- adding documents --------------------------------------------------

    def add_document(self, **fields: Any) -> None:
        """As ``SegmentWriter.add_document``: sorted field names, the same per-document columns."""
        self._check_state()
        names = sorted(fields)
        for name in names:
            if name.startswith("_"):
                raise ValueError(f"the bulk writer takes no boosts or custom stored values ({name})")
            if name not in self.schema:
                raise UnknownFieldError(f"No field named {name!r} in {self.schema}")
        perdoc = self.perdocwriter
        docnum = self.docnum
        perdoc.start_doc(docnum)
        try:
            for name in names:
                value = fields[name]
                if value is None:
                    continue
                field = self.schema[name]
                length = self._index_field(name, field, value, docnum) if field.indexed else 0
                perdoc.add_field(name, field, value if field.stored else None, length)
                column = field.column_type
                if column:
                    perdoc.add_column_value(name, column, field.to_column_value(value))
        except Exception:
            perdoc.cancel_doc()
            raise
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1

    def _cache(self, analyzer: NewsAnalyzer) -> _TermCache:
        cache = self._caches.get(id(analyzer))
        if cache is None:
            cache = self._caches[id(analyzer)] = _TermCache(analyzer)
        elif len(cache) >= _CACHE_WORDS:  # between two texts: a text's glued words stay known while it is read
            cache.clear()
            cache.glued.clear()
        return cache

    def _index_field(self, name: str, field: Any, value: Any, docnum: int) -> int:
        """Gather one field's postings; its length (the number of tokens) when it is scorable."""
        plan = self._plans[name]
        postings = self._postings.get(name)
        if postings is None:
            postings = self._postings[name] = {}
        if plan == _GENERIC:
            length = 0
            for tbytes, freq, weight, vbytes in field.index(value):
                entry = postings.get(tbytes)
                if entry is None:
                    entry = postings[tbytes] = ([], [], [])
                entry[0].append(docnum)
                entry[1].append(weight)
                entry[2].append(vbytes)
                length += freq
            return length if field.scorable else 0
        if not isinstance(value, str):
            raise ValueError(f"{value!r} is not unicode or sequence")
        analyzer = field.analyzer
        cache = self._cache(analyzer)
        words = analyzer.expression.findall(fold_punctuation(value))
        terms = list(map(cache.__getitem__, words))
        glued = cache.glued
        if glued and not glued.keys().isdisjoint(words):
            return self._index_glued(plan, postings, words, terms, glued, docnum)
        if plan == _FREQUENCY:
            counts = Counter(terms)
            counts.pop("", None)
            for term, freq in counts.items():
                entry = postings.get(term)
                if entry is None:
                    entry = postings[term] = ([], [], [])
                entry[0].append(docnum)
                entry[1].append(freq)
            return sum(counts.values())
        places: dict[str, list[int]] = {}
        for pos, term in enumerate(terms):
            found = places.get(term)
            if found is None:
                places[term] = [pos]
            else:
                found.append(pos)
        places.pop("", None)
        return self._add_positions(postings, places, docnum)

    def _index_glued(
        self,
        plan: str,
        postings: dict[Any, tuple[list[int], list[Any], list[Any]]],
        words: list[str],
        terms: list[str],
        glued: dict[str, tuple[str, ...]],
        docnum: int,
    ) -> int:
        """A text with glued words: each word's term, then its parts' at the same position (as NewsAnalyzer)."""
        places: dict[str, list[int]] = {}
        for pos, (word, term) in enumerate(zip(words, terms, strict=True)):
            for each in (term, *glued.get(word, ())):
                if each:
                    places.setdefault(each, []).append(pos)
        if plan == _FREQUENCY:
            for term, found in places.items():
                entry = postings.get(term)
                if entry is None:
                    entry = postings[term] = ([], [], [])
                entry[0].append(docnum)
                entry[1].append(len(found))
            return sum(len(found) for found in places.values())
        return self._add_positions(postings, places, docnum)

    def _add_positions(
        self, postings: dict[Any, tuple[list[int], list[Any], list[Any]]], places: dict[str, list[int]], docnum: int
    ) -> int:
        """Each term's positions encoded as ``formats.Positions.encode`` does."""
        one = self._one_position
        length = 0
        for term, found in places.items():
            entry = postings.get(term)
            if entry is None:
                entry = postings[term] = ([], [], [])
            freq = len(found)
            length += freq
            entry[0].append(docnum)
            entry[1].append(freq)
            if freq == 1:
                pos = found[0]
                if pos >= len(one):
                    one.extend(pack_uint(1) + dumps([p], 2) for p in range(len(one), pos + 1024))
                entry[2].append(one[pos])
            else:
                deltas = [found[0], *map(sub, found[1:], found[:-1])]
                entry[2].append(pack_uint(freq) + dumps(deltas, 2))
        return length

    def add_reader(self, reader: Any) -> None:
        """A segment merged into this one (the merge policy's doing), after the documents added:
        as ``SegmentWriter.add_reader``, with the postings gathered here instead of in Whoosh's pool."""
        self._check_state()
        basedoc = self.docnum
        indexed = {name for name in reader.indexed_field_names() if name in self.schema}
        docmap = self.write_per_doc(set(self.schema.names()) | indexed, reader)
        plans = self._plans
        for name, btext, docnum, weight, value in self._process_posts(reader.iter_postings(), basedoc, docmap):
            plan = plans[name]
            postings = self._postings.get(name)
            if postings is None:
                postings = self._postings[name] = {}
            if plan == _GENERIC:
                key: Any = btext
                freq_or_weight = weight
            else:
                key = btext.decode("utf-8")
                freq_or_weight = unpack_uint(value[:4])[0]  # Positions and Frequency both start with it
            entry = postings.get(key)
            if entry is None:
                entry = postings[key] = ([], [], [])
            entry[0].append(docnum)
            entry[1].append(freq_or_weight)
            entry[2].append(value)
        self._added = True

    # -- writing the segment -----------------------------------------------

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        perdoc = self.per_document_reader()
        writer = self.fieldwriter
        try:
            for name in sorted(name for name, postings in self._postings.items() if postings):
                field = self.schema[name]
                writer.start_field(name, field)
                self._write_field(writer, name, field, _length_bytes(perdoc, name, self.docnum))
                writer.finish_field()
        finally:
            perdoc.close()
        writer.close()
        self._postings.clear()

    def _write_field(self, writer: Any, name: str, field: Any, lengths: bytes) -> None:
        """Every term's posting blocks and term info, as W3PostingsWriter writes them."""
        plan = self._plans[name]
        fmt = field.format
        boost = float(fmt.field_boost)
        postfile = writer._postfile
        tindex = writer._tindex
        key_prefix = pack_ushort(writer._fieldid)
        limit, level = self._blocklimit, self._compression
        pack_info = W3TermInfo._struct.pack
        weight_of = _Weights(boost)
        fixed = fmt.fixed_value_size()
        postings = self._postings[name]
        if plan == _GENERIC:
            items = sorted(postings.items())
        else:
            items = sorted((term.encode("utf-8"), entry) for term, entry in postings.items())
        offset = postfile.tell()
        buffer: list[bytes] = []
        buffered = 0
        for tbytes, (docs, weights, values) in items:
            start = offset
            total_weight = 0.0
            max_weight = 0.0
            min_byte, max_byte = 256, 0
            count = len(docs)
            chunks = [WHOOSH3_HEADER_MAGIC]
            for begin in range(0, count, limit):
                end = begin + limit
                ids = docs[begin:end]
                if plan == _GENERIC:
                    raw = weights[begin:end]
                    floats = array("f", raw)
                    block_max = max(raw)
                    block_values: Any = _block_values(fixed, values[begin:end])
                else:
                    freqs = weights[begin:end]
                    floats = array("f", map(weight_of.__getitem__, freqs))
                    block_max = max(freqs) * boost
                    if plan == _POSITIONS:
                        block_values = _distinct(tuple(values[begin:end]))
                    else:
                        block_values = b"".join(map(_PACKED.__getitem__, freqs)) if fixed else None
                total_weight += sum(floats)
                if block_max > max_weight:
                    max_weight = block_max
                first = floats[0]
                if first == 1.0 and floats.count(first) == len(floats):
                    block_weights: Any = None
                elif floats.count(first) == len(floats):
                    block_weights = first
                else:
                    block_weights = tuple(floats)
                deltas = (ids[0], *map(sub, ids[1:], ids[:-1]))
                data = dumps((deltas, block_weights, block_values), 2)
                if level:
                    data = zlib.compress(data, level)
                doc_bytes = bytes(map(lengths.__getitem__, ids))
                top = max(doc_bytes)
                present = doc_bytes.replace(b"\0", b"")
                low = min(present) if present else 0
                if present and low < min_byte:
                    min_byte = low
                if top > max_byte:
                    max_byte = top
                info = dumps((len(ids), ids[-1], block_max, level, low, top), 2)
                size = len(info) + len(data)
                chunks.append(pack_int(-size if end >= count else size))
                chunks.append(info)
                chunks.append(data)
            block = b"".join(chunks)
            offset += len(block)
            buffer.append(block)
            buffered += len(block)
            if buffered > _FLUSH_BYTES:
                postfile.write(b"".join(buffer))
                buffer.clear()
                buffered = 0
            terminfo = pack_info(
                0,
                total_weight,
                count,
                min_byte if min_byte < 256 else 0,
                max_byte,
                max_weight,
                docs[0],
                docs[-1],
            )
            tindex.add(key_prefix + tbytes, terminfo + pack_long(start) + pack_int(offset - start))
        postfile.write(b"".join(buffer))


def _length_bytes(perdoc: Any, name: str, doccount: int) -> bytes:
    """Each document's length byte in one field of the new segment, read back from its column
    (as Whoosh's writer reads them for the block statistics); zero for none."""
    column = perdoc._cached_reader(_lenfield(name), LENGTHS_COLUMN)
    if column is None:
        return bytes(doccount)
    if getattr(column, "_typecode", None) == "B":
        data = bytes(column._dbfile.get(column._basepos, column._count))
    else:
        data = bytes(column[docnum] for docnum in range(doccount))
    return data[:doccount] + bytes(max(0, doccount - len(data)))


class _Weights(dict[int, float]):
    """Frequency -> its weight as a block stores it (a 32-bit float of frequency x field boost)."""

    def __init__(self, boost: float) -> None:
        super().__init__()
        self.boost = boost

    def __missing__(self, freq: int) -> float:
        weight = self[freq] = array("f", [freq * self.boost])[0]
        return weight


class _Packed(dict[int, bytes]):
    """Frequency -> ``formats.Frequency``'s encoding of it."""

    def __missing__(self, freq: int) -> bytes:
        packed: bytes = pack_uint(freq)
        self[freq] = packed
        return packed


_PACKED = _Packed()


def _block_values(fixed: int | None, values: list[bytes]) -> Any:
    """A block's values as ``W3PostingsWriter._mini_values`` (which drops empty ones)."""
    values = [value for value in values if value]
    if fixed is None or fixed < 0:
        return _distinct(tuple(values))
    if fixed == 0:
        return None
    return b"".join(values)


def _distinct(values: tuple[bytes, ...]) -> tuple[bytes, ...]:
    """The same values, no object twice: pickle writes a repeated object as a back-reference,
    and Whoosh's values are all distinct objects, so the block's bytes would differ."""
    if len(set(map(id, values))) == len(values):
        return values
    seen: set[int] = set()
    distinct = []
    for value in values:
        if id(value) in seen:
            value = bytes(bytearray(value))
        seen.add(id(value))
        distinct.append(value)
    return tuple(distinct)
