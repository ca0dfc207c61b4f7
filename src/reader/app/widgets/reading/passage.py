"""The passage cursor: what ``b`` bookmarks, moved by sentence and paragraph.

A plain class over the displayed body (no Textual, unit-tested on its own).
The moves follow vim: ``(``/``)`` by sentence, ``{``/``}`` by paragraph,
``>``/``<`` grow and shrink a passage of several sentences. A move from a
passage that is off screen starts from what is on screen instead, so the
pane passes the visible span ``(first, last)`` in. Each move returns the new
``(start, end, unit)``, or None when there is nowhere to go (the pane rings
the bell); :meth:`PassageCursor.set` then puts the cursor there.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from ....text.sentences import sentence_spans

#: Longest passage a paragraph or an extended selection of sentences gives.
MAX_QUOTE = 10_000

Move = tuple[int, int, str]


class PassageCursor:
    """Sentences and paragraphs of one body, and the passage currently chosen."""

    def __init__(self, body: str = "", paragraph_spans: list[tuple[int, int]] | None = None) -> None:
        self.body = body
        self.paragraph_spans = list(paragraph_spans or [])
        self.sentences: list[tuple[int, int]] = []
        for start, end in self.paragraph_spans:
            self.sentences.extend(sentence_spans(body[start:end], start))
        self._sentence_starts = [start for start, _ in self.sentences]
        self._paragraph_starts = [start for start, _ in self.paragraph_spans]
        self.passage: tuple[int, int] | None = None
        self.unit = ""  # "sentence", "sentences", "paragraph", "selection" or "bookmark"

    # -- state -------------------------------------------------------------------

    def set(self, start: int, end: int, unit: str) -> bool:
        """Put the cursor on ``[start, end)`` (clipped to the body); False if that is empty."""
        start, end = max(0, start), min(len(self.body), end)
        if end <= start:
            return False
        self.passage, self.unit = (start, end), unit
        return True

    def clear(self) -> bool:
        """Drop the passage; False if there was none."""
        if self.passage is None:
            return False
        self.passage, self.unit = None, ""
        return True

    @property
    def text(self) -> str:
        return self.body[self.passage[0] : self.passage[1]] if self.passage else ""

    def on_screen(self, visible: tuple[int, int]) -> bool:
        if self.passage is None:
            return False
        first, last = visible
        return self.passage[0] < last and self.passage[1] > first

    # -- lookups -----------------------------------------------------------------

    def sentence_at(self, offset: int) -> int:
        return max(0, bisect_right(self._sentence_starts, offset) - 1)

    def first_sentence_in(self, visible: tuple[int, int]) -> int:
        index = bisect_left(self._sentence_starts, visible[0])
        return index if index < len(self.sentences) else self.sentence_at(visible[0])

    def paragraph_at(self, offset: int) -> int:
        return max(0, bisect_right(self._paragraph_starts, offset) - 1)

    def paragraph_passage(self, index: int) -> tuple[int, int]:
        """Paragraph ``index`` without its surrounding spaces, cut at a space if longer than MAX_QUOTE."""
        start, end = self.paragraph_spans[index]
        text = self.body[start:end]
        start += len(text) - len(text.lstrip())
        end -= len(text) - len(text.rstrip())
        if end - start > MAX_QUOTE:
            cut = self.body.rfind(" ", start + MAX_QUOTE // 2, start + MAX_QUOTE)
            end = cut if cut > start else start + MAX_QUOTE
        return start, end

    def _usable_paragraphs(self) -> list[int]:
        return [index for index, (start, end) in enumerate(self.paragraph_spans) if self.body[start:end].strip()]

    # -- moves -------------------------------------------------------------------

    def first_on_screen(self, visible: tuple[int, int]) -> Move | None:
        """The first sentence on screen (what ``b`` takes with no passage in view)."""
        if not self.sentences:
            return None
        return (*self.sentences[self.first_sentence_in(visible)], "sentence")

    def next_sentence(self, visible: tuple[int, int]) -> Move | None:
        if not self.sentences:
            return None
        if self.passage is None or not self.on_screen(visible):
            index = self.first_sentence_in(visible)
        elif self.unit == "paragraph":
            index = self.sentence_at(self.passage[0])
        else:
            index = bisect_left(self._sentence_starts, self.passage[1])
            if index >= len(self.sentences):
                return None
        return (*self.sentences[index], "sentence")

    def previous_sentence(self, visible: tuple[int, int]) -> Move | None:
        if not self.sentences:
            return None
        if self.passage is None or not self.on_screen(visible):
            index = self.first_sentence_in(visible)
        elif self.unit == "paragraph":
            index = self.sentence_at(self.passage[1] - 1)
        else:
            index = self.sentence_at(self.passage[0]) - 1
            if index < 0 or self._sentence_starts[index] >= self.passage[0]:
                return None
        return (*self.sentences[index], "sentence")

    def next_paragraph(self, visible: tuple[int, int]) -> Move | None:
        usable = self._usable_paragraphs()
        if not usable:
            return None
        if self.passage is None or not self.on_screen(visible):
            current = self.paragraph_at(visible[0])
            wanted = next((i for i in usable if i >= current), None)
        else:
            current = self.paragraph_at(self.passage[0])
            wanted = next((i for i in usable if i > current), None)
        if wanted is None:
            return None
        return (*self.paragraph_passage(wanted), "paragraph")

    def previous_paragraph(self, visible: tuple[int, int]) -> Move | None:
        usable = self._usable_paragraphs()
        if not usable:
            return None
        wanted: int | None
        if self.passage is None or not self.on_screen(visible):
            current = self.paragraph_at(visible[0])
            wanted = next((i for i in reversed(usable) if i <= current), usable[0])
        else:
            current = self.paragraph_at(self.passage[0])
            if self.unit == "paragraph" and self.passage == self.paragraph_passage(current):
                wanted = next((i for i in reversed(usable) if i < current), None)
            else:
                wanted = current  # from a sentence: its whole paragraph
        if wanted is None:
            return None
        return (*self.paragraph_passage(wanted), "paragraph")

    def extend(self, visible: tuple[int, int]) -> Move | None:
        """The passage and the sentence after it (the next sentence if there is no passage in view)."""
        if self.passage is None or not self.on_screen(visible):
            return self.next_sentence(visible)
        index = bisect_left(self._sentence_starts, self.passage[1])
        if index >= len(self.sentences) or self.sentences[index][1] - self.passage[0] > MAX_QUOTE:
            return None
        return (self.passage[0], self.sentences[index][1], "sentences")

    def shrink(self) -> Move | None:
        """The passage without its last sentence (None if it has only one)."""
        if self.passage is None:
            return None
        last = self.sentence_at(self.passage[1] - 1)
        if last == 0 or self.sentences[last][0] <= self.passage[0]:
            return None
        return (self.passage[0], self.sentences[last - 1][1], "sentences")

    def at_click(self, offset: int, *, double: bool, bookmarked: list[tuple[int, int]]) -> Move | None:
        """What a click on body ``offset`` picks: a double click its paragraph, a click on a
        bookmarked passage the shortest of them (``b`` then edits it), else its sentence."""
        if double and self.paragraph_spans:
            return (*self.paragraph_passage(self.paragraph_at(offset)), "paragraph")
        if bookmarked:
            start, end = min(bookmarked, key=lambda span: span[1] - span[0])
            return (start, end, "bookmark")
        if self.sentences:
            return (*self.sentences[self.sentence_at(offset)], "sentence")
        return None
