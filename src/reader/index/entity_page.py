"""One entity followed through the collection: timeline, who appears with it, its articles.

Answered from the catalog (entity counts and article rows), with the user's
corrections applied like everywhere else (:mod:`.curation`).

Who appears with it is ranked by Dunning's log-likelihood ratio (G²) over
the sentences of its articles: how much more often another entity is named
in the same sentence than its own frequency there predicts. Unlike a raw
count it does not put "United States" first in every list, and unlike PMI
it does not put an entity named once, next to it, first either.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from datetime import date as Date
from datetime import timedelta
from typing import Any

from .curation import Curation
from .entity_queries import EntityCounts, Merges, _article_mentions, entity_merges, mention_key

#: A timeline by week when the dated articles span at most this many days and are at least
#: WEEKLY_MIN_ARTICLES (fewer draw no shape by week either); by month otherwise.
WEEKLY_SPAN_DAYS = 62
WEEKLY_MIN_ARTICLES = 4
#: Kinds listed among those who appear with an entity (amounts and dates are not "who or what").
TOGETHER_KINDS = frozenset({"person", "org", "place", "group", "other"})


@dataclass(frozen=True, slots=True)
class PageArticle:
    article_id: str
    title: str
    date: str
    source: str
    url: str
    mentions: int
    sentence: str
    offset: int  # where the first mention starts in the body (the app opens the article there)
    sentences: tuple[str, ...] = ()  # every sentence naming it, in reading order (the dossier quotes them)


@dataclass(frozen=True, slots=True)
class CoEntity:
    name: str
    kind: str
    shared: int  # articles naming both
    articles: int  # articles naming it
    score: float  # log-likelihood ratio (G²) of being named in the same sentences


@dataclass
class EntityPage:
    name: str
    kind: str
    aliases: tuple[str, ...]
    mentions: int
    articles: list[PageArticle]
    timeline_unit: str  # "month" or "week"
    timeline: list[tuple[str, int]]  # (period, mentions), oldest first, empty periods included
    undated: int  # mentions in articles without a usable date
    undated_articles: int
    together: list[CoEntity] = field(default_factory=list)

    def timeline_lines(self, width: int = 40, last: int = 0) -> list[str]:
        """Mentions per period as bars of block characters (the ``last`` periods when given),
        undated articles on a line of their own: what the CLI prints and the app shows."""
        lines = [f"mentions per {self.timeline_unit}:"]
        periods = self.timeline[-last:] if last else self.timeline
        if len(periods) < len(self.timeline):
            lines.append(f"  (the last {len(periods)} of {len(self.timeline)})")
        top = max((n for _p, n in periods), default=0)
        for period, count in periods:
            bar = "█" * max(1 if count else 0, round(width * count / top)) if top else ""
            lines.append(f"  {period:>8}  {bar} {count}")
        if self.undated_articles:
            articles = f"{self.undated_articles} article{'' if self.undated_articles == 1 else 's'}"
            lines.append(f"  {'undated':>8}  {self.undated} mentions in {articles} without a date")
        return lines

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "aliases": list(self.aliases),
            "mentions": self.mentions,
            "article_count": len(self.articles),
            "timeline": {
                "unit": self.timeline_unit,
                "periods": [{"period": p, "mentions": n} for p, n in self.timeline],
                "undated_mentions": self.undated,
                "undated_articles": self.undated_articles,
            },
            "together": [
                {"name": c.name, "kind": c.kind, "shared_articles": c.shared, "articles": c.articles, "score": round(c.score, 3)}
                for c in self.together
            ],
            "articles": [
                {
                    "id": a.article_id,
                    "title": a.title,
                    "date": a.date,
                    "source": a.source,
                    "url": a.url,
                    "mentions": a.mentions,
                    "sentence": a.sentence,
                    "offset": a.offset,
                    "sentences": list(a.sentences),
                }
                for a in self.articles
            ],
        }


def entity_page(
    catalog: EntityCounts, name: str, kind: str, aliases: tuple[str, ...], curation: Curation, *, together: int = 15
) -> EntityPage | None:
    """The page of the (listed) entity ``name``; None when no article names it."""
    from ..entities import sentence_around

    counts, keys = _article_mentions(catalog, name, kind, curation)
    if not counts:
        return None
    articles = []
    loaded = {}
    for article_id, mentions in counts.items():
        article = catalog.article(article_id)
        if article is None:
            continue
        loaded[article_id] = article
        naming = [m for m in article.mentions if mention_key(m.kind, m.canonical) in keys]
        first = naming[0] if naming else None
        sentence = sentence_around(article.body, first.start, first.end) if first else ""
        offset = first.start if first else 0
        sentences = tuple(dict.fromkeys(sentence_around(article.body, m.start, m.end) for m in naming))
        row = PageArticle(
            article_id, article.title, article.date, article.source, article.url, mentions, sentence, offset, sentences
        )
        articles.append(row)
    articles.sort(key=lambda a: (a.date or "", a.article_id), reverse=True)  # newest first, undated last
    articles.sort(key=lambda a: not a.date)
    unit, timeline, undated, undated_articles = _timeline(articles)
    page = EntityPage(name, kind, aliases, sum(a.mentions for a in articles), articles, unit, timeline, undated, undated_articles)
    page.together = _together(catalog, curation, loaded, keys, together)
    return page


def _day(text: str) -> Date | None:
    try:
        return Date.fromisoformat(text[:10]) if len(text) >= 10 else None
    except ValueError:
        return None


def _timeline(articles: list[PageArticle]) -> tuple[str, list[tuple[str, int]], int, int]:
    """Mentions per month (per ISO week when the dated ones span a few weeks), empty periods kept."""
    dated = [(a, a.date[:7]) for a in articles if len(a.date) >= 7 and a.date[4] == "-"]
    undated = [a for a in articles if len(a.date) < 7 or a.date[4] != "-"]
    days = [d for d in (_day(a.date) for a, _m in dated) if d is not None]
    weekly = (
        len(days) == len(dated) >= WEEKLY_MIN_ARTICLES and (max(days) - min(days)).days <= WEEKLY_SPAN_DAYS
    )
    per: Counter[str] = Counter()
    if weekly:
        for a, _m in dated:
            day = _day(a.date)
            assert day is not None
            per[_week(day)] += a.mentions
        first, last = min(days), max(days)
        periods = []
        week = first - timedelta(days=first.weekday())
        while week <= last:
            periods.append(_week(week))
            week += timedelta(days=7)
    else:
        for a, month in dated:
            per[month] += a.mentions
        periods = _months(min(per), max(per)) if per else []
    return (
        "week" if weekly else "month",
        [(p, per.get(p, 0)) for p in periods],
        sum(a.mentions for a in undated),
        len(undated),
    )


def _week(day: Date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _months(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:7])
    months: list[str] = []
    while f"{year:04d}-{month:02d}" <= last and len(months) < 1200:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _together(
    catalog: EntityCounts, curation: Curation, loaded: dict[str, Any], own_keys: set[str], limit: int
) -> list[CoEntity]:
    """Entities named with this one, most associated first: G² over the sentences of its articles.

    Sentences, not articles: on a few articles every entity of a long story
    "co-occurs" equally; named in the same sentence is what says two
    entities go together (a trade representative and the vice premier he
    negotiates with), and the test against each entity's own sentence count
    keeps the ubiquitous ones ("China") from coming first.
    """
    from ..entities import preferred_name
    from ..text.sentences import sentence_starts

    merges: Merges = entity_merges(catalog)
    sentences = 0
    own_sentences: set[tuple[str, int]] = set()
    named_in: dict[str, set[tuple[str, int]]] = {}
    in_articles: dict[str, set[str]] = {}
    kinds: dict[str, str] = {}
    for article_id, article in loaded.items():
        starts = sentence_starts(article.body)
        sentences += max(len(starts), 1)
        for mention in article.mentions:
            at = (article_id, max(bisect_right(starts, mention.start) - 1, 0))
            key = mention_key(mention.kind, mention.canonical)
            if key in own_keys:
                own_sentences.add(at)
                continue
            root = curation.root(merges.target(key, article_id))
            kind = curation.kind_of(root, mention.kind)
            if root in own_keys or root in curation.hidden or kind not in TOGETHER_KINDS:
                continue
            named_in.setdefault(root, set()).add(at)
            in_articles.setdefault(root, set()).add(article_id)
            kinds.setdefault(root, kind)
    totals = catalog.entity_article_totals()
    scored = []
    for root, where in named_in.items():
        both = len(where & own_sentences)
        score = _log_likelihood(both, len(own_sentences), len(where), sentences)
        scored.append((score, len(in_articles[root]), root))
    scored.sort(key=lambda s: (-s[0], -s[1], s[2]))
    del scored[limit:]
    # shown as in the entity list: the preferred spelling over the whole collection
    members = {m: root for *_rest, root in scored for m in curation.members(root)}
    names: dict[str, Counter[str]] = {}
    for _article, key, name, mentions in catalog.entity_key_rows(members):
        names.setdefault(members[key], Counter())[name] += mentions
    found = []
    for score, shared, root in scored:
        shown = curation.names.get(root) or preferred_name(dict(names.get(root) or {root.partition(":")[2]: 1}))
        articles = max(sum(totals.get(k, 0) for k in curation.members(root)), shared)
        found.append(CoEntity(shown, kinds[root], shared, articles, score))
    return found


def _log_likelihood(k11: int, n_a: int, n_b: int, total: int) -> float:
    """Dunning's G² for a 2x2 table (both, only A, only B, neither); signed so
    that entities seen together less often than chance score below zero."""
    k12, k21 = n_a - k11, n_b - k11
    k22 = max(total - n_a - n_b + k11, 0)

    def h(*counts: int) -> float:
        whole = sum(counts)
        return sum(c * math.log(c / whole) for c in counts if c > 0)

    g2 = 2 * (h(k11, k12, k21, k22) - h(k11 + k12, k21 + k22) - h(k11 + k21, k12 + k22))
    expected = n_a * n_b / total
    return g2 if k11 >= expected else -g2
