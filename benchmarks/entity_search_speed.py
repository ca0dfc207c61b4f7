#!/usr/bin/env python3
"""What ranking entity searches by mentions costs: ``org:NAME`` ranked and snippeted, against the
same search unranked (the catalog's matches only, every hit scoring alike, as before
``index/entity_ranking.py``), and against the catalog's FTS5 match alone (what a user with
SQLite would run), in one run.

The index is made once (kept in ``--work``) from the first ``--size`` articles of
``benchmarks/generate.py``'s synthetic corpus, its entities found by
``curation_speed.py``'s gazetteer (spaCy reads about 60 articles/s here; the catalog's entity
tables have the same shape either way). Queries: the most widespread organisation, place and
person, one named in about 1% of the articles, one rare, and two with a word added. Each row
is the median of ``--repeat`` searches, the results cache emptied before each (the app and
the CLI would not have it for a new query). The load is printed before and after: compare rows
of one run with each other, not with another run.

    PYTHONPATH=src python benchmarks/entity_search_speed.py --corpus /work/data/en15/100k --size 5000
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from curation_speed import gazetteer  # noqa: E402
from reader import Library  # noqa: E402
from reader.model import Mention  # noqa: E402

HERE = Path(__file__).resolve().parent


class _Gazetteer:
    name = "gazetteer"

    def __init__(self, seed: int) -> None:
        self.mentions_of = gazetteer(seed)

    def extract(self, texts: Any, *, batch_size: int = 32, n_process: int = 1) -> Iterator[list[Mention]]:
        for text in texts:
            yield list(self.mentions_of(text))


def build(corpus: Path, work: Path, size: int, seed: int) -> Path:
    """``work/articles`` (copies of the first ``size`` files) and its index with gazetteer entities."""
    import reader.entities

    root = work / f"entity-search-{size}"
    done = root / "built"
    if done.exists():
        return root
    articles = root / "articles"
    articles.mkdir(parents=True, exist_ok=True)
    files = sorted(p for p in corpus.rglob("*") if p.suffix in (".txt", ".md"))[:size]
    for file in files:
        target = articles / file.relative_to(corpus)
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists():
            shutil.copyfile(file, target)  # reader does not follow links out of the articles folder
    extractor = _Gazetteer(seed)
    reader.entities.load_extractor = lambda *args, **kwargs: extractor  # type: ignore[assignment]
    started = time.perf_counter()
    with Library(articles, root / "index") as library:
        library.sync(entities=True)
    print(f"  built {size} articles in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    done.touch()
    return root


def queries(library: Library) -> list[str]:
    """The most widespread organisation, place and person, an organisation in about 1% of the
    articles, a rare one, and two of them with a word."""
    catalog = library.store.catalog
    total = catalog.count()
    per_kind: dict[str, list[tuple[int, str]]] = {}
    for _key, kind, name, _mentions, articles in catalog.entity_rows():
        per_kind.setdefault(kind, []).append((articles, name))
    chosen = []
    for kind in ("org", "place", "person"):
        ranked = sorted(per_kind.get(kind, []), reverse=True)
        if ranked:
            chosen.append(_clause(kind, ranked[0][1]))
    orgs = sorted(per_kind.get("org", []))
    if orgs:
        chosen.append(_clause("org", min(orgs, key=lambda pair: abs(pair[0] - total // 100))[1]))
        chosen.append(_clause("org", orgs[0][1]))
        chosen.append(f"{chosen[0]} shares")
        chosen.append(f"{chosen[3]} trading")
    return chosen


def _clause(kind: str, name: str) -> str:
    from reader.index.entity_ranking import fold_name

    return f'{kind}:"{" ".join(fold_name(name))}"'


def unranked(store: Any, query: Any) -> Any:
    """``entity_search.resolve`` as it was: the catalog's matches, no evidence (every hit alike)."""
    from whoosh import query as wq

    from reader.index import entity_search

    def walk(node: Any) -> Any:
        if entity_search._leaf_field(node) in entity_search.ENTITY_FIELDS:
            expression = entity_search._fts_expression(node)
            ids = frozenset(store.catalog.entity_matches(expression)) if expression else frozenset()
            return entity_search.ArticleSet(ids, store.segment_ids, label=str(node))
        if isinstance(node, wq.CompoundQuery):
            return node.__class__([walk(child) for child in node.subqueries], boost=node.boost)
        return node

    return walk(query)


def median_ms(run: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=Path("/work/data/en15/100k"))
    parser.add_argument("--size", type=int, default=5000)
    parser.add_argument("--work", type=Path, default=HERE / "work")
    parser.add_argument("--seed", type=int, default=1, help="the corpus's generate.py seed (its cast)")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    print("load before:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    root = build(args.corpus, args.work, args.size, args.seed)
    from reader.index import entity_search
    from reader.index.searching import forget_results

    ranked_resolve = entity_search.resolve
    with Library(root / "articles", root / "index") as library:
        store = library.store
        print(f"{store.catalog.count()} articles; median of {args.repeat}, ms (results cache emptied each time)")
        print(f"{'query':<40} {'in':>6} {'FTS5':>8} {'unranked':>9} {'ranked':>8} {'ratio':>6}")
        for text in queries(library):

            def search(text: str = text) -> Any:
                forget_results(store)
                return library.search(text, limit=10, count=False)

            kind, _, name = text.partition(":")
            expression = f'"{kind}" : "{name.split(chr(34))[1]}"'
            fts = median_ms(lambda expression=expression: store.catalog.entity_matches(expression), args.repeat)
            entity_search.resolve = lambda store, query: unranked(store, query)  # type: ignore[assignment]
            before = median_ms(search, args.repeat)
            entity_search.resolve = ranked_resolve
            after = median_ms(search, args.repeat)
            total = len(store.catalog.entity_matches(expression))  # the articles the entity is in
            print(f"{text:<40} {total:>6} {fts:>8.1f} {before:>9.1f} {after:>8.1f} {after / before:>6.2f}")
    print("load after:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
