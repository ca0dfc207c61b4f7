"""What a search ran: the query as the index understood it, and why each top hit ranks where it does.

Built from the same parse, expansion and ranking as ``searching.search`` (it
runs that search), so the explanation cannot drift from what was ranked.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from whoosh import query as wq

from ..model import ExplainedHit, ExplainedWord, QueryExplanation, WordScore
from ..text.controls import valid_unicode
from .budget import Budget

if TYPE_CHECKING:
    from .store import IndexStore

_WORD_FIELDS = ("title", "body")
_EXACT_FIELDS = ("title_exact", "body_exact")


def explain(store: IndexStore, text: str, *, limit: int, prefix_words: int | None) -> QueryExplanation:
    """Raises QueryError like a search."""
    from .ranking import GRADED_FROM_WORDS, PROXIMITY_CANDIDATES, PROXIMITY_WEIGHT, TITLE_WEIGHT
    from .searching import _expanded, _parse, _required_parts, search

    text = valid_unicode(text)
    results = search(store, text, limit=limit, snippets=False, count=True, prefix_words=prefix_words)
    parsed = _parse(store, text)
    unquoted, dropped = dropped_words(text)
    if parsed is None:
        return QueryExplanation(text, (), dropped, "nothing to search for", False, False, 0, ())
    with store.lock:
        searcher = store.searcher()
        reader = searcher.reader()
        budget = Budget()
        expanded = _expanded(store, text, parsed, prefix_words, budget)
        parts = list(parsed.subqueries) if isinstance(parsed, wq.And) else [parsed]
        done = list(expanded.subqueries) if isinstance(expanded, wq.And) else [expanded]
        if len(done) != len(parts):
            done = parts
        cut = partial(_prefix_cut, reader)
        described = (
            _entity_counted(describe(part, after, reader.doc_frequency, cut=cut), after)
            for part, after in zip(parts, done, strict=True)
        )
        as_typed = _as_typed(store, unquoted)
        words = tuple(_with_typed(word, as_typed) for word in described)
        required = _required_parts(parsed)
        ranking = _Ranking.of(store, text, parsed, prefix_words, budget) if results.graded else None
        if results.graded:
            match = (
                f"graded: {required} words, articles with any of them, each score scaled by the share of the query it has"
                if required >= GRADED_FROM_WORDS
                else "no article has every word: articles with some of them, ranked by the share of the query they have"
            )
            match += (
                f"; title matches x{TITLE_WEIGHT:g}, repeated words count more, and the best"
                f" {PROXIMITY_CANDIDATES} gain up to {PROXIMITY_WEIGHT:.0%} when neighbouring words stand close"
            )
        elif required > 1:
            match = f"all {required} parts required (up to {GRADED_FROM_WORDS - 1} words must all match)"
        else:
            match = "one part"
        hits = tuple(_explain_hit(searcher, hit, done, words, ranking, rank) for rank, hit in enumerate(results.hits))
    return QueryExplanation(text, words, dropped, match, results.graded, results.fallback, results.total, hits)


def dropped_words(text: str) -> tuple[str, tuple[str, ...]]:
    """The query's text outside phrases, and its common words left out of matching (as typed)."""
    from .query import STOP_WORDS, preprocess, take_folders

    rest, _folders = take_folders(text)
    unquoted = re.sub(r'"[^"]*"', " ", preprocess(rest))
    words = re.findall(r"(?<![:\w])\w+", unquoted)
    return unquoted, tuple(dict.fromkeys(w for w in words if w.lower() in STOP_WORDS and w not in ("AND", "OR", "NOT")))


def match_line(graded: bool, required: int) -> str:
    """How articles were matched and ranked, in one line."""
    from .ranking import GRADED_FROM_WORDS

    if graded:
        if required >= GRADED_FROM_WORDS:
            return f"graded: {required} words, articles with any of them, each score scaled by the share of the query it has"
        return "no article has every word: articles with some of them, ranked by the share of the query they have"
    if required > 1:
        return f"all {required} parts required (up to {GRADED_FROM_WORDS - 1} words must all match)"
    return "one part"


def _as_typed(store: IndexStore, text: str) -> dict[str, str]:
    """Indexed form -> the word as typed (folded), for the words of ``text``."""
    from .query import fold_word

    return {store.stem(word): fold_word(word) for word in re.findall(r"\w+", text) if store.stem(word)}


