#!/usr/bin/env python3
"""One measured Library operation in a fresh process, reported as one JSON line.

Why a separate process: peak RSS (``ru_maxrss``) only means something for a
process that did one thing, and a fresh interpreter is what a user's
``reader`` run or app start gets. Only the public API is used.

    probe.py build  ARTICLES INDEX [--entities]
    probe.py sync   ARTICLES INDEX
    probe.py search ARTICLES INDEX QUERIES.json --repeat K
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time

from measure import peak_child_rss_mb, peak_rss_mb, rss_mb, time_calls
from reader import Library


def build(args) -> dict:
    with Library(args.articles, args.index) as library:
        started = time.perf_counter()
        report = library.sync(rebuild=True, entities=args.entities)
        seconds = time.perf_counter() - started
        return {
            "seconds": seconds,
            "articles": len(library),
            "added": len(report.added),
            "skipped": len(report.skipped),
            "extractor": report.entity_extractor,
        }


def sync(args) -> dict:
    with Library(args.articles, args.index) as library:
        started = time.perf_counter()
        len(library)  # opens the index, so pending() is timed on its own
        open_seconds = time.perf_counter() - started
        started = time.perf_counter()
        pending = library.pending()
        pending_seconds = time.perf_counter() - started
        started = time.perf_counter()
        report = library.sync(entities=False)
        seconds = time.perf_counter() - started
        return {
            "open_seconds": open_seconds,
            "pending": pending,
            "pending_seconds": pending_seconds,
            "seconds": seconds,
            "added": len(report.added),
            "changed": len(report.changed),
            "removed": len(report.removed),
            "unchanged": report.unchanged,
        }


def search(args) -> dict:
    """RSS after 100 queries, then warm p50/p95 per query: top 10 with and without snippets, and the count.

    Like the FTS5 baseline (``ORDER BY rank LIMIT 10`` and a separate
    ``count(*)``), the top 10 is asked for without counting every match
    (``count=False``, as the app does) and the count is timed on its own.
    """
    queries = json.loads(open(args.queries).read())
    with Library(args.articles, args.index) as library:
        started = time.perf_counter()
        library.search(queries[0], count=False)
        first = time.perf_counter() - started
        for query in itertools.islice(itertools.cycle(queries), 100):
            library.search(query, count=False)
        rss_after_100 = rss_mb()
        results = {}
        for query in queries:
            with_snippets = time_calls(lambda query=query: library.search(query, count=False), args.repeat)
            without = time_calls(lambda query=query: library.search(query, snippets=False, count=False), args.repeat)
            counting = time_calls(lambda query=query: library.count(query), max(3, args.repeat // 4))
            found = library.search(query)
            results[query] = {
                "snippets": with_snippets.samples,
                "no_snippets": without.samples,
                "count": counting.samples,
                "total": found.total,
                "fallback": found.fallback,
            }
        return {"first_search": first, "rss_after_100_mb": rss_after_100, "queries": results}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("op", choices=("build", "sync", "search"))
    parser.add_argument("articles")
    parser.add_argument("index")
    parser.add_argument("queries", nargs="?", help="JSON list of query strings (search)")
    parser.add_argument("--entities", action="store_true", help="extract entities while building")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args(argv)
    result = {"build": build, "sync": sync, "search": search}[args.op](args)
    result["peak_rss_mb"] = peak_rss_mb()
    result["peak_child_rss_mb"] = peak_child_rss_mb()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
