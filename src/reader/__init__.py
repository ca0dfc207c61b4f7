"""reader: a terminal reader for a local collection of news articles.

``from reader import Library`` is the scripting interface; it is imported
lazily so ``import reader`` stays cheap (no Whoosh, Textual or spaCy).
"""

from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["Library", "QueryError", "ArticleNotFound", "__version__"]


def __getattr__(name: str):
    if name in ("Library", "QueryError", "ArticleNotFound"):
        from . import library

        return getattr(library, name)
    raise AttributeError(f"module 'reader' has no attribute {name!r}")
