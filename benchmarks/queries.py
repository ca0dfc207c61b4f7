"""The fixed query mix, chosen from a corpus by frequency, and its spelling per engine.

Why one module: the Library, SQLite FTS5, ripgrep and grep must be asked for
the same words, or the ratios between them mean nothing. Words are picked
deterministically from the corpus itself (the 20th most common word, a word in
~1% of articles, a word in ~5 articles, ...), so the mix adapts to the corpus
size and is identical on every run over the same corpus.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

from baselines import parse_article
from generate import (
    CITIES,
    COUNTRIES,
    FEMALE_FIRST,
    INSTITUTIONS,
    LAST_NAMES,
    MALE_FIRST,
    ORG_STEMS,
    ORG_SUFFIXES,
    article_files,
)

# Whoosh's default stop list plus a few: a "common word" query should be a
# word every engine indexes, not one the Library's analyzer drops.
STOP_WORDS = frozenset(
    "a an and are as at be by can for from have if in is it may not of on or tbd that the "
    "this to us we when will with yet you your said he his she her they their was were "
    "has had been would which who its also more than".split()
)
ENTITY_FIELDS = ("person", "org", "place")
_WORD = re.compile(r"[a-z]+")
_FIRST_NAMES = "|".join(set(FEMALE_FIRST + MALE_FIRST))
_PERSON = re.compile(rf"\b({_FIRST_NAMES}) ({'|'.join(set(LAST_NAMES))})\b")
_ORG_STEMS = "|".join(ORG_STEMS)
_ORG_SUFFIXES = "|".join(re.escape(s) for s in sorted(ORG_SUFFIXES, key=len, reverse=True))
_INSTITUTIONS = "|".join(re.escape(i) for i in INSTITUTIONS)
_ORG = re.compile(rf"\b(?:{_ORG_STEMS}) (?:{_ORG_SUFFIXES})(?=\W)|\b(?:{_INSTITUTIONS})\b")
_PLACES = "|".join(re.escape(p.replace("_", " ")) for p in CITIES + COUNTRIES)
_PLACE = re.compile(rf"\b(?:{_PLACES})\b")


@dataclass(frozen=True)
class Query:
    """One query of the mix. ``terms`` are plain words or one multi-word name."""

    name: str  # row label: "common", "rare", "and2", "phrase", "person", ...
    kind: str  # "word" | "and" | "phrase" | "prefix" | "fuzzy" | "field"
    terms: tuple[str, ...]
    field: str = ""  # for kind "field": title, person, org, place
    note: str = ""  # document frequency etc., for the report

    @property
    def label(self) -> str:
        return f"{self.name} {self.reader()}"

    def reader(self) -> str:
        """Our query language (``reader search`` and ``Library.search``)."""
        if self.kind == "phrase":
            return f'"{" ".join(self.terms)}"'
        if self.kind == "prefix":
            return f"{self.terms[0]}*"
        if self.kind == "fuzzy":
            return f"{self.terms[0]}~"
        if self.kind == "field":
            value = self.terms[0]
            return f'{self.field}:"{value}"' if " " in value else f"{self.field}:{value}"
        return " ".join(self.terms)

    def fts5(self) -> str | None:
        """FTS5 MATCH syntax, None where FTS5 has no equivalent (fuzzy).

        Entity fields have no FTS5 column: the name is searched as a phrase.
        """
        if self.kind == "fuzzy":
            return None
        if self.kind == "phrase":
            return f'"{" ".join(self.terms)}"'
        if self.kind == "prefix":
            return f'"{self.terms[0]}" *'
        if self.kind == "field":
            phrase = '"' + " ".join(_WORD.findall(self.terms[0].lower())) + '"'
            return f"title : {phrase}" if self.field == "title" else phrase
        return " ".join(f'"{t}"' for t in self.terms)

    def grep(self) -> list[tuple[str, bool]] | None:
        """Patterns that must all match a file, each ``(pattern, is_regex)``; case-insensitive."""
        if self.kind == "fuzzy":
            return None
        if self.kind == "prefix":
            return [(rf"\b{self.terms[0]}", True)]
        if self.kind in ("phrase", "field"):
            return [(" ".join(self.terms), False)]
        return [(t, False) for t in self.terms]

    @property
    def entity(self) -> bool:
        return self.field in ENTITY_FIELDS


_SUFFIXES = ("ing", "ed", "er", "ly", "s")


def _base(word: str) -> str:
    """A crude stem: the family a stemming engine folds ``word`` into.

    Enough to keep a "rare" word rare: ``aimgited`` is in 5 articles, but the
    index and FTS5 search its stem, which ``aimgit`` and ``aimgits`` share.
    """
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _nth(ranked: list[tuple[str, int]], n: int) -> tuple[str, int]:
    return ranked[min(n, len(ranked) - 1)]


def _closest(family_df: Counter, words: Counter, target: float, min_len: int = 5) -> tuple[str, int]:
    """The uninflected corpus word whose family's document frequency is closest to ``target``."""
    return min(
        (
            (w, n)
            for w, n in family_df.items()
            if len(w) >= min_len and w not in STOP_WORDS and _base(w) == w and w in words
        ),
        key=lambda item: (abs(item[1] - target), item[0]),
    )


