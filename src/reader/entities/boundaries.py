"""Where a mention ends: what the recogniser glues onto a name or cuts off an amount.

* *Tails*: lower-case words and numbers after a person, organisation or
  place are not part of it ("Interfax news agency" -> "Interfax",
  "Durham 114" -> "Durham"), unless a particle ("Bank of", "van").
* *Money* keeps its currency sign and magnitude ("£800m", not "800";
  "$1.5bn", not "$1.5bn and").
"""

from __future__ import annotations

import re

_TAIL_WORD = re.compile(r"\s+(?:[a-z][\w'’.-]*|[-+]?\d[\d.,:/-]*)$")
_TAIL_KEEP = frozenset("of and for de del della der van von la le du da dos das al bin ibn y".split())


def drop_tail(text: str, s: int, e: int) -> int:
    """Cut what follows the name: descriptions and scores ("Interfax news agency", "Durham 114")."""
    while True:
        m = _TAIL_WORD.search(text, s, e)
        if not m or m.group().strip() in _TAIL_KEEP or not any(ch.isupper() for ch in text[s : m.start()]):
            return e
        e = m.start()


_MAGNITUDE = r"(?:bn|mn|m|tn|trn|k|thousand|million|billion|trillion)"
_MONEY_WORDS = frozenset(
    """thousand million billion trillion bn mn m tn trn k dollars dollar yuan renminbi euros euro pounds pound
    sterling yen rupees rupee won rubles roubles pesos francs reais rand dirhams riyals pence p cents""".split()
)


def money_span(text: str, s: int, e: int) -> tuple[int, int]:
    """An amount with its currency and magnitude: the model gives "800" of "£800m" and "$1.5bn and"."""
    m = re.search(r"(?:[A-Z]{1,2})?[$€£¥]$", text[max(0, s - 3) : s])
    if m:
        s -= len(m.group())  # "$180": the model sometimes leaves the currency sign out
    words = text[s:e].split(" ")
    while len(words) > 1 and words[-1].isalpha() and words[-1].islower() and words[-1] not in _MONEY_WORDS:
        words.pop()  # "$1.5bn and"
    e = s + len(" ".join(words))
    if text[e - 1 : e].isdigit():
        m = re.match(_MAGNITUDE + r"(?![\w])", text[e : e + 9])  # "£800" + "m"
        if m:
            e += m.end()
    return s, e
