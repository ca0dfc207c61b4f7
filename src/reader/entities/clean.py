"""From raw labelled spans to clean, linked mentions: the part that beats raw NER.

Input is what any recogniser produces, ``(start, end, label)`` with
spaCy/OntoNotes labels; output is a list of :class:`~reader.model.Mention`
whose offsets are into the exact text given (``text[m.start:m.end] ==
m.text`` always).  Pure Python, no model: the spaCy extractor and the
rule-based fallback share it.

The stages, each with its part of the specification in its docstring:

0. :mod:`.truecase` (in the spaCy extractor, before the model) -- ALL-CAPS
   headlines, datelines and tables are shown to the model in ordinary case.
1. :mod:`.trim` -- each span alone: kind, sentence splits, trimming,
   fragments, debris, junk, label fixes from the words around it and from
   its line (:mod:`.layout`: tables, furniture), name extension, dateline
   places.
2. :mod:`.link` -- the article's candidates together: short names to full
   names, acronyms and short company names to organisations, one kind per
   form by vote.
3. :mod:`.propagate` -- names the article uses, tagged where the recogniser
   missed them; then linking again (votes and repeats make new people and
   organisations).
4. :mod:`.works` -- films, albums, books, products and bands that looked
   like people, organisations or places, told by the words around them;
   then one canonical name per form.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..model import Mention
from ..text.sentences import sentence_starts
from .candidates import RawSpan
from .link import assign_canonicals, known_place_words, link_orgs, link_people, vote_kinds
from .propagate import propagate
from .trim import clean_spans
from .works import retype_works

__all__ = ["RawSpan", "postprocess"]


def postprocess(text: str, raw: Iterable[RawSpan], starts: Sequence[int] | None = None) -> list[Mention]:
    """Clean, link and canonicalise raw ``(start, end, label)`` spans of one text."""
    if starts is None:
        starts = sentence_starts(text)
    raw = sorted(raw)
    cands = clean_spans(text, raw, starts)
    if not cands:
        return []
    link_people(cands)
    link_orgs(cands, known_place_words(cands))
    vote_kinds(cands, text)
    cands = propagate(text, cands, starts, raw)
    link_orgs(cands, known_place_words(cands))  # votes may have made new orgs ("Sinnet")
    link_people(cands)  # ... or new people
    retype_works(text, cands)
    assign_canonicals(cands)
    return [Mention(c.start, c.end, text[c.start : c.end], c.kind, c.canonical) for c in cands]
