"""The Whoosh schema and the text analysis that fits news search.

Body and title analysis: typographic quotes and odd spaces folded one for one
(so character offsets stay valid for highlighting), case and accent folding,
Snowball English stemming (Porter's turns "using" into "us"), dots dropped from abbreviations (``U.S.`` finds ``US``), and
words glued together by scrapers (``MnuchinSteven``) also indexed as their
parts. Stop words are indexed, so phrases stay exact; the query side keeps
them out of ranking (see ``query.py``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from whoosh import fields
from whoosh.analysis import Token, Tokenizer
from whoosh.lang import stemmer_for_language
from whoosh.support.charset import accent_map

from ..text.fold import fold_punctuation
from .versions import SCHEMA_VERSION as SCHEMA_VERSION  # re-exported

#: Entity kinds that get a searchable field of their own (``person:lighthizer``).
ENTITY_FIELDS = ("person", "org", "place", "group", "money", "percent", "other")

TOKEN_PATTERN = r"\w+(?:[.'’]\w+)*"
_GLUE = re.compile(r"(?<=[a-z])(?=[A-Z][a-z])")
_POSSESSIVE = re.compile(r"['’]s$")


class NewsAnalyzer(Tokenizer):  # type: ignore[misc] # Whoosh is untyped
    """The whole analysis in one pass, with a cache from word as written to indexed term.

    As a chain of a tokenizer and five filters (one generator each) the
    analysis took a third of indexing time. Here each regex match is one
    dictionary lookup; glued words (``MnuchinSteven``, index side only) also
    yield their parts at the same position, and positions count regex
    matches, so they agree with the tokens that highlighting finds.
    """

    def __init__(self, stem: bool = True, cachesize: int = 200_000) -> None:
        self.stem = stem
        self.cachesize = cachesize
        self.expression = re.compile(TOKEN_PATTERN)
        self._terms: dict[str, str] = {}
        self._stemmer = stemmer_for_language("en") if stem else None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NewsAnalyzer) and type(other) is type(self) and other.stem == self.stem

    def __getstate__(self) -> dict[str, Any]:  # Whoosh pickles the schema into its table of contents
        return {"stem": self.stem, "cachesize": self.cachesize}

    def __setstate__(self, state: dict[str, Any]) -> None:
        NewsAnalyzer.__init__(self, **state)

    def term(self, word: str) -> str:
        """The indexed form of one word as written ("" when nothing is left of it)."""
        term = self._terms.get(word)
        if term is None:
            text = word.lower()
            if "'" in text or "’" in text:
                text = _POSSESSIVE.sub("", text).replace("'", "").replace("’", "")
            if "." in text:
                text = text.replace(".", "")
            text = text.translate(accent_map)
            if self._stemmer is not None and text:
                text = self._stemmer(text)
            if len(self._terms) >= self.cachesize:
                self._terms.clear()
            self._terms[word] = term = text
        return term

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Any]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        term_of = self.term
        for pos, start, piece in self._pieces(value, tokenize, split_glued=tokenize and mode == "index"):
            term = term_of(piece)
            if not term:
                continue
            token.text = term
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = piece
            if positions:
                token.pos = start_pos + pos
            if chars:
                token.startchar = start_char + start
                token.endchar = start_char + start + len(piece)
            yield token

    def matches(self, value: str, initials: set[str]) -> Iterator[tuple[int, str, int, int]]:
        """``(position, term, start, end)`` of the index-time tokens whose term may begin with one of ``initials``.

        For highlighting, which looks for a few terms: a term keeps its
        word's first letter (folded), so the other words are never stemmed
        (most of the cost of a snippet while the cache is cold).
        """
        term_of = self.term
        wanted: dict[str, bool] = {}  # first character -> may its term begin with an initial? (once per character)
        for pos, start, piece in self._pieces(value, True, split_glued=True):
            first = piece[:1]
            keep = wanted.get(first)
            if keep is None:
                initial = first.lower().translate(accent_map)[:1]
                keep = wanted[first] = initial in initials or not initial.isalnum()
            if keep:
                term = term_of(piece)
                if term:
                    yield pos, term, start, start + len(piece)

    def _pieces(self, value: str, tokenize: bool, split_glued: bool) -> Iterator[tuple[int, int, str]]:
        """``(position, offset, text)`` of each word, then of each part of a glued word (same position)."""
        value = fold_punctuation(value)
        words = ((m.start(), m.group()) for m in self.expression.finditer(value)) if tokenize else iter(((0, value),))
        for pos, (start, word) in enumerate(words):
            yield pos, start, word
            if split_glued and _GLUE.search(word):
                offset = start
                for part in _GLUE.split(word):
                    yield pos, offset, part
                    offset += len(part)


def news_analyzer(stem: bool = True) -> NewsAnalyzer:
    return NewsAnalyzer(stem=stem)


def name_analyzer() -> NewsAnalyzer:
    """For names (authors, sources, entities): folded and lowercased, never stemmed."""
    return NewsAnalyzer(stem=False)


def build_schema() -> Any:  # a whoosh.fields.Schema
    text = news_analyzer()
    names = name_analyzer()
    entity_fields = {kind: fields.TEXT(analyzer=names, phrase=True) for kind in ENTITY_FIELDS}
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        title=fields.TEXT(analyzer=text, field_boost=2.5, phrase=True),
        body=fields.TEXT(analyzer=text, phrase=True),
        # Exact mode (``=word``, ``="a phrase"``): the same text folded but not stemmed, without
        # positions (a phrase takes them from title/body: see QueryBuilder._exact_phrase).
        title_exact=fields.TEXT(analyzer=names, field_boost=2.5, phrase=False),
        body_exact=fields.TEXT(analyzer=names, phrase=False),
        authors=fields.TEXT(analyzer=names, phrase=True),
        source=fields.TEXT(analyzer=names, phrase=True),
        date=fields.ID(sortable=True),
        tags=fields.KEYWORD(lowercase=True, commas=True, scorable=True),
        **entity_fields,
    )
