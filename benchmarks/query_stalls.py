#!/usr/bin/env python3
"""Hostile queries: how long a user-typed query can hold the searcher (median of several runs).

    PYTHONPATH=src python benchmarks/query_stalls.py [--articles articles] [--index /tmp/stalls-index] [--runs 5]

Issue 12 found a one-word query of 2,000 characters taking 3.7 s in "did you
mean" while holding the searcher's lock; issue 13 a 91-name OR list cut at
1,000 characters. Each line is one query: its shape, what came back (hits,
or the one-line refusal), and the median seconds of ``Library.search``.
ripgrep on the same text is the reference a user would otherwise reach for
(``rg -c -F``, the query as a fixed string; a refusal has no rg time).
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path


def _queries() -> list[tuple[str, str]]:
    rng = random.Random(12)
    letters = "abcdefghijklmnopqrstuvwxyz"

    def word(n: int) -> str:
        return "".join(rng.choice(letters) for _ in range(n))

    return [
        ("one word, 500 letters", "a" * 500),
        ("one word, 2,000 letters", "a" * 2000),
        ("one word, 2,000 letters*", "a" * 2000 + "*"),
        ("91 names OR'd, the known one last", " OR ".join([*(f"Zo{word(6)}ski" for _ in range(90)), "Lighthizer"])),
        ("300 unknown words", " ".join(word(8) for _ in range(300))),
        ("16 unknown fuzzy words", " ".join(word(8) + "~2" for _ in range(16))),
        ("16 prefixes", " OR ".join(word(2) + "*" for _ in range(16))),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", default="articles")
    parser.add_argument("--index", default="/tmp/query-stalls-index")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    from reader import Library, QueryError

    rg = shutil.which("rg")
    with Library(args.articles, args.index) as library:
        library.sync(entities=False)
        library.search("warm up")
        for label, query in _queries():
            seconds: list[float] = []
            outcome = ""
            for _ in range(args.runs):
                started = time.perf_counter()
                try:
                    outcome = f"{library.search(query).total} hits"
                except QueryError as error:
                    outcome = f"refused: {error}"
                seconds.append(time.perf_counter() - started)
            reference = ""
            if rg and not outcome.startswith("refused"):
                started = time.perf_counter()
                subprocess.run([rg, "-c", "-F", "--", query, str(Path(args.articles))], capture_output=True)
                reference = f"  rg {time.perf_counter() - started:.3f} s"
            print(f"{label:38} {statistics.median(seconds):7.3f} s  {outcome[:70]}{reference}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
