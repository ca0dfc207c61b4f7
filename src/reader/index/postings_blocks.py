"""One term's postings in one segment, a block at a time, straight from Whoosh's W3 files, as arrays.

A W3 posting list is a chain of blocks of up to 128 postings: a length, a
small pickled tuple of the block's statistics (its last document number, its
highest weight, its shortest field length), then the zlib-compressed pickle
of (document number deltas, weights, positions). Whoosh unpickles all three
(for a body term, a bytes object of positions per posting) to give out a
document number: 90 µs a block, 40 ms for ``market`` at 100k articles. Here
the statistics of every block are read first (a few µs each, without
decompressing), so a ranking can leave out the blocks that cannot reach its
top hits (see block_rank.py); a block that is read has its document numbers
and weights taken from the pickle's bytes with numpy, and the positions only
unpickled when a phrase needs them. Anything not laid out as expected is
unpickled as Whoosh does, so the numbers are always Whoosh's own.

numpy is imported by this module: import it only on paths that need it (a
cold ``reader search`` of a rare word must not pay for it).
"""

from __future__ import annotations

import io
import pickle
import struct
import zlib
from typing import Any

import numpy as np
from whoosh.util.numeric import byte_to_length

_INT = struct.Struct("!i")
_FLOAT = struct.Struct(">d")
_MARK, _TUPLE, _BINPUT, _LONG_BINPUT, _NONE, _BINFLOAT = 0x28, 0x74, 0x71, 0x72, 0x4E, 0x47
_BININT1, _BININT2, _BININT = 0x4B, 0x4D, 0x4A
_PROTOCOL_2_MARK = b"\x80\x02("

#: ``byte_to_length`` as a table: a field length byte -> the length Whoosh scores with.
LENGTHS = np.array([byte_to_length(byte) for byte in range(256)], dtype=np.float64)


class NotW3(Exception):
    """The postings are not stored as this module reads them (Whoosh's matchers should be used)."""


#: Terms whose block statistics a segment reader keeps (a few hundred bytes each); past this it starts over.
REMEMBERED_TERMS = 4096


def term_blocks(leaf: Any, field: str, tbytes: bytes) -> TermBlocks:
    """The term's blocks in one segment; their statistics are kept with the segment's reader (which
    never changes), as Whoosh's term infos are (see whoosh_patches.remember_term_lookups)."""
    memo = leaf.__dict__.setdefault("_reader_term_blocks", {})
    found: TermBlocks | None = memo.get((field, tbytes))
    if found is None:
        if len(memo) >= REMEMBERED_TERMS:
            memo.clear()
        found = memo[(field, tbytes)] = TermBlocks(leaf, field, tbytes)
    return found


class TermBlocks:
    """The blocks of one term in one segment: their statistics at once, their postings when asked."""

    def __init__(self, leaf: Any, field: str, tbytes: bytes) -> None:
        from whoosh.codec.whoosh3 import W3LeafMatcher

        matcher = leaf._terms.matcher(field, tbytes, leaf.schema[field].format)
        self.format = leaf.schema[field].format
        self._inline: tuple[Any, Any, list[int], Any] | None = None
        if not isinstance(matcher, W3LeafMatcher):  # a posting list short enough to be inlined in the term
            ids, weights, values = [], [], []
            while matcher.is_active():
                ids.append(matcher.id())
                weights.append(matcher.weight())
                values.append(matcher.value())
                matcher.next()
            arrays = (np.array(ids, dtype=np.int64), np.array(weights, dtype=np.float64))
            self._inline = (*arrays, ids, values)
            self._where: list[tuple[int, int, int]] = []
            self.maxids = np.array(ids[-1:], dtype=np.int64)
            self.maxweights = np.array([max(weights, default=0.0)], dtype=np.float64)
            self.minlengths = np.array([1.0])  # unknown: the smallest length a posting can have
            self.counts = [len(ids)]
            return
        if matcher._byteids:
            raise NotW3("byte ids")
        self._postfile = matcher._postfile
        where, counts, maxids, maxweights, minbytes = [], [], [], [], []
        get = self._postfile.get
        position = matcher._baseoffset
        while True:
            length = _INT.unpack(get(position, 4))[0]
            last = length < 0
            length = abs(length)
            end = position + 4 + length
            head = io.BytesIO(get(position + 4, min(length, 96)))
            count, maxid, maxweight, compression, minbyte, _maxbyte = pickle.load(head)
            where.append((position + 4 + head.tell(), end, compression))
            counts.append(count)
            maxids.append(maxid)
            maxweights.append(maxweight)
            minbytes.append(minbyte)
            if last:
                break
            position = end
        self._where = where
        self.counts = counts
        self.maxids = np.array(maxids, dtype=np.int64)
        self.maxweights = np.array(maxweights, dtype=np.float64)
        self.minlengths = LENGTHS[np.array(minbytes, dtype=np.intp)]

    def __len__(self) -> int:
        return len(self.maxids)

    def postings(self, block: int, data: bytes | None = None) -> tuple[Any, Any]:
        """(document numbers, weights) of one block, as int64 and float64 arrays (``data``: its :meth:`data`)."""
        if self._inline is not None:
            return self._inline[0], self._inline[1]
        data = self.data(block) if data is None else data
        found = _ids_and_weights(data, self.counts[block])
        if found is None:
            ids, weights, _values = pickle.loads(data)
            found = _arrays(ids, weights, self.counts[block])
        return found

    def all_postings(self) -> tuple[Any, Any]:
        """(document numbers, weights) of every posting, in document order."""
        pairs = [self.postings(block) for block in range(len(self))]
        if len(pairs) == 1:
            return pairs[0]
        return np.concatenate([ids for ids, _w in pairs]), np.concatenate([weights for _i, weights in pairs])

    def values(self, block: int, data: bytes | None = None) -> dict[int, Any]:
        """Document number -> its encoded positions (``format.decode_positions`` reads them), for one block."""
        if self._inline is not None:
            return dict(zip(self._inline[2], self._inline[3], strict=True))
        deltas, _weights, values = pickle.loads(self.data(block) if data is None else data)
        found, docnum = {}, 0
        for delta, value in zip(deltas, values, strict=True):
            docnum += delta
            found[docnum] = value
        return found

    def data(self, block: int) -> bytes:
        """The block's pickle, decompressed."""
        start, end, compression = self._where[block]
        data = self._postfile.get(start, end - start)
        return zlib.decompress(data) if compression else bytes(data)


