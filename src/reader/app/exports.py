"""Files the app writes because the user asked (a bookmark export, an entity dossier).

One place says where they go by default and how they are written: whole or
not at all (a ``.partial`` file renamed over the target once synced), so a
full disk or a crash never leaves half a file under the name the user was told.
"""

from __future__ import annotations

import os
from pathlib import Path


def export_folder() -> Path:
    """The platform's documents folder, else its downloads folder, else home (platformdirs)."""
    from platformdirs import user_documents_path, user_downloads_path

    for folder in (user_documents_path(), user_downloads_path()):
        if folder.is_dir():
            return folder
    return Path.home()


def write_whole(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` (UTF-8) through a synced ``.partial`` file; raises OSError."""
    partial = path.with_name(path.name + ".partial")
    with open(partial, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, path)
