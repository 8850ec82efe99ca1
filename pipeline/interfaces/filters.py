"""What users type into filters, checked once for every verb: dates and provinces.

A filter either applies exactly or is refused with a message that shows what to type
(`FilterError`, a `ValueError`): never a silent empty result.
"""
from __future__ import annotations

import calendar
import datetime
import difflib

import regex

from extractors.text.provinces import known_provinces, province_key
from extractors.text.textnorm import unaccent

ISO_RE = regex.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
VN_RE = regex.compile(r"^(?:(\d{1,2})[/.-])?(\d{1,2})[/.-](\d{4})$")
DATE_EXAMPLE = "2021-04-30 or 30/04/2021 (also 2021-04, 04/2021, 2021)"


class FilterError(ValueError):
    """A filter value that cannot be applied exactly; the message says what to type instead."""


def parse_date(text: str, end: bool = False) -> str:
    """An ISO day from `2021-04-30`, `30/04/2021`, `30-4-2021`, a month (`2021-04`, `04/2021`) or a
    year; a month or year is its first day, or its last day when `end` (for `--to`).

    Example: `parse_date("30/04/2021") == "2021-04-30"`; `parse_date("2021", end=True) == "2021-12-31"`
    """
    t = (text or "").strip()
    if m := ISO_RE.match(t):
        year, month, day = m.group(1), m.group(2), m.group(3)
    elif m := VN_RE.match(t):
        day, month, year = m.group(1), m.group(2), m.group(3)
    else:
        raise FilterError(f"not a date: {text!r}; use {DATE_EXAMPLE}")
    try:
        y = int(year)
        mo = int(month) if month else (12 if end else 1)
        d = int(day) if day else (calendar.monthrange(y, mo)[1] if end else 1)
        return datetime.date(y, mo, d).isoformat()
    except ValueError:
        raise FilterError(f"not a date: {text!r}; use {DATE_EXAMPLE}") from None


def require_province(text: str) -> str:
    """The canonical key of a typed province, or a FilterError naming the closest provinces.

    Example: `require_province("hue") == "Huế"`
    """
    key = province_key(text)
    if key:
        return key
    names = known_provinces()
    close = difflib.get_close_matches(unaccent(text), [unaccent(n) for n in names], n=3, cutoff=0.6)
    hint = [n for n in names if unaccent(n) in close] or ["Lai Châu", "Hà Nội", "Huế"]
    raise FilterError(f"unknown province {text!r}; e.g. {', '.join(hint)}")
