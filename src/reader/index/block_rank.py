"""The top hits of a query over common words, reading only the posting blocks that can reach them.

At 100k articles ``stock market`` matches 25,000 of them and its two body
terms have 700 posting blocks; decompressing them all takes 60 ms before a
single article is scored. A block's statistics (its highest weight: see
postings_blocks.py) and each article's field length (in memory) bound the
BM25F score an article can have before anything is read. Terms with few
postings (a word in titles) are read whole and scored exactly. The articles
are then taken best bound first, a batch at a time: the blocks that hold
them read, their scores computed exactly (numpy, over arrays) and the best
``limit`` kept; once no bound left reaches the ``limit``-th score, nothing
left can enter, and the rest is never read. Phrases are checked (positions)
only for articles whose score could enter.

Scores are Whoosh's to the last bit: the same BM25F formula and parameters
(the scorer's own idf, average length, B and K1), field lengths decoded as
Whoosh decodes them, and the parts of a query added up in the order Whoosh's
matcher tree adds them (postings_rank.py's ``_added_as_whoosh_adds``). Ties
go to the lower document number, as in Whoosh's collector.

The total is exact only when nothing was left out (``count=True`` reads
everything); otherwise it is the matches seen, and the caller says "N+".
"""

from __future__ import annotations

from typing import Any

import numpy as np
from whoosh.scoring import BM25FScorer

from .counting import estimate_size
from .postings_blocks import NotW3, TermBlocks, field_lengths, term_blocks
from .postings_rank import has_phrase

#: A term with at most this share of a segment's documents is read whole (a word in titles, a rare word).
WHOLE_SHARE = 1 / 16

#: A bound is trusted to this relative precision (sums in another order differ in the last bits).
MARGIN = 1e-9

#: Articles scored in the first batch (the best bounds; at least twice the hits asked for), to learn the
#: score the rest must reach; each batch after is twice the one before.
FIRST_BATCH = 16

Node = tuple[Any, ...]


class Unsupported(Exception):
    """A part of the query this module does not rank (the caller falls back)."""


def top_hits(searcher: Any, node: Node, limit: int, count: bool) -> tuple[list[tuple[int, float]], int, bool]:
    """((global document number, score) best first, up to ``limit``; matches seen; whether that is every match)."""
    prune = not count and _positive_boosts(node)
    scoring: dict[tuple[str, str], tuple[float, float, float, float]] = {}  # the same in every segment
    segments = [_Segment(subsearcher, offset, node, scoring) for subsearcher, offset in searcher.leaf_searchers()]
    if not segments:
        return [], 0, True
    bounds = np.concatenate([segment.bounds for segment in segments])
    owner = np.concatenate([np.full(len(segment.bounds), n, dtype=np.int64) for n, segment in enumerate(segments)])
    local = np.concatenate([np.arange(len(segment.bounds), dtype=np.int64) for segment in segments])
    waiting = np.ones(len(bounds), dtype=bool)  # may match, not scored yet
    best = _Best(limit)
    matched, exact, batch = 0, True, max(FIRST_BATCH, 2 * limit) if prune else len(bounds)
    while waiting.any():
        threshold = best.threshold() if prune else None
        if threshold is not None:
            reachable = waiting & (bounds * (1 + MARGIN) >= threshold)
            if (waiting & ~reachable).any():
                exact = False  # some may match, and are never read
            waiting = reachable
            if not waiting.any():
                break
        left = np.flatnonzero(waiting)
        if len(left) > batch:
            left = left[np.argpartition(-bounds[left], batch)[:batch]]
            batch *= 2
        waiting[left] = False
        for number in np.unique(owner[left]).tolist():
            seen, complete = segments[number].score(local[left[owner[left] == number]], best, prune)
            exact = exact and complete
            matched += seen
    if not exact:
        total = _cheap_total(segments, node)
        if total is not None:
            matched, exact = total, True
    return [(int(doc), float(score)) for doc, score in zip(best.docs, best.scores, strict=True)], matched, exact


def _cheap_total(segments: list[_Segment], node: Node) -> int | None:
    """Every match of a word (or of words ORed) counted without reading the common term's blocks:
    its document frequency, plus the articles of the terms read whole that it lacks (their blocks are
    read), less the deleted articles among them. None for other queries, or more than one common term."""
    if not _terms_ored(node):
        return None
    total = 0
    for segment in segments:
        common = [t for t in segment.positive if t.blocks is not None and not t.whole]
        if len(common) > 1:
            return None
        few = [t.ids for t in segment.positive if t.blocks is not None and t.whole]
        docs = np.unique(np.concatenate(few)) if few else np.empty(0, dtype=np.int64)
        dead = segment.deleted
        if common:
            term = common[0]
            total += term.frequency + int((~term.at(docs)[0]).sum())
            if len(dead):
                total -= int((term.at(dead)[0] | np.isin(dead, docs)).sum())
        else:
            total += len(docs) - (int(np.isin(dead, docs).sum()) if len(dead) else 0)
    return total


