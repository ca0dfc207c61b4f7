"""The top hits of a query made of words, scored from whole posting lists.

Whoosh finds the best hits of ``stock market`` by stepping matchers through
both words' postings an article at a time (``skip_to``, ``id``, ``score``: a
dozen Python calls per article, 30 ms at 20k articles, 80 ms at 100k, for
two words that occur together in a few percent of articles). Here each
term's posting list is read a block at a time into a dictionary (document ->
weight), the sets are intersected, and only the articles that match are
scored, with Whoosh's own scorer for each term (so BM25F, its parameters and
the field weights are Whoosh's), summed as Whoosh's matchers sum them, and
ranked as its collector ranks them (best first; on a tie, the lower document
number). Queries with phrases, ranges, unexpanded prefixes or weighting that
is not per-term and per-length are left to Whoosh (None).
"""

from __future__ import annotations

import heapq
from bisect import insort
from typing import Any

from whoosh import query as wq
from whoosh.scoring import WeightLengthScorer

from .counting import estimate_size
from .whoosh_patches import leaf_postings

#: Past this many postings read, Whoosh's skipping (blocks that cannot reach the top) is cheaper.
MAX_POSTINGS = 400_000

#: From this many postings (its terms' document frequencies added up), a query is ranked by
#: block_rank.py, which reads only the blocks that can reach the top hits. Below, reading every
#: posting costs less than importing numpy (~60 ms, which a new ``reader search`` would pay).
BLOCKS_FROM = 30_000


class _NotHere(Exception):
    """The query has a part ranked here differently from Whoosh, or would read too much."""


# A scored query: ("term", field, text, boost) | ("or", [parts], boost, preloaded) | ("and", [parts], [negated], boost)
Node = tuple[Any, ...]


def top_hits(
    searcher: Any, query: Any, limit: int, count: bool = True
) -> tuple[list[tuple[str, float]], int, bool] | None:
    """((article id, score) best first, up to ``limit``; how many articles match; whether that number
    is exact), or None (ask Whoosh). Without ``count``, a query of common words is ranked without reading
    the postings that cannot reach the top (block_rank.py), and the number is then only those seen."""
    node = _node(query)
    if node is None:
        return None
    if _postings(searcher, node) >= BLOCKS_FROM and not (count and has_phrase(node)):
        # (a phrase counted checks every article's positions anyway: the dictionaries below do it faster)
        from .block_rank import Unsupported
        from .block_rank import top_hits as top_by_blocks

        try:
            best_docs, seen, exact = top_by_blocks(searcher, node, limit, count)
        except Unsupported:
            pass
        else:
            return [(searcher.stored_fields(docnum)["id"], score) for docnum, score in best_docs], seen, exact
    if _one_word(node):
        return None
    budget = [MAX_POSTINGS]
    best: list[tuple[float, int]] = []  # (score, -global docnum): a min-heap of the best so far
    total = 0
    try:
        for subsearcher, offset in searcher.leaf_searchers():
            segment = _Segment(subsearcher, budget)
            leaf = segment.leaf
            scores = segment.scores(node)
            deleted = leaf.deleted_docs_set if leaf.has_deletions() else ()
            for docnum, score in scores.items():
                if docnum in deleted:
                    continue
                total += 1
                item = (score, -(offset + docnum))
                if len(best) < limit:
                    heapq.heappush(best, item)
                elif item > best[0]:
                    heapq.heapreplace(best, item)
    except _NotHere:
        return None
    ranked = sorted(best, reverse=True)
    return [(searcher.stored_fields(-negated)["id"], score) for score, negated in ranked], total, True


def has_phrase(node: Node) -> bool:
    """Whether a phrase is part of the query (a NOT included)."""
    parts = node[1] + node[2] if node[0] == "and" else node[1] if node[0] == "or" else []
    return node[0] == "phrase" or any(has_phrase(part) for part in parts)


def _postings(searcher: Any, node: Node) -> int:
    """How many postings the query's terms have (deleted articles' included)."""
    kind = node[0]
    reader = searcher.reader()
    if kind == "term":
        return int(reader.doc_frequency(node[1], node[2])) if node[1] in reader.schema else 0
    if kind == "phrase":
        return sum(_postings(searcher, ("term", node[1], word)) for word in node[2])
    if kind in ("or", "and"):
        return sum(_postings(searcher, part) for part in node[1])
    return 0


def _one_word(node: Node) -> bool:
    """A term, or one word's title and body terms: Whoosh skips the blocks that cannot reach its top
    hits (it scores a few hundred articles of a word in thousands), and the total is a document frequency."""
    if node[0] in ("term", "none"):
        return True
    words = [part for part in node[1] if part[0] != "none"] if node[0] == "or" else [node]
    return all(part[0] == "term" for part in words) and len({part[2] for part in words}) <= 1


