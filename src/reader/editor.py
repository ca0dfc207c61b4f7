"""Long text in the user's own editor: ``$VISUAL``, else ``$EDITOR``, else ``vi``.

Used by ``reader bookmarks edit`` and ``reader config edit`` (and the app,
which suspends itself around the call). The text goes through a private
temporary file; an editor that cannot start or exits non-zero raises
:class:`EditorFailed` and the caller keeps what it had.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path


class EditorFailed(Exception):
    """The editor could not start or exited non-zero; the text was not changed."""


def editor_command(environ: Mapping[str, str] | None = None) -> list[str]:
    """``$VISUAL``, else ``$EDITOR``, else ``vi``, split as a shell would."""
    env = os.environ if environ is None else environ
    for name in ("VISUAL", "EDITOR"):
        if env.get(name, "").strip():
            return shlex.split(env[name])
    return ["vi"]


def run_editor(path: Path) -> None:
    """Open ``path`` in the editor and wait; raises :class:`EditorFailed`."""
    command = [*editor_command(), str(path)]
    try:
        status = subprocess.call(command)
    except OSError as error:
        raise EditorFailed(
            f"cannot start the editor {command[0]!r}: {error.strerror or error} (set $VISUAL or $EDITOR)"
        ) from error
    if status:
        raise EditorFailed(f"the editor {command[0]!r} exited with status {status}")


def edit_text(text: str, *, suffix: str = ".md") -> str:
    """``text`` as the user left it in the editor (one trailing newline dropped)."""
    handle, name = tempfile.mkstemp(prefix="reader-", suffix=suffix)
    path = Path(name)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text + "\n" if text and not text.endswith("\n") else text)
        run_editor(path)
        edited = path.read_text(encoding="utf-8", errors="replace")
    finally:
        path.unlink(missing_ok=True)
    return edited[:-1] if edited.endswith("\n") else edited
