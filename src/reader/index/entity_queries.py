"""Entities across the corpus, answered from the catalog's entity counts.

Spelling variants of one entity are grouped by their corpus key, and a lone
surname joins the one full name in the corpus it can belong to
(:func:`reader.entities.corpus_aliases`) in the articles that show it is a
person's name (:class:`Merges`): these merges are corpus-level, so they are
made here at query time, never stored.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from ..model import Article, EntityOccurrence, EntitySummary
from .curation import Curation


class EntityCounts(Protocol):
    """What these queries ask of the entity counts: the Whoosh backend's catalog, or the
    OpenSearch backend's aggregations (:class:`reader.opensearch.store.ClusterEntityCounts`)."""

    def entity_rows(self, *, kind: str | None = None, article: str | None = None) -> Iterable[tuple[str, str, str, int, int]]: ...

    def person_key_counts(self) -> dict[str, int]: ...

    def entity_article_totals(self) -> dict[str, int]: ...

    def entity_keys_for_name(self, name: str) -> list[tuple[str, str]]: ...

    def entity_article_counts(self, key: str) -> list[tuple[str, int]]: ...

    def entity_key_rows(self, keys: Iterable[str]) -> list[tuple[str, str, str, int]]: ...

    def entity_names_for_keys(self, keys: list[str]) -> list[tuple[str, str, str]]: ...

    def article(self, article_id: str) -> Article | None: ...


def mention_key(kind: str, canonical: str) -> str:
    from ..entities import corpus_key

    return corpus_key(kind, canonical)


@dataclass
class Merges:
    """Lone surnames joined to the one full name the corpus has for them, article by article.

    A lone ``Trump`` counts as Donald Trump only in the articles that show it
    is a person's name -- a title before it ("Mr. Trump", "President Trump")
    -- never on the strength of the word alone: the football club "Bolton"
    is not John Bolton, a parliamentary "Bill" is not "Kill Bill".  Articles
    that give the full name link it themselves, at extraction.
    """

    candidates: dict[str, str]  # lone key -> the full-name key it could stand for
    evidenced: set[tuple[str, str]]  # (lone key, article id) where a title shows it is that person
    rows: list[tuple[str, str, str, int]]  # (article id, lone key, name, mentions) of the candidates

    def target(self, key: str, article_id: str) -> str:
        full = self.candidates.get(key)
        return full if full is not None and (key, article_id) in self.evidenced else key

    def articles(self, key: str) -> set[str]:
        """The articles whose mentions count for the entity ``key`` (a full name or a lone word)."""
        return {a for a, k, _n, _m in self.rows if self.target(k, a) == key}


def entity_merges(catalog: EntityCounts) -> Merges:
    """Corpus-level links a single article cannot make: ``Mr. Trump`` -> ``Donald Trump``.

    Ambiguous surnames (``Li`` with Li Keqiang and Li Qiang) stay apart.
    """
    from ..entities import corpus_aliases, is_titled

    candidates: dict[str, str] = corpus_aliases(catalog.person_key_counts())
    rows = catalog.entity_key_rows(candidates) if candidates else []
    evidenced = {(key, article_id) for article_id, key, name, _n in rows if is_titled(name)}
    return Merges(candidates, evidenced, rows)


@dataclass
class _Group:
    kind: str
    names: dict[str, int] = field(default_factory=dict)
    own_names: dict[str, int] = field(default_factory=dict)  # before the user's merges
    mentions: int = 0
    keys: set[str] = field(default_factory=set)

    def add(self, key: str, name: str, mentions: int, *, own: bool = True, kind: str = "") -> None:
        self.names[name] = self.names.get(name, 0) + mentions
        if own:
            self.own_names[name] = self.own_names.get(name, 0) + mentions
            self.kind = kind or self.kind
        self.mentions += mentions
        self.keys.add(key)


def entities(
    catalog: EntityCounts, *, kind: str | None = None, article: str | None = None, curation: Curation | None = None
) -> list[EntitySummary]:
    """Canonical entities with mention and article counts, most widespread first.

    With ``article``: that article's entities, ``mentions`` counting its own
    mentions and ``articles`` the articles of the whole collection naming them.
    The user's corrections (``curation``) merge, rename, re-kind and hide.
    """
    from ..entities import is_titled, preferred_name

    curation = curation if curation is not None else Curation()
    merges = entity_merges(catalog)
    grouped: dict[str, _Group] = {}

    def add(target: str, key: str, entity_kind: str, name: str, mentions: int) -> None:
        root = curation.root(target)
        if root not in curation.hidden:
            group = grouped.setdefault(root, _Group(entity_kind))
            group.add(key, name, mentions, own=root == target, kind=entity_kind)

    # a kind change moves entities between kinds: then the kind is checked after grouping
    for key, entity_kind, name, mentions, _articles in catalog.entity_rows(kind=None if curation else kind, article=article):
        if key not in merges.candidates:  # those are routed article by article below
            add(key, key, entity_kind, name, mentions)
    if kind in (None, "person") or curation:
        for article_id, key, name, mentions in merges.rows:
            if article in (None, article_id):
                add(merges.target(key, article_id), key, "person", name, mentions)
    totals = catalog.entity_article_totals()
    summaries = []
    for target, group in grouped.items():
        group_kind = curation.kind_of(target, group.kind)
        if kind and group_kind != kind:
            continue
        members = curation.members(target)
        if len(members) == 1:
            articles = _article_count(catalog, merges, totals, target)
        else:
            articles = len(set().union(*(_article_set(catalog, merges, member) for member in members)))
        names = group.own_names or group.names
        if group.keys - members:  # a merged surname: show the full name
            names = {n: c for n, c in names.items() if " " in n and c} or names
        shown: str = curation.names.get(target) or preferred_name(names)
        aliases = tuple(sorted(n for n in group.names if n != shown and not is_titled(n)))
        summaries.append(EntitySummary(shown, group_kind, aliases, group.mentions, articles))
    if article:  # what the article mentions most comes first
        summaries.sort(key=lambda e: (-e.mentions, -e.articles, e.name.lower()))
    else:
        summaries.sort(key=lambda e: (-e.articles, -e.mentions, e.name.lower()))
    return summaries


