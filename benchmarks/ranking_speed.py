#!/usr/bin/env python3
"""Warm search time of long (graded) and short queries: this checkout against another, in one run.

    PYTHONPATH=src python benchmarks/ranking_speed.py --compare /tmp/old/src [--articles /work/data/news/reuters20k]

Ranking work (the graded match, its weights, the closeness bonus) runs on
every long query, so its cost is measured where it is paid: warm searches
through ``Library.search`` (20 hits, snippets on, as the app asks) over a
real newswire corpus (``/work/data/news/reuters20k``, see
/work/data/news/README.txt; any folder of articles will do). The queries are
headlines of the corpus's own articles (every 250th, four words or more),
typed lower-case, and the same headlines cut to two words for the short
(strict) path.

The index is built once, under ``benchmarks/work/ranking-speed``, by this
checkout; ``--compare`` names another checkout's ``src`` (for example
``git archive OLD src | tar -x -C /tmp/old``) that must read the same index
format. Each round runs a fresh child process per checkout, alternately, so
a busy machine slows both alike; the table gives each query kind's median
milliseconds over all rounds and the ratio. Record ``uptime`` beside it.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = HERE / "work" / "ranking-speed"
SRC = HERE.parent / "src"

_CHILD = """
import json, sys, time
from reader import Library
articles, index, queries, repeat = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), int(sys.argv[4])
out = {}
with Library(articles, index) as library:
    for kind, texts in queries.items():
        for text in texts:  # warm: each query once, untimed
            library.search(text, limit=20)
        times = []
        for _ in range(repeat):
            for text in texts:
                start = time.perf_counter()
                library.search(text, limit=20)
                times.append(time.perf_counter() - start)
        out[kind] = times
print(json.dumps(out))
"""


def headlines(articles: Path, every: int) -> list[str]:
    """The first line of every ``every``-th article file, as typed words."""
    files = sorted(path for path in articles.rglob("*") if path.is_file())
    found = []
    for path in files[::every]:
        first = path.read_text(encoding="utf-8", errors="replace").strip().splitlines()[:1]
        words = re.findall(r"[A-Za-z0-9]+", first[0]) if first else []
        if len(words) >= 4:
            found.append(" ".join(word.lower() for word in words))
    return found


def child(src: Path, articles: Path, queries: dict[str, list[str]], repeat: int) -> dict[str, list[float]]:
    env = dict(os.environ, PYTHONPATH=str(src))
    args = [sys.executable, "-c", _CHILD, str(articles), str(WORK / "index"), json.dumps(queries), str(repeat)]
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=True)
    result: dict[str, list[float]] = json.loads(done.stdout)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=Path, default=Path("/work/data/news/reuters20k"))
    parser.add_argument("--compare", type=Path, required=True, help="another checkout's src folder")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=3, help="times each query is timed per round")
    parser.add_argument("--every", type=int, default=250, help="take the headline of every Nth article")
    args = parser.parse_args()

    sys.path.insert(0, str(SRC))
    from reader import Library

    WORK.mkdir(parents=True, exist_ok=True)
    with Library(args.articles, WORK / "index") as library:
        library.sync(entities=False)
    long = headlines(args.articles, args.every)
    queries = {"long (graded)": long, "short (2 words)": [" ".join(text.split()[:2]) for text in long]}
    checkouts = {"compared": args.compare.resolve(), "this": SRC}
    times: dict[str, dict[str, list[float]]] = {name: {kind: [] for kind in queries} for name in checkouts}
    for _round in range(args.rounds):
        for name, src in checkouts.items():
            for kind, samples in child(src, args.articles, queries, args.repeat).items():
                times[name][kind] += samples
    print(f"{len(long)} headlines over {args.articles}; median ms per search, {args.rounds} rounds x {args.repeat}")
    print(f"{'queries':<18} {'compared':>9} {'this':>9} {'ratio':>7}")
    for kind in queries:
        before = statistics.median(times["compared"][kind]) * 1000
        after = statistics.median(times["this"][kind]) * 1000
        print(f"{kind:<18} {before:>9.1f} {after:>9.1f} {after / before:>7.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
