"""Turn what is in the search box into the query sent while the user types."""

from __future__ import annotations

import re

_PLAIN_WORD = re.compile(r"[^\W_]+")
_OPERATORS = frozenset({"AND", "OR", "NOT", "TO", "ANDNOT", "ANDMAYBE"})

#: A prefix of fewer characters would expand to too many index terms.
MIN_PREFIX = 3


def as_you_type(text: str) -> str:
    """The query for ``text`` with the word being typed made a prefix.

    ``lighth`` becomes ``lighth*`` and ``trade light`` becomes ``trade light*``.
    Nothing changes once the word is finished (trailing space), inside an open
    phrase, for operators, field queries, wildcards or anything but a plain
    word, so the query syntax stays the user's.
    """
    query = text.strip()
    if not query or text[-1:].isspace():
        return query
    if query.count('"') % 2:  # an unfinished phrase
        return query
    last = query.split()[-1]
    if (
        len(last) < MIN_PREFIX
        or last in _OPERATORS
        or not _PLAIN_WORD.fullmatch(last)
    ):
        return query
    return query + "*"


def waits_for_more(text: str) -> bool:
    """True while the word being typed has fewer than ``MIN_PREFIX`` letters (``stock m``, ``s``).

    Searched while typing, such a fragment is a word of its own (``m``, ``ma``)
    that the next key replaces: results that flash by and matter to nobody,
    and on a large collection the slowest searches of the query (``s`` took
    265 ms at 100k articles, ``stock m`` 130 ms). The pane keeps what it shows
    until typing pauses (or Enter), then searches the text as typed: ``EU``
    and ``UK`` are words too.
    """
    query = text.strip()
    if not query or text[-1:].isspace() or query.count('"') % 2:
        return False
    last = query.split()[-1]
    return len(last) < MIN_PREFIX and last not in _OPERATORS and bool(_PLAIN_WORD.fullmatch(last))


_SCOPE = re.compile(r"\s*in:(bookmarks?|articles?)(?:\s+|$)", re.IGNORECASE)
SCOPE_BOOKMARKS = "in:bookmarks"


def split_scope(text: str) -> tuple[str, str]:
    """``("bookmarks", rest)`` for ``in:bookmarks rest``, else ``("articles", text)``.

    ``in:articles`` is accepted too (the default scope).
    """
    match = _SCOPE.match(text)
    if match is None:
        return "articles", text
    scope = "bookmarks" if match.group(1).lower().startswith("bookmark") else "articles"
    return scope, text[match.end() :]


def typing_scope(text: str) -> bool:
    """True while ``in:bookmarks`` is being typed (``in:``, ``in:bo``…): nothing to search yet."""
    typed = text.strip().lower()
    return len(typed) >= 3 and typed.startswith("in:") and SCOPE_BOOKMARKS.startswith(typed) and typed != SCOPE_BOOKMARKS
