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

from whoosh import fields
from whoosh.analysis import (
    CharsetFilter,
    Filter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
)
from whoosh.support.charset import accent_map

from ..ingest.sanitize import fold_for_search

SCHEMA_VERSION = 1

#: Entity kinds that get a searchable field of their own (``person:lighthizer``).
ENTITY_FIELDS = ("person", "org", "place", "group", "money", "percent", "other")

TOKEN_PATTERN = r"\w+(?:[.'’]\w+)*"
_GLUE = re.compile(r"(?<=[a-z])(?=[A-Z][a-z])")


class FoldingTokenizer(RegexTokenizer):
    """Tokenise the search-folded text; positions and offsets are unchanged."""

    def __call__(self, value, **kwargs):
        return super().__call__(fold_for_search(value), **kwargs)


class GluedWordFilter(Filter):
    """Also index ``MnuchinSteven`` as ``Mnuchin`` and ``Steven``, at the same position."""

    def __call__(self, tokens):
        for token in tokens:
            text = token.text
            yield token
            if token.mode != "index" or not _GLUE.search(text):
                continue
            start = token.startchar if token.chars else None
            offset = 0
            for part in _GLUE.split(text):
                token.text = part
                if start is not None:
                    token.startchar = start + offset
                    token.endchar = start + offset + len(part)
                offset += len(part)
                yield token


class AbbreviationFilter(Filter):
    """``u.s`` -> ``us``, ``china's`` -> ``china``: one form for dotted and possessive words."""

    def __call__(self, tokens):
        for token in tokens:
            text = token.text
            if "'" in text or "’" in text:
                text = re.sub(r"['’]s$", "", text).replace("'", "").replace("’", "")
            if "." in text:
                text = text.replace(".", "")
            if text != token.text:
                token.text = text
            if text:
                yield token


def news_analyzer(stem: bool = True):
    chain = (
        FoldingTokenizer(TOKEN_PATTERN)
        | GluedWordFilter()
        | LowercaseFilter()
        | AbbreviationFilter()
        | CharsetFilter(accent_map)
    )
    if stem:
        chain = chain | StemFilter(lang="en", cachesize=100_000)
    return chain


def name_analyzer():
    """For names (authors, sources, entities): folded and lowercased, never stemmed."""
    return news_analyzer(stem=False)


def build_schema() -> fields.Schema:
    text = news_analyzer()
    names = name_analyzer()
    entity_fields = {kind: fields.TEXT(analyzer=names, phrase=True) for kind in ENTITY_FIELDS}
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        title=fields.TEXT(analyzer=text, field_boost=2.5, phrase=True),
        body=fields.TEXT(analyzer=text, phrase=True, spelling=True),
        authors=fields.TEXT(analyzer=names, phrase=True),
        source=fields.TEXT(analyzer=names, phrase=True),
        date=fields.ID(sortable=True),
        tags=fields.KEYWORD(lowercase=True, commas=True, scorable=True),
        hash=fields.ID(),
        **entity_fields,
    )
