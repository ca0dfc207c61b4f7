"""Case restoration for ALL-CAPS lines, so the recogniser sees names it can recognise.

Headlines, datelines and results tables are often written in capitals
("CRICKET - ENGLAND V PAKISTAN", "BONN 1996-08-22", "NEW YORK 74 58 .561");
a statistical recogniser trained on mixed-case text misses or mislabels
most names there.  :func:`restore_case` rewrites such lines the way they
would be written in running text, **keeping every offset** (each word keeps
its length; a word whose case change would alter its length is left as is),
so spans found on the restored text index the original one.

Which form a shouted word takes, in order:

1. the form the same article uses elsewhere, in mixed-case text and not at
   a sentence start ("LEICESTERSHIRE" -> "Leicestershire" when the body
   says "Leicestershire won"; "TAKE" -> "take");
2. a known place or nationality, also as the first words of a longer one
   ("NEW YORK" -> "New York");
3. a short word (three letters or fewer) stays as it is -- an acronym
   ("NYSE", "UK") -- unless it is a common English word ("AT" -> "at") or
   the "V" of a fixture ("ENGLAND V PAKISTAN");
4. a common English word -> lower case;
5. otherwise: capitalised on a table line (a line with numbers: results and
   standings list names), lower case in a headline (a name there is nearly
   always repeated in the body, where rule 1 finds it).

The first word of a line keeps a capital, unless it is the topic slug of a
wire headline ("CRICKET - ...").  Only lines whose words are
mostly capitals are touched, plus the capitals that open a line before a
dash, bracket, comma or number (the dateline of "BONN (Reuters) - ...").
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from .gazetteer import COMMON_WORDS, GROUPS, PLACES

_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_LINE = re.compile(r"[^\n]+")
_SENTENCE_END = re.compile(r"(?:^|[.!?:;\"“”]\s*|\s-\s)$")
_SLUG = re.compile(r"\s+[-–—]\s")
_LEADING_CAPS = re.compile(r"^\s*((?:[A-Z][A-Z.'’-]+\s+)*[A-Z][A-Z.'’-]{2,})(?=\s*(?:[,(\-–—]|\d))")
_KNOWN = {name.casefold(): name for name in PLACES | GROUPS}
_KNOWN_STARTS = {" ".join(name.split()[:i]).casefold() for name in PLACES | GROUPS for i in range(1, len(name.split()))}
_MAX_KNOWN_WORDS = max(len(name.split()) for name in PLACES | GROUPS)


def _is_upper(word: str) -> bool:
    return word.isupper() and sum(ch.isalpha() for ch in word) >= 2


def _shouted(line: str) -> bool:
    words = [w for w in _WORD.findall(line) if sum(ch.isalpha() for ch in w) >= 2]
    upper = [w for w in words if w.isupper()]
    if not upper or len(upper) < 0.7 * len(words):
        return False
    return len(upper) >= 2 or len(upper[0]) >= 4


def _evidence(text: str, shouted: list[tuple[int, int]]) -> dict[str, Counter[str]]:
    """For each folded word, the forms mixed-case text gives it (not at a sentence start)."""
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    skip = iter(shouted)
    current = next(skip, None)
    for m in _WORD.finditer(text):
        while current is not None and m.start() >= current[1]:
            current = next(skip, None)
        if current is not None and current[0] <= m.start() < current[1]:
            continue
        word = m.group()
        if word[0].isupper() and _SENTENCE_END.search(text[max(0, m.start() - 3) : m.start()]):
            continue  # a capital at a sentence start says nothing
        forms[word.casefold()][word] += 1
    return forms


def _case_like(word: str, model: str) -> str:
    """``word`` in the case pattern of ``model`` (same letters, other case)."""
    if model.islower():
        return word.lower()
    if model.isupper():
        return word
    return "-".join(part[:1].upper() + part[1:].lower() for part in word.split("-"))


def _capitalised(word: str) -> str:
    return "-".join(part[:1].upper() + part[1:].lower() for part in word.split("-"))


def restore_case(text: str) -> str:
    """``text`` with ALL-CAPS lines written in ordinary case; same length, same offsets."""
    if not any(ch.isupper() for ch in text):
        return text
    regions: list[tuple[int, int, bool]] = []  # (start, end, table line)
    for line in _LINE.finditer(text):
        body = line.group()
        if not any(ch.isupper() for ch in body):
            continue
        if _shouted(body):
            regions.append((line.start(), line.end(), any(ch.isdigit() for ch in body)))
            continue
        lead = _LEADING_CAPS.match(body)
        if lead and any(len(w) >= 4 for w in lead.group(1).split()):
            regions.append((line.start() + lead.start(1), line.start() + lead.end(1), False))
    if not regions:
        return text
    forms = _evidence(text, [(s, e) for s, e, _ in regions])
    out = list(text)
    for start, end, table in regions:
        words = list(_WORD.finditer(text, start, end))
        i = 0
        while i < len(words):
            # a known place or nationality, longest first: "NEW YORK", "SRI LANKA"
            span = 1
            for n in range(min(_MAX_KNOWN_WORDS, len(words) - i), 0, -1):
                phrase = " ".join(w.group() for w in words[i : i + n]).casefold()
                if phrase in _KNOWN and (n > 1 or phrase not in forms):
                    known = _KNOWN[phrase].split()
                    for w, model in zip(words[i : i + n], known, strict=True):
                        _put(out, w.start(), _case_like(w.group(), model))
                    span = n
                    break
            else:
                slug = i == 0 and _SLUG.match(text, words[i].end())  # "CRICKET - ...": a topic, not a name
                _put(out, words[i].start(), _recase(words[i].group(), forms, table, first=i == 0 and not slug))
            i += span
    return "".join(out)


def _recase(word: str, forms: dict[str, Counter[str]], table: bool, first: bool) -> str:
    if word in ("V", "VS") and not first:
        return word.lower()  # "ENGLAND V PAKISTAN": versus
    if not _is_upper(word):
        return word
    if len(word) > 3 and word[-2] in "'’" and word[-1] == "S":  # "SILVA'S": the name, then 's
        return _recase(word[:-2], forms, table, first) + word[-2] + "s"
    folded = word.casefold()
    seen = forms.get(folded)
    if seen:
        best = max(seen, key=lambda form: (seen[form], form))
        new = best if len(best) == len(word) else _case_like(word, best)
    elif len(word) <= 3:
        new = word.lower() if folded in COMMON_WORDS else word
    elif folded in COMMON_WORDS:
        new = word.lower()
    else:
        new = _capitalised(word) if table else word.lower()
    if first and new.islower():
        new = _capitalised(new)
    return new


def _put(out: list[str], start: int, word: str) -> None:
    if len(word) != len(out[start : start + len(word)]):
        return
    original = "".join(out[start : start + len(word)])
    if word.casefold() != original.casefold() or len(word) != len(original):
        return
    out[start : start + len(word)] = list(word)
