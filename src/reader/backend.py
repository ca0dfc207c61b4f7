"""The one seam between :class:`reader.Library` and where the articles are indexed.

Two implementations: the embedded Whoosh index (:class:`reader.index.store.IndexStore`,
the default: one user, one machine, no server) and a shared OpenSearch cluster
(:class:`reader.opensearch.store.OpenSearchStore`, when ``READER_OPENSEARCH_URL``
is set). Nothing above ``Library`` knows which is in use; each raises only the
errors of :mod:`reader.errors`. The user-state database (bookmarks, read marks)
is not part of either: it stays in the local index folder whatever the backend.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from .model import Article, ArticleSummary, EntityOccurrence, EntitySummary, QueryExplanation, SearchResults, SyncReport

if TYPE_CHECKING:
    from .index.curation import Curation
    from .index.entity_page import EntityPage
    from .index.entity_queries import EntityCounts
    from .opensearch.config import OpenSearchConfig

ProgressCallback = Callable[[int, int, str], None]


class SearchBackend(Protocol):
    #: "whoosh" or "opensearch", for ``reader status``.
    backend_name: str
    #: The user's entity corrections, applied at query time (Library sets them from the user-state database).
    corrections: tuple[Any, ...]

    @property
    def location(self) -> str:
        """Where the index is, in words: a folder, or a cluster URL and index name."""

    def exists(self) -> bool: ...

    def problem(self, *, fresh: bool = False) -> str:
        """Why the index cannot be used as it is ("" when fine), in one line."""

    def sync(
        self,
        articles_dir: Path,
        *,
        rebuild: bool = False,
        entities: bool = True,
        progress: ProgressCallback | None = None,
        cancelled: Callable[[], bool] | None = None,
        verify: bool = False,
        allow_empty: bool = False,
        part: tuple[int, int] | None = None,
    ) -> SyncReport: ...

    def pending(self, articles_dir: Path) -> int: ...

    def count(self) -> int: ...

    def claim_folder(self) -> None:
        """Make sure the local index folder may be written (the Whoosh index; a no-op for a cluster)."""

    def article_versions(self) -> dict[str, str]:
        """Article id -> content hash of every indexed article (bookmarks re-anchor on a change)."""

    def articles_with_url(self, url: str) -> list[tuple[str, str, str]]:
        """(id, path, title) of the articles whose front matter or page names ``url``, by path."""

    def summaries(self) -> list[ArticleSummary]: ...

    def newest_summaries(self, limit: int) -> list[ArticleSummary]: ...

    def article(self, article_id: str) -> Article: ...

    def search(
        self,
        text: str,
        *,
        limit: int = 10,
        snippets: bool = True,
        count: bool = True,
        prefix_words: int | None = None,
        offset: int = 0,
        sort: str = "relevance",
    ) -> SearchResults: ...

    def matching_ids(self, text: str, *, prefix_words: int | None = None) -> set[str]: ...

    def explain(self, text: str, *, limit: int, prefix_words: int | None = None) -> QueryExplanation: ...

    def count_matches(
        self, text: str, *, prefix_words: int | None = None, cancelled: Callable[[], bool] | None = None
    ) -> int | None: ...

    def hit_spans(self, text: str, article_id: str, *, prefix_words: int | None = None) -> list[tuple[int, int]]: ...

    def entities(self, *, kind: str | None = None, article: str | None = None) -> list[EntitySummary]: ...

    def entity_occurrences(self, name: str, kind: str | None = None) -> list[EntityOccurrence]: ...

    def entity_article_ids(self, name: str, kind: str | None = None) -> list[str]: ...

    def entity_page(self, name: str, kind: str, aliases: tuple[str, ...]) -> EntityPage | None: ...

    @property
    def entity_counts(self) -> EntityCounts:
        """Entity counts across the corpus (the catalog, or the cluster's aggregations)."""

    def curation(self) -> Curation:
        """:attr:`corrections` applied to :attr:`entity_counts`."""

    def close(self) -> None: ...


@dataclass(frozen=True, slots=True)
class BackendStatus:
    """What ``reader status`` reports."""

    backend: str
    location: str
    articles: int
    problem: str = ""


def parse_part(text: str) -> tuple[int, int]:
    """``"2/3"`` -> (2, 3), for ``reader index --part``; ValueError with one line otherwise."""
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
    if not match or not 1 <= int(match.group(1)) <= int(match.group(2)):
        raise ValueError(f"--part wants I/N with 1 <= I <= N, e.g. 2/3 (got {text!r})")
    return int(match.group(1)), int(match.group(2))


def part_of(article_id: str, parts: int) -> int:
    """Which part (1..parts) an article belongs to: a hash of its id, the same on every machine."""
    import hashlib  # here, not at the top: loading OpenSSL is ~3 ms of every new `reader search`

    digest = hashlib.blake2b(article_id.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big") % parts + 1


def cluster_config() -> OpenSearchConfig | None:
    """The cluster the environment or the config file's ``[search]`` table chooses, if any."""
    from .config import load_config
    from .opensearch.config import config_from_environment

    return config_from_environment(section=load_config().values.get("search"))


def uses_cluster() -> bool:
    """Whether a cluster is chosen (then no local articles folder is needed to read, search,
    follow entities and bookmark). A malformed choice counts: using it says what is wrong."""
    from .errors import IndexProblem

    try:
        return cluster_config() is not None
    except IndexProblem:
        return True


def open_backend(index_dir: Path, articles_dir: Path | None = None) -> SearchBackend:
    """The cluster when one is configured (``READER_OPENSEARCH_URL``, or the config file's
    ``[search]`` table), else the Whoosh index in ``index_dir`` (which refuses to live in
    ``articles_dir``)."""
    config = cluster_config()
    if config is not None:
        from .opensearch.store import OpenSearchStore

        return OpenSearchStore(config)
    from .index.store import IndexStore

    return IndexStore(index_dir, articles_dir)
