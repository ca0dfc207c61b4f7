"""Where a span sits on the page: results tables, table furniture, lone words.

Newswire mixes prose with tables (sports results and standings, market
prices), and the recogniser reads a table as if it were a sentence.  These
checks look at the line around a span, not at the span alone:

* *Table lines*: a line with two or more numbers (not counting a date)
  and no more lower-case words than numbers, or three: not a sentence
  ("NEW YORK 74 58 .561 -", "Leeds 2 Newcastle 1").  There a place name outside brackets is a team,
  an organisation ("Chicago 5 Houston 3"); a country is left a place
  (national sides are named by their country, and the country in brackets
  after a player is where they come from).
  Untagged capitalised names a results line scores -- at its start or
  after a score, and followed by one -- are teams too ("LG 2 OB 0").
* *Table furniture*: the label that opens a line before a colon or a
  bracket of small print ("Attendance: 5,000", "Extras (lb-11 w-1) 20")
  and header rows of abbreviations ("W L PCT GB") are not names.
* *Units after a time*: an all-capitals word right after a clock time
  ("07.00 GMT", "1430 EST") is a time zone, not an organisation.
* *Common words*: a one-word "name" opening a sentence or line whose lower
  case form the same article also uses ("Qualifier vs. ...", when the
  article says "vs qualifier") is the word.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

_NUMBER = re.compile(r"(?<![\w.])[-+]?\d[\d,.:/-]*(?![\w])")
_DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4}")
_LINE = re.compile(r"[^\n]+")
_HEADER_ROW = re.compile(r"\s*(?:[A-Z]{1,3}\.?\s+){2,}[A-Z]{1,3}\.?\s*")
_SMALL_PRINT = re.compile(r"\s*(?::|\((?=[^)A-Z\n]*\)))")
_CLOCK_BEFORE = re.compile(r"(?:\d{1,2}[.:]\d{2}|\b\d{4})\s$")
_WORD = re.compile(r"[^\W\d_]+")
_SCORED_NAME = re.compile(
    r"(?:^|(?<=\d )|(?<=\d\t))((?:[A-Z][\w'’.&-]*)(?: [A-Z][\w'’.&-]*){0,2})(?= \(?\d)", re.M
)


class Layout:
    """Line facts of one text, computed once and asked per span."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._line_starts: list[int] = []
        self._line_ends: list[int] = []
        self._table: list[bool] = []
        self._header: list[bool] = []
        for m in _LINE.finditer(text):
            line = m.group()
            numbers = [n for n in _NUMBER.findall(line) if not _DATE_ONLY.fullmatch(n)]
            self._line_starts.append(m.start())
            self._line_ends.append(m.end())
            lower = sum(1 for w in _WORD.findall(line) if w.islower())
            self._table.append(len(numbers) >= 2 and lower <= max(3, len(numbers)))  # not a sentence
            self._header.append(bool(_HEADER_ROW.fullmatch(line)))
        self._lower: frozenset[str] | None = None

    def _line(self, pos: int) -> int:
        return bisect.bisect_right(self._line_starts, pos) - 1

    def on_table_line(self, start: int) -> bool:
        i = self._line(start)
        return i >= 0 and self._table[i]

    def in_brackets(self, start: int, end: int) -> bool:
        i = self._line(start)
        line_start = self._line_starts[i] if i >= 0 else 0
        before = self.text[line_start:start]
        return before.count("(") > before.count(")") and ")" in self.text[end : end + 40]

    def is_furniture(self, start: int, end: int) -> bool:
        """A table label or header, not a name."""
        i = self._line(start)
        if i < 0:
            return False
        if self._header[i]:
            return True
        if self.text[self._line_starts[i] : start].strip():
            return False  # not the first word of its line
        if " " in self.text[start:end]:
            return False
        return bool(_SMALL_PRINT.match(self.text, end))

    def at_line_start(self, start: int) -> bool:
        i = self._line(start)
        return i >= 0 and not self.text[self._line_starts[i] : start].strip()

    def after_clock(self, start: int) -> bool:
        return bool(_CLOCK_BEFORE.search(self.text[max(0, start - 8) : start]))

    def table_names(self) -> Iterator[tuple[int, int]]:
        """Capitalised names that a results line scores: at the line start or after a score,
        and followed by one ("LG 2 OB 0", "Hanwha 6 Ssangbangwool 5", "Haitai 64 2 43 .596")."""
        for i, start in enumerate(self._line_starts):
            if not self._table[i] or self._header[i]:
                continue
            for m in _SCORED_NAME.finditer(self.text, start, self._line_ends[i]):
                yield m.start(1), m.end(1)

    def used_in_lower_case(self, word: str) -> bool:
        if self._lower is None:
            self._lower = frozenset(w for w in _WORD.findall(self.text) if w.islower())
        return word.lower() in self._lower
