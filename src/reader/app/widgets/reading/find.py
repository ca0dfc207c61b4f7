"""Find in the open article: every place a typed text occurs in the displayed body.

No Textual here. Case is ignored and a space in what is typed matches any
run of whitespace (a phrase found across a line break or a double space);
the text is taken literally, never as a pattern.
"""

from __future__ import annotations

import re

from .targets import MAX_HITS

#: Longest text looked for (the find box is one line).
MAX_FIND = 200


def find_spans(body: str, text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each occurrence of ``text`` in ``body``, in order, not overlapping
    (at most MAX_HITS)."""
    words = text[:MAX_FIND].split()
    if not words or not body:
        return []
    pattern = re.compile(r"\s+".join(re.escape(word) for word in words), re.IGNORECASE)
    spans: list[tuple[int, int]] = []
    for match in pattern.finditer(body):
        spans.append(match.span())
        if len(spans) >= MAX_HITS:
            break
    return spans
