"""Ingestion: article files in, :class:`~reader.model.Article` records out.

Everything that touches the raw bytes of a user's files lives here: finding
them, decoding them, sanitising them and recognising their parts. A file that
cannot be an article raises :class:`UnreadableArticle` with a reason that
names what is wrong, so callers can skip it and carry on.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
from collections.abc import Iterator
from operator import attrgetter
from pathlib import Path
from stat import S_ISREG
from typing import NamedTuple

from ..model import Article
from ..text.controls import printable, strip_controls
from .decode import MAX_FILE_BYTES, UnreadableArticle, decode_bytes, too_large
from .frontmatter import FrontMatter, split_front_matter
from .html import HTML_SUFFIXES, parse_html_article
from .parse import build_article, derive_title, parse_text

__all__ = [
    "ARTICLE_SUFFIXES",
    "ArticleFile",
    "UnreadableArticle",
    "article_id_for",
    "derive_title",
    "parse_article",
    "read_article",
    "scan_articles",
]

TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text")
ARTICLE_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES


class ArticleFile(NamedTuple):
    """A candidate file found by the scan, with what a no-change sync compares.

    A named tuple, not a frozen dataclass: a scan of a million files makes a
    million of them, and a frozen dataclass costs 0.6 s more to build.
    """

    relpath: str  # POSIX-style, relative to the articles folder
    path: str | Path
    size: int
    mtime_ns: int


def article_id_for(relpath: str) -> str:
    """The stable id: the relative path without its suffix."""
    if relpath.lower().endswith(".gz"):
        relpath = relpath[:-3]
    root, suffix = os.path.splitext(relpath)
    return root if suffix.lower() in ARTICLE_SUFFIXES else relpath


def _display_relpath(root: Path, path: str) -> str | None:
    rel = os.path.relpath(path, root)
    if os.sep != "/":
        rel = rel.replace(os.sep, "/")
    return rel if _valid_utf8(rel) else None  # else reported by scan_articles


def _valid_utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False  # undecodable bytes in the name (surrogate escapes)
    return True


def _problem_relpath(root: Path, path: str) -> str:
    """The relative path for a problem report, undecodable name bytes as ``\\xNN``."""
    rel = _display_relpath(root, path)
    if rel is None:
        rel = printable(os.path.relpath(path, root).replace(os.sep, "/"))
    return rel


def _symlink_problem(path: str, root_real: str) -> str | None:
    """Why a symlink is not followed, or None when it is not worth a word.

    Links to folders and links named like articles are reported (the user
    probably meant them to be read); other links are ignored like other
    non-article files.
    """
    try:
        target = os.path.realpath(path, strict=True)
        is_dir = os.path.isdir(target)
    except OSError as error:
        if error.errno == errno.ELOOP:
            return "symbolic link loop (not followed)"
        return "symbolic link to nothing (not followed)"
    if not (is_dir or path.lower().endswith(ARTICLE_SUFFIXES)):
        return None
    if not (target == root_real or target.startswith(root_real + os.sep)):
        return "symbolic link to outside the articles folder (not followed)"
    return "symbolic link (not followed)"


_name = attrgetter("name")


def scan_articles(
    root: str | os.PathLike[str], *, follow_symlinks: bool = False, problems: list[tuple[str, str]] | None = None
) -> Iterator[ArticleFile]:
    """Walk ``root`` for article files (recursively), cheaply: one stat per file.

    Hidden files and folders are skipped; symlinks are not followed unless
    asked, and never outside ``root`` or round a loop. Files that cannot be
    considered are appended to ``problems`` as ``(relpath, reason)``.
    """
    root = Path(root)
    root_real = os.path.realpath(root)
    seen_dirs: set[tuple[int, int]] = set()
    # (folder, its relative path with a trailing "/"): relative paths are
    # built by concatenation, not os.path.relpath (2 s of a 100k-file scan).
    stack = [(str(root), "")]

    def report(path: str, reason: str) -> None:
        if problems is not None:
            problems.append((_problem_relpath(root, path), reason))

    while stack:
        directory, prefix = stack.pop()
        try:
            st = os.stat(directory)
            if (st.st_dev, st.st_ino) in seen_dirs:
                report(directory, "symbolic link loop (not followed)")
                continue
            seen_dirs.add((st.st_dev, st.st_ino))
            entries = list(os.scandir(directory))
        except OSError as error:
            report(directory, f"cannot list folder ({error.strerror or error})")
            continue
        entries.sort(key=_name)
        subdirs = []
        # The hot loop of a no-change sync (a million turns at 1M articles): the
        # common case, a regular article file, takes the fewest calls.
        for entry in entries:
            name = entry.name
            if name[0] == ".":
                continue
            try:
                if entry.is_symlink():
                    if not follow_symlinks:
                        reason = _symlink_problem(entry.path, root_real)
                        if reason:
                            report(entry.path, reason)
                        continue
                    target = os.path.realpath(entry.path)
                    if not (target == root_real or target.startswith(root_real + os.sep)):
                        report(entry.path, "symbolic link to outside the articles folder (not followed)")
                        continue
                if entry.is_dir(follow_symlinks=follow_symlinks):
                    subdirs.append((entry.path, prefix + name + "/"))
                    continue
                if not name.lower().endswith(ARTICLE_SUFFIXES):
                    continue
                st = entry.stat(follow_symlinks=follow_symlinks)
            except OSError as error:
                report(entry.path, f"cannot read ({error.strerror or error})")
                continue
            if not S_ISREG(st.st_mode):
                report(entry.path, f"not a regular file ({_file_type(st.st_mode)})")
                continue
            relpath = prefix + name
            if not relpath.isascii() and not _valid_utf8(relpath):
                report(entry.path, "file name is not valid UTF-8")
                continue
            yield ArticleFile(relpath, entry.path, st.st_size, st.st_mtime_ns)
        stack.extend(reversed(subdirs))


def _file_type(mode: int) -> str:
    for test, name in (
        (stat.S_ISFIFO, "a named pipe"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISDIR, "a folder"),
    ):
        if test(mode):
            return name
    return "not a plain file"


def read_bytes(path: str | os.PathLike[str], limit: int | None = MAX_FILE_BYTES) -> bytes:
    """The bytes of a plain file (of at most ``limit`` bytes); raises
    :class:`UnreadableArticle` with the reason.

    Opened with O_NONBLOCK so a named pipe (given by the user, or swapped in
    after a scan) never blocks; fstat then refuses anything but a plain file.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except IsADirectoryError:
        raise UnreadableArticle("is a folder") from None
    except PermissionError:
        raise UnreadableArticle("permission denied") from None
    except FileNotFoundError:
        raise UnreadableArticle("no such file (or it vanished while reading)") from None
    except OSError as error:
        raise UnreadableArticle(f"cannot read ({error.strerror or error})") from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise UnreadableArticle("is a folder")
        if not stat.S_ISREG(st.st_mode):
            raise UnreadableArticle(f"not a regular file ({_file_type(st.st_mode)})")
        if limit is not None and st.st_size > limit:
            raise UnreadableArticle(too_large(st.st_size))
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read() if limit is None else handle.read(limit + 1)
    except OSError as error:
        raise UnreadableArticle(f"cannot read ({error.strerror or error})") from None
    finally:
        os.close(fd)


