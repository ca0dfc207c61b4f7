"""Plain records shared by ingestion, the index, the CLI and the app.

No I/O and no third-party imports here, so any layer can use them cheaply.
Offsets are always character offsets into :attr:`Article.body`, the exact
text the reader displays (paragraphs joined by a blank line).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

PARAGRAPH_SEPARATOR = "\n\n"

#: Entity kinds as used in index fields, JSON and the app's sidebar keys.
ENTITY_KINDS: tuple[str, ...] = (
    "person",
    "org",
    "place",
    "group",
    "money",
    "percent",
    "date",
    "other",
)

ENTITY_KIND_LABELS: dict[str, str] = {
    "person": "People",
    "org": "Organisations",
    "place": "Places",
    "group": "Groups & nationalities",
    "money": "Money",
    "percent": "Percentages",
    "date": "Dates",
    "other": "Other",
}


@dataclass(frozen=True, slots=True)
class Mention:
    """One entity mention: ``body[start:end] == text``."""

    start: int
    end: int
    text: str
    kind: str
    canonical: str


@dataclass(frozen=True, slots=True)
class Article:
    """One parsed article, as shown to the user and fed to the index."""

    id: str
    path: str
    title: str
    paragraphs: tuple[str, ...]
    content_hash: str
    authors: tuple[str, ...] = ()
    date: str = ""  # ISO 8601, as precise as the source says (2019, 2019-03, 2019-03-28)
    source: str = ""
    dateline: str = ""
    url: str = ""
    tags: tuple[str, ...] = ()
    title_derived: bool = False  # True when the file had no headline
    mentions: tuple[Mention, ...] = ()

    @property
    def body(self) -> str:
        return PARAGRAPH_SEPARATOR.join(self.paragraphs)

    @property
    def word_count(self) -> int:
        return sum(len(p.split()) for p in self.paragraphs)

    def paragraph_offsets(self) -> list[int]:
        """Start offset of each paragraph within :attr:`body`."""
        offsets, position = [], 0
        for paragraph in self.paragraphs:
            offsets.append(position)
            position += len(paragraph) + len(PARAGRAPH_SEPARATOR)
        return offsets


@dataclass(frozen=True, slots=True)
class ArticleSummary:
    """What the article list needs for one row; cheap to load 100k of."""

    id: str
    path: str
    title: str
    date: str
    source: str
    authors: tuple[str, ...]
    word_count: int
    title_derived: bool = False


@dataclass(frozen=True, slots=True)
class Snippet:
    """A passage of an article with the matched terms as ``(start, end)`` spans.

    ``offset`` is where ``text`` starts in the article body, so a snippet can
    be turned into a scroll position in the reading pane.
    """

    text: str
    spans: tuple[tuple[int, int], ...]
    offset: int = 0

    def marked(self, before: str = "[", after: str = "]") -> str:
        """The text with each match wrapped in markers, for plain output."""
        parts, position = [], 0
        for start, end in self.spans:
            parts.append(self.text[position:start])
            parts.append(before + self.text[start:end] + after)
            position = end
        parts.append(self.text[position:])
        return "".join(parts)


@dataclass(frozen=True, slots=True)
class Hit:
    id: str
    path: str
    title: str
    date: str
    source: str
    score: float
    snippets: tuple[Snippet, ...] = ()


@dataclass(slots=True)
class SearchResults:
    """Ranked hits for one query; iterate it for the hits."""

    query: str
    hits: list[Hit]
    total: int
    fallback: bool = False  # True when no article has every word and articles with some of them are shown
    suggestion: str = ""  # "did you mean" query, empty when none
    terms: tuple[str, ...] = ()  # analysed query terms, for highlighting hits in the reader
    counted: bool = True  # False: more matched than were ranked, and ``total`` is only the hits ranked
    graded: bool = False  # True when ranked by how much of the query each article has (long queries)

    def __iter__(self) -> Iterator[Hit]:
        return iter(self.hits)

    def __len__(self) -> int:
        return len(self.hits)


@dataclass(frozen=True, slots=True)
class Skipped:
    path: str
    reason: str

    def __str__(self) -> str:
        return f"skipped {self.path}: {self.reason}"


@dataclass(slots=True)
class EntityReport:
    """What one run of the entity phase did (:meth:`Library.extract_entities`)."""

    extracted: int = 0  # articles whose entities were written
    pending: int = 0  # articles still without entities afterwards (cancelled, or changed meanwhile)
    seconds: float = 0.0
    extractor: str = ""  # which extractor ran ("" when nothing was pending)
    cancelled: bool = False


@dataclass(slots=True)
class SyncReport:
    """What one :meth:`Library.sync` did."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    unchanged: int = 0
    seconds: float = 0.0
    entity_extractor: str = ""  # which extractor ran ("" when none was needed)
    searchable_seconds: float = 0.0  # until the text was searchable (the first phase)
    entities_extracted: int = 0  # articles whose entities the second phase wrote
    entity_seconds: float = 0.0  # the second phase
    entities_pending: int = 0  # articles whose entities are still to come (skipped or interrupted)
    warnings: list[str] = field(default_factory=list)  # problems that did not stop the sync

    @property
    def touched(self) -> bool:
        return bool(self.added or self.changed or self.removed)


@dataclass(frozen=True, slots=True)
class EntitySummary:
    """One canonical entity across the corpus."""

    name: str
    kind: str
    aliases: tuple[str, ...]
    mentions: int
    articles: int


@dataclass(frozen=True, slots=True)
class EntityOccurrence:
    """An article mentioning an entity, with the first mentioning sentence."""

    article_id: str
    title: str
    date: str
    mentions: int
    sentence: str


# -- what a search ran (Library.explain) ------------------------------------------------


@dataclass(frozen=True, slots=True)
class ExplainedWord:
    """One searched part of a query, as the index understood it."""

    typed: str  # as in the query (folded), or the field/phrase as written
    kind: str  # word, exact, phrase, exact phrase, prefix, fuzzy, field, date, excluded, other
    terms: tuple[str, ...]  # the indexed forms searched (stems; expansions for prefix/fuzzy)
    fields: tuple[str, ...]  # the index fields searched
    articles: int  # how many articles have it (the most frequent of its terms)
    expansions: tuple[tuple[str, int], ...] = ()  # prefix/fuzzy: (term, articles) kept
    cut: int = 0  # prefix: how many more words began so, left out (the rarest)


@dataclass(frozen=True, slots=True)
class WordScore:
    word: str  # ExplainedWord.typed
    field: str
    term: str
    score: float


@dataclass(frozen=True, slots=True)
class ExplainedHit:
    """Why one hit ranks where it does."""

    id: str
    title: str
    score: float  # as ranked
    bm25: float  # the BM25F sum before grading
    coverage: float  # graded: what bm25 was multiplied by (its idf-weighted share of the query, ^0.5); else 1.0
    matched: tuple[str, ...]  # the words it has
    missing: tuple[str, ...]  # the words it lacks
    parts: tuple[WordScore, ...]  # BM25F per word and field (as weighted in the ranking), largest first
    proximity: float = 1.0  # graded: what it was multiplied by for neighbouring query words standing close; else 1.0
    close: tuple[str, ...] = ()  # those pairs, "port congestion (1 apart)"


@dataclass(frozen=True, slots=True)
class QueryExplanation:
    query: str  # as searched (after --exact)
    words: tuple[ExplainedWord, ...]
    dropped: tuple[str, ...]  # common words left out of matching
    match: str  # how articles were matched and ranked, one line
    graded: bool
    fallback: bool
    total: int
    hits: tuple[ExplainedHit, ...]
