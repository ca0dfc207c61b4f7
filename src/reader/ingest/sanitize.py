"""Make untrusted article text safe to store, index and put on a terminal.

Rich and Textual drop BEL/BS/CR but pass ESC, so an article containing an
OSC 52 clipboard write or an OSC 8 link would reach the terminal. We remove
escape sequences, C0 and C1 controls, bidi overrides and zero-width
characters once, at ingest, so every later layer handles clean text.
"""

from __future__ import annotations

import re

# ESC-introduced sequences: CSI (ESC [ ... final), OSC / DCS / SOS / PM / APC
# (ESC ] ... BEL or ST), and two-character escapes (ESC + one byte).
_ESCAPE_SEQUENCE = re.compile(
    r"""
    \x1b\[[0-?]*[ -/]*[@-~]                 # CSI
  | \x1b[\]PX^_][^\x07\x1b\n]*(?:\x07|\x1b\\)?  # OSC, DCS, SOS, PM, APC up to BEL or ST (or the line end)
  | \x1b[ -/]*[0-~]                         # other two-byte escapes
  | \x9b[0-?]*[ -/]*[@-~]                   # 8-bit CSI
  | [\x90\x9d\x9e\x9f][^\x07\x9c\n]*(?:\x07|\x9c)?  # 8-bit DCS/OSC/PM/APC
    """,
    re.VERBOSE,
)

# C0 controls except tab and newline, DEL, C1 controls, bidi embeddings,
# overrides and isolates, zero-width and other invisible format characters.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb]"
)


def strip_controls(text: str) -> str:
    """Remove escape sequences and invisible/control characters; keep ``\\n`` and ``\\t``."""
    if not text:
        return text
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ESCAPE_SEQUENCE.sub("", text)
    return _INVISIBLE.sub("", text)


_UNPRINTABLE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb\udc80-\udcff]"
)


def printable(text: str) -> str:
    """A file name or other raw string made safe to show on one terminal line.

    Unlike :func:`strip_controls` nothing is removed, so the name stays
    recognisable: controls, bidi and invisible characters become ``\\xNN`` or
    ``\\uNNNN`` escapes, and undecodable bytes of a file name (``os.fsdecode``
    surrogates) become ``\\xNN``.
    """

    def escape(match: re.Match) -> str:
        code = ord(match.group())
        if 0xDC80 <= code <= 0xDCFF:
            return f"\\x{code - 0xDC00:02x}"
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return _UNPRINTABLE.sub(escape, text)


def valid_unicode(text: str) -> str:
    """``text`` with lone surrogates (undecodable argv bytes, broken input) as U+FFFD.

    Nothing can encode a lone surrogate: Whoosh, SQLite and every output
    stream raise UnicodeEncodeError on one.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text


def clean_inline(text: str) -> str:
    """One-line metadata (titles, names): controls removed, whitespace folded."""
    return " ".join(strip_controls(text).split())


# One-for-one replacements so searching treats typographic variants as the
# plain ones, while offsets into the displayed text stay valid.
SEARCH_FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00a0": " ",
        "\u2007": " ",
        "\u202f": " ",
        "\u2009": " ",
        "\u200a": " ",
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
    }
)


def fold_for_search(text: str) -> str:
    """Same length as ``text``: curly quotes, dashes and odd spaces made plain."""
    return text.translate(SEARCH_FOLD)
