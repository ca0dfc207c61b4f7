"""The user's entity corrections, applied at query time over the catalog.

Why at query time: the corrections are a handful of rows in the user-state
database, the extractor's output is the catalog's ``entity_counts`` table.
Applying them when entities are listed or searched keeps the index a pure
function of the articles (``index --rebuild`` needs no re-application step
and cannot lose a correction), and a correction or its undo is visible at
once, with nothing to re-index. The cost is one union-find over the
corrections (not over the corpus) per listing, and for a search only the
entity-field words that touch a corrected entity are rewritten.

Corrections name entities as the user saw them (name and kind); each
resolves to the corpus key :func:`reader.entities.corpus_key` gives that
name (after the corpus-level surname merges of :mod:`.entity_queries`, which
stay as they are). Applied
oldest first: a merge joins the source's group to the target's (taking the
target's name and kind), a rename sets the shown name, a kind change the
kind, a hide removes the group from every listing and entity search.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:  # entity_queries imports this module
    from .entity_queries import EntityCounts


class CorrectionLike(Protocol):
    @property
    def action(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def value(self) -> str: ...
    @property
    def value_kind(self) -> str: ...


@dataclass
class Curation:
    """Corpus keys grouped as the user corrected them."""

    parent: dict[str, str] = field(default_factory=dict)  # union-find over keys (user merges)
    names: dict[str, str] = field(default_factory=dict)  # root -> name the user gave it
    kinds: dict[str, str] = field(default_factory=dict)  # root -> kind the user gave it
    hidden: set[str] = field(default_factory=set)  # roots hidden
    known: set[str] = field(default_factory=set)  # every key a correction named
    _merges: Any = None  # the corpus-level surname links, read once per grouping (see corpus_merges)

    def corpus_merges(self, catalog: Any) -> Any:
        """:func:`.entity_queries.entity_merges` of the catalog, kept with this grouping: the store
        builds a new one when the catalog or the corrections change, so opening an article does
        not read the whole collection's people again (about a second at 100k articles)."""
        if self._merges is None:
            from .entity_queries import entity_merges

            self._merges = entity_merges(catalog)
        return self._merges

    def root(self, key: str) -> str:
        while key in self.parent:
            key = self.parent[key]
        return key

    def members(self, root: str) -> set[str]:
        """Every key the user's merges put in the group (the corpus-level ones aside)."""
        return {root} | {k for k in self.known | set(self.parent) if self.root(k) == root}

    def kind_of(self, root: str, default: str) -> str:
        return self.kinds.get(root, default)

    def is_hidden(self, key: str) -> bool:
        return self.root(key) in self.hidden

    @property
    def touched(self) -> set[str]:
        """Roots whose search terms change (merged into, re-kinded or hidden)."""
        merged_into = {self.root(k) for k in self.parent}
        return merged_into | set(self.kinds) | self.hidden | set(self.names)

    def __bool__(self) -> bool:
        return bool(self.known)


def key_for(catalog: EntityCounts, name: str, kind: str) -> str:
    """The corpus key a name the user typed stands for (its spelling, or an alias)."""
    from ..entities import corpus_key

    key = corpus_key(kind, name)
    if catalog.entity_article_counts(key):
        return key
    spelled = [k for k, k_kind in catalog.entity_keys_for_name(name) if k_kind == kind]
    return spelled[0] if spelled else key


def build(catalog: EntityCounts, corrections: Sequence[CorrectionLike]) -> Curation:
    """The grouping the corrections (oldest first) make of the catalog's keys."""
    curation = Curation()
    renamed: dict[tuple[str, str], str] = {}  # (new name folded, kind) -> root: a renamed entity by its new name

    def resolve(name: str, kind: str) -> str:
        found = renamed.get((name.casefold(), kind))
        key = found if found is not None else key_for(catalog, name, kind)
        curation.known.add(key)
        return curation.root(key)

    for correction in corrections:
        root = resolve(correction.name, correction.kind)
        if correction.action == "merge":
            target = resolve(correction.value, correction.value_kind or correction.kind)
            if target != root:
                curation.parent[root] = target
                curation.names.pop(root, None)  # the merged group takes the target's name and kind
                curation.kinds.pop(root, None)
        elif correction.action == "rename":
            curation.names[root] = correction.value
            renamed[(correction.value.casefold(), curation.kind_of(root, correction.kind))] = root
        elif correction.action == "kind":
            curation.kinds[root] = correction.value
            shown = curation.names.get(root, correction.name)
            renamed[(shown.casefold(), correction.value)] = root
        elif correction.action == "hide":
            curation.hidden.add(root)
    return curation


# -- searches --------------------------------------------------------------------------


