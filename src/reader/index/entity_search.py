"""``person:``/``org:``/… searched in the catalog, so entities can arrive after the text.

Entities are extracted in a second phase (``entity_phase.py``), long after an
article's Whoosh document was written, and Whoosh cannot add fields to a
document without writing it again. So the entity fields live in the catalog's
FTS5 table ``entity_text`` (each name folded by the same analyzer as the index,
kinds as columns), and before a query runs each entity-field word or phrase in
it is replaced by :class:`ArticleSet`, the articles whose entities match, which
Whoosh combines with the rest of the query like any other clause.

Matching a set of article ids to Whoosh document numbers needs each segment's
id -> document map; segments never change once written (deletions are marked,
and checked here), so the map is built once per segment and kept.

An entity clause is scored by how much each article is about the entity
(:mod:`.entity_ranking`), from the mention counts one catalog query returns
with the matches; the spellings a user's merge joined (an OR of entity
clauses, see ``curation.rewrite_query``) are one clause, their mentions
counted together.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from whoosh import matching
from whoosh import query as wq

from .entity_ranking import (
    ClauseEvidence,
    EntityClause,
    NamePattern,
    entity_score,
    fold_name,
    gather,
    idf,
    mention_spans,
)
from .schema import ENTITY_FIELDS
from .snippets import merge_spans

if TYPE_CHECKING:
    from .store import IndexStore

#: Segments whose id -> document maps are kept (a 100k-article index has about 16).
_KEPT_SEGMENTS = 64


class SegmentIds:
    """id -> document number within each segment, built on first use and kept."""

    def __init__(self) -> None:
        self._maps: dict[str, dict[str, int]] = {}
        self._lock = threading.Lock()

    def docnums(self, reader: Any, ids: Iterable[str]) -> list[int]:
        """Document numbers (global to ``reader``) of the live documents with these ids, ascending."""
        return [docnum for docnum, _id in self.located(reader, ids)]

    def located(self, reader: Any, ids: Iterable[str]) -> list[tuple[int, str]]:
        """(global document number, id) of the live documents with these ids, ascending."""
        wanted = ids if isinstance(ids, (set, frozenset, dict)) else set(ids)
        out: list[tuple[int, str]] = []
        for leaf, offset in _leaves(reader):
            by_id = self._map(leaf)
            local = sorted((by_id[i], i) for i in wanted if i in by_id)
            out.extend((offset + d, i) for d, i in local if not leaf.is_deleted(d))
        return out

    def _map(self, leaf: Any) -> dict[str, int]:
        key = leaf.segment().segment_id()
        with self._lock:
            found = self._maps.get(key)
        if found is not None:
            return found
        built = {fields["id"]: docnum for docnum, fields in _all_stored(leaf)}
        with self._lock:
            if len(self._maps) >= _KEPT_SEGMENTS:
                self._maps.clear()
            self._maps[key] = built
        return built


def _leaves(reader: Any) -> list[tuple[Any, int]]:
    if reader.is_atomic():
        return [(reader, 0)]
    return list(reader.leaf_readers())


def _all_stored(leaf: Any) -> Iterable[tuple[int, dict[str, Any]]]:
    """(docnum, stored fields) of every document in the segment, deleted ones too."""
    for docnum in range(leaf.doc_count_all()):
        yield docnum, leaf.stored_fields(docnum)


class ArticleSet(wq.Query):  # type: ignore[misc] # Whoosh is untyped
    """Matches the articles whose ids are given (an entity clause resolved in the catalog).

    With ``evidence`` each article scores by how much it is about the entity
    (:func:`.entity_ranking.entity_score`), else every match scores ``boost``.
    """

    def __init__(
        self,
        ids: frozenset[str],
        ids_map: SegmentIds,
        label: str = "",
        boost: float = 1.0,
        evidence: ClauseEvidence | None = None,
    ) -> None:
        self.ids = ids
        self.ids_map = ids_map
        self.label = label
        self.boost = boost
        self.evidence = evidence

    def __repr__(self) -> str:
        return f"ArticleSet({self.label!r}, {len(self.ids)} articles)"

    def __unicode__(self) -> str:
        return self.label

    __str__ = __unicode__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ArticleSet) and other.ids == self.ids and other.boost == self.boost and other.label == self.label

    def __hash__(self) -> int:
        return hash((ArticleSet, self.ids, self.boost, self.label))

    def is_leaf(self) -> bool:
        return True

    def estimate_size(self, ixreader: Any) -> int:
        return len(self.ids)

    def normalize(self) -> Any:
        return self if self.ids else wq.NullQuery

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        if self.evidence is None:
            docnums = self.ids_map.docnums(searcher.reader(), self.ids)
            return matching.ListMatcher(docnums, all_weights=self.boost) if docnums else matching.NullMatcher()
        located = self.ids_map.located(searcher.reader(), self.ids)
        if not located:
            return matching.NullMatcher()
        score = self._scorer(searcher)
        return matching.ListMatcher([docnum for docnum, _id in located], weights=[score(i) for _docnum, i in located])

    def _scorer(self, searcher: Any) -> Any:
        """article id -> the article's score."""
        assert self.evidence is not None
        articles = self.evidence.articles
        weight = self.boost * idf(len(self.ids), searcher.doc_count())

        def score(article_id: str) -> float:
            evidence = articles.get(article_id)
            return 0.0 if evidence is None else entity_score(evidence, evidence.words, weight)

        return score

    def score_of(self, searcher: Any, article_id: str) -> float | None:
        """One article's score (``--explain``), None when the clause did not match it."""
        if self.evidence is None or article_id not in self.ids:
            return None
        score: float = self._scorer(searcher)(article_id)
        return score


