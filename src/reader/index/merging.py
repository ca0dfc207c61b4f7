"""Whoosh segments: how many a build leaves, and merging them down when nobody is waiting.

Every query walks every segment, so fewer is faster; merging rewrites
postings, so it is done where it costs nothing the user sees: Whoosh's merge
policy during a sync only keeps the count bounded (:func:`merge_smallest`),
and :func:`merge_segments` brings it down after a sync (``reader index``) or
when the app is idle. The app runs it in a separate process (``python -m
reader.index.merging INDEX``) that it stops as soon as the user types: a
merge in a thread would hold the interpreter for seconds, and a killed merge
leaves the index as it was (the new segment is only listed once written).
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .store import IndexStore

#: Segments past this many are merged during a sync, smallest first (see merge_smallest).
MAX_SEGMENTS = 16


def merge_smallest(writer: Any, segments: list[Any]) -> list[Any]:
    """Whoosh merge policy: merge only the smallest segments, and only past ``MAX_SEGMENTS``.

    Whoosh's default merges every segment below a Fibonacci threshold, which
    at 2,000-article batches meant re-writing 40,000 articles at once twice
    during a 100k build (about 100 of its 210 s). With batches growing to
    ``BATCH_SIZE`` a first build ends with about 16 segments and merges
    nothing; later syncs add small segments, and the smallest few are merged
    into one whenever there are too many. Segments that are mostly deleted
    articles are merged too, which drops the deleted ones.
    """
    from whoosh.reading import SegmentReader

    def worn(segment: Any) -> bool:
        total: int = segment.doc_count_all()
        return total > 0 and segment.deleted_count() * 2 > total

    ordered = sorted(segments, key=lambda segment: segment.doc_count_all())
    merging = [segment for segment in ordered if worn(segment)]
    keeping = [segment for segment in ordered if not worn(segment)]
    excess = len(keeping) + 1 - MAX_SEGMENTS  # the new segment counts too
    if excess > 0:
        merging, keeping = merging + keeping[: excess + 1], keeping[excess + 1 :]
    if not merging:
        return segments
    for segment in merging:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    return keeping


#: Segments a merge leaves (see merge_segments): every query walks each one.
MERGED_SEGMENTS = 3


def merge_segments(store: IndexStore, *, target: int = MERGED_SEGMENTS, timeout: float | None = None) -> tuple[int, int]:
    """Merge the index down to ``target`` segments; (segments before, after).

    A first build leaves a segment per batch (about 8 at 20k articles, 16 at
    100k) and syncs add small ones, while a query walks every segment. This
    keeps the ``target - 1`` largest and merges all the others into one: the
    large ones are not rewritten, the many small ones become one. It takes the
    sync lock; run it after a sync or when the app is idle, never during typing
    (the app runs it in another process it can stop: see ``merging.py``).
    Deleted articles are dropped from the merged segments on the way.
    """
    from .sync import WRITER_TIMEOUT, _writer

    with store.writing(WRITER_TIMEOUT if timeout is None else timeout):
        store.remove_leftovers()  # what the last merge, killed at a key, left
        if not store.exists():
            return 0, 0
        index = store.whoosh_index()
        before = len(index._segments())  # noqa: SLF001 - Whoosh has no public count
        if before <= max(1, target):
            return before, before
        keep = max(0, target - 1)

        def merge_tail(writer: Any, segments: list[Any]) -> list[Any]:
            from whoosh.reading import SegmentReader

            ordered = sorted(segments, key=lambda segment: segment.doc_count(), reverse=True)
            for segment in ordered[keep:]:
                reader = SegmentReader(writer.storage, writer.schema, segment)
                writer.add_reader(reader)
                reader.close()
            return ordered[:keep]

        with _writer(store, index, mergetype=merge_tail, bulk=True):  # the merged segment written in bulk
            pass
        store.drop_handles()
        after = len(store.whoosh_index()._segments())  # noqa: SLF001
    store.invalidate()
    return before, after


def main(argv: list[str] | None = None) -> int:
    """``python -m reader.index.merging INDEX_DIR``: merge that index's segments (the app's idle merge)."""
    from .store import IndexStore

    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m reader.index.merging INDEX_DIR", file=sys.stderr)
        return 2
    store = IndexStore(args[0])
    try:
        merge_segments(store, timeout=0.0)
    except Exception as error:  # noqa: BLE001 - a busy or damaged index: the next sync deals with it
        print(f"not merged: {error}", file=sys.stderr)
        return 1
    finally:
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
