#!/usr/bin/env python3
"""What the user's entity corrections cost at query time, on the catalog of a 100k-article corpus.

Corrections are never written into the index: they are applied whenever
entities are listed or searched (``index/curation.py``), so ``index --rebuild``
cannot lose them. This measures that application with N = 0, 10, 100 and 1000
corrections (a mix of merges, renames, kind changes and hides of real
entities of the corpus), median of ``--repeat`` runs each:

* ``build``: the grouping the corrections make (``curation.build``), done once per query;
* ``list``: every entity with its counts, corrections applied (what ``reader entities`` and
  the sidebar's article counts use);
* ``rewrite``: an entity search (``person:NAME``) rewritten to follow merges and hides;
* ``article``: one article's mentions as corrected (what opening an article adds).

The corpus is ``benchmarks/generate.py``'s (seeded synthetic newswire). Its
mentions come from a gazetteer of the generator's own cast (every person,
organisation and place it writes, found with one regular expression), not
from spaCy: spaCy reads about 60 articles/s here, and the catalog's entity
tables have the same shape either way. The machine's load is printed
(``uptime``) before and after: under load, compare the rows of one run with
each other, not with another run.

    PYTHONPATH=src python benchmarks/curation_speed.py --corpus /work/data/en15/100k --size 100000
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

import generate  # noqa: E402
from reader.index.catalog import Catalog  # noqa: E402
from reader.index.curation import build, curate_mentions, rewrite_query  # noqa: E402
from reader.index.entity_queries import entities  # noqa: E402
from reader.index.sync import entity_rows  # noqa: E402
from reader.ingest import read_article  # noqa: E402
from reader.model import Article, Mention  # noqa: E402

HERE = Path(__file__).resolve().parent
COUNTS = (0, 10, 100, 1000)


@dataclass(frozen=True)
class Correction:
    action: str
    name: str
    kind: str
    value: str = ""
    value_kind: str = ""


_RUN = re.compile(r"[A-Z][\w.&'-]*(?: (?:of|and|for|the|[A-Z][\w.&'-]*))*")


def gazetteer(seed: int) -> Callable[[str], tuple[Mention, ...]]:
    """Mentions of every name the generator writes: runs of capitalised words, longest name first
    (one alternation of 1,100 names was 30 ms an article, this is well under one)."""
    world = generate.build_world(seed)
    kinds = {p.name: "person" for p in world.people} | dict.fromkeys(world.orgs, "org") | dict.fromkeys(world.places, "place")
    longest = max(len(name.split(" ")) for name in kinds)

    def mentions(body: str) -> tuple[Mention, ...]:
        found = []
        for run in _RUN.finditer(body):
            words = run.group().split(" ")
            starts = [run.start()]
            for word in words[:-1]:
                starts.append(starts[-1] + len(word) + 1)
            i = 0
            while i < len(words):
                for n in range(min(longest, len(words) - i), 0, -1):
                    name = " ".join(words[i : i + n])
                    kind = kinds.get(name) or kinds.get(name.rstrip(".,"))
                    if kind is not None:
                        name = name if name in kinds else name.rstrip(".,")
                        found.append(Mention(starts[i], starts[i] + len(name), name, kind, name))
                        i += n
                        break
                else:
                    i += 1
        return tuple(found)

    return mentions


def build_catalog(corpus: Path, path: Path, seed: int) -> Catalog:
    """The corpus's catalog with gazetteer mentions (made once, then reused)."""
    done = path.with_suffix(".done")
    catalog = Catalog(path)
    if done.exists():
        return catalog
    mentions_of = gazetteer(seed)
    files = sorted(p for p in corpus.rglob("*") if p.suffix in (".txt", ".md"))
    started = time.perf_counter()
    for chunk_start in range(0, len(files), 2000):
        with catalog.transaction() as writing:
            for file in files[chunk_start : chunk_start + 2000]:
                article = read_article(file, corpus)
                article = replace(article, mentions=mentions_of(article.body))
                writing.put(article, 0, 0, "gazetteer", entity_rows(article))
        print(f"  catalog: {min(chunk_start + 2000, len(files))} of {len(files)} articles"
              f" ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
    done.touch()
    return catalog


def corrections_for(catalog: Catalog, count: int, seed: int) -> list[Correction]:
    """``count`` corrections of listed entities: 40% merges, 20% renames, 20% kinds, 20% hides."""
    rng = random.Random(seed)
    listed = entities(catalog)
    by_kind: dict[str, list] = {}
    for entity in listed:
        by_kind.setdefault(entity.kind, []).append(entity)
    chosen: list[Correction] = []
    for number in range(count):
        entity = rng.choice(listed)
        roll = number % 5
        if roll < 2:
            target = rng.choice(by_kind[entity.kind])
            if target.name != entity.name:
                chosen.append(Correction("merge", entity.name, entity.kind, target.name, target.kind))
        elif roll == 2:
            chosen.append(Correction("rename", entity.name, entity.kind, f"{entity.name} (renamed {number})"))
        elif roll == 3:
            chosen.append(Correction("kind", entity.name, entity.kind, "other" if entity.kind != "other" else "org"))
        else:
            chosen.append(Correction("hide", entity.name, entity.kind))
    return chosen


def median_seconds(work: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def measure(catalog: Catalog, corrections: list[Correction], query: object, schema: object, article: Article, repeat: int
            ) -> tuple[float, float, float, float]:
    """Median seconds of build, list, rewrite and article with these corrections."""
    curation = build(catalog, corrections)

    def analyzer_for(name: str) -> object:
        return schema[name].analyzer  # type: ignore[index]

    def curate_article() -> object:
        return curate_mentions(build(catalog, corrections), catalog, article.mentions, article_id=article.id)

    return (
        median_seconds(lambda: build(catalog, corrections), repeat),
        median_seconds(lambda: entities(catalog, curation=curation), repeat),
        median_seconds(lambda: rewrite_query(query, curation, catalog, analyzer_for), repeat),
        median_seconds(curate_article, repeat),  # a fresh grouping: what the first open after a change costs
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=HERE / "corpora" / "100k")
    parser.add_argument("--size", type=int, default=100_000, help="articles generated when the corpus is missing")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--work", type=Path, default=HERE / "work")
    args = parser.parse_args(argv)

    from whoosh import query as wq

    from reader.index.schema import build_schema

    print("load before:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    if not args.corpus.exists():
        generate.generate(args.size, args.corpus, args.seed)
    args.work.mkdir(parents=True, exist_ok=True)
    catalog = build_catalog(args.corpus, args.work / f"curation-{args.corpus.name}.sqlite", args.seed)
    schema = build_schema()
    listed = entities(catalog)
    person = next(e for e in listed if e.kind == "person")
    surname = person.name.split()[-1].lower()
    query = wq.Term("person", surname)
    some_article = catalog.summaries()[len(listed) % 97].id
    article = catalog.article(some_article)
    assert article is not None
    print(f"{catalog.count()} articles, {len(listed)} entities; search person:{surname}; article {some_article}"
          f" ({len(article.mentions)} mentions)")
    print(f"{'corrections':>11}  {'build':>9}  {'list':>9}  {'rewrite':>9}  {'article':>9}")
    for count in COUNTS:
        corrections = corrections_for(catalog, count, args.seed)
        build_s, list_s, rewrite_s, article_s = measure(catalog, corrections, query, schema, article, args.repeat)
        print(f"{len(corrections):>11}  {build_s:>8.4f}s  {list_s:>8.3f}s  {rewrite_s:>8.4f}s  {article_s:>8.4f}s")
    print("load after:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
