"""The reader's parsed query (a Whoosh query tree) as OpenSearch query DSL.

The query language is parsed once, by :mod:`reader.index.query`, whatever the
backend: words are already folded and stemmed by our own analyzer, stop words
already out of conjunctions, dates already validated and turned into ranges,
entity words already following the user's corrections. This module maps that
tree onto the same fields in the cluster, whose analysis (:mod:`.mapping`)
produces the same terms, so nothing is re-parsed from a query string on the
server.

- words: ``term`` on the field's ``*_terms`` (title scored 2.5x, as in Whoosh)
- ``"phrases"``: ``match_phrase`` of the already analysed terms
- exact mode (``=word``, ``="a phrase"``): the same, on the unstemmed ``*_words``
- ``prefix*`` and ``wild?card``: on the unstemmed ``*_words``, and prefix also on the stems
- ``fuzzy~N``: ``fuzzy`` on the unstemmed word as typed, or its stem
- ``date:`` values and ranges: ``prefix``/``range`` on the ISO date keyword
- AND/OR/NOT: ``bool`` ``must``/``should``/``must_not``
"""

from __future__ import annotations

from typing import Any

from whoosh import query as wq

from ..index.query import fold_word
from .mapping import EXACT_FIELDS, TERMS_ANALYZER, TEXT_FIELDS, WORD_FIELDS, terms_field, words_field

TITLE_BOOST = 2.5  # the Whoosh schema's field_boost on title (and title_exact)
#: A prefix matches at most this many words unless asked for fewer (reader.index.query.MAX_PREFIX_WORDS).
PREFIX_TERMS = 64

Dsl = dict[str, Any]
MATCH_NONE: Dsl = {"match_none": {}}


def to_dsl(node: wq.Query, originals: dict[str, str] | None = None, prefix_words: int | None = None) -> Dsl:
    """The DSL for one parsed query; ``originals`` maps a fuzzy word's stem to the word as typed;
    a ``prefix*`` stands for at most ``prefix_words`` words (default :data:`PREFIX_TERMS`)."""
    return _Translation(originals or {}, max(1, prefix_words or PREFIX_TERMS)).dsl(node)


def _boost(fieldname: str, node: wq.Query) -> float:
    boost = float(getattr(node, "boost", 1.0) or 1.0)
    return boost * TITLE_BOOST if fieldname in ("title", "title_exact") else boost


def _target(fieldname: str) -> str:
    """The cluster field a query-language field is searched in."""
    if fieldname in EXACT_FIELDS:
        return words_field(EXACT_FIELDS[fieldname])
    return terms_field(fieldname) if fieldname in TEXT_FIELDS else fieldname


def _analysed(fieldname: str) -> bool:
    """Whether the field holds folded terms (ids and dates are matched as written)."""
    return fieldname in TEXT_FIELDS or fieldname in EXACT_FIELDS


def _text(value: object) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


