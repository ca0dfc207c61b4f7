"""A time budget for the work one query asks for beyond the index itself.

Expanding ``word~`` and ``prefix*`` against the vocabulary and finding "did
you mean" words cost time that grows with what the user typed (a pasted
paragraph, a 2,000-letter word), and they run while the searcher's lock is
held, so every one of them stops when its query's budget is spent and keeps
what it found so far: a query is answered a little less completely, never
late.
"""

from __future__ import annotations

import time
from collections.abc import Callable

#: Seconds one query may spend on expansions and suggestions in all.
QUERY_BUDGET = 0.5


class Budget:
    """A deadline; ``clock`` is injectable so tests can run out of time without waiting."""

    def __init__(self, seconds: float = QUERY_BUDGET, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._deadline = clock() + seconds
        #: Whether some work was told to stop (its answer is less complete than it could be).
        self.ran_out = False

    def spent(self) -> bool:
        if self._clock() >= self._deadline:
            self.ran_out = True
        return self.ran_out


def unlimited() -> Budget:
    """For callers that must see everything (tests, benchmarks)."""
    return Budget(float("inf"))
