"""A generator of bad article files and folders, mixed with good ones.

Used by ``tests/test_hardening*.py`` and reusable by anyone testing a layer
against hostile input (the app, bookmarks)::

    from tests.badfiles import BAD_KINDS, make_bad_corpus, make_good_articles

    good = make_good_articles(root, 20)        # {relpath: unique search word}
    made = make_bad_corpus(root)               # {kind name: Made}

Each :class:`BadKind` says what must happen when the folder is indexed:

* ``"indexed"``: the file is a readable article in an unusual shape (UTF-16,
  latin-1, hostile front matter ...); it must be indexed and ``probe`` must
  find it;
* ``"skipped"``: it cannot be an article; ``Library.sync()`` must report it
  in ``SyncReport.skipped`` as ``(path, reason)`` with ``reason`` containing
  ``reason`` (a substring), and ``reader index`` prints ``skipped PATH: REASON``;
* ``"ignored"``: not an article candidate at all (a hidden file); nothing
  is indexed and nothing said.

Kinds whose badness happens *while* indexing (a file deleted or rewritten
between the scan and the read, an unreadable file when running as root)
carry a ``during_read`` hook; the test calls it from a wrapper around the
read step, just before the file is read.

:func:`indexed_bad_corpus` indexes the whole corpus once both ways (the
``bad_run`` fixture in conftest.py); :class:`BadRun` is what it hands over.

Run ``python -m tests.badfiles DIR`` to write the corpus into DIR (for
trying the app or the CLI by hand).
"""

from __future__ import annotations

import codecs
import errno
import hashlib
import os
import random
import sys
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator

    from reader import Library

#: Words for generated article text; unique probe words are added per file.
_WORDS = (
    "trade talks tariff officials said beijing washington negotiators market exports "
    "growth steel soybeans agreement delegation minister commerce week deadline analysts "
    "investors technology companies industry report government policy economy percent"
).split()

_HOSTILE_NAME = "osc\x1b]52;c;ZXZpbA==\x07name.txt"  # an OSC 52 clipboard write in a file name


def unique_word(seed: str) -> str:
    """A made-up word that stems to itself and occurs nowhere else: ``zqx`` + letters."""
    letters = "bcdfghjklmnpqrstvwxz"
    number = int.from_bytes(hashlib.blake2b(seed.encode(), digest_size=8).digest(), "big")
    out = []
    for _ in range(6):
        number, digit = divmod(number, len(letters))
        out.append(letters[digit])
    return "zqx" + "".join(out)


def article_text(title: str, word: str, paragraphs: int = 3, seed: int = 0, dateline: str = "GENEVA") -> str:
    """A small plain-text news article that contains ``word`` in its body."""
    rng = random.Random(seed)
    paras = []
    for index in range(paragraphs):
        words = [rng.choice(_WORDS) for _ in range(rng.randint(25, 45))]
        if index == 0:
            words.insert(3, word)
            paras.append(f"{dateline} -- " + " ".join(words).capitalize() + ".")
        else:
            paras.append(" ".join(words).capitalize() + ".")
    return f"{title}\n\nBy Jane Roe\n\n" + "\n\n".join(paras) + "\n"


def make_good_articles(root: Path, count: int, *, prefix: str = "good", seed: int = 0) -> dict[str, str]:
    """``count`` good articles under ``root/prefix/``; returns {relpath: unique word}."""
    folder = root / prefix
    folder.mkdir(parents=True, exist_ok=True)
    made = {}
    for index in range(count):
        word = unique_word(str(seed * 100_000 + index))
        relpath = f"{prefix}/{index:04d}.txt"
        (root / relpath).write_text(
            article_text(f"Good article number {index}", word, seed=seed * 100_000 + index), encoding="utf-8"
        )
        made[relpath] = word
    return made


# -- the bad kinds -------------------------------------------------------------


@dataclass
class Made:
    """What one kind created: the relpaths to expect in a report, and a probe word."""

    paths: list[str]
    probe: str = ""  # found when the kind is "indexed"; never found otherwise
    cleanup: Callable[[], None] | None = None
    also_indexed: dict[str, str] = field(default_factory=dict)  # good files made alongside: {relpath: word}


