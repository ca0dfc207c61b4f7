"""What the reading pane highlights and steps through: search hits, entity
mentions and bookmarked passages, all as displayed-body offsets.

No Textual here. :class:`SpanIndex` answers "what overlaps these offsets"
for any of them in O(log n + k), which is what drawing a line asks;
:class:`TargetCycle` is the ``n``/``N`` state.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Generic, NamedTuple, Protocol, TypeVar

#: Most hits we highlight in one article (per-item work stays bounded).
MAX_HITS = 5000


class Target(NamedTuple):
    """Something ``n``/``N`` steps through (a search hit or an entity mention)."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Mark:
    """A bookmarked passage as shown: offsets into the displayed body."""

    start: int
    end: int
    bookmark_id: str
    has_note: bool = False


class _Span(Protocol):
    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


SpanT = TypeVar("SpanT", bound=_Span)


class SpanIndex(Generic[SpanT]):
    """Spans sorted by ``(start, end)``, for overlap queries."""

    def __init__(self, spans: Iterable[SpanT] = ()) -> None:
        self.items: list[SpanT] = sorted(spans, key=lambda span: (span.start, span.end))
        self._starts = [span.start for span in self.items]
        self._longest = max((span.end - span.start for span in self.items), default=0)

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[SpanT]:
        return iter(self.items)

    def between(self, start: int, end: int) -> list[SpanT]:
        """The spans overlapping ``[start, end)``, in order."""
        if not self.items:
            return []
        low = bisect_left(self._starts, start - self._longest)
        high = bisect_left(self._starts, end)
        return [span for span in self.items[low:high] if span.end > start]

    def containing(self, offset: int) -> list[SpanT]:
        """The spans containing ``offset``, the latest-starting first."""
        if not self.items:
            return []
        low = bisect_left(self._starts, offset - self._longest)
        high = bisect_right(self._starts, offset)
        return [span for span in reversed(self.items[low:high]) if span.start <= offset < span.end]

    def exactly(self, start: int, end: int) -> SpanT | None:
        """The span on exactly ``[start, end)``, if any."""
        index = bisect_left(self._starts, start)
        while index < len(self.items) and self.items[index].start == start:
            if self.items[index].end == end:
                return self.items[index]
            index += 1
        return None


def term_spans(body: str, terms: Iterable[str]) -> list[tuple[int, int]]:
    """Rough hit spans from analysed terms (words starting with a term), for a
    library that cannot say where a query matched."""
    words = sorted({re.escape(term.strip("*")) for term in terms if term.strip("*")}, key=len, reverse=True)
    if not words or not body:
        return []
    pattern = re.compile(r"\b(?:" + "|".join(words) + r")\w*", re.IGNORECASE)
    spans = []
    for match in pattern.finditer(body):
        spans.append(match.span())
        if len(spans) >= MAX_HITS:
            break
    return spans


class TargetCycle:
    """What ``n``/``N`` step through (the hits, or one entity's mentions) and which is current."""

    def __init__(self) -> None:
        self.targets: list[Target] = []
        self.index = -1  # none current yet
        self.label = ""  # "match" for search hits, else the entity's name

    def set(self, targets: list[Target], label: str) -> None:
        self.targets, self.label, self.index = targets, label, -1

    @property
    def current(self) -> Target | None:
        return self.targets[self.index] if 0 <= self.index < len(self.targets) else None

    def go(self, index: int) -> Target:
        """Make target ``index`` (wrapping around) current."""
        self.index = index % len(self.targets)
        return self.targets[self.index]

    def step(self, direction: int, top: int) -> Target:
        """The next (1) or previous (-1) target; the first step starts from the body offset ``top``."""
        if self.index >= 0:
            return self.go(self.index + direction)
        index = bisect_left([target.start for target in self.targets], top)
        first = index if index < len(self.targets) else 0
        return self.go(first if direction > 0 else first - 1)

    def subtitle(self) -> str:
        """``matches 2/7 · n/N`` for the pane's border; empty when there is nothing to step through."""
        if not self.targets:
            return ""
        position = f"{self.index + 1}/" if self.index >= 0 else ""
        count = len(self.targets)
        noun = self.label if self.label != "match" else ("match" if count == 1 else "matches")
        return f"{noun} {position}{count} · n/N"
