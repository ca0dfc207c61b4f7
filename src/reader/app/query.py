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
