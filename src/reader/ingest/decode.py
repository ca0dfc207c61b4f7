"""Turn the bytes of an article file into text, or say clearly why not.

UTF-8 is tried first (it is what almost every file is, and it is exact);
byte-order marks decide UTF-16/32; everything else goes to
charset-normalizer, which handles cp1252, latin-1 and friends far better
than a hand-written guess list would. A file in a single-byte code page is
decoded line by line, so UTF-8 lines pasted into it stay readable.
"""

from __future__ import annotations

import codecs

MAX_FILE_BYTES = 32 * 1024 * 1024
_WESTERN_TOLERANCE = 0.1

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class UnreadableArticle(Exception):
    """The file cannot be read as an article; ``str()`` is the reason for users."""


def _looks_like_bomless_utf16(data: bytes) -> str | None:
    """UTF-16 without BOM: ASCII text leaves every other byte zero."""
    sample = data[:4096]
    if len(sample) < 4 or len(sample) % 2:
        sample = sample[: len(sample) - len(sample) % 2]
    if len(sample) < 4:
        return None
    even_zero = sample[0::2].count(0) / (len(sample) / 2)
    odd_zero = sample[1::2].count(0) / (len(sample) / 2)
    if odd_zero > 0.4 and even_zero < 0.05:
        return "utf-16-le"
    if even_zero > 0.4 and odd_zero < 0.05:
        return "utf-16-be"
    return None


def too_large(size: int) -> str:
    mb = 1024 * 1024
    return f"too large ({size / mb:.0f} MB; limit {MAX_FILE_BYTES // mb} MB)"


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Return ``(text, encoding)`` or raise :class:`UnreadableArticle`."""
    if not data.strip():
        raise UnreadableArticle("empty file")
    if len(data) > MAX_FILE_BYTES:
        raise UnreadableArticle(too_large(len(data)))
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding.replace("-sig", "")
            except UnicodeDecodeError as error:
                raise UnreadableArticle(f"invalid {encoding} text ({error.reason})") from None
    utf16 = _looks_like_bomless_utf16(data)
    if utf16:
        try:
            return data.decode(utf16), utf16
        except UnicodeDecodeError:
            pass
    if b"\x00" in data:
        raise UnreadableArticle("binary file (contains NUL bytes)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if _mostly_controls(text):  # valid UTF-8 is not yet text: control bytes are ASCII too
            raise UnreadableArticle("binary file (mostly control characters)")
        return text, "utf-8"
    from charset_normalizer import from_bytes

    head = data[:262144] if len(data) > 262144 else data
    sample = _not_utf8_lines(head)
    encoding = _mixed_with_cp1252(sample) if sample is not head else ""
    matches = [] if encoding else list(from_bytes(sample))
    if not matches and not encoding:
        raise UnreadableArticle("not text in any known encoding")
    encoding = encoding or matches[0].encoding
    # Short texts fit several single-byte code pages equally well; for a
    # collection of English-language news the Western one is the likely truth.
    for match in matches:
        if "cp1252" in match.could_be_from_charset and match.chaos <= matches[0].chaos + _WESTERN_TOLERANCE:
            encoding = "cp1252"
            break
    try:
        if _single_byte(encoding):
            text, encoding = _decode_lines(data, encoding)
        else:
            text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        raise UnreadableArticle(f"undecodable (looked like {encoding})") from None
    if _mostly_controls(text):
        raise UnreadableArticle("binary file (mostly control characters)")
    return text, encoding


def _not_utf8_lines(data: bytes) -> bytes:
    """What to guess the encoding from: when some lines are UTF-8 (a mixed
    file), only the others, which are in the encoding to find."""
    lines = data.split(b"\n")
    legacy = []
    for line in lines:
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            legacy.append(line)
    non_ascii = sum(1 for line in lines if not line.isascii())
    return b"\n".join(legacy) if legacy and len(legacy) < non_ascii else data


def _mixed_with_cp1252(legacy_lines: bytes) -> str:
    """A few non-UTF-8 lines among UTF-8 ones are too little to guess from; they
    are nearly always Windows-1252 (Word, Outlook), so that wins when it fits:
    no C1 control is left once ftfy has repaired UTF-8 inside those lines."""
    import ftfy
    import ftfy.bad_codecs  # noqa: F401 - registers sloppy-windows-1252

    repaired = ftfy.fix_encoding(legacy_lines.decode("sloppy-windows-1252"))
    return "" if any("\x80" <= char <= "\x9f" for char in repaired) else "sloppy-windows-1252"


def _single_byte(encoding: str) -> bool:
    name = codecs.lookup(encoding).name
    return name.startswith(("sloppy-", "cp125", "iso8859", "latin", "mac-", "cp437", "cp850", "koi8"))


def _decode_lines(data: bytes, encoding: str) -> tuple[str, str]:
    """Text that is not UTF-8 as a whole, decoded line by line.

    Files pasted together from several sources mix UTF-8 lines with lines in
    a legacy code page; decoding all of it as the code page turns every UTF-8
    line into mojibake (``â€™``). A line that is valid UTF-8 is read as UTF-8,
    the others in ``encoding``, and ftfy repairs UTF-8 mixed into one of those.
    """
    import ftfy

    lines = data.split(b"\n")
    decoded: list[str] = []
    mixed = False
    for line in lines:
        if line.isascii():
            decoded.append(line.decode("ascii"))
            continue
        try:
            decoded.append(line.decode("utf-8"))
            mixed = True
            continue
        except UnicodeDecodeError:
            pass
        legacy = line.decode(encoding)
        repaired = ftfy.fix_encoding(legacy)
        mixed = mixed or repaired != legacy
        decoded.append(repaired)
    return "\n".join(decoded), f"utf-8 and {encoding}" if mixed else encoding


def _mostly_controls(text: str) -> bool:
    sample = text[:8192]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f")
    return controls > len(sample) * 0.1
