"""reader: a terminal reader for a local collection of news articles.

``from reader import Library`` is the scripting interface; it is imported
lazily so ``import reader`` stays cheap (no Whoosh, Textual or spaCy). Type
checkers see the names through the ``TYPE_CHECKING`` imports below.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .errors import ArticleNotFound, QueryError
    from .library import Library

__version__ = "0.1.0"
__all__ = ["Library", "QueryError", "ArticleNotFound", "__version__"]


def __getattr__(name: str) -> Any:
    if name == "Library":
        from .library import Library

        return Library
    if name in ("QueryError", "ArticleNotFound"):
        from . import errors

        return getattr(errors, name)
    raise AttributeError(f"module 'reader' has no attribute {name!r}")