def rewrite_query(parsed: Any, curation: Curation, catalog: EntityCounts, analyzer_for: Any) -> Any:
    """Entity-field words (``org:amazon``) made to follow the corrections.

    A word or phrase that names a corrected entity also finds every spelling
    merged into it, in the field of the kind the user gave it; in the field
    of its old kind (or for a hidden entity) it no longer finds the articles
    through that entity. ``analyzer_for(field)`` tokenises like the index.
    """
    from whoosh import query as wq

    from .schema import ENTITY_FIELDS

    if not curation.touched:
        return parsed
    groups = _group_spellings(curation, catalog)

    def tokens(fieldname: str, text: str) -> tuple[str, ...]:
        return tuple(t.text for t in analyzer_for(fieldname)(text))

    def contains(words: tuple[str, ...], name_words: tuple[str, ...]) -> bool:
        n = len(words)
        return n > 0 and any(name_words[i : i + n] == words for i in range(len(name_words) - n + 1))

    def phrase(fieldname: str, text: str) -> Any:
        words = tokens(fieldname, text)
        return wq.Phrase(fieldname, list(words)) if len(words) > 1 else wq.Term(fieldname, words[0]) if words else wq.NullQuery

    def replace(node: Any) -> Any:
        words: tuple[str, ...]
        if isinstance(node, wq.Term):
            fieldname, words = node.fieldname, (str(node.text),)
        elif isinstance(node, wq.Phrase):
            fieldname, words = node.fieldname, tuple(str(w) for w in node.words)
        else:
            return None
        if fieldname not in ENTITY_FIELDS:
            return None
        alternatives, excluded = [], []
        for root, (kind, spellings, shown) in groups.items():
            names = [name for _kind, name in spellings] + [shown]
            if not any(contains(words, tokens(fieldname, name)) for name in names):
                continue
            if root not in curation.hidden and kind == fieldname:
                alternatives += [phrase(k, name) for k, name in spellings if k in ENTITY_FIELDS]
            else:
                excluded += [phrase(fieldname, name) for k, name in spellings if k == fieldname]
        if not alternatives and not excluded:
            return None
        kept = wq.AndNot(node, wq.Or(excluded)) if excluded else node
        return wq.Or([kept, *alternatives])

    def walk(node: Any) -> Any:
        changed = replace(node)
        if changed is not None:
            return changed
        if isinstance(node, wq.CompoundQuery):
            return node.__class__([walk(child) for child in node.subqueries], boost=node.boost)
        if isinstance(node, wq.Not):
            return wq.Not(walk(node.query), boost=node.boost)
        if isinstance(node, wq.BinaryQuery):
            return node.__class__(walk(node.a), walk(node.b))
        return node

    return walk(parsed)


def _group_spellings(curation: Curation, catalog: EntityCounts) -> dict[str, tuple[str, list[tuple[str, str]], str]]:
    """root -> (curated kind, [(kind, spelling)] as indexed, shown name) for corrected groups."""
    out: dict[str, tuple[str, list[tuple[str, str]], str]] = {}
    for root in curation.touched:
        spellings = catalog.entity_names_for_keys(sorted(curation.members(root)))
        if not spellings:
            continue
        own = next((k for key, k, _n in spellings if key == root), spellings[0][1])
        pairs = [(k, name) for _key, k, name in spellings]
        out[root] = (curation.kind_of(root, own), pairs, curation.names.get(root, ""))
    return out


# -- one article's mentions ---------------------------------------------------------------


def curate_mentions(
    curation: Curation, catalog: EntityCounts, mentions: Sequence[Any], *, article_id: str = ""
) -> tuple[Any, ...]:
    """An article's mentions as the user corrected them: hidden ones dropped, the others
    under their group's shown name and kind (so the sidebar and highlights follow).

    With ``article_id``, a lone surname this article shows to be a full name's
    (``Mr. Trump``) follows a correction of that full name, as listings do.
    """
    from dataclasses import replace

    from ..entities import corpus_key, preferred_name

    merges = curation.corpus_merges(catalog) if article_id else None

    shown: dict[str, str] = {}

    def name_of(root: str) -> str:
        if root not in shown:
            spellings = [name for key, _k, name in catalog.entity_names_for_keys([root]) if key == root]
            shown[root] = curation.names.get(root) or (preferred_name(dict.fromkeys(spellings, 1)) if spellings else "")
        return shown[root]

    touched = curation.touched
    kept = []
    for mention in mentions:
        key = corpus_key(mention.kind, mention.canonical)
        root = curation.root(merges.target(key, article_id) if merges is not None else key)
        if root in curation.hidden:
            continue
        if root in touched:
            mention = replace(
                mention, kind=curation.kind_of(root, mention.kind), canonical=name_of(root) or mention.canonical
            )
        kept.append(mention)
    return tuple(kept)
