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
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from whoosh import matching
from whoosh import query as wq

from .schema import ENTITY_FIELDS

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
        wanted = ids if isinstance(ids, (set, frozenset)) else set(ids)
        out: list[int] = []
        for leaf, offset in _leaves(reader):
            by_id = self._map(leaf)
            local = [by_id[i] for i in wanted if i in by_id]
            out.extend(offset + d for d in local if not leaf.is_deleted(d))
        out.sort()
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
    """Matches the articles whose ids are given (an entity clause resolved in the catalog)."""

    def __init__(self, ids: frozenset[str], ids_map: SegmentIds, label: str = "", boost: float = 1.0) -> None:
        self.ids = ids
        self.ids_map = ids_map
        self.label = label
        self.boost = boost

    def __repr__(self) -> str:
        return f"ArticleSet({self.label!r}, {len(self.ids)} articles)"

    def __unicode__(self) -> str:
        return self.label

    __str__ = __unicode__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ArticleSet) and other.ids == self.ids and other.boost == self.boost

    def __hash__(self) -> int:
        return hash((ArticleSet, self.ids, self.boost))

    def is_leaf(self) -> bool:
        return True

    def estimate_size(self, ixreader: Any) -> int:
        return len(self.ids)

    def normalize(self) -> Any:
        return self if self.ids else wq.NullQuery

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        docnums = self.ids_map.docnums(searcher.reader(), self.ids)
        if not docnums:
            return matching.NullMatcher()
        return matching.ListMatcher(docnums, all_weights=self.boost)


def uses_entity_fields(query: Any) -> bool:
    """Whether any clause of ``query`` searches an entity field."""
    if query is None:
        return False
    if _leaf_field(query) in ENTITY_FIELDS:
        return True
    return any(uses_entity_fields(child) for child in _children(query))


def resolve(store: IndexStore, query: Any) -> Any:
    """``query`` with every entity-field clause replaced by the articles it matches in the catalog."""
    if not uses_entity_fields(query):
        return query
    catalog, ids_map = store.catalog, store.segment_ids

    def walk(node: Any) -> Any:
        if _leaf_field(node) in ENTITY_FIELDS:
            expression = _fts_expression(node)
            ids = frozenset(catalog.entity_matches(expression)) if expression else frozenset()
            return ArticleSet(ids, ids_map, label=str(node), boost=getattr(node, "boost", 1.0))
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