def entity_sets(query: Any) -> list[ArticleSet]:
    """The entity clauses of a resolved query that rank (not those it excludes)."""
    if isinstance(query, ArticleSet):
        return [query] if query.evidence is not None else []
    if isinstance(query, wq.Not):
        return []
    if isinstance(query, wq.AndNot):
        return entity_sets(query.a)
    return [found for child in _children(query) for found in entity_sets(child)]


def uses_entity_fields(query: Any) -> bool:
    """Whether any clause of ``query`` searches an entity field."""
    if query is None:
        return False
    if _leaf_field(query) in ENTITY_FIELDS:
        return True
    return any(uses_entity_fields(child) for child in _children(query))


def resolve(store: IndexStore, query: Any) -> Any:
    """``query`` with every entity-field clause replaced by the articles it matches in the catalog,
    each with what it has of the entity (mentions, lede, headline) for ranking."""
    if not uses_entity_fields(query):
        return query
    catalog, ids_map = store.catalog, store.segment_ids

    def walk(node: Any) -> Any:
        compiled = _clause(node)
        if compiled is not None:
            expression, clause = compiled
            if not expression:
                return ArticleSet(frozenset(), ids_map, label=clause.label)
            found = gather(clause, catalog.entity_evidence(expression, clause.kinds), fold_name)
            return ArticleSet(frozenset(found.articles), ids_map, clause.label, getattr(node, "boost", 1.0), found)
        if isinstance(node, wq.BinaryQuery):  # before CompoundQuery: AndNot, AndMaybe… are both
            return node.__class__(walk(node.a), walk(node.b))
        if isinstance(node, wq.CompoundQuery):
            return node.__class__([walk(child) for child in node.subqueries], boost=node.boost)
        if isinstance(node, wq.Not):
            return wq.Not(walk(node.query), boost=node.boost)
        if isinstance(node, wq.WrappingQuery):
            copy = node.copy()
            copy.child = walk(node.child)
            return copy
        return node

    return walk(query)


def entity_clauses(query: Any) -> list[EntityClause]:
    """The ranked entity clauses of a query (parsed, or resolved), as :func:`resolve` groups them
    (the cluster's snippets: it matches entity fields itself; hit spans)."""
    if isinstance(query, ArticleSet):  # resolved already
        return [query.evidence.clause] if query.evidence is not None else []
    compiled = _clause(query)
    if compiled is not None:
        return [compiled[1]]
    if isinstance(query, wq.Not):
        return []
    if isinstance(query, wq.AndNot):
        return entity_clauses(query.a)
    return [found for child in _children(query) for found in entity_clauses(child)]


