"""Fixtures and helpers for the app tests (no tests here).

The app tests build their own corpus: the bundled samples plus one hostile
article, indexed once per session with entities, then copied per test so
read marks and positions never leak between tests.
"""

from __future__ import annotations

import shutil
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest

from reader.model import Article, ArticleSummary, Mention

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "articles"

HOSTILE_TITLE = "[bold]x[/] [link=file:///etc/passwd]click me[/link] [/"
HOSTILE_FILE = (
    HOSTILE_TITLE
    + " \x1b]0;pwned\x07\u202eevil\u202c\n\n"
    + "By [red]Mallory[/red]\n\n"
    + "GENEVA -- Markup such as [bold]not bold[/bold] and [link=file:///etc/passwd]a link[/link] "
    + "must show literally. \x1b[2J\x1b[31mNo colour\x1b[0m, no OSC 52 \x1b]52;c;ZXZpbA==\x07 clipboard, "
    + "no \u202edesrever\u202c text. Ruth Gadsby met officials from the World Trade Organization "
    + "in Geneva on Tuesday.\n\n"
    + "A" * 120_000
    + "\n\nThe end of a very long line. Zanzibar zebras were mentioned only here.\n"
)


def build_corpus(root: Path) -> tuple[Path, Path]:
    articles = root / "articles"
    shutil.copytree(SAMPLES, articles)
    (articles / "999_hostile.txt").write_text(HOSTILE_FILE, encoding="utf-8")
    return articles, root / "index"


@pytest.fixture(scope="session")
def indexed_corpus(tmp_path_factory) -> Path:
    """Samples + a hostile article, indexed once with entities (read-only)."""
    from reader import Library

    root = tmp_path_factory.mktemp("app-corpus")
    articles, index = build_corpus(root)
    with Library(articles, index) as library:
        library.sync(entities=True)
    return root


@pytest.fixture
def app_library(indexed_corpus: Path, tmp_path: Path):
    """A private copy of the indexed corpus (articles and index)."""
    from reader import Library

    root = tmp_path / "corpus"
    shutil.copytree(indexed_corpus, root)
    library = Library(root / "articles", root / "index")
    yield library
    library.close()


@pytest.fixture
def fresh_library(tmp_path: Path):
    """The same corpus with no index at all (the app has to sync)."""
    from reader import Library

    articles, index = build_corpus(tmp_path / "fresh")
    library = Library(articles, index)
    yield library
    library.close()


def screen_text(app) -> str:
    """What is on the screen now, as plain text."""
    return "\n".join(strip.text.rstrip() for strip in app.screen._compositor.render_strips())


def screen_segments(app):
    """Every (text, style) on the screen now, for checks on raw characters."""
    for strip in app.screen._compositor.render_strips():
        yield from strip


async def settle(pilot) -> None:
    """Wait for workers and the messages they post, then a refresh."""
    app = pilot.app
    for _ in range(3):
        await pilot.pause()
        await app.workers.wait_for_complete()
    await pilot.pause()


def typing_pending(app) -> bool:
    """A box is still waiting for typing to pause (a debounce timer is set)."""
    panes = app.screen.query("SearchPane, BookmarksPane")
    columns = app.screen.query("ArticleColumn")
    return any(pane._timer is not None for pane in panes) or any(column.filter_timer is not None for column in columns)


async def settle_typing(pilot) -> None:
    """Wait until every box has sent what was typed (no debounce pending), then settle."""
    await wait_until(pilot, lambda: not typing_pending(pilot.app))
    await settle(pilot)


async def type_and_settle(pilot, *keys: str) -> None:
    """Press keys, then settle_typing."""
    await pilot.press(*keys)
    await settle_typing(pilot)


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


async def wait_until(pilot, condition, timeout: float = 60.0) -> None:
    """Let the app run until ``condition()`` holds (a state, never a time; the timeout only
    turns a hang into a failure on a busy machine)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await pilot.pause(0.02)


async def press_until(pilot, key: str, condition, limit: int = 50) -> None:
    """Press ``key`` until ``condition()`` holds, at most ``limit`` times."""
    for _ in range(limit):
        if condition():
            return
        await pilot.press(key)
    assert condition(), f"not there after {limit} presses of {key!r}"