def read_article(
    file: ArticleFile | str | os.PathLike[str], root: str | os.PathLike[str] | None = None, notes: list[str] | None = None
) -> Article:
    """Read and parse one file; raises :class:`UnreadableArticle` with the reason.

    What was read but ignored (an impossible front-matter date, say) is
    appended to ``notes``, one line each.
    """
    if not isinstance(file, ArticleFile):
        path = Path(file)
        relpath = os.path.relpath(path, root).replace(os.sep, "/") if root else path.name
        file = ArticleFile(relpath, path, 0, 0)
    return parse_article(read_bytes(file.path), file.relpath, notes)


#: Longest paragraph (text between blank lines) an article may have. Real ones
#: are a few thousand characters; a multi-megabyte line is a data dump, and
#: indexing and highlighting one takes tens of seconds per search.
MAX_PARAGRAPH_CHARS = 1_000_000
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def _check_paragraph_sizes(text: str) -> None:
    if len(text) <= MAX_PARAGRAPH_CHARS:
        return
    longest = max(len(block) for block in _BLANK_LINE.split(text))
    if longest > MAX_PARAGRAPH_CHARS:
        raise UnreadableArticle(
            f"not an article: a paragraph of {longest / 1_000_000:.1f} million characters"
            f" without a blank line (limit {MAX_PARAGRAPH_CHARS // 1_000_000} million)"
        )


def parse_article(data: bytes, relpath: str, notes: list[str] | None = None) -> Article:
    """The article in ``data``; what was ignored on the way is appended to ``notes``."""
    if relpath.lower().endswith(HTML_SUFFIXES):
        return parse_html_article(data, relpath)
    text, _encoding = decode_bytes(data)
    text = strip_controls(text)
    meta: FrontMatter = {}
    body_text = text
    if relpath.lower().endswith((".md", ".markdown")) or text.startswith("---"):
        meta, body_text = split_front_matter(text, notes)
    _check_paragraph_sizes(body_text)
    parsed = parse_text(
        body_text,
        title=meta.get("title", ""),
        authors=meta.get("authors", []),
        date=meta.get("date", ""),
        source=meta.get("source", ""),
    )
    return build_article(
        parsed,
        article_id=article_id_for(relpath),
        path=relpath,
        content_hash=hashlib.blake2b(data, digest_size=16).hexdigest(),
        url=meta.get("url", ""),
        tags=tuple(meta.get("tags", ())),
    )
