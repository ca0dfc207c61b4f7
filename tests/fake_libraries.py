"""Stand-in libraries for the app tests: dirty text at the app's boundary, fixed entities, big lists."""

from __future__ import annotations

import threading
from dataclasses import replace

from reader.model import Article, ArticleSummary, Mention

DIRT = "\x1b[31m\x1b]52;c;ZXZpbA==\x07\u202e\x9b2J"


class DirtyLibrary:
    """Wraps a Library and puts control characters back into what it returns,
    to check the app is safe at its own boundary (ingest already cleans)."""

    def __init__(self, library) -> None:
        self._library = library
        self.index_dir = library.index_dir
        self.articles_dir = library.articles_dir

    def __getattr__(self, name):
        return getattr(self._library, name)

    def articles(self) -> list[ArticleSummary]:
        return [self._dirty(summary) for summary in self._library.articles()]

    def newest_articles(self, limit: int) -> tuple[list[ArticleSummary], int]:
        newest, total = self._library.newest_articles(limit)
        return [self._dirty(summary) for summary in newest], total

    @staticmethod
    def _dirty(summary: ArticleSummary) -> ArticleSummary:
        return replace(summary, title=DIRT + summary.title + DIRT, source=summary.source + DIRT)

    def article(self, article_id: str) -> Article:
        article = self._library.article(article_id)
        first, *rest = article.paragraphs
        paragraphs = (DIRT + first, *rest)
        shift = len(DIRT)
        mentions = tuple(
            Mention(m.start + shift, m.end + shift, m.text, m.kind, m.canonical) for m in article.mentions
        )
        return replace(
            article,
            title=DIRT + article.title,
            authors=tuple(DIRT + author for author in article.authors),
            paragraphs=paragraphs,
            mentions=mentions,
        )

    def hit_spans(self, query: str, article_id: str, **options):
        shift = len(DIRT)
        return [(start + shift, end + shift) for start, end in self._library.hit_spans(query, article_id, **options)]


#: A fixed gazetteer, so snapshots do not change when entity extraction improves.
FIXED_ENTITIES = (
    ("Robert Lighthizer", "person"),
    ("Steven Mnuchin", "person"),
    ("Li Keqiang", "person"),
    ("Liu He", "person"),
    ("Trump", "person"),
    ("Xi Jinping", "person"),
    ("Reuters", "org"),
    ("Huawei", "org"),
    ("Commerce Ministry", "org"),
    ("Beijing", "place"),
    ("Washington", "place"),
    ("China", "place"),
    ("Chinese", "group"),
    ("American", "group"),
    ("Friday", "date"),
)


class FixedEntitiesLibrary(DirtyLibrary):
    """The real library with entity mentions from :data:`FIXED_ENTITIES`."""

    def article(self, article_id: str) -> Article:
        import re

        article = self._library.article(article_id)
        body = article.body
        mentions = []
        for name, kind in FIXED_ENTITIES:
            for match in re.finditer(r"\b" + re.escape(name) + r"\b", body):
                mentions.append(Mention(match.start(), match.end(), name, kind, name))
        mentions.sort(key=lambda m: m.start)
        return replace(article, mentions=tuple(mentions))

    def articles(self) -> list[ArticleSummary]:
        return self._library.articles()

    def newest_articles(self, limit: int) -> tuple[list[ArticleSummary], int]:
        return self._library.newest_articles(limit)

    def hit_spans(self, query: str, article_id: str, **options):
        return self._library.hit_spans(query, article_id, **options)

    def entity_articles(self, name: str, kind: str | None = None) -> list[str]:
        return sorted(
            summary.id for summary in self._library.articles() if name in self._library.article(summary.id).body
        )

    def entity_page(self, name: str, kind: str | None = None):
        """The page from the fixed mentions: counts, timeline and articles as the index makes them;
        who is named with it scored by shared sentences (these snapshots are about drawing)."""
        from reader.entities import sentence_around
        from reader.index.entity_page import CoEntity, EntityPage, PageArticle, _timeline
        from reader.text.sentences import sentence_bounds

        kind = kind or dict(FIXED_ENTITIES)[name]
        rows, shared = [], {}
        for summary in self._library.articles():
            article = self.article(summary.id)
            own = [m for m in article.mentions if m.canonical == name]
            if not own:
                continue
            first = own[0]
            sentence = sentence_around(article.body, first.start, first.end)
            head = (article.id, article.title, article.date, article.source, article.url)
            rows.append(PageArticle(*head, len(own), sentence, first.start))
            sentences = {sentence_bounds(article.body, m.start, m.end) for m in own}
            for other in article.mentions:
                named_with = other.canonical != name and other.kind != "date"
                if named_with and sentence_bounds(article.body, other.start, other.end) in sentences:
                    shared.setdefault((other.canonical, other.kind), set()).add(article.id)
        dated = sorted([a for a in rows if a.date], key=lambda a: a.date, reverse=True)
        rows = dated + [a for a in rows if not a.date]  # newest first, undated last
        unit, timeline, undated, undated_articles = _timeline(rows)
        together = [
            CoEntity(other, other_kind, len(ids), len(ids), float(len(ids)))
            for (other, other_kind), ids in sorted(shared.items(), key=lambda item: (-len(item[1]), item[0]))
        ]
        mentions = sum(a.mentions for a in rows)
        return EntityPage(name, kind, (), mentions, rows, unit, timeline, undated, undated_articles, together)


class BigLibrary:
    """A library of ``count`` synthetic article summaries (for list speed)."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.index_dir = None

    def articles(self) -> list[ArticleSummary]:
        return [
            ArticleSummary(
                id=f"a{number:06d}",
                path=f"a{number:06d}.txt",
                title=f"Synthetic article number {number} about trade talks",
                date=f"20{10 + number % 15:02d}-{1 + number % 12:02d}-{1 + number % 28:02d}",
                source=("Reuters", "AP", "WSJ", "")[number % 4],
                authors=(f"Author {number % 97}",),
                word_count=300 + number % 2000,
            )
            for number in range(self.count)
        ]

    def pending(self) -> int:
        return 0

    def article(self, article_id: str) -> Article:
        return Article(
            id=article_id,
            path=f"{article_id}.txt",
            title=f"Article {article_id}",
            paragraphs=("Some text.",),
            content_hash="x",
        )


class HeldBigLibrary(BigLibrary):
    """A BigLibrary whose newest rows come at once and whose full list waits for ``released``."""

    def __init__(self, count: int) -> None:
        super().__init__(count)
        self.released = threading.Event()

    def newest_articles(self, limit: int) -> tuple[list[ArticleSummary], int]:
        everything = super().articles()
        dated = sorted((s for s in everything if s.date), key=lambda s: (s.date, s.path), reverse=True)
        return (dated + [s for s in everything if not s.date])[:limit], len(everything)

    def articles(self) -> list[ArticleSummary]:
        self.released.wait(10)
        return super().articles()


