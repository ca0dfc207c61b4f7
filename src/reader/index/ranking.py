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

Within a long query, three things make the BM25F sum fit a question better:

- each word is scored with one idf (that of its most frequent field), not
  Whoosh's idf per field, where a word rare in titles but common in bodies
  scored as a rare word whenever it was in a title;
- title matches weigh ``TITLE_WEIGHT`` times more;
- a word the question repeats counts more, with BM25's saturation (``k3``).

Then the best ``PROXIMITY_CANDIDATES`` get a bonus when query words that are
next to each other in the query stand within ``PROXIMITY_WINDOW`` words of
each other in the article's body (positions the index already stores).

Measured with ``benchmarks/relevance.py`` (nDCG@10 / recall@100), before
these three and the closeness bonus -> with them (plain Whoosh BM25F):

    med               0.710/0.783 -> 0.707/0.794   (0.706/0.778)
    cacm              0.429/0.615 -> 0.490/0.639   (0.390/0.628)
    lisa              0.447/0.699 -> 0.501/0.748   (0.423/0.676)
    nfcorpus-vtitles  0.268/0.236 -> 0.269/0.236   (0.281/0.272)
    nfcorpus-desc     0.318/0.334 -> 0.337/0.342   (0.310/0.336)

The constants were chosen on those runs (grid over each, replayed offline
from the index's postings); Whoosh's ``B``/``K1`` (0.75/1.2) stayed, as no
setting won on every collection.
"""

from __future__ import annotations

import copy
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from whoosh import query as wq

#: Queries with at least this many searched words are graded; shorter ones need every word.
GRADED_FROM_WORDS = 4
#: How many any-word matches are re-ranked by coverage (the rest keep BM25F order).
GRADED_POOL = 200
#: Coverage is raised to this power: 1 weighs a missing word by its share of the query's idf.
COVERAGE_POWER = 0.5
#: How much more a title match weighs than a body match in a graded query (on top of the index's 2.5 on title counts).
TITLE_WEIGHT = 1.5
#: A word repeated n times in the query counts (k3 + 1) n / (k3 + n) times (BM25's query-term saturation).
REPEAT_K3 = 2.0
#: An article's score is raised by up to this share when the query's neighbouring words stand close in it.
PROXIMITY_WEIGHT = 0.5
#: Words at most this far apart count as close (1: adjacent); a pair's credit falls as 1/distance.
PROXIMITY_WINDOW = 3
#: Only the best this many are looked at for closeness (it reads their positions).
PROXIMITY_CANDIDATES = 50


@dataclass(frozen=True, slots=True)
class QueryWord:
    """One searched part of a query (a word with its title/body forms, a phrase, a field term)."""

    label: str
    idf: float
    terms: frozenset[tuple[str, str]]
    repeats: int = 1  # how many times the query has it

    @property
    def weight(self) -> float:
        """What the word counts for: more when the query repeats it, saturating."""
        return (REPEAT_K3 + 1) * self.repeats / (REPEAT_K3 + self.repeats)


@dataclass(frozen=True, slots=True)
class Closeness:
    """How close the query's neighbouring words stand in one article's body."""

    factor: float  # what the score was multiplied by (1.0: no neighbours close)
    pairs: tuple[tuple[str, str, int], ...] = ()  # (word, next word in the query, words apart)


NOT_CLOSE = Closeness(1.0)


@dataclass(frozen=True, slots=True)
class GradedHit:
    hit: Any  # whoosh.searching.Hit
    score: float  # BM25F x coverage x closeness
    bm25: float
    matched: tuple[int, ...]  # indexes into the query's words
    coverage: float  # the idf-weighted share of the query it has
    closeness: Closeness = NOT_CLOSE


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


def word_counts(text: str, stem: Callable[[str], str]) -> Counter[str]:
    """How many times each indexed word occurs in a query as typed (for :attr:`QueryWord.repeats`)."""
    return Counter(term for term in (stem(word) for word in re.findall(r"\w+", text)) if term)


def query_words(parts: list[Any], reader: Any, counts: Counter[str] | None = None) -> list[QueryWord]:
    """The query's words (the title and body forms of one word together), each with its terms and idf.

    The idf is that of the word's most frequent term, so a word common in
    bodies weighs little even though it is rare in titles. ``counts`` (see
    :func:`word_counts`) says how often the query repeats a word.
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
        repeats = max((counts.get(text, 1) for _field, text in terms), default=1) if counts else 1
        words.append(QueryWord(_label(nodes[0]), idf, frozenset(terms), max(1, repeats)))
    return words


def coverage(words: list[QueryWord], matched: Iterable[int]) -> float:
    """The share of the query an article has: its words' idf (times their weight) over the query's."""
    total = sum(word.idf * word.weight for word in words) or 1.0
    return sum(words[number].idf * words[number].weight for number in set(matched)) / total


def term_boosts(searcher: Any, words: list[QueryWord]) -> dict[tuple[str, str], float]:
    """What each term's BM25F score is multiplied by in a graded query (see the module's docstring).

    A word searched as one text (``x`` in title and body) is brought from
    Whoosh's idf of each field to the word's own idf; phrases, prefixes and
    fuzzy words (several texts) keep Whoosh's.
    """
    boosts = {}
    # Whoosh's idf takes the log of the document count: an empty index (every article
    # deleted) would raise, so there every term keeps its plain boost.
    indexed = searcher.doc_count_all() > 0
    for word in words:
        one_text = len({text for _field, text in word.terms}) == 1
        for field, text in word.terms:
            boost = word.weight * (TITLE_WEIGHT if field in _TITLE_FIELDS else 1.0)
            field_idf = float(searcher.idf(field, text)) if one_text and indexed else 0.0
            boosts[(field, text)] = boost * (word.idf / field_idf if field_idf > 0 else 1.0)
    return boosts


_TITLE_FIELDS = ("title", "title_exact")


def weighted(query: Any, words: list[QueryWord], boosts: dict[tuple[str, str], float]) -> Any:
    """``query`` with each word's terms (and phrases) boosted as :func:`term_boosts` says."""
    phrase_weight = {term: word.weight for word in words for term in word.terms}

    def factor(node: Any) -> float | None:
        if isinstance(node, wq.Phrase):
            first = (node.fieldname, _text(node.words[0])) if node.words else None
            title = TITLE_WEIGHT if node.fieldname in _TITLE_FIELDS else 1.0
            return phrase_weight.get(first, 1.0) * title if first else None
        if isinstance(node, wq.Term) and not isinstance(node, (wq.FuzzyTerm, wq.Wildcard, wq.Prefix)):
            return boosts.get((node.fieldname, _text(node.text)))
        return None

    def rewrite(node: Any) -> Any:
        found = factor(node)
        if found is not None:
            return node.with_boost(node.boost * found)
        if isinstance(node, wq.CompoundQuery):  # copied, not rebuilt: Or keeps its scale and minmatch
            changed = copy.copy(node)
            changed.subqueries = [rewrite(child) for child in node.subqueries]
            return changed
        if isinstance(node, wq.AndNot):  # what is excluded is not scored
            return wq.AndNot(rewrite(node.a), node.b)
        return node

    return rewrite(query)


def closeness(reader: Any, docnums: list[int], words: list[QueryWord]) -> dict[int, Closeness]:
    """For each article, how close each pair of neighbouring query words stands in its body.

    A pair within ``PROXIMITY_WINDOW`` words earns the lesser idf of the two
    over their distance; the article's factor is 1 plus ``PROXIMITY_WEIGHT``
    times its earnings over what every pair adjacent would earn. Positions
    come from the body's postings, read once per word for all the articles.
    """
    pairs = [(number, number + 1) for number in range(len(words) - 1)]
    best = sum(min(words[a].idf, words[b].idf) for a, b in pairs)
    if not pairs or best <= 0 or not docnums:
        return {}
    wanted = sorted(set(docnums))
    positions: list[dict[int, list[int]]] = [_body_positions(reader, word, wanted) for word in words]
    found = {}
    for docnum in wanted:
        close = []
        earned = 0.0
        for a, b in pairs:
            first, second = positions[a].get(docnum), positions[b].get(docnum)
            if not first or not second:
                continue
            distance = _nearest(first, second)
            if distance <= PROXIMITY_WINDOW:
                earned += min(words[a].idf, words[b].idf) / distance
                close.append((words[a].label, words[b].label, distance))
        if close:
            found[docnum] = Closeness(1.0 + PROXIMITY_WEIGHT * earned / best, tuple(close))
    return found


def _body_positions(reader: Any, word: QueryWord, docnums: list[int]) -> dict[int, list[int]]:
    """Where ``word`` (any of its body terms) stands in each of ``docnums`` (sorted) that has it."""
    found: dict[int, set[int]] = {}
    for field, text in word.terms:
        if field not in ("body", "body_exact") or not reader.doc_frequency(field, text):
            continue
        postings = reader.postings(field, text)
        if not postings.supports("positions"):
            continue
        for docnum in docnums:
            if not postings.is_active():
                break
            if postings.id() < docnum:
                postings.skip_to(docnum)
                if not postings.is_active():
                    break
            if postings.id() == docnum:
                found.setdefault(docnum, set()).update(postings.value_as("positions"))
    return {docnum: sorted(places) for docnum, places in found.items()}


def _nearest(first: list[int], second: list[int]) -> int:
    """The smallest distance between a position in ``first`` and one in ``second`` (both sorted), 0 left out."""
    i = j = 0
    best = 1 << 30
    while i < len(first) and j < len(second):
        distance = abs(first[i] - second[j])
        if distance and distance < best:
            best = distance
        if first[i] < second[j]:
            i += 1
        else:
            j += 1
    return best


def graded_search(searcher: Any, query: Any, words: list[QueryWord], limit: int) -> tuple[list[GradedHit], Any]:
    """The best ``limit`` of a pool of any-word matches, re-ranked by BM25F x coverage x closeness; and Whoosh's results.

    Whoosh ranks the pool with the query re-weighted (:func:`weighted`).
    """
    owner = {term: number for number, word in enumerate(words) for term in word.terms}
    found = searcher.search(weighted(query, words, term_boosts(searcher, words)), limit=max(limit, GRADED_POOL), terms=True)
    graded = []
    for hit in found:
        matched = sorted({owner[(f, _text(t))] for f, t in hit.matched_terms() if (f, _text(t)) in owner})
        share = coverage(words, matched)
        bm25 = float(hit.score)
        graded.append(GradedHit(hit, bm25 * share**COVERAGE_POWER, bm25, tuple(matched), share))
    graded.sort(key=lambda g: -g.score)
    top = graded[:PROXIMITY_CANDIDATES]
    close = closeness(searcher.reader(), [g.hit.docnum for g in top], words)
    for number, g in enumerate(top):
        near = close.get(g.hit.docnum)
        if near is not None:
            graded[number] = GradedHit(g.hit, g.score * near.factor, g.bm25, g.matched, g.coverage, near)
    graded.sort(key=lambda g: -g.score)
    return graded[:limit], found