@dataclass(frozen=True)
class BadKind:
    name: str
    description: str
    expect: str  # "indexed" | "skipped" | "ignored"
    make: Callable[[Path], Made]
    reason: str = ""  # substring of the skip reason
    during_read: Callable[[Path, Path], None] | None = None  # (root, file) just before it is read
    requires: str = ""  # "symlinks" | "fifo" | "" (always possible)
    tags: frozenset[str] = field(default_factory=frozenset)


def _write(root: Path, relpath: str, data: bytes | str) -> Path:
    path = root / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def _text_kind(relpath: str, build: Callable[[str], bytes | str]) -> Callable[[Path], Made]:
    def make(root: Path) -> Made:
        word = unique_word(relpath)
        _write(root, relpath, build(word))
        return Made([relpath], word)

    return make


def _story(word: str, title: str = "A story with an odd shape") -> str:
    return article_text(title, word, seed=len(title))


def _invalid_utf8(word: str) -> bytes:
    text = _story(word).encode("utf-8")
    return text[:40] + b"\xff\xfe\xc3\x28 broken \xe2\x82 bytes " + text[40:]


def _yaml_front_matter(yaml_text: str) -> Callable[[str], str]:
    def build(word: str) -> str:
        return f"---\n{yaml_text}\n---\n" + _story(word, "Front matter gone wrong")

    return build


_BILLION_LAUGHS = "\n".join(
    [
        'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
        *(f"{name}: &{name} [{', '.join(['*' + prev] * 9)}]" for prev, name in zip("abcdefgh", "bcdefghi", strict=True)),
        "title: *i",
        "authors: *i",
        "tags: *i",
        "date: *i",
    ]
)


def _html_bomb(word: str) -> str:
    depth = 50_000
    return "<div>" * depth + f" {word} officials said " + "</div>" * depth + "\n"


