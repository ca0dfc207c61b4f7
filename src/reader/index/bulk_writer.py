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

import struct
import zlib
from array import array
from collections import Counter
from collections.abc import Iterator
from io import BytesIO
from itertools import accumulate, compress, repeat
from operator import add, is_not, mul, sub, truediv
from pickle import dumps, load, loads
from typing import Any

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, WHOOSH3_HEADER_MAGIC, W3Codec, W3TermInfo, _lenfield
from whoosh.fields import UnknownFieldError
from whoosh.formats import Frequency, Positions
from whoosh.system import pack_int, pack_long, pack_uint, pack_ushort, unpack_int, unpack_uint
from whoosh.writing import SegmentWriter

from ..text.fold import fold_punctuation
from .schema import _GLUE, NewsAnalyzer

_POSITIONS, _FREQUENCY, _GENERIC = "positions", "frequency", "generic"
_RECORD = struct.Struct("!ii")  # a term table record's key and value lengths (filetables._lengths)
_FLUSH_BYTES = 1 << 20  # postings buffered before a write to the file
_CACHE_WORDS = 500_000  # words remembered per analyzer before the cache starts over


class _Postings(dict[Any, tuple[list[int], list[Any], list[Any]]]):
    """One field's postings so far: term -> ([docnum], [frequency or weight], [value])."""

    def __missing__(self, term: Any) -> tuple[list[int], list[Any], list[Any]]:
        entry: tuple[list[int], list[Any], list[Any]] = ([], [], [])
        self[term] = entry
        return entry


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
        self._postings: dict[str, _Postings] = {}
        self._caches: dict[int, _TermCache] = {}
        self._one_position: list[bytes] = []  # position -> its encoding alone (the most common case)
        self._last_words: tuple[str, str, list[str]] | None = None

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
            postings = self._postings[name] = _Postings()
        if plan == _GENERIC:
            length = 0
            for tbytes, freq, weight, vbytes in field.index(value):
                entry = postings[tbytes]
                entry[0].append(docnum)
                entry[1].append(weight)
                entry[2].append(vbytes)
                length += freq
            return length if field.scorable else 0
        if not isinstance(value, str):
            raise ValueError(f"{value!r} is not unicode or sequence")
        analyzer = field.analyzer
        cache = self._cache(analyzer)
        words = self._words(analyzer, value)
        terms = list(map(cache.__getitem__, words))
        glued = cache.glued
        parts = None  # (position, terms of its parts) of each glued word, indexed too (as NewsAnalyzer)
        if glued and not glued.keys().isdisjoint(words):
            parts = [(pos, glued[word]) for pos, word in enumerate(words) if word in glued]
        if plan == _FREQUENCY:
            counts = Counter(terms)
            if parts:
                counts.update(term for _pos, terms_of_parts in parts for term in terms_of_parts)
            counts.pop("", None)
            for term, freq in counts.items():
                entry = postings[term]
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
        if parts:
            for pos, terms_of_parts in parts:
                for term in terms_of_parts:
                    found = places.get(term)
                    if found is None:
                        places[term] = [pos]
                    else:
                        found.append(pos)
                        found.sort()  # a part after a later whole word: positions stay in token order
        places.pop("", None)
        return self._add_positions(postings, places, docnum, len(terms))

    def _words(self, analyzer: NewsAnalyzer, value: str) -> list[str]:
        """The words of a text (as NewsAnalyzer finds them); a text indexed in two fields
        (``body`` and ``body_exact``) is read once."""
        last = self._last_words
        if last is not None and last[0] is value and last[1] == analyzer.expression.pattern:
            return last[2]
        words: list[str] = analyzer.expression.findall(fold_punctuation(value))
        self._last_words = (value, analyzer.expression.pattern, words)
        return words

    def _add_positions(self, postings: _Postings, places: dict[str, list[int]], docnum: int, count: int) -> int:
        """Each term's positions encoded as ``formats.Positions.encode`` does."""
        one = self._one_position
        if count >= len(one):
            one.extend(pack_uint(1) + dumps([pos], 2) for pos in range(len(one), count + 1024))
        length = 0
        for term, found in places.items():
            entry = postings[term]
            entry[0].append(docnum)
            if len(found) == 1:
                entry[1].append(1)
                entry[2].append(one[found[0]])
                length += 1
            else:
                freq = len(found)
                entry[1].append(freq)
                entry[2].append(pack_uint(freq) + dumps([found[0], *map(sub, found[1:], found[:-1])], 2))
                length += freq
        return length

    def add_reader(self, reader: Any) -> None:
        """A segment merged into this one (the merge policy's doing), after the documents added:
        as ``SegmentWriter.add_reader``, with the postings gathered here instead of in Whoosh's pool,
        read a block at a time."""
        self._check_state()
        basedoc = self.docnum
        indexed = {name for name in reader.indexed_field_names() if name in self.schema}
        docmap = self.write_per_doc(set(self.schema.names()) | indexed, reader)
        terms = reader._terms
        postfile = terms._postfile
        for (name, btext), terminfo in terms.items():
            if name not in self.schema:
                continue
            field = self.schema[name]
            plan = self._plans[name]
            postings = self._postings.get(name)
            if postings is None:
                postings = self._postings[name] = _Postings()
            blocks = _blocks_of(postfile, terminfo, field.format.fixed_value_size())
            entry = None
            boost = float(field.format.field_boost)
            for ids, weights, values in blocks:
                if docmap is None:
                    docs = list(map(add, ids, repeat(basedoc)))
                else:
                    mapped = list(map(docmap.get, ids))
                    if None in mapped:  # deleted documents are left behind
                        keep = list(map(is_not, mapped, repeat(None)))
                        mapped = list(compress(mapped, keep))
                        weights = list(compress(weights, keep))
                        values = list(compress(values, keep))
                    docs = mapped
                if not docs:
                    continue
                if plan == _GENERIC:
                    counts: Any = weights
                else:
                    # frequency x field boost, as written (else read from the values, which begin with it)
                    counts = list(map(int, map(truediv, weights, repeat(boost))))
                    if list(map(mul, counts, repeat(boost))) != list(weights):
                        counts = [unpack_uint(value[:4])[0] for value in values]
                if entry is None:
                    entry = postings[btext if plan == _GENERIC else btext.decode("utf-8")]
                entry[0].extend(docs)
                entry[1].extend(counts)
                entry[2].extend(values)
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
        """Every term's posting blocks and term info, as W3PostingsWriter writes them, and the
        term table's records, as the field writer's OrderedHashWriter adds them."""
        plan = self._plans[name]
        fmt = field.format
        boost = float(fmt.field_boost)
        fixed = fmt.fixed_value_size()
        postfile = writer._postfile
        key_prefix = pack_ushort(writer._fieldid)
        level = self._compression
        pack_info, pack_record = W3TermInfo._struct.pack, _RECORD.pack
        weight_of = _Weights(boost)
        postings = self._postings[name]
        if plan == _GENERIC:
            items = sorted(postings.items())
        else:
            items = sorted((term.encode("utf-8"), entry) for term, entry in postings.items())
        records: list[tuple[bytes, bytes]] = []
        offset = postfile.tell()
        buffer: list[bytes] = []
        buffered = 0
        for tbytes, (docs, weights, values) in items:
            count = len(docs)
            if count == 1 and plan != _GENERIC:  # most terms: one posting, one block
                docnum, freq = docs[0], weights[0]
                weight = weight_of[freq]
                if plan == _POSITIONS:
                    one_value: Any = (values[0],)
                else:
                    one_value = _PACKED[freq] if fixed else None
                data = dumps(((docnum,), None if weight == 1.0 else weight, one_value), 2)
                if level:
                    data = zlib.compress(data, level)
                byte = lengths[docnum]
                max_weight = freq * boost
                info = dumps((1, docnum, max_weight, level, byte, byte), 2)
                block = b"".join((WHOOSH3_HEADER_MAGIC, pack_int(-len(info) - len(data)), info, data))
                terminfo = pack_info(0, weight, 1, byte, byte, max_weight, docnum, docnum)
            else:
                block, terminfo = self._blocks(plan, docs, weights, values, lengths, boost, fixed, weight_of)
            buffer.append(block)
            buffered += len(block)
            records.append((key_prefix + tbytes, terminfo + pack_long(offset) + pack_int(len(block))))
            offset += len(block)
            if buffered > _FLUSH_BYTES:
                postfile.write(b"".join(buffer))
                buffer.clear()
                buffered = 0
        postfile.write(b"".join(buffer))
        _add_records(writer._tindex, records, pack_record)

    def _blocks(
        self,
        plan: str,
        docs: list[int],
        weights: list[Any],
        values: list[Any],
        lengths: bytes,
        boost: float,
        fixed: int | None,
        weight_of: _Weights,
    ) -> tuple[bytes, bytes]:
        """A term's posting blocks (``blocklimit`` postings each) and its term info, but the pointer."""
        limit, level = self._blocklimit, self._compression
        count = len(docs)
        total_weight = 0.0
        max_weight = 0.0
        min_byte, max_byte = 256, 0
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
            if floats.count(first) != len(floats):
                block_weights: Any = tuple(floats)
            else:
                block_weights = None if first == 1.0 else first
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
        terminfo = W3TermInfo._struct.pack(
            0, total_weight, count, min_byte if min_byte < 256 else 0, max_byte, max_weight, docs[0], docs[-1]
        )
        return b"".join(chunks), terminfo


