"""Typographic variants made plain: curly quotes, primes, guillemets, dashes,
odd spaces. One table for searching, entity names, bookmark anchoring and
query syntax, so "don’t", "don't" and "don´t" are the same word everywhere.

Every replacement is one character for one, so offsets into the folded text
are offsets into the original.
"""

from __future__ import annotations

#: Characters written for an apostrophe or a single quote.
SINGLE_QUOTES = "\u2018\u2019\u201a\u201b\u2032\u00b4`"
#: Characters written for a double quote.
DOUBLE_QUOTES = "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"
#: Hyphens, dashes and the minus sign (``-`` itself included).
DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
#: Spaces that are not U+0020 but mean one (no-break, figure, thin ...).
ODD_SPACES = "\u00a0\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"

QUOTE_FOLD: dict[str, str] = {**dict.fromkeys(SINGLE_QUOTES, "'"), **dict.fromkeys(DOUBLE_QUOTES, '"')}
PUNCTUATION_FOLD: dict[str, str] = {
    **QUOTE_FOLD,
    **dict.fromkeys(DASHES[1:], "-"),
    **dict.fromkeys(ODD_SPACES, " "),
}
_QUOTES = str.maketrans(QUOTE_FOLD)
_DOUBLE_QUOTES = str.maketrans(dict.fromkeys(DOUBLE_QUOTES, '"'))
_PUNCTUATION = str.maketrans(PUNCTUATION_FOLD)


def fold_punctuation(text: str) -> str:
    """Same length as ``text``: quotes, dashes and odd spaces made plain."""
    return text.translate(_PUNCTUATION)


def fold_quotes(text: str) -> str:
    """Same length as ``text``: quotes and apostrophes made plain (dashes kept)."""
    return text.translate(_QUOTES)


def fold_double_quotes(text: str) -> str:
    """Same length as ``text``: only double quotes made plain (query phrase syntax,
    where ``'`` and ``-`` mean something else)."""
    return text.translate(_DOUBLE_QUOTES)