def _with_typed(word: ExplainedWord, as_typed: dict[str, str]) -> ExplainedWord:
    if word.kind not in ("word", "fuzzy", "excluded"):
        return word
    bare = word.typed.lstrip("-")
    stem, _tilde, edits = bare.partition("~")
    typed = as_typed.get(stem, stem) + (f"~{edits}" if _tilde else "")
    return ExplainedWord(("-" if word.typed.startswith("-") else "") + typed, *_rest(word))


def _rest(word: ExplainedWord) -> tuple[Any, ...]:
    return (word.kind, word.terms, word.fields, word.articles, word.expansions, word.cut)


def _text(value: object) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def _leaves(node: Any) -> list[Any]:
    if node.is_leaf():
        return [node]
    return [leaf for child in node.children() for leaf in _leaves(child)]


def _terms(node: Any) -> list[tuple[str, str]]:
    found = []
    for leaf in _leaves(node):
        if isinstance(leaf, wq.Phrase):
            found += [(leaf.fieldname, _text(w)) for w in leaf.words]
        elif isinstance(leaf, wq.Term) and not isinstance(leaf, (wq.FuzzyTerm, wq.Wildcard)):
            found.append((leaf.fieldname, _text(leaf.text)))
        elif isinstance(leaf, (wq.Prefix, wq.TermRange)) and leaf.fieldname == "date":
            found.append(("date", str(leaf)))
    return found


def _prefix_cut(reader: Any, prefix: Any, kept: int) -> int:
    """How many more indexed words begin with ``prefix`` than the ``kept`` searched."""
    from .query import _prefix_frequencies

    every = _prefix_frequencies(prefix.fieldname, _text(prefix.text), reader, 10**9)
    return max(0, len([n for n in every.values() if n]) - kept)


def describe(
    node: Any,
    after: Any,
    doc_frequency: Callable[[str, str], int],
    *,
    cut: Callable[[Any, int], int] | None = None,
    fuzzy: Callable[[Any], dict[str, str]] | None = None,
) -> ExplainedWord:
    """One part of the query (``after``: as expanded) for the explanation, by any backend.

    ``doc_frequency(field, term)`` counts articles; ``cut(prefix, kept)`` says how many
    words a prefix left out; ``fuzzy(leaf)`` gives the term -> field a ``word~`` stands
    for when the expanded query does not list them (the cluster expands it itself).
    """
    leaves = _leaves(node)
    fields = tuple(dict.fromkeys(leaf.fieldname for leaf in leaves if hasattr(leaf, "fieldname")))
    if isinstance(node, wq.Not):
        inner = describe(node.query, node.query, doc_frequency, cut=cut, fuzzy=fuzzy)
        return ExplainedWord("-" + inner.typed, "excluded", inner.terms, inner.fields, inner.articles)
    first = leaves[0] if leaves else node
    expansions: tuple[tuple[str, int], ...] = ()
    terms: tuple[str, ...]
    left_out = 0
    if any(f == "date" for f in fields):
        kind, typed, terms = "date", str(node).replace("date:", ""), (str(node),)
    elif isinstance(first, wq.Phrase):
        kind = "exact phrase" if first.fieldname in _EXACT_FIELDS else "phrase"
        typed = ('="' if kind == "exact phrase" else '"') + " ".join(_text(w) for w in first.words) + '"'
        terms = tuple(_text(w) for w in first.words)
    elif isinstance(first, (wq.Prefix, wq.FuzzyTerm)) and first.fieldname in _WORD_FIELDS + _EXACT_FIELDS:
        kind = "prefix" if isinstance(first, wq.Prefix) else "fuzzy"
        typed = _text(first.text) + ("*" if kind == "prefix" else f"~{first.maxdist}")
        kept = {t: f for f, t in _terms(after) if f in _WORD_FIELDS + _EXACT_FIELDS and f != "title"}
        kept.update({t: f for f, t in _terms(after) if f == "title" and t not in kept})
        if kind == "fuzzy" and fuzzy is not None:
            kept = fuzzy(first)
        expansions = tuple((t, doc_frequency(f, t)) for t, f in kept.items())
        terms = tuple(t for t, _n in expansions)
        if kind == "prefix" and first.fieldname in _WORD_FIELDS and cut is not None:
            left_out = cut(first, len(expansions))
    elif first.fieldname in _EXACT_FIELDS:
        kind, typed, terms = "exact", "=" + _text(first.text), (_text(first.text),)
    elif first.fieldname in _WORD_FIELDS:
        kind, typed, terms = "word", _text(first.text), (_text(first.text),)
    elif isinstance(first, wq.Term):
        kind, typed, terms = "field", f"{first.fieldname}:{_text(first.text)}", (_text(first.text),)
    else:
        kind, typed, terms = "other", str(node), tuple(t for _f, t in _terms(after))
    counts = [doc_frequency(f, t) for f, t in _terms(after) if f != "date"] + [n for _t, n in expansions]
    return ExplainedWord(typed, kind, terms, fields, max(counts, default=0), expansions, left_out)


