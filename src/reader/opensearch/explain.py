"""``search --explain`` on the cluster: the query as understood, and why each top hit ranks there.

The same report as :mod:`reader.index.explain`, from the same search (it runs
:func:`.searching.search`), with the cluster's figures: article counts from one
``filters`` aggregation, a ``prefix*``'s words as the cluster ranks them (its
most frequent completions, :func:`.searching.likeliest_words`), and each hit's
score per word and field asked of the cluster for that one article (BM25, the
cluster's scoring, where the local index reports BM25F).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from whoosh import query as wq

from ..index.explain import _as_typed, _terms, _text, _with_typed, describe, dropped_words, match_line
from ..model import ExplainedHit, ExplainedWord, QueryExplanation, SearchResults, WordScore
from ..text.controls import valid_unicode
from .searching import SEARCH_TYPE, likeliest_words
from .translate import PREFIX_TERMS, required_parts, to_dsl

if TYPE_CHECKING:
    from .store import OpenSearchStore


def explain(store: OpenSearchStore, text: str, *, limit: int, prefix_words: int | None) -> QueryExplanation:
    """Raises QueryError like a search."""
    text = valid_unicode(text)
    results: SearchResults = store.search(text, limit=limit, snippets=False, count=True, prefix_words=prefix_words)
    parsed = store.parse(text)
    unquoted, dropped = dropped_words(text)
    if parsed is wq.NullQuery or store.usable() is None:
        return QueryExplanation(text, (), dropped, "nothing to search for", False, False, 0, ())
    expanded = likeliest_words(store, parsed, prefix_words or PREFIX_TERMS - 1)  # prefixes as their words
    parts = list(parsed.subqueries) if isinstance(parsed, wq.And) else [parsed]
    done = list(expanded.subqueries) if isinstance(expanded, wq.And) else [expanded]
    if len(done) != len(parts):
        done = parts
    fuzzy = _fuzzy_stems(store, text, done)
    counted = [t for part in done for t in _terms(part) if t[0] != "date"]
    counts = _Counts(store, counted + [(field, stem) for (field, _t), stems in fuzzy.items() for stem in stems])

    def within_reach(leaf: Any) -> dict[str, str]:
        """The stems a ``word~`` reaches -> a field that has them (its body form first)."""
        reached: dict[str, str] = {}
        for field in ("body", "title", leaf.fieldname):
            for stem in fuzzy.get((field, _text(leaf.text)), ()):
                if counts.doc_frequency(field, stem):  # as the local index lists it: words some article has
                    reached.setdefault(stem, field)
        return reached

    as_typed = _as_typed(store, unquoted)  # type: ignore[arg-type] # only .stem is used
    described = (describe(part, after, counts.doc_frequency, fuzzy=within_reach) for part, after in zip(parts, done, strict=True))
    words = tuple(_with_typed(word, as_typed) for word in described)
    match = match_line(results.graded, required_parts(parsed))
    asked = [_terms(part) + [term for leaf in part.leaves() for term in _reached(fuzzy, leaf)] for part in done]
    explained = (_explain_hit(store, hit, asked, words, results.graded) for hit in results.hits)
    hits = tuple(_entity_named(store, hit, done, words) for hit in explained)
    return QueryExplanation(text, words, dropped, match, results.graded, results.fallback, results.total, hits)


class _Counts:
    """How many articles hold each (field, term): one ``filters`` aggregation for the whole query."""

    def __init__(self, store: OpenSearchStore, terms: list[tuple[str, str]]) -> None:
        from .translate import term_filter

        self.terms = sorted(set(terms))
        self.counts: dict[tuple[str, str], int] = {}
        if not self.terms:
            return
        filters = {f"t{n}": term_filter(field, term) for n, (field, term) in enumerate(self.terms)}
        body = {"size": 0, "track_total_hits": False, "aggs": {"terms": {"filters": {"filters": filters}}}}
        with store.talking("explaining the query"):
            buckets = store.client.search(index=store.alias, body=body)["aggregations"]["terms"]["buckets"]
        self.counts = {term: int(buckets[f"t{n}"]["doc_count"]) for n, term in enumerate(self.terms)}

    def doc_frequency(self, field: str, term: str) -> int:
        return self.counts.get((field, term), 0)


def _fuzzy_stems(store: OpenSearchStore, text: str, parts: list[Any]) -> dict[tuple[str, str], list[str]]:
    """(field, stem) of each ``word~`` -> the stems of the indexed words within its edits (the
    cluster's term suggester over the unstemmed words), itself first."""
    from ..index.query import fuzzy_originals
    from .mapping import WORD_FIELDS, words_field

    originals = fuzzy_originals(text, store.stem)
    found: dict[tuple[str, str], list[str]] = {}
    for leaf in (leaf for part in parts for leaf in part.leaves() if isinstance(leaf, wq.FuzzyTerm)):
        stem = _text(leaf.text)
        stems = [stem]
        if leaf.fieldname in WORD_FIELDS:
            options = {"field": words_field(leaf.fieldname), "suggest_mode": "always", "max_edits": max(1, leaf.maxdist)}
            body = {"size": 0, "suggest": {"word": {"text": originals.get(stem, stem), "term": {**options, "size": 20}}}}
            with store.talking("explaining the query"):
                entries = store.client.search(index=store.alias, body=body).get("suggest", {}).get("word", ())
            stems += [store.stem(str(option["text"])) for entry in entries for option in entry.get("options", ())]
        found[(leaf.fieldname, stem)] = list(dict.fromkeys(s for s in stems if s))
    return found


def _reached(fuzzy: dict[tuple[str, str], list[str]], leaf: Any) -> list[tuple[str, str]]:
    """(field, stem) a ``word~`` leaf reaches (none for other leaves)."""
    if not isinstance(leaf, wq.FuzzyTerm):
        return []
    return [(leaf.fieldname, stem) for stem in fuzzy.get((leaf.fieldname, _text(leaf.text)), ())]


def _explain_hit(
    store: OpenSearchStore, hit: Any, parts: list[list[tuple[str, str]]], words: tuple[ExplainedWord, ...], graded: bool
) -> ExplainedHit:
    """Each word's score in this one article, per field and term, asked of the cluster in one msearch."""
    asked: list[tuple[str, str, str]] = []  # (word, field, term)
    for terms, word in zip(parts, words, strict=True):
        if word.kind not in ("excluded", "date"):
            asked += [(word.typed, field, term) for field, term in dict.fromkeys(terms) if field != "date"]
    lines: list[dict[str, Any]] = []
    for _word, field, term in asked:
        lines.append({"index": store.alias, "search_type": SEARCH_TYPE})
        only_this = {"bool": {"must": [to_dsl(wq.Term(field, term))], "filter": [{"term": {"id": hit.id}}]}}
        lines.append({"query": only_this, "size": 1, "_source": False})
    scored: dict[tuple[str, str, str], float] = {}
    if lines:
        with store.talking("explaining the hits"):
            responses = store.client.msearch(body=lines)["responses"]
        for key, response in zip(asked, responses, strict=True):
            found = response.get("hits", {}).get("hits", [])
            if found:
                scored[key] = float(found[0].get("_score") or 0.0)
    scores = [WordScore(word, field, term, round(score, 4)) for (word, field, term), score in scored.items()]
    have = {score.word for score in scores}
    ranked = [w.typed for w in words if w.kind not in ("excluded", "date")]
    matched = tuple(dict.fromkeys(w for w in ranked if w in have))
    missing = tuple(dict.fromkeys(w for w in ranked if w not in have))
    bm25 = round(sum(s.score for s in scores), 4)
    coverage = round(hit.score / bm25, 4) if graded and bm25 else 1.0
    scores.sort(key=lambda s: -s.score)
    return ExplainedHit(hit.id, hit.title, hit.score, bm25, coverage, matched, missing, tuple(scores))


def _entity_named(store: OpenSearchStore, hit: ExplainedHit, parts: list[Any], words: tuple[ExplainedWord, ...]) -> ExplainedHit:
    """The entity words' scores named as the local index names them: the kind's entity part, with
    the article's mentions of it (its entity fields hold each name as often as it weighs)."""
    from dataclasses import replace

    from ..index.entity_ranking import evidence_in
    from ..index.entity_search import entity_clauses
    from ..index.schema import ENTITY_FIELDS
    from ..model import PARAGRAPH_SEPARATOR

    clauses = {word.typed: found[0] for part, word in zip(parts, words, strict=True) if (found := entity_clauses(part))}
    if not clauses or not any(score.field in ENTITY_FIELDS for score in hit.parts):
        return hit
    source = store.source(hit.id, ["title", "paragraphs", "mentions"]) or {}
    body = PARAGRAPH_SEPARATOR.join(source.get("paragraphs") or ())
    mentions = [(int(m[0]), int(m[1]), str(m[2]), str(m[3])) for m in source.get("mentions") or ()]
    named = []
    for score in hit.parts:
        clause = clauses.get(score.word)
        if clause is not None and score.field in ENTITY_FIELDS:
            described = evidence_in(str(source.get("title") or ""), body, mentions, clause).describe()
            score = WordScore(score.word, f"{score.field} entity", described, score.score)
        named.append(score)
    return replace(hit, parts=tuple(named))
