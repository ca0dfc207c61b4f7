#!/usr/bin/env python3
"""How long re-anchoring bookmarks takes when an article changed.

Two cases from issue 13, on real text (the five bundled samples joined into
one long article, about 24,000 characters):

* fuzzy: one bookmark whose passage was edited (one letter in 40 changed)
  and moved; time to find it again, by quote length.  Next to it, what
  rapidfuzz's ``partial_ratio_alignment`` over the whole body costs: the
  floor for any method that compares the quote with every window.
* no match: N bookmarks on one article whose text was replaced; time per
  bookmark for ``BookmarkStore.reanchor`` (all of them end up orphaned).

Medians of ``--repeat`` runs (a case slower than 20 s runs once).

    PYTHONPATH=src python benchmarks/reanchor.py [--bookmarks 2000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from reader.bookmarks import BookmarkStore, locate

REPO = Path(__file__).resolve().parent.parent


def long_body() -> str:
    """The samples' text as one article body (real prose, not generated)."""
    texts = [path.read_text(encoding="utf-8") for path in sorted((REPO / "articles").glob("*.*"))]
    return "\n\n".join(texts)


def edited(text: str, every: int = 40) -> str:
    chars = list(text)
    for index in range(every // 2, len(chars), every):
        chars[index] = "#" if chars[index] != "#" else "%"
    return "".join(chars)


def median_seconds(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
        if times[-1] > 20:
            break
    return statistics.median(times)


def fuzzy_rows(body: str, lengths: list[int], repeat: int) -> None:
    from rapidfuzz import fuzz

    print(f"fuzzy re-anchor of one edited, moved passage in a {len(body):,}-character article")
    print(f"{'quote chars':>12} {'locate s':>10} {'found':>7} {'rapidfuzz whole-body s':>24}")
    for length in lengths:
        start = len(body) // 3
        quote = body[start : start + length]
        changed = "A new first paragraph pushes everything down.\n\n" + body[:start] + edited(quote) + body[start + length :]
        anchor = locate(changed, quote, start, start + length)
        moved_to = start + len(changed) - len(body)
        right = anchor is not None and abs(anchor.start - moved_to) < 20 and abs(anchor.end - moved_to - length) < 20
        seconds = median_seconds(lambda: locate(changed, quote, start, start + length), repeat)  # noqa: B023
        floor = median_seconds(lambda: fuzz.partial_ratio_alignment(quote, changed), repeat)  # noqa: B023
        print(f"{length:>12,} {seconds:>10.4f} {'right' if right else 'WRONG':>7} {floor:>24.4f}")


def no_match_row(body: str, count: int) -> None:
    with tempfile.TemporaryDirectory() as folder, BookmarkStore(Path(folder) / "bookmarks.sqlite") as store:
        words = body.split()
        with store.write() as conn:  # many bookmarks fast: one transaction, not one per add
            for number in range(count):
                first = (number * 7) % (len(words) - 12)
                quote = " ".join(words[first : first + 8 + number % 5])
                start = body.find(quote)
                conn.execute(
                    'INSERT INTO bookmarks (id, article, quote, start, "end", created, updated) '
                    "VALUES (?, 'a1', ?, ?, ?, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')",
                    (f"b{number}", quote, max(start, 0), max(start, 0) + len(quote)),
                )
        replaced = "This article was replaced by an unrelated text about weather and sport. " * 300
        started = time.perf_counter()
        result = store.reanchor("a1", replaced)
        seconds = time.perf_counter() - started
        orphaned = len(store.list(article="a1", orphaned=True))
    print(f"\n{count:,} bookmarks on one article whose text was replaced ({len(replaced):,} characters)")
    per_bookmark = seconds / count * 1000
    print(f"  reanchor: {seconds:.2f} s, {per_bookmark:.3f} ms per bookmark; {orphaned:,} orphaned of {len(result):,}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lengths", type=int, nargs="+", default=[250, 1000, 2000, 4000])
    parser.add_argument("--bookmarks", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    body = long_body()
    fuzzy_rows(body, args.lengths, args.repeat)
    no_match_row(body, args.bookmarks)
    return 0


if __name__ == "__main__":
    sys.exit(main())
