"""Remove web-page debris that real articles carry, without losing sentences.

Two classes are handled:

* link hover-cards glued into a name by a scraper: ``Steven MnuchinSteven
  Terner MnuchinOn The Money: … MORE``. A card starts right after a
  capitalised word, repeats that word as the end of a fuller name, runs into
  headlines and ends at the uppercase word ``MORE``; the display name is kept.
* whole short paragraphs that are site furniture: ``Source: post``, ``No
  posts to display``, ``Twitter: @handle``, ``Advertisement``, share/follow
  prompts, copyright lines.
"""

from __future__ import annotations

import re

# A card's head: the display name, straight into a fuller name ending in
# the same word, glued into a headline. Its tail (the card's headlines, up to
# the "MORE" link, at most _CARD_TAIL characters) is checked in Python.
_CARD_HEAD = re.compile(
    r"""
    (?P<name>\b[A-Z][\w'’.-]{1,30})            # the display name's last word, e.g. Mnuchin
    [A-Z(][^\n]{0,80}?                        # the fuller name, e.g. Steven Terner
    (?P=name)                                 # ... ending in the same word
    (?=[A-Z"'‘“(])                            # glued straight into a headline
    """,
    re.VERBOSE,
)
_CARD_TAIL = 1200
_MORE = re.compile(r"\sMORE\b")  # the card's "more" link
_CAPITAL = re.compile(r"\b[A-Z]")

_DEBRIS_PARAGRAPH = re.compile(
    r"""^(?:
        source:\s*\S+
      | no\s+(?:posts|comments|articles)\s+to\s+display
      | (?:twitter|x|instagram|facebook|threads|mastodon)\s*:\s*@?[\w.@-]+
      | follow\s+(?:us|me|him|her|them)\b.{0,60}
      | @\w{1,30}
      | advertisement | sponsored(?:\s+content)? | ad
      | (?:share|tweet|email|print|save)(?:\s+(?:this|on)\s+\w+)*
      | share\s+this\s+(?:article|story|page)
      | (?:read|see)\s+(?:more|also)\b.{0,100}
      | related(?:\s+(?:articles|stories|coverage))?\s*:.{0,120}
      | (?:sign\s+up|subscribe)\b.{0,100}
      | (?:copyright|©)\s.{0,120} | ©.{0,120}
      | all\s+rights\s+reserved
      | click\s+here\b.{0,100}
      | (?:image|photo|video)(?:\s+(?:source|caption|credit))?\s*:.{0,120}
      | \d*\s*comments?
      | loading\W*
      | (?:previous|next)\s+(?:article|post|story)
      | skip\s+to\s+(?:main\s+)?content
      | (?:you\s+may\s+also\s+like|recommended(?:\s+for\s+you)?|most\s+(?:popular|read)|trending(?:\s+now)?)
    )[.!:]?$""",
    re.VERBOSE | re.IGNORECASE,
)

_MAX_DEBRIS_WORDS = 16


def remove_hover_cards(paragraph: str) -> str:
    """Drop glued link hover-cards, keeping the display name before each.

    For each `` MORE``, the capitalised words in reach before it are tried as
    a card's start, first to last. (One regex with the tail in it backtracked
    over the whole card at every capitalised word: a hostile 200 KB paragraph
    took ten seconds.)
    """
    if " MORE" not in paragraph:
        return paragraph
    out, position = [], 0
    reach = _CARD_TAIL + 31 + 1 + 80 + 31
    for more in _MORE.finditer(paragraph):
        if more.start() < position:
            continue
        for capital in _CAPITAL.finditer(paragraph, max(position, more.start() - reach), more.start()):
            head = _CARD_HEAD.match(paragraph, capital.start(), more.start())
            if head is not None and more.start() - head.end() <= _CARD_TAIL:
                out.append(paragraph[position : head.start()])
                out.append(head.group("name"))
                position = more.end()
                break
    out.append(paragraph[position:])
    return "".join(out)


def is_debris_paragraph(paragraph: str) -> bool:
    text = paragraph.strip()
    if not text:
        return True
    if len(text.split()) > _MAX_DEBRIS_WORDS:
        return False
    return bool(_DEBRIS_PARAGRAPH.match(text))


def clean_paragraphs(paragraphs: list[str]) -> list[str]:
    """Paragraphs with hover-cards cut out and furniture paragraphs dropped."""
    cleaned = []
    for paragraph in paragraphs:
        if is_debris_paragraph(paragraph):
            continue
        paragraph = remove_hover_cards(paragraph)
        if paragraph.strip():
            cleaned.append(paragraph)
    return cleaned