@dataclass(frozen=True)
class _Ranking:
    """The graded ranking's words and term weights for one query, built as ``ranking.graded_search`` builds them."""

    words: list[Any]  # ranking.QueryWord
    boosts: dict[tuple[str, str], float]

    @classmethod
    def of(cls, store: IndexStore, text: str, parsed: Any, prefix_words: int | None, budget: Budget) -> _Ranking | None:
        from .ranking import query_words, term_boosts, word_counts, words_of
        from .searching import _expanded

        any_word = _expanded(store, text, parsed, prefix_words, budget, any_word=True)
        parts = words_of(any_word) if any_word is not None else []
        if len(parts) < 2:
            return None
        searcher = store.searcher()
        words = query_words(parts, searcher.reader(), word_counts(text, store.stem))
        return cls(words, term_boosts(searcher, words))


def _entity_counted(word: ExplainedWord, after: Any) -> ExplainedWord:
    """An entity part counts the articles the catalog matched (the index's entity fields are empty)."""
    from .entity_search import entity_sets

    found = entity_sets(after)
    if not found or word.kind == "excluded":
        return word
    articles = len(frozenset().union(*(s.ids for s in found)))
    return ExplainedWord(word.typed, word.kind, word.terms, word.fields, articles, word.expansions, word.cut)


def _entity_scores(searcher: Any, article_id: str, part: Any, word: str) -> list[WordScore]:
    """The entity clauses' part of one hit's score: how much it is about the entity, and why."""
    from .entity_search import entity_sets

    scores: list[WordScore] = []
    for found in entity_sets(part):
        score = found.score_of(searcher, article_id)
        evidence = found.evidence.articles.get(article_id) if found.evidence is not None else None
        if score is not None and evidence is not None:
            kinds = "/".join(found.evidence.clause.kinds) if found.evidence is not None else ""
            scores.append(WordScore(word, f"{kinds} entity", evidence.describe(), round(score, 4)))
    return scores


def _explain_hit(
    searcher: Any, hit: Any, parts: list[Any], words: tuple[ExplainedWord, ...], ranking: _Ranking | None, rank: int
) -> ExplainedHit:
    from .ranking import COVERAGE_POWER, PROXIMITY_CANDIDATES, closeness, coverage

    docnum = searcher.document_number(id=hit.id)
    boosts = ranking.boosts if ranking is not None else {}
    scores: list[WordScore] = []
    matched: list[str] = []
    missing: list[str] = []
    for part, word in zip(parts, words, strict=True):
        if word.kind in ("excluded", "date"):
            continue  # a filter every hit passes, not a ranked word
        entity = _entity_scores(searcher, hit.id, part, word.typed)
        scores += entity
        found = bool(entity)
        for field, term in dict.fromkeys(_terms(part)):
            if field == "date":
                continue
            score = _term_score(searcher, docnum, field, term)
            if score is not None:
                found = True
                scores.append(WordScore(word.typed, field, term, round(score * boosts.get((field, term), 1.0), 4)))
        (matched if found else missing).append(word.typed)
    bm25 = round(sum(s.score for s in scores), 4)
    share, proximity = 1.0, 1.0
    close: tuple[str, ...] = ()
    if ranking is not None and docnum is not None:
        held = [n for n, w in enumerate(ranking.words) if any(_term_score(searcher, docnum, *t) is not None for t in w.terms)]
        share = round(coverage(ranking.words, held) ** COVERAGE_POWER, 4)
        near = closeness(searcher.reader(), [docnum], ranking.words).get(docnum) if rank < PROXIMITY_CANDIDATES else None
        if near is not None:
            proximity = round(near.factor, 4)
            close = tuple(f"{a} {b} ({apart} apart)" for a, b, apart in near.pairs)
    scores.sort(key=lambda s: -s.score)
    return ExplainedHit(
        hit.id, hit.title, hit.score, bm25, share, tuple(matched), tuple(missing), tuple(scores), proximity, close
    )


def _term_score(searcher: Any, docnum: int | None, field: str, term: str) -> float | None:
    """This article's BM25F score for one term (with the field's weight), None when it lacks it."""
    if docnum is None:
        return None
    matcher = wq.Term(field, term).matcher(searcher)
    if not matcher.is_active():
        return None
    matcher.skip_to(docnum)
    if not matcher.is_active() or matcher.id() != docnum:
        return None
    return float(matcher.score())
