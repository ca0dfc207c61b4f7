"""``reader extract FILE... --json``: entities of arbitrary files, streamed."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from . import Extractor


class _Unreadable(Exception):
    pass


def decode_file(path: str | os.PathLike[str]) -> str:
    """The file's exact text, decoded the way article files are (one decoder for both)."""
    from ..ingest import read_bytes
    from ..ingest.decode import UnreadableArticle, decode_bytes

    try:
        return decode_bytes(read_bytes(path))[0]
    except UnreadableArticle as error:
        raise _Unreadable(str(error)) from None


def extract_files(paths: Iterable[str | os.PathLike[str]], extractor: Extractor) -> Iterator[dict[str, Any]]:
    paths = [os.fspath(p) for p in paths]
    texts: dict[int, str] = {}
    errors: dict[int, str] = {}
    for i, path in enumerate(paths):
        try:
            texts[i] = decode_file(path)
        except _Unreadable as error:
            errors[i] = str(error)
    order = sorted(texts)
    results = extractor.extract((texts[i] for i in order), n_process=_processes(len(order)))
    for i, path in enumerate(paths):
        if i in errors:
            yield {"file": path, "mentions": [], "error": errors[i]}
            continue
        mentions = next(results)
        yield {
            "file": path,
            "mentions": [
                {"start": m.start, "end": m.end, "text": m.text, "kind": m.kind, "canonical": m.canonical}
                for m in mentions
            ],
        }


def _processes(n: int) -> int:
    from . import recommended_processes

    return recommended_processes(n)
