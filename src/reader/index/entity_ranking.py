"""Entity searches ranked by how much an article is about the entity; the sentence naming it as the snippet.

An entity clause (``org:microsoft``, or the spellings a user's merge joined
into it) is answered from the catalog (:mod:`.entity_search`), where each
article's mentions are counted per name. The clause scores an article like a
BM25 word: its mentions of the matched names are the term frequency, with
a name in the headline counting :data:`HEADLINE_MENTIONS` more and a mention
in the lede (the first :data:`LEDE_SENTENCES` sentences) :data:`LEDE_MENTIONS`
more; saturated and normalised by the article's length with BM25's ``k1`` and
``b`` (against a typical article's length), times the clause's idf. So ``org:microsoft`` ranks the article naming
Microsoft six times, once in its headline, above one naming it in passing,
and in ``org:microsoft cloud`` the entity weighs like a word as rare.

The snippet of a hit found through an entity clause is the sentence of its
first mention (the lede's, when the lede names it: the headline is not part
of the body), with the mentions in it highlighted, as offsets like every
other snippet (article text is never parsed as markup).

Both backends share this: the Whoosh one scores from the catalog's counts,
the OpenSearch one indexes the same weighted counts as term frequencies
(:func:`weighted_names`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..model import Article, Snippet

#: A name in the headline counts as this many more mentions.
HEADLINE_MENTIONS = 3
#: A mention in the lede counts as this many more (once, however many the lede has).
LEDE_MENTIONS = 2
#: The lede: the body's first sentences.
LEDE_SENTENCES = 2
#: BM25's saturation and length normalisation. Mentions saturate more slowly than words do
#: in Whoosh's BM25F (k1 1.2): an article naming a company twenty times is more about it than
#: one naming it five times. ``b`` is Whoosh's.
K1 = 2.0
B = 0.75
#: Lengths are taken relative to a typical news article, not the collection's mean, so an
#: article's entity weights do not change as the collection grows and the cluster can index them.
REFERENCE_WORDS = 400
#: The cluster indexes each name ``round(CLUSTER_SCALE * weight / norm)`` times and saturates
#: with ``k1 = K1 * CLUSTER_SCALE``: the same function, rounded to a quarter of a mention.
CLUSTER_SCALE = 4
#: The longest entity snippet; a longer sentence is cut around the mention.
SNIPPET_CHARS = 300

#: Tokens of a name as the entity fields index it (``analyze(name)``), for matching a clause.
Fold = Callable[[str], tuple[str, ...]]
#: Names whose tokens are kept (a search over many articles folds each distinct name once).
_KEPT_NAMES = 200_000
_folded: dict[str, tuple[str, ...]] = {}
_analyzer: list[Any] = []


def fold_name(name: str) -> tuple[str, ...]:
    """``name``'s tokens as the entity fields (and the catalog's ``entity_text``) index them."""
    found = _folded.get(name)
    if found is None:
        if not _analyzer:
            from .schema import name_analyzer

            _analyzer.append(name_analyzer())
        if len(_folded) >= _KEPT_NAMES:
            _folded.clear()
        found = _folded[name] = tuple(token.text for token in _analyzer[0](name))
    return found


# -- what the index records per article ------------------------------------------------


@dataclass(frozen=True, slots=True)
class Placement:
    """One entity name in one article: how often, how often in the lede, whether the headline has it."""

    mentions: int
    lede: int
    headline: bool

    @property
    def weight(self) -> int:
        """The mentions as ranked: the headline and the lede count extra."""
        return self.mentions + HEADLINE_MENTIONS * self.headline + LEDE_MENTIONS * (self.lede > 0)


def lede_end(body: str) -> int:
    """Where the lede (the first :data:`LEDE_SENTENCES` sentences) ends in ``body``."""
    from ..text.sentences import sentence_starts

    starts = sentence_starts(body)
    return starts[LEDE_SENTENCES] if len(starts) > LEDE_SENTENCES else len(body)


def in_headline(article: Article, fold: Fold) -> set[tuple[str, str]]:
    """The (kind, canonical name) pairs whose name, in any spelling the body gives it, the headline
    has as words (mentions are found in the body only)."""
    title = fold(article.title) if article.title else ()
    if not title:
        return set()
    spellings: dict[tuple[str, str], set[str]] = {}
    for mention in article.mentions:
        spellings.setdefault((mention.kind, mention.canonical), {mention.canonical}).add(mention.text)
    return {key for key, names in spellings.items() if any(_contains(title, fold(name)) for name in names)}


def placements(article: Article, fold: Fold) -> dict[tuple[str, str], Placement]:
    """(kind, canonical name) -> its placement in ``article``."""
    end = lede_end(article.body)
    headline = in_headline(article, fold)
    counts: dict[tuple[str, str], list[int]] = {}
    for mention in article.mentions:
        seen = counts.setdefault((mention.kind, mention.canonical), [0, 0])
        seen[0] += 1
        seen[1] += mention.start < end
    return {key: Placement(total, lede, key in headline) for key, (total, lede) in counts.items()}


def weighted_names(article: Article, fold: Fold, kinds: Iterable[str]) -> dict[str, list[str]]:
    """Per kind, each canonical name repeated as often as it weighs (:attr:`Placement.weight`, over
    the article's :func:`length_norm`, times :data:`CLUSTER_SCALE`): the cluster's entity fields,
    where BM25's term frequency then counts the weighted mentions as :func:`entity_score` does."""
    wanted = set(kinds)
    norm = length_norm(article.word_count)
    out: dict[str, list[str]] = {}
    for (kind, name), placed in placements(article, fold).items():
        if kind in wanted:
            out.setdefault(kind, []).extend([name] * max(1, round(CLUSTER_SCALE * placed.weight / norm)))
    return out


def _contains(tokens: Sequence[str], words: Sequence[str]) -> bool:
    n = len(words)
    return n > 0 and any(tuple(tokens[i : i + n]) == tuple(words) for i in range(len(tokens) - n + 1))


# -- what a query asks -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NamePattern:
    """One entity-field word, phrase or prefix: which names of a kind it finds."""

    kind: str
    words: tuple[str, ...]
    prefix: bool = False

    def finds(self, kind: str, tokens: Sequence[str]) -> bool:
        if kind != self.kind:
            return False
        if self.prefix:
            return any(token.startswith(self.words[0]) for token in tokens)
        return _contains(tokens, self.words)


@dataclass(frozen=True, slots=True)
class EntityClause:
    """An entity part of a query: the names it counts (any wanted, none excluded)."""

    label: str
    wanted: tuple[NamePattern, ...]
    excluded: tuple[NamePattern, ...] = ()

    def counts(self, kind: str, tokens: Sequence[str]) -> bool:
        return any(p.finds(kind, tokens) for p in self.wanted) and not any(p.finds(kind, tokens) for p in self.excluded)

    @property
    def kinds(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(p.kind for p in self.wanted))


@dataclass(slots=True)
class Evidence:
    """What an article has of one clause: mentions of the names it counts, in the lede, in the headline."""

    mentions: int = 0
    lede: int = 0
    headline: bool = False
    words: int = 0  # the article's length

    def add(self, mentions: int, lede: int, headline: bool) -> None:
        self.mentions += mentions
        self.lede += lede
        self.headline = self.headline or headline

    @property
    def weight(self) -> int:
        # matched in the catalog with no countable name (a row written meanwhile): one mention
        return Placement(max(self.mentions, 1), self.lede, self.headline).weight

    def describe(self) -> str:
        where = [w for w, has in (("headline", self.headline), ("lede", self.lede > 0)) if has]
        mentions = f"{self.mentions} mention{'' if self.mentions == 1 else 's'}"
        return mentions + (f", in the {' and '.join(where)}" if where else "")


def evidence_in(title: str, body: str, mentions: Iterable[tuple[int, int, str, str]], clause: EntityClause) -> Evidence:
    """What one article has of a clause, from its own text and mentions (where the catalog's
    counts are not at hand: the cluster's ``--explain``)."""
    end = lede_end(body)
    found = Evidence(words=len(body.split()))
    spellings: set[str] = set()
    for start, stop, kind, name in mentions:
        if clause.counts(kind, fold_name(name)):
            found.add(1, int(start < end), False)
            spellings.update((name, body[start:stop]))
    title_words = fold_name(title) if title else ()
    found.headline = any(_contains(title_words, fold_name(name)) for name in spellings)
    return found


def idf(matched: int, articles: int) -> float:
    """BM25's idf of a clause matching ``matched`` of ``articles`` (as ranking.query_words weighs words)."""
    return math.log(1 + (articles - matched + 0.5) / (matched + 0.5))


def length_norm(words: int) -> float:
    """BM25's length factor for an article of ``words`` words (1 for a typical one)."""
    return 1 - B + B * max(words, 1) / REFERENCE_WORDS


def entity_score(evidence: Evidence, words: int, weight: float) -> float:
    """BM25 with the weighted mentions as term frequency: saturating, and a mention in a short
    article counting more than one in a long one. (``tf / norm`` saturated with ``k1`` is
    BM25's ``tf / (tf + k1 * norm)``; written so, it is what the cluster indexes.)"""
    tf = evidence.weight / length_norm(words)
    return weight * tf * (K1 + 1) / (tf + K1)


@dataclass
class ClauseEvidence:
    """Every article a clause matched in the catalog, with its evidence."""

    clause: EntityClause
    articles: dict[str, Evidence] = field(default_factory=dict)


def gather(clause: EntityClause, rows: Iterable[tuple[str, int, Any, Any, Any, Any, Any]], fold: Fold) -> ClauseEvidence:
    """The evidence per article from catalog rows ``(article id, words, kind, name, mentions, lede,
    headline)`` (kind None: an article matched with no rows of the clause's kinds)."""
    found = ClauseEvidence(clause)
    articles = found.articles
    counted: dict[tuple[str, str], bool] = {}  # the same names come in many articles: decided once
    for article_id, words, kind, name, mentions, lede, headline in rows:
        evidence = articles.get(article_id)
        if evidence is None:
            evidence = articles[article_id] = Evidence(words=int(words or 0))
        if kind is None:
            continue
        counts = counted.get((kind, name))
        if counts is None:
            counts = counted[(kind, name)] = clause.counts(kind, fold(name))
        if counts:
            evidence.add(int(mentions), int(lede or 0), bool(headline))
    return found


# -- the snippet ------------------------------------------------------------------------


def entity_snippet(body: str, mentions: Iterable[tuple[int, int, str, str]], clause: EntityClause, fold: Fold) -> Snippet | None:
    """The sentence of the first mention the clause counts, its counted mentions highlighted;
    None when the article has none (its entities changed meanwhile)."""
    from ..text.sentences import around, sentence_bounds

    counted = sorted((start, end) for start, end, kind, name in mentions if clause.counts(kind, fold(name)))
    counted = [(s, e) for s, e in counted if 0 <= s < e <= len(body)]
    if not counted:
        return None
    first_start, first_end = counted[0]
    start, end = around(body, *sentence_bounds(body, first_start, first_end), first_start, first_end, SNIPPET_CHARS)
    text = body[start:end].replace("\n", " ")
    spans = tuple((s - start, e - start) for s, e in counted if s >= start and e <= end)
    return Snippet(text, spans, start)


def mention_spans(mentions: Iterable[tuple[int, int, str, str]], clauses: Sequence[EntityClause]) -> list[tuple[int, int]]:
    """Where the mentions the query's entity clauses count stand in the body (what the reading
    pane highlights and steps through, as it does a word's matches)."""
    if not clauses:
        return []
    return sorted((s, e) for s, e, kind, name in mentions if any(c.counts(kind, fold_name(name)) for c in clauses))


def with_entity_snippet(
    body: str,
    mentions: Iterable[tuple[int, int, str, str]],
    clauses: Iterable[EntityClause],
    word_snippets: Sequence[Snippet],
    top: int = 2,
) -> tuple[Snippet, ...]:
    """A hit's snippets: the sentence naming the entity of the first of ``clauses`` (those that
    found it) the article mentions, then the query's word snippets outside it (``top`` in all)."""
    mentions = list(mentions)
    for clause in clauses:
        first = entity_snippet(body, mentions, clause, fold_name)
        if first is not None:
            end = first.offset + len(first.text)
            others = [piece for s in word_snippets if (piece := _outside(s, first.offset, end)) is not None]
            return (first, *others[: top - 1])
    return tuple(word_snippets[:top])


def _outside(snippet: Snippet, start: int, end: int) -> Snippet | None:
    """The part of a word snippet outside the body's ``start:end`` (the entity's sentence, so the
    cut falls between sentences) that has matches: the part after it, else the part before; None
    when its matches are all inside."""
    own_end = snippet.offset + len(snippet.text)
    if snippet.offset >= end or own_end <= start:
        return snippet
    for cut_start, cut_end in ((max(end, snippet.offset), own_end), (snippet.offset, min(start, own_end))):
        spans = [(s, e) for s, e in snippet.spans if cut_start <= snippet.offset + s and snippet.offset + e <= cut_end]
        if not spans:
            continue
        text = snippet.text[cut_start - snippet.offset : cut_end - snippet.offset]  # cut at the sentence's ends
        piece = text.strip()
        begin = cut_start + len(text) - len(text.lstrip())
        return Snippet(piece, tuple((snippet.offset + s - begin, snippet.offset + e - begin) for s, e in spans), begin)
    return None
