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
from typing import TYPE_CHECKING

from ..text.fold import fold_punctuation
from .budget import Budget

if TYPE_CHECKING:
    from .catalog import Catalog

#: The vocabulary's words are 3 to 30 letters long: a longer word has nothing near it.
LONGEST_WORD = 30
_WORD = re.compile(rf"[^\W\d_]{{3,{LONGEST_WORD}}}")
_CHECK_EVERY = 256  # candidates compared between two looks at the budget
_LETTERS = string.ascii_lowercase


def vocabulary_words(*texts: str) -> set[str]:
    """The distinct lowercased words (3–30 letters) of some texts."""
    words: set[str] = set()
    for text in texts:
        words.update(_WORD.findall(fold_punctuation(text).lower()))
    return words


def one_edit(word: str) -> set[str]:
    """Every string one deletion, transposition, replacement or insertion away."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    transposes = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaces = {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
    inserts = {a + c + b for a, b in splits for c in _LETTERS}
    return (deletes | transposes | replaces | inserts) - {word}


def similar_words(catalog: Catalog, word: str, maxdist: int, budget: Budget | None = None) -> set[str]:
    """Indexed words within ``maxdist`` edits of ``word`` that share its first letter.

    Bounded by length (a word too long to be within reach of the vocabulary
    costs nothing: a 2,000-letter word had 100,000 one-edit variants) and
    by ``budget`` (the two-edit scan stops when it is spent).
    """
    word = word.lower()
    if not word or maxdist < 1 or len(word) > LONGEST_WORD + maxdist or (budget is not None and budget.spent()):
        return set()
    found = {w for w in catalog.known_words(one_edit(word)) if w[:1] == word[:1]}
    if maxdist >= 2:
        from whoosh.support.levenshtein import damerau_levenshtein

        for number, candidate in enumerate(catalog.words_near(word[:1], len(word) - 2, len(word) + 2)):
            if number % _CHECK_EVERY == 0 and budget is not None and budget.spent():
                break
            if candidate not in found and damerau_levenshtein(word, candidate, limit=2) <= 2:
                found.add(candidate)
    found.discard(word)
    return found


class Vocabulary:
    """The whole words of the catalog, as query expansion asks for them."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    def similar(self, word: str, maxdist: int, budget: Budget | None = None) -> set[str]:
        return similar_words(self.catalog, word, maxdist, budget)

    def starting_with(self, prefix: str, limit: int) -> list[str]:
        if not prefix or len(prefix) > LONGEST_WORD:
            return []
        return self.catalog.words_starting(prefix.lower(), limit)
