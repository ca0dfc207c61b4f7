"""The Textual app. Importing this package does not import Textual."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..library import Library


def run_app(library: Library, *, theme: str = "dark", keymap: dict[str, str] | None = None) -> int:
    """Run the reader on ``library`` until the user quits; the exit status.

    ``theme`` (dark or light) and ``keymap`` (binding id -> keys) come from the config file.
    """
    import sys

    from .newest import NewestRows

    newest = NewestRows(library)  # reads the first screenful while Textual is imported
    from .app import DARK, LIGHT, ReaderApp

    app = ReaderApp(library, newest=newest, theme=LIGHT if theme == "light" else DARK, keymap=keymap)
    result = app.run()
    if app.interrupted_sync:
        # the indexing thread stops at its next checkpoint; Python waits for it
        print(
            "reader: stopping the background indexing; it carries on next time.",
            file=sys.stderr,
        )
    if app.return_code:
        return app.return_code
    return result if isinstance(result, int) else 0


__all__ = ["run_app"]
