"""Searching the cluster with the rules of :mod:`reader.index.searching`.

Short queries need every word (all-words, then any word when nothing has
them all); queries of :data:`~reader.index.ranking.GRADED_FROM_WORDS` words
or more are graded: any word matches, and each score is multiplied by the
share of the query's idf the article covers, with the same words, idf and
coverage power as the Whoosh backend (which parts an article matched comes
back as named queries, the document frequencies from one ``global``
aggregation). ``offset`` pages and ``sort="date"`` (newest first, undated
last, relevance within a day) as there. Scores are the cluster's BM25, not
Whoosh's BM25F, so equal rankings are not promised beyond the matches and
the order rules.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import QueryError
from ..index.query import fold_word
from ..model import PARAGRAPH_SEPARATOR, Hit, SearchResults
from ..text.controls import valid_unicode
from .mapping import WORD_FIELDS, terms_field, words_field
from .translate import MATCH_NONE, any_of, required_parts, term_filter, to_dsl

if TYPE_CHECKING:
    from .store import OpenSearchStore

_HEAD_FIELDS = ["id", "path", "title", "date", "source"]
#: Term statistics from every shard before scoring, so an article's rank does not depend on the
#: shard it landed in (it did on small indexes: the same query ranked the five samples differently).
SEARCH_TYPE = "dfs_query_then_fetch"
#: Without ``count``, totals are exact up to this many (the cluster's own default), "N+" past it.
COUNTED_UP_TO = 10_000
_DATE_ORDER: list[Any] = [{"date": {"order": "desc", "missing": "_last"}}, {"_score": {"order": "desc"}}]


@dataclass
class _Ranked:
    hits: list[tuple[dict[str, Any], float]]  # (the cluster's hit, score)
    total: int
    counted: bool


def search(
    store: OpenSearchStore,
    text: str,
    *,
    limit: int,
    snippets: bool,
    count: bool,
    prefix_words: int | None,
    offset: int = 0,
    sort: str = "relevance",
) -> SearchResults:
    from ..index.ranking import GRADED_FROM_WORDS
    from ..index.searching import SORTS

    if sort not in SORTS:
        raise ValueError(f"sort must be one of {', '.join(SORTS)}, not {sort!r}")
    text = valid_unicode(text)
    parsed = store.parse(text)
    index = store.usable()
    if index is None:
        return SearchResults(text, [], 0)
    parsed = likeliest_words(store, parsed, prefix_words)
    page, offset, by_date = max(1, int(limit)), max(0, int(offset)), sort == "date"
    from ..index.entity_search import entity_clauses

    clauses = entity_clauses(parsed) if snippets else []
    fields = _HEAD_FIELDS + (["paragraphs"] if snippets else []) + (["mentions"] if clauses else [])
    query = _Query(store, index, text, fields)
    required = required_parts(parsed)
    graded = required >= GRADED_FROM_WORDS
    ranked = _Ranked([], 0, True)
    fallback = False
    if not graded:
        ranked = query.plain(parsed, offset, page, count, by_date)
    if (graded or ranked.total == 0) and required > 1:
        any_word = _any_word(store, text, prefix_words)
        outcome = query.graded(any_word, offset, page, count, by_date) if any_word is not None else None
        if outcome is not None and outcome[0].total:
            ranked, every_word = outcome
            assert any_word is not None
            parsed, graded, fallback = any_word, True, not every_word
        elif graded:  # no any-word form: the strict query is all there is
            graded = False
            ranked = query.plain(parsed, offset, page, count, by_date)
    bodies = [PARAGRAPH_SEPARATOR.join(hit["_source"].get("paragraphs") or ()) for hit, _score in ranked.hits]
    terms = highlights(store, text, parsed, bodies if snippets else [])
    from ..index.entity_ranking import with_entity_snippet
    from ..index.snippets import make_snippets

    results = []
    for (hit, score), body in zip(ranked.hits, bodies, strict=True):
        source = hit["_source"]
        shown = make_snippets(body, terms, store.analyzer) if snippets else ()
        if clauses:  # found through an entity field: the sentence naming it first
            shown = with_entity_snippet(body, [tuple(m) for m in source.get("mentions") or ()], clauses, shown)
        path, title, date, published_by = (str(source.get(name, "")) for name in ("path", "title", "date", "source"))
        results.append(Hit(str(source["id"]), path, title, date, published_by, round(score, 4), shown))
    suggestion = store.suggest(text) if ranked.total == 0 or fallback else ""
    shown_terms = tuple(sorted(terms.terms | terms.prefixes))
    return SearchResults(text, results, ranked.total, fallback, suggestion, shown_terms, ranked.counted, graded)


def _any_word(store: OpenSearchStore, text: str, prefix_words: int | None) -> Any:
    try:
        return likeliest_words(store, store.parse(text, any_word=True), prefix_words)
    except QueryError:
        return None


def matched_query(store: OpenSearchStore, text: str, prefix_words: int | None) -> Any:
    """The query whose matches count: a graded (or all-words-less) query's any-word form."""
    from ..index.ranking import GRADED_FROM_WORDS, words_of

    parsed = likeliest_words(store, store.parse(text), prefix_words)
    required = required_parts(parsed)
    if required <= 1:
        return parsed
    if required < GRADED_FROM_WORDS and _count(store, text, parsed) > 0:
        return parsed
    any_word = _any_word(store, text, prefix_words)
    return any_word if any_word is not None and len(words_of(any_word)) >= 2 else parsed


