"""``reader add``: links and saved pages become article files, then one sync."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..ingest import UnreadableArticle, article_id_for
from ..ingest.html import HTML_SUFFIXES
from . import http
from .pages import FetchedPage, canonical_url, fetch_page, read_page_file, write_article

if TYPE_CHECKING:
    from ..library import Library
    from ..model import SyncReport


@dataclass(slots=True)
class Added:
    """What became of one SOURCE: an article (``id``), or ``problem`` saying why not."""

    source: str
    id: str = ""
    path: str = ""
    title: str = ""
    url: str = ""
    problem: str = ""
    duplicate: bool = False


def _load(source: str, client: http.Client) -> FetchedPage:
    if source.lower().startswith(("http://", "https://")):
        return fetch_page(source, client=client)
    path = Path(source)
    if path.is_file() and path.name.lower().endswith(HTML_SUFFIXES):
        return read_page_file(path)
    if path.exists():
        raise UnreadableArticle("not an .html file")
    raise UnreadableArticle("not an http(s) URL or an existing .html file")


def existing_article(library: Library, *urls: str) -> tuple[str, str, str] | None:
    """(id, path, title) of an article already from one of ``urls``."""
    for url in dict.fromkeys(u for u in urls if u):
        found = library.articles_with_url(url)
        if found:
            return found[0]
    return None


def add_sources(
    library: Library,
    sources: list[str],
    *,
    entities: bool = True,
    progress: Callable[[str], None] | None = None,
) -> tuple[list[Added], SyncReport | None]:
    """Fetch or read each source, write the new articles, sync once (when anything was written)."""
    results: list[Added] = []
    written: dict[str, str] = {}  # canonical URL -> path, for the same page twice in one call
    with http.new_client() as client:
        for source in sources:
            if progress:
                progress(source)
            result = Added(source)
            results.append(result)
            try:
                fetched = _load(source, client)
            except (http.FetchError, UnreadableArticle) as error:
                result.problem = str(error)
                continue
            asked = canonical_url(source)
            result.url = fetched.url or asked
            duplicate = next((written[u] for u in (fetched.url, asked) if u in written), "")
            existing = existing_article(library, fetched.url, asked)
            if duplicate or existing:
                path = duplicate or existing[1]  # type: ignore[index]
                result.problem = f"already added as {path}"
                result.duplicate = True
                continue
            try:
                result.path = write_article(library.articles_dir, fetched)
            except OSError as error:
                result.problem = f"cannot write into {library.articles_dir} ({error.strerror or error})"
                continue
            result.id = article_id_for(result.path)
            result.title = fetched.page.title
            for url in (fetched.url, asked):
                if url:
                    written[url] = result.path
    report = library.sync(entities=entities) if written else None
    if report is not None:
        skipped = {item.path: item.reason for item in report.skipped}
        for result in results:
            if result.path in skipped:  # written but unreadable: say so rather than print an id that is not there
                result.problem, result.id = f"written to {result.path} but not indexed: {skipped[result.path]}", ""
    return results, report