def _arrays(ids: Any, weights: Any, count: int) -> tuple[Any, Any]:
    """A block as Whoosh's pickle gives it (ids as deltas; weights None, one float, or one each) -> arrays."""
    docnums = np.cumsum(np.array(ids, dtype=np.int64))
    if weights is None:
        return docnums, np.ones(count, dtype=np.float64)
    if isinstance(weights, float | int):
        return docnums, np.full(count, float(weights), dtype=np.float64)
    return docnums, np.array(weights, dtype=np.float64)


def _ids_and_weights(data: bytes, count: int) -> tuple[Any, Any] | None:
    """The ids and weights of a block's pickle read from its bytes, or None when they are not laid out as
    Whoosh's writer lays them out (protocol 2: a tuple of integer deltas, then None, one float or a tuple of floats).
    """
    if count < 4 or not data.startswith(_PROTOCOL_2_MARK):
        return None
    deltas, position = _integers(data, 3, count)
    if deltas is None or position >= len(data) or data[position] != _TUPLE:
        return None
    position = _after_memo(data, position + 1)
    if position < 0 or position >= len(data):
        return None
    ids = np.cumsum(deltas)
    opcode = data[position]
    if opcode == _NONE:
        return ids, np.ones(count, dtype=np.float64)
    if opcode == _BINFLOAT:
        return ids, np.full(count, _FLOAT.unpack_from(data, position + 1)[0], dtype=np.float64)
    end = position + 1 + 9 * count
    if opcode != _MARK or end >= len(data) or data[end] != _TUPLE:
        return None
    codes = np.frombuffer(data, dtype=np.uint8, count=9 * count, offset=position + 1)
    if not (codes[::9] == _BINFLOAT).all():
        return None
    floats = np.ndarray((count,), dtype=">f8", buffer=data, offset=position + 2, strides=(9,))
    return ids, floats.astype(np.float64)


def _integers(data: bytes, position: int, count: int) -> tuple[Any, int]:
    """``count`` pickled integers in a MARK ... TUPLE from ``position`` (just after the MARK):
    (int64 array, the position of the TUPLE opcode), or (None, _)."""
    size = len(data)
    first = data[position] if position < size else -1
    width = {_BININT1: 2, _BININT2: 3, _BININT: 5}.get(first, 0)
    rest = count - 1
    after = position + width
    if width and after + 2 * rest <= size:  # the first is the block's first document number, often above 255
        codes = np.frombuffer(data, dtype=np.uint8, count=2 * rest, offset=after)
        if (codes[::2] == _BININT1).all():  # the usual case for a common word: every other delta below 256
            deltas = np.empty(count, dtype=np.int64)
            deltas[0] = int.from_bytes(data[position + 1 : after], "little")
            deltas[1:] = codes[1::2]
            return deltas, after + 2 * rest
    # Some deltas above 255: the tuple ends at the first TUPLE opcode followed by the memo of object 0
    # (inside the tuple only integer opcodes and their operands occur, and no operand of a document
    # number below 7 million spells that), and is unpickled on its own.
    end = data.find(b"tq\x00", position)
    if end < 0:
        return None, position
    try:
        values = pickle.loads(data[: end + 1] + b".")
    except Exception:  # noqa: BLE001 - not laid out as expected: the caller unpickles the whole block
        return None, position
    if not isinstance(values, tuple) or len(values) != count or not all(type(v) is int for v in values):
        return None, position
    return np.array(values, dtype=np.int64), end


def _after_memo(data: bytes, position: int) -> int:
    """The position after a memo opcode (BINPUT or LONG_BINPUT) at ``position``, -1 if there is none."""
    if position >= len(data):
        return -1
    if data[position] == _BINPUT:
        return position + 2
    if data[position] == _LONG_BINPUT:
        return position + 5
    return -1


def field_lengths(leaf: Any, field: str) -> Any:
    """Each document's length of ``field`` in one segment as Whoosh scores it (float64 array, 0 when none)."""
    from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3PerDocReader, _lenfield

    from .whoosh_patches import _Lengths

    cache = leaf.__dict__.setdefault("_reader_length_arrays", {})
    found = cache.get(field)
    if found is not None:
        return found
    perdoc = getattr(leaf, "_perdoc", None)
    if not isinstance(perdoc, W3PerDocReader):
        raise NotW3("per-document reader")
    column = perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
    if column is None:
        data = b""
    elif isinstance(column, _Lengths):
        data = column.data
    elif getattr(column, "_typecode", None) == "B":
        data = bytes(column._dbfile.get(column._basepos, column._count))
    else:
        raise NotW3("lengths column")
    raw = np.zeros(leaf.doc_count_all() + 1, dtype=np.uint8)
    raw[: len(data)] = np.frombuffer(data, dtype=np.uint8)[: len(raw)]
    found = cache[field] = LENGTHS[raw]
    return found