Span = tuple[int, int]


def with_mention_spans(spans: list[Span], parsed: Any, mentions: list[tuple[int, int, str, str]]) -> list[Span]:
    """A hit's word spans and the mentions its entity words count (so the article opens at the entity)."""
    clauses = entity_clauses(parsed)
    return merge_spans(spans + mention_spans(mentions, clauses)) if clauses else spans


def _clause(node: Any) -> tuple[str, EntityClause] | None:
    """(FTS5 expression, the names it counts) of an entity-only part: a word, phrase or prefix in an
    entity field, or an OR of them (with AND NOT: a user's merges and hides); None for anything else."""
    if _leaf_field(node) in ENTITY_FIELDS:
        pattern = _pattern(node)
        return _fts_expression(node), EntityClause(str(node), (pattern,) if pattern else ())
    if isinstance(node, wq.AndNot):
        kept, dropped = _clause(node.a), _clause(node.b)
        if kept is None or dropped is None:
            return None
        expression = f"({kept[0]}) NOT ({dropped[0]})" if kept[0] and dropped[0] else kept[0]
        clause = EntityClause(kept[1].label, kept[1].wanted, kept[1].excluded + dropped[1].wanted)
        return expression, clause
    if type(node) is wq.Or and node.subqueries:
        parts = [_clause(child) for child in node.subqueries]
        if any(part is None for part in parts):
            return None
        found = [part for part in parts if part is not None]
        expression = " OR ".join(f"({e})" for e, _c in found if e)
        wanted = tuple(p for _e, c in found for p in c.wanted)
        excluded = tuple(p for _e, c in found for p in c.excluded)
        return expression, EntityClause(found[0][1].label, wanted, excluded)
    return None


def _pattern(node: Any) -> NamePattern | None:
    if isinstance(node, wq.Phrase):
        words = tuple(str(w) for w in node.words if w)
        return NamePattern(node.fieldname, words) if words else None
    if isinstance(node, wq.Prefix):
        return NamePattern(node.fieldname, (str(node.text),), prefix=True) if node.text else None
    if isinstance(node, wq.Term):
        return NamePattern(node.fieldname, (str(node.text),)) if node.text else None
    return None


def _children(node: Any) -> list[Any]:
    if isinstance(node, wq.BinaryQuery):
        return [node.a, node.b]
    if isinstance(node, wq.CompoundQuery):
        return list(node.subqueries)
    if isinstance(node, wq.Not):
        return [node.query]
    if isinstance(node, wq.WrappingQuery):
        return [node.child]
    return []


def _leaf_field(node: Any) -> str | None:
    if isinstance(node, (wq.Term, wq.Phrase, wq.PatternQuery)):
        return str(node.fieldname)
    return None


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _fts_expression(node: Any) -> str:
    """The FTS5 query for one entity clause ("" when it can match nothing)."""
    column = _quoted(node.fieldname)
    if isinstance(node, wq.Phrase):
        words = [str(w) for w in node.words if w]
        return f"{column} : {_quoted(' '.join(words))}" if words else ""
    if isinstance(node, wq.Prefix):
        return f"{column} : {_quoted(str(node.text))} *" if node.text else ""
    if isinstance(node, wq.Term):  # FuzzyTerm too: entity names are matched as spelled
        return f"{column} : {_quoted(str(node.text))}" if node.text else ""
    return ""  # wildcards and the like: not supported in entity fields


def entity_text(mentions: Iterable[Any], analyze: Any) -> dict[str, str]:
    """Column text per entity kind for ``entity_text``: each canonical name once, folded like the index."""
    names: dict[str, dict[str, None]] = {kind: {} for kind in ENTITY_FIELDS}
    for mention in mentions:
        if mention.kind in names:
            names[mention.kind][mention.canonical] = None
    out: dict[str, str] = {}
    for kind, values in names.items():
        folded = [" ".join(token.text for token in analyze(name)) for name in values]
        if any(folded):
            out[kind] = " | ".join(name for name in folded if name)
    return out
