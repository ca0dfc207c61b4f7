"""Folders of the articles folder as collections: which there are, and how many articles each holds.

``articles/<site or feed>/…`` is where ``reader add`` and ``reader fetch``
put what they bring in; users make folders of their own. A folder's
articles are those whose id (their path without suffix) starts with it, so
``folder:NAME`` in a search and this count agree by construction.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable


def folder_counts(article_ids: Iterable[str], *, depth: int = 2) -> list[tuple[str, int]]:
    """``(folder, articles in it or below)``, folders up to ``depth`` levels, sorted by name.

    Articles at the top of the articles folder belong to no folder.
    """
    counts: Counter[str] = Counter()
    for article_id in article_ids:
        parts = article_id.split("/")[:-1]
        for level in range(1, min(len(parts), depth) + 1):
            counts["/".join(parts[:level])] += 1
    return sorted(counts.items(), key=lambda item: item[0].casefold())


def folder_query(folder: str) -> str:
    """The search that lists a folder's articles."""
    return f'folder:"{folder}"' if any(ch.isspace() or ch in '"()' for ch in folder) else f"folder:{folder}"