def count_matches(store: OpenSearchStore, text: str, *, prefix_words: int | None, cancelled: Callable[[], bool] | None) -> int:
    text = valid_unicode(text)
    if store.usable() is None:
        store.parse(text)  # a malformed query is still an error
        return 0
    return _count(store, text, matched_query(store, text, prefix_words))


def _count(store: OpenSearchStore, text: str, parsed: Any) -> int:
    from ..index.query import fuzzy_originals

    body = {"query": to_dsl(parsed, fuzzy_originals(text, store.stem))}
    with store.talking("counting matches"):
        return int(store.client.count(index=store.alias, body=body)["count"])


def matching_ids(store: OpenSearchStore, text: str, *, prefix_words: int | None) -> set[str]:
    from ..index.query import fuzzy_originals

    text = valid_unicode(text)
    if store.usable() is None:
        store.parse(text)
        return set()
    parsed = matched_query(store, text, prefix_words)
    dsl = to_dsl(parsed, fuzzy_originals(text, store.stem))
    return {str(source["id"]) for source in store.scan(dsl, ["id"])}


class _Query:
    """One search's requests to the cluster."""

    def __init__(self, store: OpenSearchStore, index: str, text: str, fields: list[str]) -> None:
        from ..index.query import fuzzy_originals

        self.store, self.index, self.fields = store, index, fields
        self.originals = fuzzy_originals(text, store.stem)

    def dsl(self, node: Any) -> dict[str, Any]:
        return to_dsl(node, self.originals)

    def run(self, body: dict[str, Any]) -> dict[str, Any]:
        with self.store.talking("searching"):
            found: dict[str, Any] = self.store.client.search(index=self.index, body=body, params={"search_type": SEARCH_TYPE})
        return found

    def plain(self, parsed: Any, offset: int, page: int, count: bool, by_date: bool) -> _Ranked:
        body: dict[str, Any] = {
            "query": self.dsl(parsed),
            "from": offset,
            "size": page,
            "_source": self.fields,
            "track_total_hits": True if count else max(offset + page, COUNTED_UP_TO),
        }
        if by_date:
            body.update(sort=_DATE_ORDER, track_scores=True)
        found = self.run(body)["hits"]
        total = found["total"]
        hits = [(hit, float(hit.get("_score") or 0.0)) for hit in found["hits"]]
        return _Ranked(hits, int(total["value"]), total.get("relation", "eq") == "eq")

    def graded(self, any_word: Any, offset: int, page: int, count: bool, by_date: bool) -> tuple[_Ranked, bool] | None:
        """The graded ranking of an any-word query (and whether a hit has every word); None when
        the query is not a set of ORed parts (see ranking.words_of)."""
        from whoosh import query as wq

        from ..index.ranking import COVERAGE_POWER, GRADED_POOL, _word_key, query_words, words_of

        parts = words_of(any_word)
        if len(parts) < 2:
            return None
        keys = list(dict.fromkeys(_word_key(part) for part in parts))  # query_words' grouping, in its order
        word_of = [keys.index(_word_key(part)) for part in parts]
        frequencies = _Frequencies(self, parts)
        words = query_words(parts, frequencies)
        for number, word in enumerate(words):
            if not word.terms:  # a prefix or fuzzy word: the articles it matches stand for its terms'
                first = parts[word_of.index(number)]
                words[number] = dataclasses.replace(word, idf=frequencies.idf(frequencies.part(parts.index(first))))
        named = [{"bool": {"must": [self.dsl(part)], "_name": f"w{word_of[n]}"}} for n, part in enumerate(parts)]
        dsl = any_of(*named)
        if isinstance(any_word, wq.AndNot):
            dsl = {"bool": {"must": [dsl], "must_not": [self.dsl(any_word.b)]}}
        pool = max(offset + page, GRADED_POOL)
        tracked = True if count else max(pool, COUNTED_UP_TO)
        body: dict[str, Any] = {"query": dsl, "size": pool, "_source": self.fields, "track_total_hits": tracked}
        if by_date:  # newest first: the window's dates whole, ranked within each day by coverage
            body.update(sort=_DATE_ORDER, track_scores=True, size=offset + page)
        found = self.run(body)["hits"]
        hits = list(found["hits"])
        if by_date and len(hits) == offset + page:
            hits = self._whole_last_day(dsl, hits)
        weight = sum(word.idf for word in words) or 1.0
        scored = []
        every_word = False
        for hit in hits:
            matched = {int(name[1:]) for name in hit.get("matched_queries", ()) if name.startswith("w")}
            every_word = every_word or len(matched) == len(words)
            coverage = sum(words[number].idf for number in matched) / weight
            scored.append((hit, float(hit.get("_score") or 0.0) * coverage**COVERAGE_POWER))
        scored.sort(key=lambda pair: -pair[1])
        if by_date:
            scored.sort(key=lambda pair: str(pair[0]["_source"].get("date") or ""), reverse=True)
        total = found["total"]
        ranked = _Ranked(scored[offset : offset + page], int(total["value"]), total.get("relation", "eq") == "eq")
        return ranked, every_word

    def _whole_last_day(self, dsl: dict[str, Any], hits: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """``hits`` (newest first) with every other match of the last one's date, so that day
        can be ranked by coverage whole."""
        last = hits[-1]["_source"].get("date")
        day = {"term": {"date": last}} if last else {"bool": {"must_not": [{"exists": {"field": "date"}}]}}
        seen = {hit["_id"] for hit in hits}
        rest = []
        after: list[Any] | None = None
        while True:
            body: dict[str, Any] = {
                "query": {"bool": {"must": [dsl], "filter": [day]}},
                "size": 1000,
                "_source": self.fields,
                "sort": [{"_score": "desc"}, {"id": "asc"}],
                "track_scores": True,
            }
            if after is not None:
                body["search_after"] = after
            batch = self.run(body)["hits"]["hits"]
            rest += [hit for hit in batch if hit["_id"] not in seen]
            if len(batch) < 1000:
                return hits + rest
            after = batch[-1]["sort"]


def _part_terms(part: Any) -> list[tuple[str, str]]:
    """(field, analysed term) of a query part's words and phrases (what ranking.query_words keys on)."""
    from whoosh import query as wq

    found: list[tuple[str, str]] = []
    for leaf in part.leaves():
        if isinstance(leaf, wq.Phrase):
            found += [(leaf.fieldname, _text(word)) for word in leaf.words]
        elif isinstance(leaf, wq.Term):
            found.append((leaf.fieldname, _text(leaf.text)))
    return found


def _text(value: object) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


class _Frequencies:
    """The two questions :func:`reader.index.ranking.query_words` asks a Whoosh reader, answered
    for every term of the query at once by one ``global`` ``filters`` aggregation; also how many
    articles each term-less part (a prefix, a fuzzy word) matches."""

    def __init__(self, query: _Query, parts: list[Any]) -> None:
        terms = sorted({term for part in parts for term in _part_terms(part)})
        filters = {f"t{number}": term_filter(field, text) for number, (field, text) in enumerate(terms)}
        filters |= {f"p{number}": query.dsl(part) for number, part in enumerate(parts) if not _part_terms(part)}
        aggs = {"every": {"global": {}, "aggs": {"terms": {"filters": {"filters": filters or {"none": MATCH_NONE}}}}}}
        found = query.run({"size": 0, "track_total_hits": False, "aggs": aggs})["aggregations"]["every"]
        self._buckets = {name: int(bucket["doc_count"]) for name, bucket in found["terms"]["buckets"].items()}
        self._total = int(found["doc_count"])
        self._frequency = {term: self._buckets[f"t{number}"] for number, term in enumerate(terms)}

    def doc_count(self) -> int:
        return self._total

    def doc_frequency(self, fieldname: str, text: str) -> int:
        return self._frequency.get((fieldname, text), 0)

    def part(self, number: int) -> int:
        return self._buckets.get(f"p{number}", 0)

    def idf(self, frequency: int) -> float:
        """As :func:`reader.index.ranking.query_words` weighs a word."""
        total = max(1, self._total)
        return math.log(1 + (total - frequency + 0.5) / (frequency + 0.5))


def likeliest_words(store: OpenSearchStore, parsed: Any, prefix_words: int | None) -> Any:
    """``parsed`` with each title or body ``prefix*`` standing for its ``prefix_words`` most
    frequent words, when fewer than :data:`~.translate.PREFIX_TERMS` are asked for (the app,
    while a word is typed).

    The cluster's own prefix rewrite keeps the best-scoring words, which for a prefix are
    the first in alphabetical order: one word picked that way is the wrong one. As on
    Whoosh, the stems are ranked by how many articles have them: candidate words come from
    the ``vocabulary`` of a sample of the articles with the prefix (the best 2,000 per
    shard), their stems are counted over the whole index.
    """
    from whoosh import query as wq

    from .translate import PREFIX_TERMS

    if not prefix_words or prefix_words >= PREFIX_TERMS:
        return parsed

    def expand(node: Any) -> Any:
        if isinstance(node, wq.Prefix) and node.fieldname in WORD_FIELDS:
            stems = _likeliest_stems(store, node.fieldname, fold_word(node.text), prefix_words)
            if not stems:
                return wq.NullQuery
            terms = [wq.Term(node.fieldname, stem) for stem in stems]
            return terms[0] if len(terms) == 1 else wq.Or(terms, boost=node.boost)
        return node if node.is_leaf() else node.apply(expand)

    return expand(parsed)


def _likeliest_stems(store: OpenSearchStore, fieldname: str, prefix: str, wanted: int) -> list[str]:
    include = "".join(c if c.isalnum() else "\\" + c for c in prefix) + ".*"
    words = {"terms": {"field": "vocabulary", "include": include, "size": wanted * 8}}
    sample = {"sampler": {"shard_size": 2000}, "aggs": {"words": words}}
    body = {"size": 0, "query": {"prefix": {words_field(fieldname): prefix}}, "aggs": {"sample": sample}}
    with store.talking("completing a word"):
        found = store.client.search(index=store.alias, body=body)["aggregations"]["sample"]["words"]["buckets"]
    stems = sorted({stem for stem in (store.stem(str(bucket["key"])) for bucket in found) if stem})
    if not stems:
        return []
    filters = {f"s{number}": {"term": {terms_field(fieldname): stem}} for number, stem in enumerate(stems)}
    body = {"size": 0, "track_total_hits": False, "aggs": {"stems": {"filters": {"filters": filters}}}}
    with store.talking("completing a word"):
        buckets = store.client.search(index=store.alias, body=body)["aggregations"]["stems"]["buckets"]
    counted = {stem: int(buckets[f"s{number}"]["doc_count"]) for number, stem in enumerate(stems)}
    return sorted((stem for stem in stems if counted[stem]), key=lambda stem: (-counted[stem], stem))[:wanted]


def hit_spans(store: OpenSearchStore, text: str, article_id: str, *, prefix_words: int | None) -> list[tuple[int, int]]:
    from ..index.snippets import match_spans

    text = valid_unicode(text)
    try:
        parsed = store.parse(text)
    except QueryError:
        return []
    if store.usable() is None:
        return []
    parsed = likeliest_words(store, parsed, prefix_words)
    source = store.source(article_id, ["paragraphs", "mentions"])
    if source is None:
        return []
    body = PARAGRAPH_SEPARATOR.join(source.get("paragraphs") or ())
    spans: list[tuple[int, int]] = match_spans(body, highlights(store, text, parsed, [body]), store.analyzer)
    mentions = [(int(m[0]), int(m[1]), str(m[2]), str(m[3])) for m in source.get("mentions") or ()]
    from ..index.entity_search import with_mention_spans

    return with_mention_spans(spans, parsed, mentions)


def highlights(store: OpenSearchStore, text: str, parsed: Any, bodies: list[str]) -> Any:
    """What to highlight: as :func:`highlight_terms`, with prefix and fuzzy words expanded.

    The Whoosh backend expands them against the corpus vocabulary and
    highlights the stems found; here the words of the bodies shown are
    the vocabulary that matters, so they are looked up in those.
    """
    from whoosh import query as wq
    from whoosh.support.levenshtein import damerau_levenshtein

    from ..index.query import fold_word, fuzzy_originals, highlight_terms
    from ..index.schema import TOKEN_PATTERN

    wanted = highlight_terms(parsed)
    expanding = [
        node
        for node in parsed.leaves()
        if isinstance(node, (wq.Prefix, wq.FuzzyTerm)) and getattr(node, "fieldname", "") in ("title", "body")
    ]
    if not expanding or not bodies:
        return wanted
    words = {word.lower() for body in bodies for word in re.findall(TOKEN_PATTERN, body)}
    originals = fuzzy_originals(text, store.stem)
    for node in expanding:
        if isinstance(node, wq.Prefix):
            prefix = fold_word(node.text)
            wanted.terms.update(store.stem(w) for w in words if fold_word(w).startswith(prefix))
        else:
            stem = fold_word(node.text)
            word = originals.get(stem, stem)
            wanted.terms.add(stem)
            wanted.terms.update(
                store.stem(w)
                for w in words
                if w[:1] == word[:1] and damerau_levenshtein(word, w, limit=node.maxdist + 1) <= node.maxdist
            )
    return wanted
