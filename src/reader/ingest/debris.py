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

_HOVER_CARD = re.compile(
    r"""
    (?P<name>\b[A-Z][\w'’.-]{1,30})            # the display name's last word, e.g. Mnuchin
    (?P<card>
        [A-Z(][^\n]{0,80}?                    # the fuller name, e.g. Steven Terner
        (?P=name)                             # ... ending in the same word
        (?=[A-Z"'‘“(])                        # glued straight into a headline
        [^\n]{0,1200}?                        # the card's headlines
        \s MORE \b                            # the card's "more" link
    )
    """,
    re.VERBOSE,
)

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
    """Drop glued link hover-cards, keeping the display name before each."""
    if " MORE" not in paragraph:
        return paragraph
    return _HOVER_CARD.sub(lambda m: m.group("name"), paragraph)


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
