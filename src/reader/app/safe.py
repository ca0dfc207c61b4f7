"""The app's boundary for untrusted text: everything from an article (title,
authors, body, entity names, snippets), a bookmark or a path passes through
these before it becomes a :class:`~textual.content.Content`. Nothing is ever
parsed as markup; these only deal with what would reach the terminal.

The definitions live in :mod:`reader.text.controls`, shared with ingest and
the CLI; this module keeps the widgets' imports in one place.
"""

from __future__ import annotations

from ..text.controls import INLINE_LIMIT, safe_body, safe_inline, safe_inline_many, safe_text

__all__ = ["INLINE_LIMIT", "safe_body", "safe_inline", "safe_inline_many", "safe_text"]
