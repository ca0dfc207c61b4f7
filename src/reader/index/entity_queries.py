"""Entities across the corpus, answered from the catalog's entity counts.

Spelling variants of one entity are grouped by their corpus key, and a lone
surname joins the one full name in the corpus it can belong to
(:func:`reader.entities.corpus_aliases`): these merges are corpus-level, so
they are made here at query time, never stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import EntityOccurrence, EntitySummary
from .catalog import Catalog


def mention_key(kind: str, canonical: str) -> str:
    from ..entities import corpus_key

    return corpus_key(kind, canonical)


def entity_merges(catalog: Catalog) -> dict[str, str]:
    """Corpus-level links a single article cannot make: ``Trump`` -> ``Donald Trump``.

    Ambiguous surnames (``Li`` with Li Keqiang and Li Qiang) stay apart.
    """
    from ..entities import corpus_aliases

    merged: dict[str, str] = corpus_aliases(catalog.person_key_counts())
    return merged


@dataclass
class _Group:
    kind: str
    names: dict[str, int] = field(default_factory=dict)
    mentions: int = 0
    keys: set[str] = field(default_factory=set)


def entities(catalog: Catalog, *, kind: str | None = None, article: str | None = None) -> list[EntitySummary]:
    """Canonical entities with mention and article counts, most widespread first.

    With ``article``: that article's entities, ``mentions`` counting its own
    mentions and ``articles`` the articles of the whole collection naming them.
    """
    from ..entities import preferred_name

    merges = entity_merges(catalog)
    grouped: dict[str, _Group] = {}
    for key, entity_kind, name, mentions, _articles in catalog.entity_rows(kind=kind, article=article):
        target = merges.get(key, key)
        group = grouped.setdefault(target, _Group(entity_kind))
        group.names[name] = group.names.get(name, 0) + mentions
        group.mentions += mentions
        group.keys.add(key)
    totals = catalog.entity_article_totals()
    summaries = []
    for target, group in grouped.items():
        members = group.keys | {k for k, t in merges.items() if t == target} | {target}
        if len(members) == 1:
            articles = totals.get(target, 0)  # corpus-wide, even when listing one article's entities
        else:
            articles = len({a for key in members for a, _n in catalog.entity_article_counts(key)})
        names = group.names
        if len(members) > 1:  # a merged surname: show the full name
            names = {n: c for n, c in names.items() if " " in n} or names
        shown: str = preferred_name(names)
        aliases = tuple(sorted(n for n in group.names if n != shown))
        summaries.append(EntitySummary(shown, group.kind, aliases, group.mentions, articles))
    if article:  # what the article mentions most comes first
        summaries.sort(key=lambda e: (-e.mentions, -e.articles, e.name.lower()))
    else:
        summaries.sort(key=lambda e: (-e.articles, -e.mentions, e.name.lower()))
    return summaries


def resolve_entity(catalog: Catalog, name: str, kind: str | None = None) -> list[tuple[str, str]]:
    """(key, kind) pairs an entity name refers to, corpus-level merges included."""
    from ..entities import corpus_key
    from ..model import ENTITY_KINDS

    found = [(k, kd) for k, kd in catalog.entity_keys_for_name(name) if kind in (None, kd)]
    if not found:
        for entity_kind in [kind] if kind else ENTITY_KINDS:
            key = corpus_key(entity_kind, name)
            if catalog.entity_article_counts(key):
                found.append((key, entity_kind))
    merges = entity_merges(catalog)
    targets = {merges.get(key, key) for key, _kind in found}
    members = dict(found)
    for key, target in merges.items():
        if target in targets:
            members[key] = "person"
    for target in targets:
        members.setdefault(target, "person")
    return sorted(members.items())


def entity_article_ids(catalog: Catalog, name: str, kind: str | None = None) -> list[str]:
    ids: list[str] = []
    for key, _kind in resolve_entity(catalog, name, kind):
        ids.extend(article_id for article_id, _count in catalog.entity_article_counts(key))
    return sorted(set(ids))


def entity_occurrences(catalog: Catalog, name: str, kind: str | None = None) -> list[EntityOccurrence]:
    """One row per article mentioning the entity, with its first mentioning sentence."""
    from ..entities import sentence_around

    keys = {key for key, _kind in resolve_entity(catalog, name, kind)}
    counts: dict[str, int] = {}
    for key in keys:
        for article_id, mentions in catalog.entity_article_counts(key):
            counts[article_id] = counts.get(article_id, 0) + mentions
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
