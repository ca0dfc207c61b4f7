"""The dates reader stores and queries: ISO ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``,
each a real calendar date. One validator for front matter, date markers in
plain text and ``date:`` queries.
"""

from __future__ import annotations

import datetime as _dt
import re

_ISO = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_WRITTEN_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%b. %d, %Y")


def _real(year: str, month: str | None, day: str | None) -> bool:
    try:
        _dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return False
    return True


def is_iso_date(value: str) -> bool:
    """``value`` is exactly ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` and a real date."""
    match = _ISO.fullmatch(value)
    return match is not None and _real(*match.groups())


def normalise_date(value: object) -> str:
    """ISO date (or year-month, or year) from what front matter or a marker says;
    ``''`` when it is not a real date or not recognisably one."""
    if isinstance(value, _dt.datetime):
        return value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return ""
    text = str(value).strip()
    match = _ISO.match(text)
    if match:
        if not _real(*match.groups()):
            return ""
        return "-".join(part for part in match.groups() if part)
    for pattern in _WRITTEN_FORMATS:
        try:
            return _dt.datetime.strptime(text, pattern).date().isoformat()
        except ValueError:
            continue
    return ""