def _node(query: Any) -> Node | None:
    if query is wq.NullQuery:  # a prefix or fuzzy word with nothing in one of its fields
        return ("none",)
    if type(query) is wq.Term:
        return ("term", query.fieldname, query.text, query.boost)
    if type(query) is wq.Phrase and query.slop == 1 and len(query.words) > 1:
        return ("phrase", query.fieldname, tuple(query.words), query.boost)
    if isinstance(query, wq.AndNot):
        kept, dropped = _node(query.a), _node(query.b)
        return None if kept is None or dropped is None else ("and", [kept], [dropped], 1.0)
    # And([a, Not(b)]) is left to Whoosh: its inverse matcher adds 1.0 to each score.
    if type(query) in (wq.Or, wq.PreloadedOr) and not query.minmatch and not query.scale:
        parts = [_node(child) for child in query.subqueries]
        preloaded = type(query) is wq.PreloadedOr
        return None if any(part is None for part in parts) else ("or", parts, query.boost, preloaded)
    if type(query) is wq.And:
        positive: list[Node] = []
        negative: list[Node] = []
        for child in query.subqueries:
            part = None if isinstance(child, wq.Not) else _node(child)
            if part is None:
                return None
            positive.append(part)
        return ("and", positive, negative, query.boost)
    return None


class _Segment:
    """One segment's side of a ranking: its posting lists read once, and the scorers."""

    def __init__(self, searcher: Any, budget: list[int]) -> None:
        self.searcher = searcher
        self.leaf = searcher.reader()
        self.budget = budget
        self._postings: dict[tuple[str, str], dict[int, float]] = {}
        self._positions: dict[tuple[str, str], dict[int, tuple[float, bytes]]] = {}
        self._phrases: dict[Node, set[int]] = {}

    def postings(self, field: str, text: str) -> dict[int, float]:
        """Document number -> weight (the field's boost included, as Whoosh stores it)."""
        key = (field, text)
        found = self._postings.get(key)
        if found is None and key in self._positions:  # read already, for a phrase
            found = self._postings[key] = {docnum: pair[0] for docnum, pair in self._positions[key].items()}
        if found is None:
            found = {}
            leaf = self.leaf
            if field in leaf.schema:
                tbytes = leaf.schema[field].to_bytes(text)
                frequency = leaf.doc_frequency(field, tbytes)
                if frequency:
                    self.budget[0] -= frequency
                    if self.budget[0] < 0:
                        raise _NotHere
                    found = leaf_postings(leaf, field, tbytes)
            self._postings[key] = found
        return found

    def with_positions(self, field: str, text: str) -> dict[int, tuple[float, bytes]]:
        """Document number -> (weight, encoded positions), for phrases."""
        key = (field, text)
        found = self._positions.get(key)
        if found is None:
            found = {}
            leaf = self.leaf
            fieldtype = leaf.schema[field] if field in leaf.schema else None
            if fieldtype is None or not fieldtype.format.supports("positions"):
                raise _NotHere  # Whoosh says why (no positions in that field)
            tbytes = fieldtype.to_bytes(text)
            frequency = leaf.doc_frequency(field, tbytes)
            if frequency:
                self.budget[0] -= 2 * frequency  # positions are several times the ids' size
                if self.budget[0] < 0:
                    raise _NotHere
                found = leaf_postings(leaf, field, tbytes, values=True)
            self._positions[key] = found
        return found

    def phrase_docs(self, node: Node) -> set[int]:
        """Documents where the phrase's words stand next to each other, in order."""
        found = self._phrases.get(node)
        if found is not None:
            return found
        _kind, field, words, _boost = node
        lists = [self.with_positions(field, word) for word in words]
        smallest: dict[int, tuple[float, bytes]] = min(lists, key=len)
        candidates = set(smallest)
        for postings in lists:
            candidates &= postings.keys()
        decode = self.leaf.schema[field].format.decode_positions
        found = set()
        for docnum in candidates:
            starts = set(decode(lists[0][docnum][1]))
            for offset, postings in enumerate(lists[1:], 1):
                starts &= {position - offset for position in decode(postings[docnum][1])}
                if not starts:
                    break
            if starts:
                found.add(docnum)
        self._phrases[node] = found
        return found

    def docs(self, node: Node) -> set[int]:
        """The documents ``node`` matches (deleted ones included)."""
        kind = node[0]
        if kind == "none":
            return set()
        if kind == "term":
            return set(self.postings(node[1], node[2]))
        if kind == "phrase":
            return set(self.phrase_docs(node))
        if kind == "or":
            found: set[int] = set()
            for part in node[1]:
                found |= self.docs(part)
            return found
        matched: set[int] | None = None
        for part in sorted(node[1], key=lambda part: estimate_size(self.leaf, part)):  # the rarest first
            matched = self.docs(part) if matched is None else matched & self.docs(part)
            if not matched:
                return set()
        assert matched is not None
        for part in node[2]:
            matched -= self.docs(part)
        return matched

    def scores(self, node: Node, only: set[int] | None = None) -> dict[int, float]:
        """Document -> score for the documents ``node`` matches (among ``only`` when given).

        Parts are added up in the order Whoosh's matcher tree adds them (see
        :func:`_added_as_whoosh_adds`), so the sums are Whoosh's to the last bit.
        """
        kind = node[0]
        if kind == "none":
            return {}
        if kind == "term":
            return self._term_scores(node, only)
        if kind == "phrase":  # Whoosh scores a phrase as its words' AND (a binary tree of them)
            matched = self.phrase_docs(node) if only is None else self.phrase_docs(node) & only
            words = [self._term_scores(("term", node[1], word, 1.0), matched) for word in node[2]]
            return _boosted(_binary_sum(words), node[3])
        if kind == "or":
            parts = [(estimate_size(self.leaf, part), self.scores(part, only)) for part in node[1]]
            if added_in_query_order(self.leaf, node):
                combined: dict[int, float] = {}
                for _size, scores in parts:
                    for docnum, score in _boosted(scores, node[2]).items():
                        combined[docnum] = combined.get(docnum, 0.0) + score
                return combined
            return _boosted(_added_as_whoosh_adds(parts, _union), node[2])
        matched = self.docs(node)
        if only is not None:
            matched &= only
        if not matched:
            return {}
        sized = [(-estimate_size(self.leaf, part), self.scores(part, matched)) for part in node[1]]
        return _boosted(_added_as_whoosh_adds(sized, _intersection), node[3])

    def _term_scores(self, node: Node, only: set[int] | None) -> dict[int, float]:
        _kind, field, text, boost = node
        postings = self.postings(field, text)
        if not postings:
            return {}
        tbytes = self.leaf.schema[field].to_bytes(text)
        scorer = self.searcher.weighting.scorer(self.searcher, field, tbytes)
        if not isinstance(scorer, WeightLengthScorer):
            raise _NotHere
        score, length = scorer._score, scorer.dfl
        docs = postings.keys() if only is None else only.intersection(postings)
        return _boosted({docnum: score(postings[docnum], length(docnum)) for docnum in docs}, boost)


