"""``reader extract FILE... --json``: entities of arbitrary files, streamed."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator

_MAX_BYTES = 32 * 1024 * 1024


class _Unreadable(Exception):
    pass


def decode_file(path: str | os.PathLike) -> str:
    """The file's text: UTF-8 (a BOM is dropped), else charset-normalizer's best guess."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(_MAX_BYTES + 1)
    except OSError as error:
        raise _Unreadable(error.strerror or str(error)) from None
    if len(data) > _MAX_BYTES:
        raise _Unreadable(f"too large (limit {_MAX_BYTES // (1024 * 1024)} MB)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise _Unreadable("not text in any known encoding")
    try:
        return data.decode(best.encoding)
    except (UnicodeDecodeError, LookupError):
        raise _Unreadable(f"undecodable (looked like {best.encoding})") from None


def extract_files(paths: Iterable[str | os.PathLike], extractor) -> Iterator[dict]:
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