def _add_records(tindex: Any, records: list[tuple[bytes, bytes]], pack_record: Any) -> None:
    """``OrderedHashWriter.add`` for each (key, value), written at once: the same bytes, the same
    positions in its ordered index and hash buckets."""
    dbfile = tindex.dbfile
    hashfn, buckets = tindex.hashfn, tindex.buckets
    position = dbfile.tell()
    positions = []
    chunks = []
    last = tindex.lastkey
    for key, value in records:
        if key <= last:
            raise ValueError(f"Keys must increase: {last!r}..{key!r}")
        last = key
        positions.append(position)
        h = hashfn(key)
        buckets[h & 255].append((h, position))
        chunks.append(pack_record(len(key), len(value)))
        chunks.append(key)
        chunks.append(value)
        position += 8 + len(key) + len(value)
    tindex.index.extend(positions)
    tindex.lastkey = last
    dbfile.write(b"".join(chunks))


def _blocks_of(postfile: Any, terminfo: Any, fixed: int | None) -> Iterator[tuple[Any, Any, Any]]:
    """A term's postings in a W3 segment, block by block, as (ids, weights, values): what
    W3LeafMatcher reads, deleted documents included, from one read of the posting list."""
    if terminfo.is_inlined():
        ids, weights, values = terminfo.inlined_postings()
        yield list(ids), list(weights), list(values)
        return
    offset, length = terminfo.extent()
    if isinstance(length, tuple):  # W3TermInfo.from_bytes leaves the length unpacked
        length = length[0]
    raw = bytes(postfile.get(offset, length))
    if raw[:4] != WHOOSH3_HEADER_MAGIC:
        raise ValueError(f"block tag error {raw[:4]!r}")
    stream = BytesIO(raw)
    position = 4
    while position < length:
        size = unpack_int(raw[position : position + 4])[0]
        stream.seek(position + 4)
        count, _last, _max_weight, compressed, _low, _high = load(stream)
        end = position + 4 + abs(size)
        data = raw[stream.tell() : end]
        deltas, weights, values = loads(zlib.decompress(data) if compressed else data)
        ids = list(accumulate(deltas))
        if weights is None:
            weights = [1.0] * count
        elif isinstance(weights, float):
            weights = [weights] * count
        if fixed == 0:
            values = [None] * count
        elif fixed is not None and fixed > 0:
            values = [values[i : i + fixed] for i in range(0, len(values), fixed)]
        yield ids, list(weights), list(values)
        if size < 0:
            break
        position = end


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
