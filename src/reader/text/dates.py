"""The dates reader stores and queries: ISO ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``,
each a real calendar date. One validator for front matter, date markers in
plain text and ``date:`` queries.
"""

from __future__ import annotations

import datetime as _dt
import re

_ISO = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_ISO_START = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?=$|[T\s])")  # perhaps with a time after it
_NUMERIC = re.compile(r"(\d{1,4})[/.](\d{1,2})[/.](\d{1,4})")  # 2019/03/28, 28/03/2019, 03/28/2019
_WEEKDAY_PREFIX = re.compile(r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+", re.I)
_WRITTEN_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%b. %d, %Y", "%d %b %Y", "%B %d %Y")


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
    weekday = _WEEKDAY_PREFIX.match(text)
    if weekday:
        text = text[weekday.end() :]
    match = _ISO_START.match(text)
    if match:
        if not _real(*match.groups()):
            return ""
        return "-".join(part for part in match.groups() if part)
    numeric = _NUMERIC.fullmatch(text)
    if numeric:
        return _numeric_date(*numeric.groups())
    for pattern in _WRITTEN_FORMATS:
        try:
            return _dt.datetime.strptime(text, pattern).date().isoformat()
        except ValueError:
            continue
    return ""


def _numeric_date(first: str, second: str, third: str) -> str:
    """2019/03/28; 28/03/2019 or 03/28/2019 when only one reading is a real date ('' for 04/03/2019)."""
    if len(first) == 4:
        readings = {(first, second, third)}
    elif len(third) == 4:
        readings = {(third, second, first), (third, first, second)}  # day first, month first
    else:
        return ""
    real = {f"{y}-{int(m):02d}-{int(d):02d}" for y, m, d in readings if _real(y, m, d)}
    return real.pop() if len(real) == 1 else ""
