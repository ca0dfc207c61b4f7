"""Searching and counting: a parsed query expanded, ranked, snippeted; "did you mean".

Whoosh's segment readers share one file position per file among all their
readers (a seek, then a read), so two threads reading at once read each
other's bytes: every use of the store's searcher holds ``store.lock``.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..errors import IndexCorrupt, IndexProblem
from ..model import Hit, SearchResults
from ..text.controls import valid_unicode
from .budget import Budget
from .health import MISSING
from .results_cache import ResultsCache, SearchRequest

if TYPE_CHECKING:
    from .store import IndexStore

Cancelled = Callable[[], bool]

#: Matches counted between two looks at the lock and the cancel flag (see _count_docs).
COUNT_CHUNK = 2000

#: The orders :func:`search` can give hits in.
SORTS = ("relevance", "date")


def search(
    store: IndexStore,
    text: str,
    *,
    limit: int,
    snippets: bool,
    count: bool,
    prefix_words: int | None,
    offset: int = 0,
    sort: str = "relevance",
) -> SearchResults:
    """Ranked hits ``offset`` to ``offset + limit`` (by relevance, or with ``sort="date"``
    newest first, undated last, relevance within a day); raises QueryError (bad query) or
    IndexCorrupt (damaged index, one line).

    The total is exact when ``count`` or when it is cheap (see counting.py);
    otherwise ``counted`` is False and ``total`` only what was ranked. Results
    are reused while the index stays the same (see :class:`ResultsCache`).
    """
    if sort not in SORTS:
        raise ValueError(f"sort must be one of {', '.join(SORTS)}, not {sort!r}")
    text = valid_unicode(text)
    request = SearchRequest(
        text, max(1, int(limit)), snippets, count, prefix_words, max(0, int(offset)), sort, _corrections(store)
    )
    parsed = _parse(store, text)
    if parsed is None:
        return SearchResults(query=text, hits=[], total=0)
    with store.lock:
        cache = ResultsCache.of(store.searcher())
        results = cache.get(request)
        if results is None:
            budget = Budget()
            results = _guarded(store, _search, store, request, parsed, budget)
            if not budget.ran_out:  # a search cut short is tried in full next time
                cache.put(request, results)
    return results


def forget_results(store: IndexStore) -> None:
    """Empty the results cache (the benchmarks time searches, not the cache)."""
    with store.lock:
        if store.exists():
            ResultsCache.of(store.searcher()).clear()


def _corrections(store: IndexStore) -> tuple[Any, ...]:
    try:
        hash(store.corrections)
    except TypeError:  # unhashable corrections: a key that never matches again
        return (object(),)
    return store.corrections


def count_matches(store: IndexStore, text: str, *, prefix_words: int | None, cancelled: Cancelled | None) -> int | None:
    """How many articles the query matches (the any-word fallback's count when all-words finds none).

    None when ``cancelled()`` turned true while counting (it is asked every
    few thousand matches), or the index changed meanwhile.
    """
    text = valid_unicode(text)
    parsed = _parse(store, text)
    if parsed is None:
        return 0
    counted: int | None = _guarded(store, _count, store, text, parsed, prefix_words, cancelled)
    return counted


def search_key(store: IndexStore, text: str, *, prefix_words: int | None) -> str | None:
    """What searching ``text`` runs, as a string: two queries with equal keys return the same
    results from this index generation (``stock mar*``, ``stock mark*`` and ``stock market``
    all run ``stock AND market``). None when that cannot be told (an expansion cut short).

    Parsing and expanding cost a millisecond or two where the search can take a hundred: the
    app asks this first while the user types and keeps the results on screen when it is
    unchanged. Raises QueryError as :func:`search` does.
    """
    from .ranking import GRADED_FROM_WORDS, word_counts

    text = valid_unicode(text)
    parsed = _parse(store, text)
    if parsed is None:
        return ""
    budget = Budget()
    with store.lock:
        generation = store.searcher().reader().generation()
        expanded = _expanded(store, text, parsed, prefix_words, budget)
    if budget.ran_out:
        return None
    key = f"{generation}|{_corrections(store)!r}|{expanded!r}"
    if _required_parts(expanded) >= GRADED_FROM_WORDS:  # graded ranking weighs words the query repeats
        key += f"|{sorted(word_counts(text, store.stem).items())!r}"
    return key


def matching_ids(store: IndexStore, text: str, *, prefix_words: int | None) -> set[str]:
    """Ids of every article the query matches (the any-word fallback's when all-words
    finds none, as :func:`count_matches` counts): what a saved search watches."""
    text = valid_unicode(text)
    parsed = _parse(store, text)
    if parsed is None:
        return set()
    ids: set[str] = _guarded(store, _matching_ids, store, text, parsed, prefix_words)
    return ids


def _matching_ids(store: IndexStore, text: str, parsed: Any, prefix_words: int | None) -> set[str]:
    """The articles :func:`_count` counts (a graded query's any-word matches), by id."""
    from .ranking import GRADED_FROM_WORDS

    budget = Budget()
    with store.lock:
        searcher = store.searcher()
        expanded = _expanded(store, text, parsed, prefix_words, budget)
        graded = _required_parts(expanded) >= GRADED_FROM_WORDS
        ids = set() if graded else _ids_of(searcher, expanded)
        if (graded or not ids) and _required_parts(expanded) > 1:
            any_word = _expanded(store, text, parsed, prefix_words, budget, any_word=True)
            if any_word is not None:
                ids = _ids_of(searcher, any_word)
            elif graded:
                ids = _ids_of(searcher, expanded)
    return ids


def _ids_of(searcher: Any, query: Any) -> set[str]:
    return {searcher.stored_fields(docnum)["id"] for docnum in searcher.docs_for_query(query)}


def hit_spans(store: IndexStore, text: str, article_id: str, *, prefix_words: int | None) -> list[tuple[int, int]]:
    """Where ``text`` (a query) matches inside one article's body."""
    from ..errors import QueryError
    from .query import highlight_terms
    from .snippets import match_spans

    text = valid_unicode(text)
    try:
        parsed = _parsed(store, text)
    except QueryError:
        return []
    article = store.catalog.article(article_id)
    if article is None or not store.exists():
        return []
    with store.lock:
        parsed = _expanded(store, text, parsed, prefix_words, Budget())
    spans: list[tuple[int, int]] = match_spans(article.body, highlight_terms(parsed), store.analyzer)
    from .entity_search import with_mention_spans

    return with_mention_spans(spans, parsed, [(m.start, m.end, m.kind, m.canonical) for m in article.mentions])


def _parse(store: IndexStore, text: str) -> Any:
    """The parsed query (``text`` already valid Unicode), or None when nothing can match.

    Raises QueryError or IndexCorrupt.
    """
    from whoosh import query as wq

    from .whoosh_patches import remember_term_lookups

    remember_term_lookups()
    parsed = _parsed(store, text)
    problem = store.problem()
    if problem and not problem.startswith(MISSING):
        raise IndexCorrupt(problem)
    if parsed is wq.NullQuery or not store.exists():
        return None
    return parsed


def _parsed(store: IndexStore, text: str, *, any_word: bool = False) -> Any:
    """The query as typed, its entity words following the user's corrections."""
    parsed = store.queries.parse(text, any_word=any_word)
    if not store.corrections:
        return parsed
    from .curation import rewrite_query

    return rewrite_query(parsed, store.curation(), store.catalog, lambda name: store.schema[name].analyzer)


def _guarded(store: IndexStore, function: Callable[..., Any], *args: Any) -> Any:
    """Run a search; an unexpected failure is checked for damage (IndexCorrupt) or re-raised (a bug)."""
    try:
        return function(*args)
    except IndexProblem:
        raise
    except Exception:  # noqa: BLE001 - damage shows up as any exception
        problem = store.health.diagnose()
        if problem:
            raise IndexCorrupt(problem) from None
        raise


def _expanded(
    store: IndexStore, text: str, parsed: Any, prefix_words: int | None, budget: Budget, any_word: bool = False
) -> Any:
    """The query with prefixes and fuzzy words expanded; None when an any-word form cannot be made."""
    from ..errors import QueryError
    from .query import MAX_PREFIX_WORDS, expand_words, fuzzy_originals

    if any_word:
        try:
            parsed = _parsed(store, text, any_word=True)
        except QueryError:
            return None
    reader = store.searcher().reader()
    originals = fuzzy_originals(text, store.stem)
    words = prefix_words or MAX_PREFIX_WORDS
    from .entity_search import resolve

    return resolve(store, expand_words(parsed, reader, store.stem, originals, store.vocabulary, words, budget))


def _count(store: IndexStore, text: str, parsed: Any, prefix_words: int | None, cancelled: Cancelled | None) -> int | None:
    budget = Budget()
    with store.lock:
        searcher = store.searcher()
        expanded = _expanded(store, text, parsed, prefix_words, budget)
    from .ranking import GRADED_FROM_WORDS

    graded = _required_parts(expanded) >= GRADED_FROM_WORDS
    total = None if graded else _count_docs(store, searcher, expanded, cancelled)
    if (graded or total == 0) and _required_parts(expanded) > 1:
        with store.lock:
            any_word = _expanded(store, text, parsed, prefix_words, budget, any_word=True)
        if any_word is not None:
            total = _count_docs(store, searcher, any_word, cancelled)
        elif graded:
            total = _count_docs(store, searcher, expanded, cancelled)
    return total


def _count_docs(store: IndexStore, searcher: Any, query: Any, cancelled: Cancelled | None) -> int | None:
    """Matches counted a chunk at a time, holding the lock only for a chunk.

    A count of a common phrase takes a third of a second at 100k articles;
    between chunks a search typed meanwhile gets the lock, and a cancelled
    count stops.
    """
    from .counting import cheap_count

    with store.lock:
        if not store.is_current(searcher):
            return None
        cheap = cheap_count(searcher, query)
    if cheap is not None:
        return cheap
    documents = searcher.docs_for_query(query)
    total = 0
    while True:
        with store.lock:
            if not store.is_current(searcher):  # replaced (and closed) after a sync
                return None
            chunk = sum(1 for _ in itertools.islice(documents, COUNT_CHUNK))
        total += chunk
        if chunk < COUNT_CHUNK:
            return total
        if cancelled is not None and cancelled():
            return None


def _search(store: IndexStore, request: SearchRequest, parsed: Any, budget: Budget) -> SearchResults:
    from .entity_ranking import with_entity_snippet
    from .entity_search import entity_sets
    from .postings_rank import top_hits
    from .query import highlight_terms
    from .ranking import GRADED_FROM_WORDS, word_counts
    from .snippets import make_snippets

    text, count, prefix_words, offset = request.text, request.count, request.prefix_words, request.offset
    searcher = store.searcher()
    parsed = _expanded(store, text, parsed, prefix_words, budget)
    page = request.limit
    limit = page + offset  # Whoosh ranks from the top; the first ``offset`` are dropped below
    order = _date_order() if request.sort == "date" else None

    def run(query: Any) -> tuple[list[tuple[Any, float]], int, bool]:
        """(hit, score) best first, the total, whether it is exact."""
        if order is None:
            quick = top_hits(searcher, query, limit, count)
            if quick is not None:
                best, matched, exact = quick
                return [({"id": article_id}, score) for article_id, score in best], matched, exact
        found = searcher.search(query, limit=limit, sortedby=order)
        scored: int = found.scored_length()
        if scored < limit:  # nothing was skipped: the count is exact
            return _scored(found, order), scored, True
        total = _exact_total(searcher, query, count)
        return _scored(found, order), scored if total is None else total, total is not None

    graded = _required_parts(parsed) >= GRADED_FROM_WORDS
    ranked: list[tuple[Any, float]] = []
    total, counted, fallback = 0, True, False
    if not graded:
        ranked, total, counted = run(parsed)
    if (graded or total == 0) and _required_parts(parsed) > 1:
        any_word = _expanded(store, text, parsed, prefix_words, budget, any_word=True)
        pool = searcher.doc_count() if order is not None else limit  # newest first: every match, not the best
        outcome = _graded(searcher, any_word, pool, count, word_counts(text, store.stem)) if any_word is not None else None
        if outcome is not None and outcome[1]:
            ranked, total, counted, every_word = outcome
            parsed, graded, fallback = any_word, True, not every_word
        elif graded:  # no any-word form: the strict query is all there is
            graded = False
            ranked, total, counted = run(parsed)
    suggestion = suggest(store, text, budget) if total == 0 or fallback else ""
    if graded and order is not None:
        ranked = _newest_first(store, ranked)
    ranked = ranked[offset : offset + page]
    ids = [hit["id"] for hit, _score in ranked]
    heads = store.catalog.heads(ids)
    terms = highlight_terms(parsed)
    entity = [found.evidence for found in entity_sets(parsed) if found.evidence is not None] if request.snippets else []
    texts = store.catalog.mentions(ids) if entity else {}  # (body, mentions): the bodies too
    if request.snippets:
        bodies = {i: body for i, (body, _mentions) in texts.items()} if entity else store.catalog.bodies(ids)
    hits = []
    for hit, score in ranked:
        head = heads.get(hit["id"])
        if head is None:  # indexed but not yet in the catalog (a sync in flight)
            continue
        path, title, date, source = head
        shown = make_snippets(bodies.get(hit["id"], ""), terms, store.analyzer) if request.snippets else ()
        if entity and hit["id"] in texts:  # found through an entity field: the sentence naming it first
            found = [e.clause for e in entity if hit["id"] in e.articles]
            shown = with_entity_snippet(*texts[hit["id"]], found, shown)
        hits.append(Hit(hit["id"], path, title, date, source, round(score, 4), shown))
    terms_shown = tuple(sorted(terms.terms | terms.prefixes))
    return SearchResults(text, hits, total, fallback, suggestion, terms_shown, counted, graded)


def _exact_total(searcher: Any, query: Any, count: bool) -> int | None:
    """Every match counted: from the posting lists when the query allows (cheap), else by
    Whoosh when ``count``; None when it was not asked for and is not cheap."""
    from .counting import cheap_count

    total = cheap_count(searcher, query)
    if total is None and count:
        total = sum(1 for _ in searcher.docs_for_query(query))
    return total


def _graded(
    searcher: Any, any_word: Any, limit: int, count: bool, counts: Any = None
) -> tuple[list[tuple[Any, float]], int, bool, bool] | None:
    """(hit, score) ranked by coverage, the total, whether it is exact, whether a hit has every word.

    ``counts``: how often the query repeats each word (ranking.word_counts).

    None when the query is not a set of ORed words (see ranking.words_of).
    """
    from .ranking import GRADED_POOL, graded_search, query_words, words_of

    parts = words_of(any_word)
    if len(parts) < 2:
        return None
    words = query_words(parts, searcher.reader(), counts)
    graded, found = graded_search(searcher, any_word, words, limit)
    scored: int = found.scored_length()
    total = scored if scored < max(limit, GRADED_POOL) else _exact_total(searcher, any_word, count)
    exact = total is not None
    total = scored if total is None else total
    every_word = any(len(g.matched) == len(words) for g in graded)
    return [(g.hit, g.score) for g in graded], total, exact, every_word


def _scored(results: Any, order: Any) -> list[tuple[Any, float]]:
    """(hit, relevance); sorted by :func:`_date_order`, Whoosh's score is (date key, -relevance)."""
    if order is None:
        return [(hit, float(hit.score)) for hit in results]
    return [(hit, -float(hit.score[1])) for hit in results]


def _newest_first(store: IndexStore, ranked: list[tuple[Any, float]]) -> list[tuple[Any, float]]:
    """Graded hits (ranked in Python, not by Whoosh) in :func:`_date_order`'s order."""
    heads = store.catalog.heads([hit["id"] for hit, _score in ranked])
    ranked = sorted(ranked, key=lambda pair: -pair[1])
    return sorted(ranked, key=lambda pair: heads[pair[0]["id"]][2] if pair[0]["id"] in heads else "", reverse=True)


def _date_order() -> Any:
    """Newest first (an undated article's empty date sorts last), then by relevance."""
    from whoosh import sorting

    return sorting.MultiFacet([sorting.FieldFacet("date", reverse=True), sorting.ScoreFacet()])


def _required_parts(parsed: Any) -> int:
    from whoosh import query as wq

    if isinstance(parsed, wq.And):
        return len(parsed.subqueries)
    return 1


# -- did you mean -------------------------------------------------------------------


def suggest(store: IndexStore, text: str, budget: Budget | None = None) -> str:
    """A "did you mean" query: unknown plain words replaced by the closest indexed word.

    Words past the budget (a fresh one unless given) are left as typed.
    """
    budget = budget or Budget()
    with store.lock:
        if not store.exists():
            return ""
        reader = store.searcher().reader()
        return suggest_words(
            text,
            known=lambda word: bool(reader.doc_frequency("body", store.stem(word))),
            closest=lambda word: _closest_word(store, reader, word, budget),
        )


def suggest_words(text: str, *, known: Callable[[str], bool], closest: Callable[[str], str]) -> str:
    """The query with each unknown plain word replaced by ``closest(word)`` ("" when nothing changed).

    Backend-independent: ``known`` says whether a word matches anything, ``closest`` finds
    the likeliest indexed word for one that does not (lowercased; "" when none).
    """
    from ..errors import QueryError
    from .query import STOP_WORDS, preprocess

    try:
        cleaned = preprocess(text)
    except QueryError:
        return ""
    changed = False
    words = []
    for word in cleaned.split(" "):
        bare = word.rstrip("~*").strip('"')
        if (
            not bare.isalpha()
            or ":" in word
            or bare.lower() in STOP_WORDS
            or word in ("AND", "OR", "NOT")
            or len(bare) < 3
            or known(bare)
        ):
            words.append(word)
            continue
        best = closest(bare.lower())
        words.append(best or word)
        changed = changed or bool(best)
    return " ".join(words) if changed else ""


def _closest_word(store: IndexStore, reader: Any, word: str, budget: Budget) -> str:
    from .query import STOP_WORDS

    candidates: set[str] = set()
    for distance in (1, 2):
        candidates = store.vocabulary.similar(word, distance, budget)
        if candidates:
            break
    # Words of deleted articles stay in the vocabulary; only suggest what still matches.
    frequency = {c: reader.doc_frequency("body", store.stem(c)) for c in candidates if c not in STOP_WORDS}
    best = max(frequency, key=lambda c: (frequency[c], c), default="")
    return best if best and frequency[best] else ""
