"""Whole words for "did you mean" and ``word~``, kept in the catalog.

Whoosh's spelling lookups read each segment's word list from disk: with
mmap off that is hundreds of thousands of small reads, 0.4–0.55 s per
misspelt word at 100k articles, paid on keystrokes that type half a word.
The catalog keeps every word ever indexed in a ``WITHOUT ROWID`` table;
one edit is answered by checking the few hundred one-edit variants of a
word with a single indexed query, two edits by scanning only the words with
the same first letter and a similar length.
"""

from __future__ import annotations

import re
import string

from ..ingest.sanitize import fold_for_search

_WORD = re.compile(r"[^\W\d_]{3,30}")
_LETTERS = string.ascii_lowercase


def vocabulary_words(*texts: str) -> set[str]:
    """The distinct lowercased words (3–30 letters) of some texts."""
    words: set[str] = set()
    for text in texts:
        words.update(_WORD.findall(fold_for_search(text).lower()))
    return words


def one_edit(word: str) -> set[str]:
    """Every string one deletion, transposition, replacement or insertion away."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    transposes = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaces = {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
    inserts = {a + c + b for a, b in splits for c in _LETTERS}
    return (deletes | transposes | replaces | inserts) - {word}


def similar_words(catalog, word: str, maxdist: int) -> set[str]:
    """Indexed words within ``maxdist`` edits of ``word`` that share its first letter."""
    word = word.lower()
    if not word or maxdist < 1:
        return set()
    found = {w for w in catalog.known_words(one_edit(word)) if w[:1] == word[:1]}
    if maxdist >= 2:
        from whoosh.support.levenshtein import damerau_levenshtein

        for candidate in catalog.words_near(word[:1], len(word) - 2, len(word) + 2):
            if candidate not in found and damerau_levenshtein(word, candidate, limit=2) <= 2:
                found.add(candidate)
    found.discard(word)
    return found


class Vocabulary:
    """The whole words of the catalog, as query expansion asks for them."""

    def __init__(self, catalog) -> None:
        self.catalog = catalog

    def similar(self, word: str, maxdist: int) -> set[str]:
        return similar_words(self.catalog, word, maxdist)

    def starting_with(self, prefix: str, limit: int) -> list[str]:
        return self.catalog.words_starting(prefix.lower(), limit) if prefix else []
