"""Graded matching: long queries rank articles by how much of the query they match.

A query of four or more words rarely has an article containing all of them
(natural-language questions: "what problems arise in making up descriptive
titles"), and an all-or-nothing match then falls back to any word, where an
article with one rare word outranks one with five of the six. Here a long
query matches articles with any of its words, and each article's BM25F score
is multiplied by the share of the query it covers, each word weighted by its
inverse document frequency (a coordination factor): articles with every word
come first unless a partial match is far stronger, then those with most of
them, in one ranking. Short queries (up to three words) stay strict.

Measured with ``benchmarks/relevance.py`` (nDCG@10 / recall@100) against the
all-words-then-any-word ranking it replaces: MED 0.690/0.775 -> 0.679/0.793,
CACM 0.353/0.576 -> 0.432/0.641 (plain Whoosh BM25F: 0.701/0.783 and
0.390/0.628). The coordination power (1), BM25F ``B``/``K1`` (Whoosh's 0.75/1.2)
and the title weight (2.5) were chosen on those runs; see the commit message.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from whoosh import query as wq

#: Queries with at least this many searched words are graded; shorter ones need every word.
GRADED_FROM_WORDS = 4
#: How many any-word matches are re-ranked by coverage (the rest keep BM25F order).
GRADED_POOL = 200
#: Coverage is raised to this power: 1 weighs a missing word by its share of the query's idf.
COVERAGE_POWER = 0.5


@dataclass(frozen=True, slots=True)
class QueryWord:
    """One searched part of a query (a word with its title/body forms, a phrase, a field term)."""

    label: str
    idf: float
    terms: frozenset[tuple[str, str]]


@dataclass(frozen=True, slots=True)
class GradedHit:
    hit: Any  # whoosh.searching.Hit
    score: float  # BM25F x coverage
    bm25: float
    matched: tuple[int, ...]  # indexes into the query's words
    coverage: float


def words_of(query: Any) -> list[Any]:
    """The parts an any-word query ORs together (empty when it has no such shape)."""
    if isinstance(query, wq.AndNot):
        query = query.a
    if isinstance(query, wq.Or) and not isinstance(query, wq.DisjunctionMax):
        return list(query.subqueries)
    return []


def _leaves(node: Any) -> Iterator[Any]:
    if node.is_leaf():
        yield node
    else:
        for child in node.children():
            yield from _leaves(child)


def _text(value: object) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def _label(node: Any) -> str:
    for leaf in _leaves(node):
        if isinstance(leaf, wq.Phrase):
            return '"' + " ".join(_text(w) for w in leaf.words) + '"'
        if hasattr(leaf, "text"):
            field = "" if leaf.fieldname in ("title", "body") else f"{leaf.fieldname}:"
            return field + _text(leaf.text)
    return str(node)


_FIELD_KEYS = {"title": "", "body": "", "title_exact": "=", "body_exact": "="}


def _word_key(node: Any) -> frozenset[str]:
    """What a part searches for, whatever the field: ``title:x`` and ``body:x`` are one word."""
    keys = set()
    for leaf in _leaves(node):
        if isinstance(leaf, wq.Phrase):
            keys.add(_FIELD_KEYS.get(leaf.fieldname, "") + '"' + " ".join(_text(w) for w in leaf.words) + '"')
        elif hasattr(leaf, "text"):
            keys.add(_FIELD_KEYS.get(leaf.fieldname, leaf.fieldname + ":") + _text(leaf.text))
    return frozenset(keys)


def query_words(parts: list[Any], reader: Any) -> list[QueryWord]:
    """The query's words (the title and body forms of one word together), each with its terms and idf.

    The idf is that of the word's most frequent term, so a word common in
    bodies weighs little even though it is rare in titles.
    """
    total = max(1, reader.doc_count())
    grouped: dict[frozenset[str], list[Any]] = {}
    for part in parts:
        grouped.setdefault(_word_key(part), []).append(part)
    words = []
    for nodes in grouped.values():
        terms: set[tuple[str, str]] = set()
        for leaf in (leaf for node in nodes for leaf in _leaves(node)):
            if isinstance(leaf, wq.Phrase):
                terms |= {(leaf.fieldname, _text(word)) for word in leaf.words}
            elif isinstance(leaf, wq.Term):
                terms.add((leaf.fieldname, _text(leaf.text)))
        frequency = max((reader.doc_frequency(field, text) for field, text in terms), default=0)
        idf = math.log(1 + (total - frequency + 0.5) / (frequency + 0.5))
        words.append(QueryWord(_label(nodes[0]), idf, frozenset(terms)))
    return words


def graded_search(searcher: Any, query: Any, words: list[QueryWord], limit: int) -> tuple[list[GradedHit], Any]:
    """The best ``limit`` of a pool of any-word matches, re-ranked by BM25F x coverage; and Whoosh's results."""
    owner = {term: number for number, word in enumerate(words) for term in word.terms}
    weight = sum(word.idf for word in words) or 1.0
    found = searcher.search(query, limit=max(limit, GRADED_POOL), terms=True)
    graded = []
    for hit in found:
        matched = sorted({owner[(f, _text(t))] for f, t in hit.matched_terms() if (f, _text(t)) in owner})
        coverage = sum(words[number].idf for number in matched) / weight
        bm25 = float(hit.score)
        graded.append(GradedHit(hit, bm25 * coverage**COVERAGE_POWER, bm25, tuple(matched), coverage))
    graded.sort(key=lambda g: -g.score)
    return graded[:limit], found
