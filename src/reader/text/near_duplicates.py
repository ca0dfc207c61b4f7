"""Near-duplicate articles: the same story filed twice, found cheaply among a page of hits.

Each body becomes a bottom-k sketch: the ``SKETCH_SIZE`` smallest hashes of its
three-word shingles (after folding case and punctuation away). Two sketches
estimate the Jaccard similarity of the shingle sets (Broder's estimator: of
the k smallest hashes of the union, the share that both bodies have), so
comparing two articles costs O(k) whatever their length, and sketching one
is a single pass over its words. Only the hits on screen are sketched, so
nothing is stored at index time.

A story filed twice under another headline, with a new dateline, or with a
paragraph added keeps most of its shingles (similarity well above
``THRESHOLD``); two stories on the same subject share words but few runs of
three (well below). Bodies too short for that to mean much (fewer than
``MIN_SHINGLES`` shingles) are duplicates only when their words are equal.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from heapq import nsmallest

#: Hashes kept per body: the estimate's standard error is about 1/sqrt(k) (0.09 at 128).
SKETCH_SIZE = 128
#: Words per shingle.
SHINGLE_WORDS = 3
#: Estimated Jaccard similarity from which two bodies count as the same story.
THRESHOLD = 0.5
#: Fewer shingles than this and only identical words make a duplicate.
MIN_SHINGLES = 8
#: Characters of a body read: a story filed twice is the same from its start.
MAX_CHARS = 20_000

_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Sketch:
    """The bottom-k hashes of a body's shingles, sorted; ``size`` is how many shingles it has."""

    hashes: tuple[int, ...]
    size: int


def sketch(text: str) -> Sketch:
    words = _WORD.findall(text[:MAX_CHARS].casefold())
    if len(words) < SHINGLE_WORDS:
        shingles = {" ".join(words)} if words else set()
    else:
        shingles = {" ".join(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}
    hashes = {zlib.crc32(shingle.encode("utf-8")) for shingle in shingles}
    return Sketch(tuple(sorted(nsmallest(SKETCH_SIZE, hashes))), len(shingles))


def similarity(first: Sketch, second: Sketch) -> float:
    """Estimated Jaccard similarity of the two bodies' shingle sets (0.0 to 1.0)."""
    if not first.hashes or not second.hashes:
        return 0.0
    union = nsmallest(SKETCH_SIZE, set(first.hashes) | set(second.hashes))
    both = set(first.hashes) & set(second.hashes)
    return sum(1 for value in union if value in both) / len(union)


def same_story(first: Sketch, second: Sketch) -> bool:
    if min(first.size, second.size) < MIN_SHINGLES:
        return first == second and first.size > 0
    return similarity(first, second) >= THRESHOLD


def fold(sketches: Sequence[Sketch | None]) -> dict[int, int]:
    """For each position whose body repeats an earlier one's story, the position of the
    first such (the best ranked of the group); ``None`` (not sketched) folds nowhere."""
    leaders: list[tuple[int, Sketch]] = []
    folded: dict[int, int] = {}
    for position, current in enumerate(sketches):
        if current is None:
            continue
        leader = next((first for first, kept in leaders if same_story(kept, current)), None)
        if leader is None:
            leaders.append((position, current))
        else:
            folded[position] = leader
    return folded