def added_in_query_order(leaf: Any, node: Node) -> bool:
    """Whether Whoosh adds up this OR's parts in the query's order, each times the OR's boost (its
    ``ArrayUnionMatcher``: a ``PreloadedOr``, or an ``Or`` of other than two parts in a segment of at
    most 5,000 articles, or of 1,024 parts or more), rather than as a tree (see :func:`_added_as_whoosh_adds`)."""
    parts = len(node[1])
    return bool(node[3]) or parts >= 1024 or (parts != 2 and leaf.doc_count_all() <= 5000)


def _added_as_whoosh_adds(parts: list[tuple[int, dict[int, float]]], add: Any) -> dict[int, float]:
    """Whoosh's ``make_weighted_tree``: the two lightest parts are joined first, then placed by their total weight.

    (And weighs its parts by minus their size, so the biggest are added first; Or by their size.)
    """
    pending = sorted(((weight, number, scores) for number, (weight, scores) in enumerate(parts)), key=lambda p: p[:2])
    number = len(pending)
    while len(pending) > 1:
        (weight_a, _na, a), (weight_b, _nb, b) = pending.pop(0), pending.pop(0)
        insort(pending, (weight_a + weight_b, number, add(a, b)), key=lambda p: p[:2])
        number += 1
    return pending[0][2] if pending else {}


def _binary_sum(parts: list[dict[int, float]]) -> dict[int, float]:
    """Whoosh's ``make_binary_tree`` of intersections: the first half's sum plus the second half's."""
    if len(parts) == 1:
        return parts[0]
    half = len(parts) // 2
    return _intersection(_binary_sum(parts[:half]), _binary_sum(parts[half:]))


def _union(a: dict[int, float], b: dict[int, float]) -> dict[int, float]:
    joined = dict(a)
    for docnum, score in b.items():
        joined[docnum] = joined[docnum] + score if docnum in joined else score
    return joined


def _intersection(a: dict[int, float], b: dict[int, float]) -> dict[int, float]:
    return {docnum: score + b[docnum] for docnum, score in a.items()}


def _boosted(scores: dict[int, float], boost: float) -> dict[int, float]:
    if boost == 1.0:
        return scores
    return {docnum: score * boost for docnum, score in scores.items()}
