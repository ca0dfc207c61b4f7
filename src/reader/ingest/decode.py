"""Turn the bytes of an article file into text, or say clearly why not.

UTF-8 is tried first (it is what almost every file is, and it is exact);
byte-order marks decide UTF-16/32; everything else goes to
charset-normalizer, which handles cp1252, latin-1 and friends far better
than a hand-written guess list would.
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

    matches = list(from_bytes(data[:262144] if len(data) > 262144 else data))
    if not matches:
        raise UnreadableArticle("not text in any known encoding")
    encoding = matches[0].encoding
    # Short texts fit several single-byte code pages equally well; for a
    # collection of English-language news the Western one is the likely truth.
    for match in matches:
        if "cp1252" in match.could_be_from_charset and match.chaos <= matches[0].chaos + _WESTERN_TOLERANCE:
            encoding = "cp1252"
            break
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        raise UnreadableArticle(f"undecodable (looked like {encoding})") from None
    if _mostly_controls(text):
        raise UnreadableArticle("binary file (mostly control characters)")
    return text, encoding


def _mostly_controls(text: str) -> bool:
    sample = text[:8192]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f")
    return controls > len(sample) * 0.1
