"""The Textual app. Importing this package does not import Textual."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..config import Preferences
    from ..library import Library


def run_app(
    library: Library,
    *,
    theme: str = "dark",
    keymap: dict[str, str] | None = None,
    preferences: Preferences | None = None,
    problems: list[str] | None = None,
) -> int:
    """Run the reader on ``library`` until the user quits; the exit status.

    ``theme`` (dark or light), ``keymap`` (binding id -> keys) and ``preferences``
    (wrap width, highlighted kinds, feed defaults) come from the config file; ``problems``
    (its mistakes, one line each) are shown in the app, which uses the defaults for them.
    """
    import sys

    from .newest import NewestRows

    newest = NewestRows(library)  # reads the first screenful while Textual is imported
    from .app import DARK, LIGHT, ReaderApp

    app = ReaderApp(
        library,
        newest=newest,
        theme=LIGHT if theme == "light" else DARK,
        keymap=keymap,
        preferences=preferences,
        problems=problems,
    )
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