def _ranked(df: Counter, min_len: int = 4) -> list[tuple[str, int]]:
    return sorted(
        ((w, n) for w, n in df.items() if len(w) >= min_len and w not in STOP_WORDS),
        key=lambda item: (-item[1], item[0]),
    )


def _misspell(word: str, known: Counter, families: Counter) -> str:
    """``word`` with two inner letters swapped, as typed in a hurry; no corpus word or stem."""
    for i in range(1, len(word) - 2):
        typo = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        if typo != word and typo not in known and _base(typo) not in families:
            return typo
    return word + word[-1]


def choose_queries(corpus: Path, entity_sample: int) -> list[Query]:
    """Scan the corpus once and pick the mix; entities are counted in the first ``entity_sample`` files."""
    files = article_files(corpus)
    body_df, family_df, title_df, bigram_df = Counter(), Counter(), Counter(), Counter()
    entity_df = {f: Counter() for f in ENTITY_FIELDS}
    for number, path in enumerate(files):
        text = path.read_text(encoding="utf-8", errors="replace")
        title, _, body = parse_article(text, path.suffix)
        tokens = set(_WORD.findall(text.lower()))
        body_df.update(tokens)
        family_df.update({_base(t) for t in tokens})
        title_df.update(set(_WORD.findall(title.lower())))
        if number < 2000:  # bigrams are many; a prefix of the corpus ranks them well enough
            content = [t if len(t) >= 4 and t not in STOP_WORDS else "" for t in _WORD.findall(body.lower())]
            bigram_df.update({(a, b) for a, b in zip(content, content[1:], strict=False) if a and b})
        if number < entity_sample:
            entity_df["person"].update({" ".join(m) for m in _PERSON.findall(body)})
            entity_df["org"].update(set(_ORG.findall(body)))
            entity_df["place"].update(set(_PLACE.findall(body)))

    ranked = _ranked(body_df)
    common, common_df = _nth(ranked, 19)
    second, second_df = _nth(ranked, 39)
    mid, mid_df = _closest(family_df, body_df, 0.01 * len(files))
    rare, rare_df = _closest(family_df, body_df, 5)
    (a, b), phrase_df = max(bigram_df.items(), key=lambda item: (item[1], item[0]))
    stem_source = next(w for w, _ in ranked[19:] if len(w) >= 6)
    prefix = stem_source[:4]
    expansions = sum(1 for w in body_df if w.startswith(prefix))
    title_word, title_word_df = _nth(_ranked(title_df), 9)

    queries = [
        Query("common", "word", (common,), note=f"df {common_df}"),
        Query("mid", "word", (mid,), note=f"df {mid_df}"),
        Query("rare", "word", (rare,), note=f"df {rare_df}"),
        Query("typo", "word", (_misspell(mid, body_df, family_df),), note=f"misspelt {mid}"),
        Query("fuzzy", "fuzzy", (mid,), note="one edit"),
        Query("and2", "and", (common, mid), note="common AND mid"),
        Query("and3", "and", (common, mid, second), note=f"+ df {second_df}"),
        Query("phrase", "phrase", (a, b), note=f"df {phrase_df} in first 2000"),
        Query("phrase2", "phrase", (common, second), note="two common words, rarely adjacent"),
        Query("prefix", "prefix", (prefix,), note=f"{expansions} terms"),
        Query("title", "field", (title_word,), field="title", note=f"title df {title_word_df}"),
    ]
    for field in ENTITY_FIELDS:
        if entity_df[field]:
            name, n = _nth(_ranked(entity_df[field], min_len=1), 9)
            queries.append(Query(field, "field", (name,), field=field, note=f"df {n} in first {entity_sample}"))
    return queries


def load_queries(corpus: Path, cache: Path, entity_sample: int) -> list[Query]:
    """:func:`choose_queries`, cached in ``cache`` (a JSON file) per corpus size and sample."""
    key = {
        "corpus": str(corpus.resolve()),
        "files": len(article_files(corpus)),
        "entity_sample": entity_sample,
        "chooser": hashlib.sha1(Path(__file__).read_bytes()).hexdigest(),  # a changed mix invalidates
    }
    if cache.exists():
        saved = json.loads(cache.read_text())
        if saved.get("key") == key:
            return [Query(**{**q, "terms": tuple(q["terms"])}) for q in saved["queries"]]
    queries = choose_queries(corpus, entity_sample)
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text(json.dumps({"key": key, "queries": [asdict(q) for q in queries]}, indent=1))
    return queries
