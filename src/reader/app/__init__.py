"""The Textual app. Importing this package does not import Textual."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..library import Library


def run_app(library: Library) -> int:
    """Run the reader on ``library`` until the user quits; the exit status."""
    from .app import ReaderApp

    app = ReaderApp(library)
    result = app.run()
    if app.return_code:
        return app.return_code
    return result if isinstance(result, int) else 0


__all__ = ["run_app"]