def _terms_ored(node: Node) -> bool:
    if node[0] in ("term", "none"):
        return True
    return node[0] == "or" and all(_terms_ored(part) for part in node[1])


class _Best:
    """The best ``limit`` (score, global document number) so far: best first, the lower number first on a tie."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.scores = np.empty(0, dtype=np.float64)
        self.docs = np.empty(0, dtype=np.int64)

    def add(self, docs: Any, scores: Any) -> None:
        if not len(docs):
            return
        all_scores = np.concatenate([self.scores, scores])
        all_docs = np.concatenate([self.docs, docs])
        keep = np.lexsort((all_docs, -all_scores))[: self.limit]
        self.scores, self.docs = all_scores[keep], all_docs[keep]

    def threshold(self) -> float | None:
        """The score an article must reach to enter (None while there are fewer than ``limit``)."""
        return float(self.scores[-1]) if len(self.scores) >= self.limit else None


def _positive_boosts(node: Node) -> bool:
    """Bounds add up only when every boost is positive (a negative one would turn a bound into a floor)."""
    kind = node[0]
    if kind == "none":
        return True
    if kind in ("term", "phrase"):
        return bool(node[3] > 0)
    if kind == "or":
        return bool(node[2] > 0) and all(_positive_boosts(part) for part in node[1])
    return bool(node[3] > 0) and all(_positive_boosts(part) for part in node[1])


class _Term:
    """One term in one segment: its blocks, how it scores, and the scores of the blocks read so far."""

    def __init__(self, segment: _Segment, field: str, text: str) -> None:
        leaf = segment.leaf
        self.blocks: TermBlocks | None = None
        self.whole = True  # read whole: ``ids`` and ``scores``, sorted by document
        self.ids = np.empty(0, dtype=np.int64)
        self.scores = np.empty(0, dtype=np.float64)
        self.in_phrase = False  # then the blocks read are kept for their positions (decompressed once)
        self._data: dict[int, bytes] = {}
        self._values: dict[int, dict[int, Any]] = {}  # block -> document -> encoded positions
        if field not in leaf.schema:
            return
        tbytes = leaf.schema[field].to_bytes(text)
        frequency = leaf.doc_frequency(field, tbytes)
        if not frequency:
            return
        found = segment.scoring.get((field, text))
        if found is None:  # idf and average length are the whole index's
            scorer = segment.searcher.weighting.scorer(segment.searcher, field, tbytes)
            if type(scorer) is not BM25FScorer:
                raise Unsupported(f"{type(scorer).__name__} scores {field}")
            found = segment.scoring[(field, text)] = (scorer.idf, scorer.avgfl, scorer.B, scorer.K1)
        self.idf, self.avgfl, self.B, self.K1 = found
        self.lengths = field_lengths(leaf, field)
        self.blocks = term_blocks(leaf, field, tbytes)
        self.frequency = int(frequency)
        self.whole = len(self.blocks) <= 2 or frequency <= leaf.doc_count_all() * WHOLE_SHARE
        if self.whole:
            ids, weights = self.blocks.all_postings()
            self.ids, self.scores = ids, self.bm25(weights, self.lengths[ids])
        else:  # per document, for the blocks read so far
            self.read = np.zeros(len(self.blocks), dtype=bool)
            self.present = np.zeros(leaf.doc_count_all() + 1, dtype=bool)
            self.dense = np.zeros(leaf.doc_count_all() + 1, dtype=np.float64)

    def bm25(self, tf: Any, fl: Any) -> Any:
        """Whoosh's ``scoring.bm25``, the same operations in the same order, over arrays."""
        B, K1 = self.B, self.K1
        return self.idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / self.avgfl)))

    def at(self, docs: Any) -> tuple[Any, Any]:
        """(present, score) for each of ``docs``; the score is 0.0 where absent."""
        if self.whole:
            if not len(self.ids):
                return np.zeros(len(docs), dtype=bool), np.zeros(len(docs), dtype=np.float64)
            where = np.minimum(np.searchsorted(self.ids, docs), len(self.ids) - 1)
            present = self.ids[where] == docs
            return present, np.where(present, self.scores[where], 0.0)
        assert self.blocks is not None
        blocks = np.unique(np.searchsorted(self.blocks.maxids, docs))
        blocks = blocks[blocks < len(self.blocks)]
        for block in blocks[~self.read[blocks]].tolist():
            data = self.blocks.data(block) if self.in_phrase else None
            if data is not None:
                self._data[block] = data
            ids, weights = self.blocks.postings(block, data)
            self.present[ids] = True
            self.dense[ids] = self.bm25(weights, self.lengths[ids])
        self.read[blocks] = True
        return self.present[docs], self.dense[docs]

    def bounds(self, size: int) -> tuple[Any, Any]:
        """(may be present, score bound) for every document number below ``size``: exact for a term read
        whole, else the score the document would have with its block's highest weight (BM25 grows with
        the weight; the document's own length is known)."""
        present, bound = np.zeros(size, dtype=bool), np.zeros(size, dtype=np.float64)
        if self.blocks is None:
            return present, bound
        if self.whole:
            present[self.ids] = True
            bound[self.ids] = self.scores
            return present, bound
        starts = np.concatenate([np.zeros(1, dtype=np.int64), self.blocks.maxids[:-1] + 1])
        block = np.repeat(np.arange(len(self.blocks)), self.blocks.maxids + 1 - starts)
        covered = len(block)
        present[:covered] = True
        bound[:covered] = self.bm25(self.blocks.maxweights[block], self.lengths[:covered])
        return present, bound

    def positions_of(self, docs: Any) -> list[Any]:
        """The encoded positions of the term in each of ``docs`` (each must hold it)."""
        assert self.blocks is not None
        blocks = np.searchsorted(self.blocks.maxids, docs) if len(self.blocks) > 1 else np.zeros(len(docs), dtype=np.int64)
        found = []
        for block, docnum in zip(blocks.tolist(), docs.tolist(), strict=True):
            values = self._values.get(block)
            if values is None:
                values = self._values[block] = self.blocks.values(block, self._data.pop(block, None))
            found.append(values[docnum])
        return found