def _article_count(catalog: EntityCounts, merges: Merges, totals: dict[str, int], target: str) -> int:
    merged = merges.articles(target)
    if target in merges.candidates:
        return len(merged)  # a lone surname: the articles where it stays one
    if merged:
        return len({a for a, _n in catalog.entity_article_counts(target)} | merged)
    return totals.get(target, 0)  # corpus-wide, even when listing one article's entities


def _article_set(catalog: EntityCounts, merges: Merges, target: str) -> set[str]:
    own = set() if target in merges.candidates else {a for a, _n in catalog.entity_article_counts(target)}
    return own | merges.articles(target)


def _article_mentions(
    catalog: EntityCounts, name: str, kind: str | None = None, curation: Curation | None = None
) -> tuple[dict[str, int], set[str]]:
    """Mentions per article of the entity (or entities) a name refers to, and their keys.

    A full name takes in the lone surname where an article shows it is that
    person; a lone surname stands for itself and for the full name it joins.
    The user's merges add their members; a hidden entity has none.
    """
    from ..entities import corpus_key
    from ..model import ENTITY_KINDS

    curation = curation if curation is not None else Curation()
    found = {k for k, kd in catalog.entity_keys_for_name(name) if kind is None or curation.kind_of(curation.root(k), kd) == kind}
    found |= {root for root, shown in curation.names.items() if shown.casefold() == name.strip().casefold()}
    if not found:
        for entity_kind in [kind] if kind else ENTITY_KINDS:
            key = corpus_key(entity_kind, name)
            if catalog.entity_article_counts(key):
                found.add(key)
    merges = entity_merges(catalog)
    targets = set(found)
    for key in found & set(merges.candidates):
        if any(k == key for k, _a in merges.evidenced):
            targets.add(merges.candidates[key])
    roots = {curation.root(t) for t in targets} - curation.hidden
    targets = {member for root in roots for member in curation.members(root)} | {t for t in targets if curation.root(t) in roots}
    counts: dict[str, int] = {}
    keys = set(targets)
    for target in targets:
        if target not in merges.candidates:
            for article_id, mentions in catalog.entity_article_counts(target):
                counts[article_id] = counts.get(article_id, 0) + mentions
    for article_id, key, _name, mentions in merges.rows:
        if merges.target(key, article_id) in targets:
            counts[article_id] = counts.get(article_id, 0) + mentions
            keys.add(key)
    return counts, keys


def entity_article_ids(catalog: EntityCounts, name: str, kind: str | None = None, curation: Curation | None = None) -> list[str]:
    return sorted(_article_mentions(catalog, name, kind, curation)[0])


def entity_occurrences(
    catalog: EntityCounts, name: str, kind: str | None = None, curation: Curation | None = None
) -> list[EntityOccurrence]:
    """One row per article mentioning the entity, with its first mentioning sentence."""
    from ..entities import sentence_around

    counts, keys = _article_mentions(catalog, name, kind, curation)
    occurrences = []
    for article_id, mentions in counts.items():
        article = catalog.article(article_id)
        if article is None:
            continue
        first = next((m for m in article.mentions if mention_key(m.kind, m.canonical) in keys), None)
        sentence: str = sentence_around(article.body, first.start, first.end) if first else ""
        occurrences.append(EntityOccurrence(article_id, article.title, article.date, mentions, sentence))
    occurrences.sort(key=lambda o: (o.date or "9999", o.article_id))
    return occurrences


# -- entity words in other searches (``in:bookmarks person:lighthizer``) ---------------------


def split_entity_words(text: str) -> tuple[list[str], list[str], str]:
    """``(wanted, excluded, rest)``: the entity-field words of ``text`` (``person:lighthizer``,
    ``org:"amazon web services"``; ``-place:beijing`` excluded) and what is left of it.

    For searches that are not Whoosh queries (the bookmarks'), which answer the
    entity words through the index (so merges and hides apply) and the rest themselves.
    """
    import re

    from .schema import ENTITY_FIELDS

    fields = "|".join(ENTITY_FIELDS)
    pattern = re.compile(rf'(?<!\S)(-?)((?:{fields}):(?:"[^"]*"?|\S+))', re.IGNORECASE)
    wanted: list[str] = []
    excluded: list[str] = []
    for match in pattern.finditer(text):
        word = match.group(2)
        if word.count('"') == 1:
            word += '"'  # a phrase being typed
        (excluded if match.group(1) else wanted).append(word[0].lower() + word[1:] if word else word)
    rest = " ".join(pattern.sub(" ", text).split())
    return wanted, excluded, rest