def _huge_single_line(word: str) -> bytes:
    rng = random.Random(20)
    chunk = " ".join(rng.choice(_WORDS) for _ in range(2000)).encode()
    target = 20 * 1024 * 1024
    return (word.encode() + b" " + chunk * (target // len(chunk) + 1))[:target]


def _five_thousand_paragraphs(word: str) -> str:
    paras = [f"Paragraph {i} of a very long story about trade talks, officials said." for i in range(5000)]
    paras[4321] += f" {word}"
    return "A very long article\n\n" + "\n\n".join(paras) + "\n"


def _hover_card_redos(word: str) -> str:
    # A paragraph shaped to make the hover-card pattern backtrack at every word.
    return f"Glue story\n\nLONDON -- {word} officials said. " + "AbAb " * 40_000 + " MORE\n\nSecond paragraph.\n"


def _deep(root: Path) -> Made:
    parts = ["d"] * 200
    relpath = "/".join(["deep", *parts, "bottom.txt"])
    word = unique_word("deep")
    _write(root, relpath, _story(word, "Two hundred folders down"))
    return Made([relpath], word)


def _symlink_loop(root: Path) -> Made:
    folder = root / "loops"
    folder.mkdir(parents=True, exist_ok=True)
    word = unique_word("loops")
    _write(root, "loops/inside.txt", _story(word, "Next to a symlink loop"))
    os.symlink("..", folder / "up")  # loops/up -> articles root
    os.symlink("self", folder / "self")  # a link to itself
    return Made(["loops/self", "loops/up"], also_indexed={"loops/inside.txt": word})


def _symlink_outside(root: Path) -> Made:
    outside = root.parent / (root.name + "-outside")
    outside.mkdir(exist_ok=True)
    secret_word = unique_word("outside-secret")
    (outside / "secret.txt").write_text(_story(secret_word, "Outside the articles folder"), encoding="utf-8")
    os.symlink(outside, root / "outside-dir")
    os.symlink(outside / "secret.txt", root / "outside-file.txt")
    return Made(["outside-dir", "outside-file.txt"], secret_word)  # probe must NOT be found


def _symlink_dangling(root: Path) -> Made:
    os.symlink(root / "does-not-exist.txt", root / "dangling.txt")
    return Made(["dangling.txt"])


def _fifo(root: Path) -> Made:
    os.mkfifo(root / "pipe.txt")
    return Made(["pipe.txt"])


def _unreadable(root: Path) -> Made:
    word = unique_word("unreadable")
    path = _write(root, "unreadable.txt", _story(word, "Nobody may read this"))
    path.chmod(0)
    return Made(["unreadable.txt"], word, cleanup=lambda: path.chmod(0o644))


def _unreadable_folder(root: Path) -> Made:
    folder = root / "locked"
    _write(root, "locked/inside.txt", _story(unique_word("locked"), "Behind a locked folder"))
    folder.chmod(0)
    return Made(["locked"], cleanup=lambda: folder.chmod(0o755))


def _vanishing(root: Path) -> Made:
    word = unique_word("vanishing")
    _write(root, "vanishing.txt", _story(word, "Deleted while indexing"))
    return Made(["vanishing.txt"], word)


def _delete(root: Path, path: Path) -> None:
    path.unlink()


def _rewritten(root: Path) -> Made:
    word = unique_word("rewritten-old")
    _write(root, "rewritten.txt", _story(word, "Rewritten while indexing"))
    return Made(["rewritten.txt"], unique_word("rewritten-new"))


def _rewrite(root: Path, path: Path) -> None:
    path.write_text(_story(unique_word("rewritten-new"), "Rewritten while indexing, new version"), encoding="utf-8")


def _replaced_by_folder(root: Path) -> Made:
    _write(root, "became-folder.txt", _story(unique_word("became-folder"), "Replaced by a folder"))
    return Made(["became-folder.txt"])


def _to_folder(root: Path, path: Path) -> None:
    path.unlink()
    path.mkdir()


def _replaced_by_fifo(root: Path) -> Made:
    _write(root, "became-fifo.txt", _story(unique_word("became-fifo"), "Replaced by a pipe"))
    return Made(["became-fifo.txt"])


def _to_fifo(root: Path, path: Path) -> None:
    path.unlink()
    os.mkfifo(path)


def _truncated(root: Path) -> Made:
    _write(root, "truncated.txt", _story(unique_word("truncated"), "Emptied while indexing"))
    return Made(["truncated.txt"])


def _truncate(root: Path, path: Path) -> None:
    path.write_bytes(b"")


def _bad_name_bytes(root: Path) -> Made:
    name = os.fsencode(str(root)) + b"/caf\xe9-latin1-name.txt"
    with open(name, "wb") as handle:
        handle.write(_story(unique_word("badname"), "A name that is not UTF-8").encode())
    return Made(["caf\\xe9-latin1-name.txt"])


def _too_large(root: Path) -> Made:
    path = root / "too-large.txt"
    with open(path, "wb") as handle:
        handle.write(b"Sparse\n\n")
        handle.truncate(33 * 1024 * 1024)  # sparse: cheap to make
    return Made(["too-large.txt"])


BAD_KINDS: tuple[BadKind, ...] = (
    # -- encodings and bytes
    BadKind(
        "invalid-utf8", "UTF-8 text with invalid byte sequences", "indexed", _text_kind("enc/invalid-utf8.txt", _invalid_utf8)
    ),
    BadKind(
        "utf16-le-bom",
        "UTF-16 LE with BOM",
        "indexed",
        _text_kind("enc/utf16-le-bom.txt", lambda w: codecs.BOM_UTF16_LE + _story(w).encode("utf-16-le")),
    ),
    BadKind(
        "utf16-be-bom",
        "UTF-16 BE with BOM",
        "indexed",
        _text_kind("enc/utf16-be-bom.txt", lambda w: codecs.BOM_UTF16_BE + _story(w).encode("utf-16-be")),
    ),
    BadKind(
        "utf16-le-nobom",
        "UTF-16 LE without BOM",
        "indexed",
        _text_kind("enc/utf16-le-nobom.txt", lambda w: _story(w).encode("utf-16-le")),
    ),
    BadKind(
        "utf16-be-nobom",
        "UTF-16 BE without BOM",
        "indexed",
        _text_kind("enc/utf16-be-nobom.txt", lambda w: _story(w).encode("utf-16-be")),
    ),
    BadKind("utf32-bom", "UTF-32 with BOM", "indexed", _text_kind("enc/utf32.txt", lambda w: _story(w).encode("utf-32"))),
    BadKind(
        "utf8-bom-crlf",
        "UTF-8 with BOM and CRLF line ends",
        "indexed",
        _text_kind("enc/utf8-bom-crlf.txt", lambda w: codecs.BOM_UTF8 + _story(w).replace("\n", "\r\n").encode()),
    ),
    BadKind(
        "latin1",
        "latin-1 with accented words",
        "indexed",
        _text_kind(
            "enc/latin1.txt",
            lambda w: ("Café société à Genève\n\n" + _story(w).replace("officials", "fonctionnaires élus")).encode("latin-1"),
        ),
    ),
    BadKind(
        "cp1252-quotes",
        "Windows-1252 curly quotes and dashes",
        "indexed",
        _text_kind("enc/cp1252.txt", lambda w: ("\u201cQuoted\u201d headline \u2013 today\n\n" + _story(w)).encode("cp1252")),
    ),
    BadKind(
        "form-feed-glue",
        "a form feed between two words",
        "indexed",
        _text_kind("enc/form-feed.txt", lambda w: _story(w).replace(w, "met\x0c" + w)),
    ),
    BadKind(
        "vertical-tab-glue",
        "Word's manual line break (VT) between two words",
        "indexed",
        _text_kind("enc/vt.txt", lambda w: _story(w).replace(w, "met\x0b" + w)),
    ),
    BadKind(
        "nel-glue",
        "a NEL (U+0085) between two words",
        "indexed",
        _text_kind("enc/nel.txt", lambda w: _story(w).replace(w, "met\x85" + w)),
    ),
    BadKind(
        "mixed-utf8-cp1252",
        "UTF-8 lines and Windows-1252 lines in one file",
        "indexed",
        _text_kind(
            "enc/mixed.txt", lambda w: _story(w).encode() + "\n\nCaf\u00e9 \u201cquoted\u201d in Word.\n".encode("cp1252")
        ),
    ),
    BadKind(
        "nul-bytes",
        "text with NUL bytes in it",
        "skipped",
        _text_kind("bin/nul-bytes.txt", lambda w: _story(w).encode().replace(b" ", b"\x00", 5)),
        reason="binary",
    ),
    BadKind(
        "binary-png",
        "a PNG image named .txt",
        "skipped",
        _text_kind("bin/image.txt", lambda w: b"\x89PNG\r\n\x1a\n" + random.Random(1).randbytes(4096)),
        reason="binary",
    ),
    BadKind(
        "binary-random",
        "random bytes named .md",
        "skipped",
        _text_kind("bin/random.md", lambda w: random.Random(2).randbytes(8192)),
        reason="binary",
    ),
    BadKind(
        "binary-controls",
        "control characters without NULs",
        "skipped",
        _text_kind("bin/controls.txt", lambda w: bytes(b % 31 + 1 for b in random.Random(3).randbytes(4096))),
        reason="binary",
    ),
    BadKind("zero-bytes", "a 0-byte file", "skipped", _text_kind("empty/zero.txt", lambda w: b""), reason="empty"),
    BadKind(
        "whitespace-only",
        "only spaces and newlines",
        "skipped",
        _text_kind("empty/blank.txt", lambda w: b"  \n\n\t\n   \n"),
        reason="empty",
    ),
    BadKind(
        "debris-only",
        "only web-page furniture",
        "skipped",
        _text_kind("empty/debris.txt", lambda w: "Advertisement\n\nShare this article\n\nNo posts to display\n"),
        reason="no article text",
    ),
    BadKind("too-large", "33 MB (over the 32 MB limit)", "skipped", _too_large, reason="too large"),
    # -- size and shape
    BadKind(
        "huge-single-line",
        "a 20 MB file that is one line",
        "skipped",
        _text_kind("shape/huge-line.txt", _huge_single_line),
        reason="paragraph",
    ),
    BadKind("5000-paragraphs", "a 5,000-paragraph article", "indexed", _text_kind("shape/long.txt", _five_thousand_paragraphs)),
    BadKind(
        "very-long-word",
        "a 200,000-letter word",
        "indexed",
        _text_kind("shape/long-word.txt", lambda w: _story(w) + "\n\n" + "x" * 200_000 + "\n"),
    ),
    BadKind(
        "hover-card-redos",
        "a paragraph that makes the hover-card regex backtrack",
        "indexed",
        _text_kind("shape/redos.txt", _hover_card_redos),
    ),
    BadKind("html-bomb-txt", "50,000 nested <div> tags in a .txt", "indexed", _text_kind("html/bomb.txt", _html_bomb)),
    BadKind("html-bomb-md", "50,000 nested <div> tags in a .md", "indexed", _text_kind("html/bomb-md.md", _html_bomb)),
    # -- front matter
    BadKind(
        "yaml-billion-laughs",
        "YAML aliases nested nine deep (billion laughs)",
        "indexed",
        _text_kind("yaml/laughs.md", _yaml_front_matter(_BILLION_LAUGHS)),
    ),
    BadKind(
        "yaml-python-object",
        "!!python/object/apply tags",
        "indexed",
        _text_kind(
            "yaml/pyobject.md",
            _yaml_front_matter(
                'title: !!python/object/apply:os.system ["touch /tmp/reader-pwned"]\nauthors: !!python/name:os.system'
            ),
        ),
    ),
    BadKind(
        "yaml-huge-key",
        "a 60,000-character key",
        "indexed",
        _text_kind("yaml/huge-key.md", _yaml_front_matter("k" * 60_000 + ": v\ntitle: Huge key")),
    ),
    BadKind(
        "yaml-over-limit",
        "front matter over 64 KB",
        "indexed",
        _text_kind("yaml/over-limit.md", _yaml_front_matter("note: " + "x" * 70_000)),
    ),
    BadKind(
        "yaml-broken",
        "unclosed quotes and tabs in YAML",
        "indexed",
        _text_kind("yaml/broken.md", _yaml_front_matter('title: "unclosed\n\tauthors: [a, b\ndate: : :')),
    ),
    BadKind(
        "yaml-wrong-types",
        "lists, maps and impossible dates where strings belong",
        "indexed",
        _text_kind(
            "yaml/types.md",
            _yaml_front_matter(
                "title: [1, 2, {a: b}]\ndate: 99999-99-99\nauthors: {x: y}\ntags: "
                + "["
                + ", ".join(["t"] * 5000)
                + "]\nsource: null\nurl: 12"
            ),
        ),
    ),
    BadKind(
        "yaml-impossible-date",
        "an impossible date among good fields",
        "indexed",
        _text_kind("yaml/feb30.md", _yaml_front_matter("title: Kept\ndate: 2019-02-30\nauthors: [Ann Lee]")),
    ),
    BadKind(
        "yaml-not-a-mapping", "front matter that is a list", "indexed", _text_kind("yaml/list.md", _yaml_front_matter("- a\n- b"))
    ),
    BadKind(
        "yaml-unterminated",
        "front matter without a closing fence",
        "indexed",
        _text_kind("yaml/unterminated.md", lambda w: "---\ntitle: never closed\n" + _story(w)),
    ),
    BadKind(
        "yaml-only",
        "front matter and no body",
        "skipped",
        _text_kind("yaml/only.md", lambda w: "---\ntitle: Nothing else\n---\n"),
        reason="no article text",
    ),
    # -- names
    BadKind("name-spaces", "spaces in the file name", "indexed", _text_kind("names/a name with spaces.txt", _story)),
    BadKind("name-newline", "a newline in the file name", "indexed", _text_kind("names/new\nline.txt", _story)),
    BadKind("name-emoji", "emoji in the file name", "indexed", _text_kind("names/\U0001f4f0 news \U0001f525.txt", _story)),
    BadKind("name-escape", "an OSC 52 escape sequence in the file name", "indexed", _text_kind("names/" + _HOSTILE_NAME, _story)),
    BadKind("name-bidi", "a right-to-left override in the file name", "indexed", _text_kind("names/evil\u202etxt.md", _story)),
    BadKind(
        "name-markup",
        "Rich markup in the file name",
        "indexed",
        _text_kind("names/[bold red]x [link=https:e.vil]y [blink]z.txt", _story),
    ),
    BadKind("name-long", "a 250-byte file name", "indexed", _text_kind("names/" + "n" * 246 + ".txt", _story)),
    BadKind("name-invalid-utf8", "invalid UTF-8 bytes in the file name", "skipped", _bad_name_bytes, reason="not valid UTF-8"),
    BadKind("name-uppercase-suffix", "an upper-case .TXT suffix", "indexed", _text_kind("names/SHOUTING.TXT", _story)),
    BadKind("hidden-file", "a hidden file", "ignored", _text_kind(".hidden.txt", _story)),
    # -- folders and links
    BadKind("deep-nesting", "200 levels of folders", "indexed", _deep),
    BadKind(
        "symlink-loop",
        "symlinks that loop (to the parent and to itself)",
        "skipped",
        _symlink_loop,
        reason="symbolic link",
        requires="symlinks",
    ),
    BadKind(
        "symlink-outside",
        "symlinks to a folder and a file outside the articles folder",
        "skipped",
        _symlink_outside,
        reason="symbolic link",
        requires="symlinks",
    ),
    BadKind(
        "symlink-dangling", "a symlink to nothing", "skipped", _symlink_dangling, reason="symbolic link", requires="symlinks"
    ),
    BadKind("fifo", "a named pipe called pipe.txt", "skipped", _fifo, reason="not a regular file", requires="fifo"),
    BadKind(
        "unreadable-file",
        "a file with mode 000",
        "skipped",
        _unreadable,
        reason="permission denied",
        tags=frozenset({"permissions"}),
    ),
    BadKind(
        "unreadable-folder",
        "a folder with mode 000",
        "skipped",
        _unreadable_folder,
        reason="cannot list folder",
        tags=frozenset({"permissions"}),
    ),
    # -- changes while indexing
    BadKind(
        "deleted-while-indexing",
        "deleted between the scan and the read",
        "skipped",
        _vanishing,
        reason="vanished",
        during_read=_delete,
    ),
    BadKind("rewritten-while-indexing", "rewritten between the scan and the read", "indexed", _rewritten, during_read=_rewrite),
    BadKind(
        "emptied-while-indexing",
        "truncated to 0 bytes between the scan and the read",
        "skipped",
        _truncated,
        reason="empty",
        during_read=_truncate,
    ),
    BadKind(
        "became-folder-while-indexing",
        "replaced by a folder between the scan and the read",
        "skipped",
        _replaced_by_folder,
        reason="folder",
        during_read=_to_folder,
    ),
    BadKind(
        "became-fifo-while-indexing",
        "replaced by a named pipe between the scan and the read",
        "skipped",
        _replaced_by_fifo,
        reason="not a regular file",
        during_read=_to_fifo,
        requires="fifo",
    ),
)

KINDS_BY_NAME = {kind.name: kind for kind in BAD_KINDS}


def available(kind: BadKind) -> bool:
    if kind.requires == "symlinks":
        return hasattr(os, "symlink") and os.name == "posix"
    if kind.requires == "fifo":
        return hasattr(os, "mkfifo")
    return True


def make_bad_corpus(root: Path, kinds=BAD_KINDS) -> dict[str, Made]:
    """Write every available kind under ``root``; returns {kind name: Made}."""
    root.mkdir(parents=True, exist_ok=True)
    return {kind.name: kind.make(root) for kind in kinds if available(kind)}


def permissions_enforced(path: Path) -> bool:
    """Whether a mode-000 ``path`` really cannot be read (not so for root)."""
    try:
        if path.is_dir():
            os.listdir(path)
        else:
            with open(path, "rb"):
                pass
    except PermissionError:
        return True
    return False


@dataclass
class Armed:
    """What :func:`armed` did: the paths whose unreadability had to be simulated."""

    simulated: list[str] = field(default_factory=list)


@contextmanager
def armed(root: Path, made: dict[str, Made], *, during_read: bool = True):
    """Make the kinds that go bad *while* indexing happen, for the duration.

    * ``during_read`` hooks run from a wrapper around the sync's read step
      (``reader.index.sync.read_article``), just before their file is read;
    * mode-000 files and folders stay unreadable: where permissions are not
      enforced (tests running as root), ``os.open`` and ``os.scandir`` raise
      ``PermissionError`` for exactly those paths (``os.access`` says no), and ``Armed.simulated``
      says which (``during_read=False`` keeps only this part).
    """
    import reader.index.sync as sync_module

    hooks: dict[str, Callable[[Path, Path], None]] = {}
    denied: set[str] = set()
    state = Armed()
    for kind in BAD_KINDS:
        if kind.name not in made:
            continue
        if kind.during_read and during_read:
            for relpath in made[kind.name].paths:
                hooks[relpath] = kind.during_read
        if "permissions" in kind.tags:
            path = root / made[kind.name].paths[0]
            if not permissions_enforced(path):
                denied.add(os.path.normpath(path))
                state.simulated.append(made[kind.name].paths[0])

    original_read = sync_module.read_article
    original_open, original_scandir, original_access = os.open, os.scandir, os.access

    def read_article(file, *args, **kwargs):
        hook = hooks.pop(file.relpath, None)
        if hook is not None:
            hook(root, Path(file.path))
        return original_read(file, *args, **kwargs)

    def refuse(path) -> None:
        if isinstance(path, (str, bytes, os.PathLike)) and os.path.normpath(os.fsdecode(path)) in denied:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fsdecode(path))

    def guarded_open(path, flags, *args, **kwargs):
        refuse(path)
        return original_open(path, flags, *args, **kwargs)

    def guarded_scandir(path="."):
        refuse(path)
        return original_scandir(path)

    def guarded_access(path, mode, *args, **kwargs):
        try:
            refuse(path)
        except PermissionError:
            return False
        return original_access(path, mode, *args, **kwargs)

    sync_module.read_article = read_article
    if denied:
        os.open, os.scandir, os.access = guarded_open, guarded_scandir, guarded_access
    try:
        yield state
    finally:
        sync_module.read_article = original_read
        os.open, os.scandir, os.access = original_open, original_scandir, original_access


def restore_during_read_kinds(root: Path, made: dict[str, Made]) -> None:
    """Put the files that :func:`armed` changed back as they were made (to run again)."""
    import shutil

    for kind in BAD_KINDS:
        if kind.during_read and kind.name in made:
            for relpath in made[kind.name].paths:
                path = root / relpath
                if path.is_dir() and not path.is_symlink():
                    shutil.rmtree(path)
                elif path.exists() or path.is_symlink():
                    path.unlink()
            made[kind.name] = kind.make(root)


def cleanup(made: dict[str, Made]) -> None:
    for item in made.values():
        if item.cleanup:
            item.cleanup()


# -- the whole corpus, indexed once (the bad_run fixture) ----------------------------------

GOOD = 12
PWNED = Path("/tmp/reader-pwned")  # what the !!python/object front matter would create


@dataclass
class BadRun:
    root: Path
    library: Library
    report: object  # SyncReport
    made: dict[str, Made]
    good: dict[str, str]
    cli_code: int
    cli_err: str
    cli_index: Path


@contextmanager
def indexed_bad_corpus(base: Path) -> Iterator[BadRun]:
    """Good and bad files under ``base/articles``, indexed by ``Library.sync()`` and by
    ``reader index`` (into ``base/cli-index``), each with the while-indexing kinds armed."""
    import pytest

    from reader import Library
    from reader.cli import main

    if PWNED.exists():
        PWNED.unlink()
    root = base / "articles"
    good = make_good_articles(root, GOOD)
    made = make_bad_corpus(root, [kind for kind in BAD_KINDS if available(kind)])
    library = Library(root, base / "index")
    try:
        with armed(root, made):
            report = library.sync(entities=False)
        restore_during_read_kinds(root, made)
        with armed(root, made), pytest.MonkeyPatch.context() as patch:
            errors: list[str] = []
            patch.setattr("sys.stderr", _Capture(errors))
            patch.setenv("COLUMNS", "400")
            cli_code = main(["--articles", str(root), "--index", str(base / "cli-index"), "index", "--no-entities"])
        yield BadRun(root, library, report, made, good, cli_code, "".join(errors), base / "cli-index")
    finally:
        library.close()
        cleanup(made)


class _Capture:
    """A stand-in stderr for a fixture wider than a test (capsys is per test)."""

    def __init__(self, sink: list[str]) -> None:
        self.sink = sink

    def write(self, text: str) -> int:
        self.sink.append(text)
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m tests.badfiles DIR", file=sys.stderr)
        return 2
    root = Path(argv[0])
    make_good_articles(root, 10)
    for name, made in make_bad_corpus(root).items():
        print(f"{name}: {', '.join(made.paths)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
