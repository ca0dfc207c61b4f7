"""Exact totals without walking matches, when the query allows it.

Whoosh counts by running the query's matchers over every match, a few
microseconds of Python per article: 30-60 ms for two common words at 20k
articles, where SQLite's ``count(*)`` takes 1-2. A query built only of words
and field terms joined by AND, OR and NOT matches exactly the set algebra of
its terms' posting lists, and those lists are read a block (~100 articles) at
a time: one word is its document frequency (deleted articles taken off), two
words an intersection of two sets. Phrases (positions must be checked),
ranges, unexpanded prefixes and fuzzy words are not counted here
(:func:`cheap_count` returns None) and fall back to Whoosh.
"""

from __future__ import annotations

from typing import Any

from whoosh import query as wq

from .whoosh_patches import leaf_posting_ids

#: Above this many postings read, a count is not "cheap" (left to Whoosh's chunked count, which can be cancelled).
MAX_POSTINGS = 2_000_000


class _TooDear(Exception):
    """The query has a part this module does not count, or would read too much."""


def cheap_count(searcher: Any, query: Any) -> int | None:
    """How many live articles ``query`` matches, or None when it is not made only of terms."""
    try:
        shape = _shape(query)
        if shape is None:
            return None
        total = 0
        budget = [MAX_POSTINGS]
        for leaf, _offset in searcher.reader().leaf_readers():
            if _single_term(shape):
                total += _term_count(leaf, shape, budget)
                continue
            matched = _ids(leaf, shape, budget)
            deleted = leaf.deleted_docs_set if leaf.has_deletions() else ()
            total += len(matched) - (len(matched & deleted) if deleted else 0)
        return total
    except _TooDear:
        return None


# A query's shape: ("term", field, text) | ("or", [shapes]) | ("and", [shapes], [negated shapes]) | ("none",)
Shape = tuple[Any, ...]


def _shape(node: Any) -> Shape | None:
    """The set algebra ``node`` stands for, None for anything else (phrases, ranges, prefixes)."""
    if node is wq.NullQuery or isinstance(node, type(wq.NullQuery)):
        return ("none",)
    if type(node) is wq.Term:
        return ("term", node.fieldname, node.text)
    if isinstance(node, wq.AndNot):
        kept, dropped = _shape(node.a), _shape(node.b)
        return None if kept is None or dropped is None else ("and", [kept], [dropped])
    if isinstance(node, (wq.Or, wq.DisjunctionMax)) and not getattr(node, "minmatch", 0):
        parts = [_shape(child) for child in node.subqueries]
        return None if any(part is None for part in parts) else ("or", parts)
    if type(node) is wq.And:
        positive: list[Shape] = []
        negative: list[Shape] = []
        for child in node.subqueries:
            part = _shape(child.query) if isinstance(child, wq.Not) else _shape(child)
            if part is None:
                return None
            (negative if isinstance(child, wq.Not) else positive).append(part)
        return ("and", positive, negative) if positive else None
    return None


def _single_term(shape: Shape) -> bool:
    return bool(shape[0] == "term")


def _term_count(leaf: Any, shape: Shape, budget: list[int]) -> int:
    """A term's live articles in one segment: its document frequency less its deleted articles."""
    _kind, field, text = shape
    if field not in leaf.schema:
        return 0
    frequency: int = leaf.doc_frequency(field, text)
    if not frequency or not leaf.has_deletions():
        return frequency
    return len(_term_ids(leaf, field, text, budget) - leaf.deleted_docs_set)


def _term_ids(leaf: Any, field: str, text: Any, budget: list[int]) -> set[int]:
    if field not in leaf.schema:
        return set()
    frequency = leaf.doc_frequency(field, text)
    if not frequency:
        return set()
    budget[0] -= frequency
    if budget[0] < 0:
        raise _TooDear
    return leaf_posting_ids(leaf, field, text)


def _ids(leaf: Any, shape: Shape, budget: list[int]) -> set[int]:
    """Document numbers in one segment (deleted ones included) that ``shape`` matches."""
    kind = shape[0]
    if kind == "none":
        return set()
    if kind == "term":
        return _term_ids(leaf, shape[1], shape[2], budget)
    if kind == "or":
        found: set[int] = set()
        for part in shape[1]:
            found |= _ids(leaf, part, budget)
        return found
    positive, negative = shape[1], shape[2]
    # Smallest first: an empty intersection stops before the big lists are read.
    ordered = sorted(positive, key=lambda part: estimate_size(leaf, part))
    matched = _ids(leaf, ordered[0], budget)
    for part in ordered[1:]:
        if not matched:
            return matched
        matched &= _ids(leaf, part, budget)
    for part in negative:
        if not matched:
            break
        matched -= _ids(leaf, part, budget)
    return matched


def estimate_size(leaf: Any, shape: tuple[Any, ...]) -> int:
    """Whoosh's ``estimate_size`` of the query ``shape`` stands for in one segment (an upper bound of its matches).

    Shared with postings_rank.py, whose nodes have the same first fields.
    """
    kind = shape[0]
    if kind == "none":
        return 0
    if kind == "term":
        return int(leaf.doc_frequency(shape[1], shape[2])) if shape[1] in leaf.schema else 0
    if kind == "phrase":  # (postings_rank's) as Whoosh estimates a phrase: its rarest word
        words = shape[2]
        return min(estimate_size(leaf, ("term", shape[1], word)) for word in words)
    if kind == "or":
        return min(sum(estimate_size(leaf, part) for part in shape[1]), int(leaf.doc_count()))
    return min((estimate_size(leaf, part) for part in shape[1]), default=0)
