"""Make untrusted text safe at the widget boundary.

Ingest already removes control characters, but the app must not rely on it:
everything from an article (title, authors, body, entity names, snippets)
passes through here before it becomes a :class:`~textual.content.Content`.
Nothing from an article is ever parsed as markup; these helpers only deal
with what would reach the terminal.

``safe_body`` also returns a mapping from offsets in the original text to
offsets in the cleaned text, so entity mentions and hit spans (offsets into
``Article.body``) stay aligned when something had to be removed.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable

# ESC-introduced sequences (CSI, OSC/DCS/SOS/PM/APC up to BEL or ST, two-byte
# escapes) and their 8-bit forms. An unterminated string sequence loses only
# its introducer (the lone ESC/C1 byte is removed below), not the text after.
_ESCAPES = (
    r"\x1b\[[0-?]*[ -/]*[@-~]?"
    r"|\x1b[\]PX^_][^\x07\x1b\x9c\n]{0,2048}(?:\x07|\x1b\\|\x9c)"
    r"|\x1b[ -/]*[0-~]?"
    r"|\x9b[0-?]*[ -/]*[@-~]?"
    r"|[\x90\x98\x9d\x9e\x9f][^\x07\x1b\x9c\n]{0,2048}(?:\x07|\x1b\\|\x9c)"
)
# C0 controls but \t and \n, DEL, C1, zero-width and bidi embedding/override/
# isolate characters, invisible operators, BOM, interlinear annotations and
# lone surrogates (which cannot even be encoded for the terminal).
_INVISIBLE = (
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb\ud800-\udfff]"
)
_UNSAFE = re.compile(f"{_ESCAPES}|{_INVISIBLE}")
# One-for-one replacements (offsets unchanged): tabs and line/paragraph
# separators become spaces.
_SPACES = str.maketrans({"\t": " ", "\u2028": " ", "\u2029": " "})
_WHITESPACE = re.compile(r"\s+")

#: Longest one-line value we bother to render (titles, names, sources).
INLINE_LIMIT = 400


def safe_text(text: str) -> str:
    """``text`` without escape sequences, controls (but ``\\n``) or bidi overrides."""
    if not text:
        return ""
    return _UNSAFE.sub("", text).translate(_SPACES)


def safe_inline(text: str, limit: int = INLINE_LIMIT) -> str:
    """One line of untrusted metadata: cleaned, whitespace folded, length capped."""
    if not text:
        return ""
    text = _WHITESPACE.sub(" ", safe_text(text[: limit * 4])).strip()
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text


def _identity(offset: int) -> int:
    return offset


def safe_body(text: str) -> tuple[str, Callable[[int], int]]:
    """Clean ``text`` and return ``(clean, remap)``.

    ``remap(offset)`` turns an offset into ``text`` into the matching offset
    into ``clean``; it is the identity (and free) when nothing was removed,
    which is the normal case since ingest cleans too.
    """
    if not text:
        return "", _identity
    pieces: list[str] = []
    starts: list[int] = []  # original offset where a removed run starts
    removed_before: list[int] = []  # characters removed before that run ends
    ends: list[int] = []
    position = 0
    removed = 0
    for match in _UNSAFE.finditer(text):
        start, end = match.span()
        pieces.append(text[position:start])
        removed += end - start
        starts.append(start)
        ends.append(end)
        removed_before.append(removed)
        position = end
    if not starts:
        return text.translate(_SPACES), _identity
    pieces.append(text[position:])
    clean = "".join(pieces).translate(_SPACES)

    def remap(offset: int) -> int:
        index = bisect_right(starts, offset) - 1
        if index < 0:
            return offset
        if offset < ends[index]:  # inside a removed run: snap to where it was
            return starts[index] - (removed_before[index] - (ends[index] - starts[index]))
        return offset - removed_before[index]

    return clean, remap
