"""Metadata that scrapers write as text: `key: value` header lines, footer timestamps, glued bylines.

The keys, the publisher names and the byline forms are data (`gazetteer/headers.yaml`);
`cleaning.clean` calls these on every text page.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import regex

from gazetteer import Gazetteer

KV_RE = regex.compile(r"^(?:#\s*)?(?P<key>[A-Za-z_][\w.]*)\s*(?::|=)\s*(?P<value>.*)$")
# `27/05/13 09:55 GMT+7`, `2024-05-12 08:30:00`, `12/05/2024 | 08:30`
FOOTER_DATE_RE = regex.compile(
    r"^(?:(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4}|\d{2})|(?P<Y>\d{4})-(?P<M>\d{2})-(?P<D>\d{2}))"
    r"(?:\s*[,|\-–]?\s*\d{1,2}[:h]\d{2}(?::\d{2})?)?\s*(?:(?:GMT|UTC)\s*[+-]?\s*\d{0,2})?\s*$", regex.IGNORECASE)
SENTENCE_END = ".…!?\"”»)"


def _data(gaz: Gazetteer) -> dict:
    def build(g: Gazetteer) -> dict:
        data = g.load("headers")
        keys = {k.lower(): field for field, names in data["header_keys"].items() for k in names}
        glued = data["glued_byline"]
        return {
            "keys": keys,
            "offset": timedelta(hours=data.get("local_utc_offset_hours", 7)),
            "not_author": [regex.compile(p["pattern"], regex.IGNORECASE) for p in data["not_author"]],
            "footer": data["footer"],
            "prefix": regex.compile("^" + glued["prefix"], regex.IGNORECASE),
            "site_suffix": regex.compile(glued["site_suffix"], regex.IGNORECASE),
            "agency": regex.compile(r"^\(?" + glued["agencies"] + r"\)?$", regex.IGNORECASE),
            "max_chars": glued["max_chars"],
        }
    return gaz.derived("headers", build)


def two_digit_year(y: int) -> int:
    """`13` -> 2013, `98` -> 1998 (a two-digit year is this century unless that is in the future).

    Example: `two_digit_year(17) == 2017`
    """
    if y >= 100:
        return y
    return 2000 + y if 2000 + y <= datetime.now().year + 1 else 1900 + y


def parse_timestamp(value: str, gaz: Gazetteer) -> tuple[str, str | None] | None:
    """ISO date and HH:MM in Vietnam time from a metadata value, or None.

    Example: `parse_timestamp("2026-02-03T20:15:00+00:00", gaz) == ("2026-02-04", "03:15")`;
    `parse_timestamp("2018-12-08 00:00:00", gaz) == ("2018-12-08", None)`; `"None"` gives None.
    """
    value = value.strip()
    if not value or value.lower() in ("none", "null", "nan"):
        return None
    digits = regex.fullmatch(r"(\d{4})(\d{2})(\d{2})", value)
    if digits:
        value = "-".join(digits.groups())
    try:
        stamp = datetime.fromisoformat(value.replace(" ", "T", 1) if regex.match(r"\d{4}-\d\d-\d\d \d", value) else value)
    except ValueError:
        m = FOOTER_DATE_RE.match(value)
        return footer_date(m) if m else None
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone(timezone(_data(gaz)["offset"]))
    if not 1900 < stamp.year < 2100:
        return None
    has_time = bool(regex.search(r"\d[T ]\d{1,2}:\d\d", value)) and (stamp.hour, stamp.minute, stamp.second) != (0, 0, 0)
    return stamp.date().isoformat(), stamp.strftime("%H:%M") if has_time else None


def footer_date(m) -> tuple[str, str | None] | None:
    """ISO date from a FOOTER_DATE_RE match (two-digit years as `two_digit_year`)."""
    if m["Y"]:
        y, mo, d = int(m["Y"]), int(m["M"]), int(m["D"])
    else:
        y, mo, d = two_digit_year(int(m["y"])), int(m["m"]), int(m["d"])
    try:
        return datetime(y, mo, d).date().isoformat(), None
    except ValueError:
        return None


def is_publisher(name: str, gaz: Gazetteer) -> bool:
    """True when an author value is a site, publisher or newsroom, not a person.

    Example: `is_publisher("Tuoi Tre Online", gaz)` and `is_publisher("Chính Phủ", gaz)` are True;
    `is_publisher("Khánh Chi", gaz)` is False.
    """
    return any(p.search(name.strip()) for p in _data(gaz)["not_author"])


def read_header_block(lines: list[str], gaz: Gazetteer) -> tuple[int, dict]:
    """Fields of the `key: value` lines at the top; returns (first body line, fields).

    Example: `["title: T", "date_publish: 2018-12-08 00:00:00", "authors: Khánh Chi", "", "Body"]`
    gives `(3, {"title": "T", "published": "2018-12-08", "author": "Khánh Chi"})`.
    Only known keys count (`Hà Nội: ...` is body); values naming a site are no author.
    """
    data = _data(gaz)
    fields: dict = {}
    i = 0
    while i < len(lines) and (m := KV_RE.match(lines[i].strip())) and m["key"].lower() in data["keys"]:
        kind, value = data["keys"][m["key"].lower()], m["value"].strip()
        if kind == "published" and "published" not in fields:
            stamp = parse_timestamp(value, gaz)
            if stamp:
                fields["published"], fields["published_time"] = stamp
        elif kind == "author" and value and value.lower() not in ("none", "null", "[]"):
            value = value.strip("[]'\" ")
            if value and not is_publisher(value, gaz):
                fields["author"] = value
        elif kind in ("title", "url", "site") and value and value.lower() != "none":
            fields.setdefault(kind, value)
        i += 1
    return i, fields


def split_footer(lines: list[str], gaz: Gazetteer) -> tuple[list[str], tuple[str, str | None] | None]:
    """Cut a trailing timestamp line and the furniture after it; return (body lines, its date).

    Example: `["Body.", "27/05/13 08:36 GMT+7", "Xã hội", "Sỹ quan,Hạn tuổi", "Chính Phủ"]`
    gives `(["Body."], ("2013-05-27", None))`. A date line followed by prose is body.
    """
    conf = _data(gaz)["footer"]
    filled = [k for k, line in enumerate(lines) if line.strip()]
    for n, k in enumerate(reversed(filled[-(conf["max_lines_after"] + 1):])):
        m = FOOTER_DATE_RE.match(lines[k].strip())
        if not m:
            continue
        after = [lines[j].strip() for j in filled if j > k]
        if any(len(s.split()) > conf["max_words_per_line"] or (s.endswith(tuple(".!?")) and len(s.split()) > 4)
               for s in after):
            return lines, None
        return lines[:k], footer_date(m)
    return lines, None


def glued_byline(line: str, gaz: Gazetteer, looks_like_names) -> tuple[str, str] | None:
    """(line without it, author) when the last line ends with a byline glued after its last sentence.

    Example: `"...theo quy định. Quỳnh Vy"` gives `("...theo quy định.", "Quỳnh Vy")`;
    `"...Thủ đô.Quang Anh"`, `"...Đảng bộ.Bài và ảnh: ĐẶNG LÊ NAM HẢI"`, `"...hơn./.(TTXVN)"` too.
    `looks_like_names(text)` says whether a text is only personal names.
    """
    data = _data(gaz)
    s = line.rstrip()
    m = regex.search(r"[.…!?”\"](?P<tail>[^.…!?”\"]*(?:\.[^\s.…!?”\"]+)*)$", s) if not s.endswith("(TTXVN)") else None
    if s.endswith("(TTXVN)") and len(s) > 40:
        return s[: -len("(TTXVN)")].rstrip(), "TTXVN"
    if not m or not m["tail"].strip():
        return None
    head, tail = s[: m.start("tail")], m["tail"].strip()
    if len(head.split()) < 5 or len(tail) > data["max_chars"] + 20:
        return None
    name = data["site_suffix"].sub("", data["prefix"].sub("", tail)).strip()
    if not name or len(name) > data["max_chars"]:
        return None
    if data["agency"].match(name) or (looks_like_names(name) and not is_publisher(name, gaz)):
        return head.rstrip(), name
    return None
