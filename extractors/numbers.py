"""The one Vietnamese number parser: `.` thousands, `,` decimals, magnitudes, words.

Vietnamese notation writes `6.218` for 6218, `41,35` for 41.35 and
`1.217.000` for 1217000; magnitude words follow the number (`1.150 nghìn`,
`5.323 triệu`, `2.000 tỷ`); small numbers are also written in words (`hai`,
`mười lăm`, `ba mươi tư`). Word lists live in `gazetteer/units.yaml`.
"""
from __future__ import annotations

import math

import regex

from extractors.text.lexicon import alternation  # noqa: F401 (the one helper; dates and indicators import it here)
from gazetteer import load_gazetteer

# A number as Vietnamese (and, where unambiguous, English) news write it.
NUM_VI = r"""
    \d{1,3}(?:\.\d{3})+(?:,\d+)?        # 6.218   1.217.000   1.217,5
  | \d{1,3}(?:,\d{3}){2,}(?:\.\d+)?     # 1,217,000 (English grouping, two groups or more)
  | \d+,\d+                             # 41,35
  | \d+\.\d{1,2}(?!\d)                  # 2.5 (English decimal: never three digits)
  | \d+                                 # 04   2000
"""
# A number starts here: not glued to another number, a separator, a document-number
# slash, a clock (`6:00`) or a milestone (`km 223+800`); and ends where no digit follows.
NUM_START = r"(?=\d)(?<![\d.,/:+])"
NUM_END = r"(?!\d|[.,]\d)"
NUMBER_RE = regex.compile(rf"{NUM_START}(?:{NUM_VI}){NUM_END}", regex.VERBOSE)
THOUSANDS_VI_RE = regex.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?")
THOUSANDS_EN_RE = regex.compile(r"\d{1,3}(?:,\d{3}){2,}(?:\.\d+)?")


def parse_number(text: str) -> float | int | None:
    """The value of one number written in digits, Vietnamese notation first.

    Example: `parse_number("6.218") == 6218`, `parse_number("41,35") == 41.35`.
    """
    s = text.strip()
    if not s or not s[0].isdigit():
        return None
    if THOUSANDS_VI_RE.fullmatch(s):
        whole, _, frac = s.partition(",")
        s = whole.replace(".", "") + ("." + frac if frac else "")
    elif THOUSANDS_EN_RE.fullmatch(s):
        s = s.replace(",", "")
    elif "," in s:
        if s.count(",") != 1 or "." in s:
            return None
        s = s.replace(",", ".")
    elif s.count(".") > 1:
        return None
    try:
        value = float(s)
    except ValueError:
        return None
    return _tidy(value)


def _tidy(value: float) -> float | int:
    """An int when the value is whole (JSON `6218`, not `6218.0`)."""
    if math.isfinite(value) and value == int(value) and abs(value) < 1e18:
        return int(value)
    return round(value, 9)


def _words(gaz) -> dict:
    data = gaz.load("units")
    return {
        "units": {k.casefold(): v for k, v in data["number_words"].items()},
        "multipliers": {k.casefold(): v for k, v in data["number_multipliers"].items()},
        "magnitudes": {k.casefold(): v["value"] for k, v in data["magnitudes"].items()},
    }


def number_words(gaz=None) -> dict:
    """The word tables of `units.yaml` (cached per gazetteer)."""
    gaz = gaz or load_gazetteer()
    return gaz.derived("numbers.words", _words)


def parse_words(text: str, gaz=None) -> int | None:
    """The value of a number written in words (`mươi` tens, `trăm` hundreds, magnitudes).

    Example: `parse_words("hai mươi lăm") == 25`, `parse_words("ba trăm") == 300`.
    """
    tables = number_words(gaz)
    units, mults, mags = tables["units"], tables["multipliers"], tables["magnitudes"]
    total, group, pending, seen = 0, 0, None, False
    for word in text.casefold().split():
        if word == "mười":
            group += 10
        elif word in units:
            if pending is not None:
                return None
            pending = units[word]
        elif word in mults:
            if mults[word] == 10 and pending is None:
                return None
            group += (1 if pending is None else pending) * mults[word]
            pending = None
        elif word in mags:
            group += pending or 0
            total += (group or 1) * mags[word]
            group, pending = 0, None
        elif word in ("lẻ", "linh"):
            continue
        else:
            return None
        seen = True
    return total + group + (pending or 0) if seen else None


def apply_magnitudes(value: float, magnitudes: list[str], gaz=None) -> float | int:
    """`value` times each magnitude word (`1.150`, [`nghìn`] -> 1150000).

    Example: `apply_magnitudes(5.323, ["triệu"]) == 5323000`.
    """
    mags = number_words(gaz)["magnitudes"]
    for word in magnitudes:
        value *= mags[word.casefold()]
    return _tidy(round(value, 6))


def format_vi(value: float | int, decimals: int = 0) -> str:
    """`value` written the Vietnamese way (`.` thousands, `,` decimals).

    Example: `format_vi(1217000) == "1.217.000"`, `format_vi(41.35, 2) == "41,35"`.
    """
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