class _Segment:
    """One segment's side: its terms, its candidates (the articles that may match) with the bounds of their
    scores, and their exact scores."""

    def __init__(self, searcher: Any, offset: int, node: Node, scoring: dict[Any, Any]) -> None:
        self.searcher = searcher
        self.scoring = scoring
        self.leaf = searcher.reader()
        self.offset = offset
        self.node = node
        self.terms: dict[tuple[str, str], _Term] = {}
        self.positive: list[_Term] = []  # the terms an article must have one of to match
        self._phrases: dict[Node, dict[int, bool]] = {}
        try:
            self._collect(node, positive=True)
        except NotW3 as exc:
            raise Unsupported(str(exc)) from None
        deleted = sorted(self.leaf.deleted_docs_set) if self.leaf.has_deletions() else []
        self.deleted = np.array(deleted, dtype=np.int64)
        self._candidates()

    def _collect(self, node: Node, positive: bool) -> None:
        kind = node[0]
        words = [node[2]] if kind == "term" else node[2] if kind == "phrase" else []
        for word in words:
            term = self.term(node[1], word)
            term.in_phrase = term.in_phrase or kind == "phrase"
            if positive and term not in self.positive:
                self.positive.append(term)
        if kind in ("or", "and"):
            for part in node[1]:
                self._collect(part, positive)
        if kind == "and":
            for part in node[2]:
                self._collect(part, False)

    def term(self, field: str, text: str) -> _Term:
        found = self.terms.get((field, text))
        if found is None:
            found = self.terms[(field, text)] = _Term(self, field, text)
        return found

    # -- what to score, best bound first ------------------------------------------------------

    def _candidates(self) -> None:
        """Every live article that may match, with a bound of its score."""
        present, bounds = self._bound(self.node)
        present[self.deleted] = False
        self.docs = np.flatnonzero(present)
        self.bounds = bounds[self.docs]

    def _bound(self, node: Node) -> tuple[Any, Any]:
        """(may match, score bound) of ``node`` for every document number of the segment."""
        kind = node[0]
        size = self.leaf.doc_count_all() + 1
        if kind == "none":
            return np.zeros(size, dtype=bool), np.zeros(size, dtype=np.float64)
        if kind in ("term", "phrase"):
            words = [node[2]] if kind == "term" else list(node[2])
            present, total = np.ones(size, dtype=bool), np.zeros(size, dtype=np.float64)
            for word in words:
                here, bound = self.term(node[1], word).bounds(size)
                present &= here
                total += bound
            total *= node[3]
            total[~present] = 0.0
            return present, total
        if kind == "or":
            present, total = np.zeros(size, dtype=bool), np.zeros(size, dtype=np.float64)
            for part in node[1]:
                term = self.term(part[1], part[2]) if part[0] == "term" else None
                if term is not None and term.whole:  # a word of a prefix: its few articles only
                    present[term.ids] = True
                    total[term.ids] += term.scores * part[3]
                    continue
                here, bound = self._bound(part)
                present |= here
                total += bound
            total *= node[2]
            return present, total
        present, total = np.ones(size, dtype=bool), np.zeros(size, dtype=np.float64)
        for part in node[1]:
            here, bound = self._bound(part)
            present &= here
            total += bound
        total *= node[3]
        total[~present] = 0.0
        return present, total

    # -- scoring exactly ----------------------------------------------------------------------

    def score(self, picked: Any, best: _Best, prune: bool) -> tuple[int, bool]:
        """Score the picked candidates into ``best``: (how many matched, whether every match among
        them was found: a phrase is only checked where the score could enter ``best``)."""
        docs = np.sort(self.docs[picked])
        if not len(docs):
            return 0, True
        if not has_phrase(self.node):
            present, scores = self._scores(self.node, docs, phrases=True)
            best.add(docs[present] + self.offset, scores[present])
            return int(present.sum()), True
        present, hoped = self._scores(self.node, docs, phrases=False)  # as if every phrase were there
        docs, hoped = docs[present], hoped[present]
        order = np.lexsort((docs, -hoped))
        matched, start, step = 0, 0, 16
        while start < len(order):
            threshold = best.threshold() if prune else None
            if threshold is not None and hoped[order[start]] * (1 + MARGIN) < threshold:
                return matched, False  # what is left cannot enter: its phrases are never checked
            chunk = np.sort(docs[order[start : start + step]])
            present, scores = self._scores(self.node, chunk, phrases=True)
            best.add(chunk[present] + self.offset, scores[present])
            matched += int(present.sum())
            start += step
            step *= 2
        return matched, True

    def _scores(self, node: Node, docs: Any, phrases: bool) -> tuple[Any, Any]:
        """(matches, score) of ``node`` for each of ``docs``, added up as Whoosh adds them (0.0 where no match).
        Without ``phrases``, a phrase is taken to match wherever its words are."""
        from .postings_rank import _added_as_whoosh_adds, added_in_query_order

        kind = node[0]
        if kind == "none":
            return np.zeros(len(docs), dtype=bool), np.zeros(len(docs), dtype=np.float64)
        if kind == "term":
            present, scores = self.term(node[1], node[2]).at(docs)
            return present, _boosted(scores, node[3])
        if kind == "phrase":
            parts = [self.term(node[1], word).at(docs) for word in node[2]]
            present = np.logical_and.reduce([here for here, _s in parts])
            if phrases:
                present &= self._phrase_at(node, docs, present)
            total = _binary_sum([scores for _here, scores in parts])
            return present, np.where(present, _boosted(total, node[3]), 0.0)
        if kind == "or":
            sized = [(estimate_size(self.leaf, part), self._scores(part, docs, phrases)) for part in node[1]]
            present = np.logical_or.reduce([here for _size, (here, _s) in sized])
            if added_in_query_order(self.leaf, node):
                total = np.zeros(len(docs), dtype=np.float64)
                for _size, (_here, scores) in sized:
                    total = total + _boosted(scores, node[2])
                return present, total
            total = _added_as_whoosh_adds([(size, scores) for size, (_h, scores) in sized], np.add)
            return present, _boosted(total, node[2])
        positive = [(-estimate_size(self.leaf, part), self._scores(part, docs, phrases)) for part in node[1]]
        present = np.logical_and.reduce([here for _size, (here, _s) in positive])
        for part in node[2]:
            present &= ~self._scores(part, docs, phrases)[0]
        total = _added_as_whoosh_adds([(size, scores) for size, (_h, scores) in positive], np.add)
        return present, np.where(present, _boosted(total, node[3]), 0.0)

    def _phrase_at(self, node: Node, docs: Any, candidates: Any) -> Any:
        """Whether the phrase's words stand next to each other, in order, in each candidate."""
        _kind, field, words, _boost = node
        known = self._phrases.setdefault(node, {})
        found = np.zeros(len(docs), dtype=bool)
        where = np.flatnonzero(candidates)
        unknown = [i for i, docnum in zip(where.tolist(), docs[where].tolist(), strict=True) if docnum not in known]
        if unknown:
            asked = docs[np.array(unknown, dtype=np.int64)]
            decode = self.leaf.schema[field].format.decode_positions
            encoded = [self.term(field, word).positions_of(asked) for word in words]
            for number, docnum in enumerate(asked.tolist()):
                starts = set(decode(encoded[0][number]))
                for offset, positions in enumerate(encoded[1:], 1):
                    starts &= {position - offset for position in decode(positions[number])}
                    if not starts:
                        break
                known[docnum] = bool(starts)
        for i, docnum in zip(where.tolist(), docs[where].tolist(), strict=True):
            found[i] = known[docnum]
        return found


def _boosted(scores: Any, boost: float) -> Any:
    return scores if boost == 1.0 else scores * boost


def _binary_sum(parts: list[Any]) -> Any:
    """Whoosh's ``make_binary_tree`` of a phrase's words: the first half's sum plus the second half's."""
    if len(parts) == 1:
        return parts[0]
    half = len(parts) // 2
    return _binary_sum(parts[:half]) + _binary_sum(parts[half:])
