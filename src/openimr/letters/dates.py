"""Dates as letters write them: 11/03/2016, 11/3/2016, 10-13-16, September 20, 2012, 2016-11-03."""

from __future__ import annotations

import re
from datetime import date

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))

#: One date in any supported form; use inside larger patterns (no capture groups).
DATE = (
    r"(?:\d{4}-\d{1,2}-\d{1,2}"
    r"|\d{1,2}\s*[/-]\s*\d{1,2}\s*[/-]\s*(?:\d{4}|\d{2})(?!\d)"
    rf"|(?:{_MONTH_NAMES})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})"
)
DATE_RE = re.compile(rf"(?<![\d/-]){DATE}", re.IGNORECASE)
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_NUMERIC = re.compile(r"(\d{1,2})\s*[/-]\s*(\d{1,2})\s*[/-]\s*(\d{4}|\d{2})")
_WORDS = re.compile(rf"({_MONTH_NAMES})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})", re.I)

# Two-digit years: letters are from 2013 on and injuries can be decades older.
_CENTURY_PIVOT = 40


def _full_year(year: str) -> int:
    value = int(year)
    if len(year) == 2:
        return 2000 + value if value < _CENTURY_PIVOT else 1900 + value
    return value


def parse_date(text: str) -> date | None:
    """The date written in `text` (which should hold just one), or None if invalid."""
    text = text.strip()
    try:
        if m := _ISO.fullmatch(text):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := _NUMERIC.fullmatch(text):
            return date(_full_year(m[3]), int(m[1]), int(m[2]))
        if m := _WORDS.fullmatch(text):
            return date(int(m[3]), _MONTHS[m[1].lower()], int(m[2]))
    except ValueError:
        return None
    return None


def find_date(text: str) -> date | None:
    """The first valid date anywhere in `text`."""
    for match in DATE_RE.finditer(text):
        found = parse_date(match.group(0))
        if found:
            return found
    return None