class _Translation:
    def __init__(self, originals: dict[str, str], prefix_words: int) -> None:
        self.originals = originals
        self.prefix_words = prefix_words

    def dsl(self, node: wq.Query) -> Dsl:
        if node is wq.NullQuery or isinstance(node, type(wq.NullQuery)):
            return MATCH_NONE
        if isinstance(node, wq.Every):
            return {"match_all": {}}
        if isinstance(node, wq.Not):
            return {"bool": {"must": [{"match_all": {}}], "must_not": [self.dsl(node.query)]}}
        if isinstance(node, wq.AndNot):
            return {"bool": {"must": [self.dsl(node.a)], "must_not": [self.dsl(node.b)]}}
        if isinstance(node, wq.AndMaybe):
            return {"bool": {"must": [self.dsl(node.a)], "should": [self.dsl(node.b)]}}
        if isinstance(node, wq.Require):
            return {"bool": {"must": [self.dsl(node.a)], "filter": [self.dsl(node.b)]}}
        if isinstance(node, wq.DisjunctionMax):
            return {"dis_max": {"queries": [self.dsl(child) for child in node.subqueries], "tie_breaker": node.tiebreak}}
        if isinstance(node, wq.And):
            return self._all(node.subqueries)
        if isinstance(node, wq.Or):  # "a OR NOT b" means a, or anything without b (as in Whoosh)
            return any_of(*(self.dsl(child) for child in node.subqueries))
        return self._leaf(node)

    def _all(self, children: list[wq.Query]) -> Dsl:
        positive: list[Dsl] = []
        negative: list[Dsl] = []
        for child in children:
            if isinstance(child, wq.Not):
                negative.append(self.dsl(child.query))
            else:
                positive.append(self.dsl(child))
        clause: Dsl = {"must": positive or [{"match_all": {}}]}
        if negative:
            clause["must_not"] = negative
        return {"bool": clause}

    def _leaf(self, node: wq.Query) -> Dsl:
        fieldname = str(getattr(node, "fieldname", "") or "")
        if isinstance(node, wq.TermRange):
            bounds: dict[str, str] = {}
            if node.start is not None:
                bounds["gt" if node.startexcl else "gte"] = _text(node.start)
            if node.end is not None:
                bounds["lt" if node.endexcl else "lte"] = _text(node.end)
            return {"range": {_target(fieldname): bounds}}
        if isinstance(node, wq.Phrase):
            words = " ".join(_text(word) for word in node.words)
            slop = int(node.slop or 1) - 1
            phrase = {"query": words, "analyzer": TERMS_ANALYZER, "slop": slop, "boost": _boost(fieldname, node)}
            return {"match_phrase": {_target(fieldname): phrase}}
        if isinstance(node, wq.Prefix):
            value = fold_word(node.text) if _analysed(fieldname) else _text(node.text)
            if fieldname not in WORD_FIELDS:
                return {"prefix": {_target(fieldname): {"value": value}}}
            rewrite = f"top_terms_blended_freqs_{self.prefix_words}"
            boost = _boost(fieldname, node)
            return any_of(
                {"prefix": {words_field(fieldname): {"value": value, "rewrite": rewrite, "boost": boost}}},
                {"prefix": {terms_field(fieldname): {"value": value, "rewrite": rewrite, "boost": boost}}},
            )
        if isinstance(node, wq.Wildcard):
            target = words_field(fieldname) if fieldname in WORD_FIELDS else _target(fieldname)
            value = fold_word(node.text) if _analysed(fieldname) else _text(node.text)
            return {"wildcard": {target: {"value": value, "boost": _boost(fieldname, node)}}}
        if isinstance(node, wq.FuzzyTerm):
            stem = fold_word(node.text)
            distance = {"fuzziness": int(node.maxdist), "prefix_length": int(node.prefixlength)}
            if fieldname not in WORD_FIELDS:
                return {"fuzzy": {_target(fieldname): {"value": stem, **distance}}}
            boost = _boost(fieldname, node)
            fuzzy = {"value": self.originals.get(stem, stem), **distance, "boost": boost}
            return any_of(
                {"fuzzy": {words_field(fieldname): fuzzy}},
                {"term": {terms_field(fieldname): {"value": stem, "boost": boost}}},
            )
        if isinstance(node, wq.Term):
            return {"term": {_target(fieldname): {"value": _text(node.text), "boost": _boost(fieldname, node)}}}
        raise ValueError(f"no OpenSearch form for {type(node).__name__}")


def any_of(*queries: Dsl) -> Dsl:
    return {"bool": {"should": list(queries), "minimum_should_match": 1}}


def term_filter(fieldname: str, text: str) -> Dsl:
    """Articles holding one analysed term of a query-language field (for document frequencies)."""
    return {"term": {_target(fieldname): text}}


def required_parts(node: wq.Query) -> int:
    """How many parts an all-words query requires (more than one: an any-word fallback can help)."""
    return len(node.subqueries) if isinstance(node, wq.And) else 1
