"""Decoded page text to an `Article`: headers parsed, boilerplate removed.

Patterns are data (`gazetteer/boilerplate/*.yaml`); this module applies them:
header lines give title and publication date, the byline gives the author,
site furniture is dropped, a photo caption repeated on two lines is kept once.
The article `text` is what extractors see, and facts' offsets point into it.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace

import regex

from gazetteer import Gazetteer
from extractors.text.textnorm import normalize_text
from extractors.tables import member_rows
from pipeline.core.headers import glued_byline, is_publisher, read_header_block, split_footer

log = logging.getLogger(__name__)

WEEKDAY = r"(?:Thứ\s*(?:Hai|Ba|Tư|Năm|Sáu|Bảy|2|3|4|5|6|7)|Chủ\s*nhật|CN)"
DATE_NUM = r"(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})\s*[/.-]\s*(?P<y>\d{4})"
TIME_NUM = r"(?P<H>\d{1,2})\s*[:hg]\s*(?P<M>\d{2})"
# a header date line: `Thứ Bảy, 25/5/2024`, `Chủ nhật - 15/05/2022 23:36 919 0`, `Thứ ba 29/08/2023 13:49`
DATE_LINE_RE = regex.compile(
    rf"^(?:{WEEKDAY}\s*[,\-–]?\s*)?(?:ngày\s+)?{DATE_NUM}(?:\s*[,\-–|]?\s*{TIME_NUM}(?:\s*(?:AM|PM|GMT\+?\d*))?)?(?:\s+\d+)*\s*$",
    regex.IGNORECASE,
)
TIME_FIRST_RE = regex.compile(rf"^{TIME_NUM}\s*(?:\|\s*|[,\-–]\s*)?(?:{WEEKDAY}\s*[,\-–]?\s*)?{DATE_NUM}\s*$", regex.IGNORECASE)
UNC_HEADER_RE = regex.compile(r"^#\s*(?P<key>[\w-]+)\s*=\s*(?P<value>.*)$")
NAME_WORD = r"(?:\p{Lu}[\p{Ll}\p{M}]*\.?|\p{Lu}\.)"
# a personal name or names as a byline: `Thành Phan`, `H.Long`, `Huỳnh Hải - Xuân Lương`
PERSON_NAME_RE = regex.compile(rf"{NAME_WORD}(?:\s*{NAME_WORD}){{0,4}}")
BYLINE_NAMES_RE = regex.compile(rf"^{PERSON_NAME_RE.pattern}(?:\s*[-–,&]\s*{PERSON_NAME_RE.pattern})*$")
BYLINE_WITH_TITLE_RE = regex.compile(rf"^(?P<author>{PERSON_NAME_RE.pattern})\s+[-–]\s+(?P<title>\S.*)$")
THEO_NAMES_RE = regex.compile(r"^Theo\s+(?P<names>\S.{0,60}?)\s*$")
MAX_HEADER_LINES = 12
MAX_TITLE_CHARS = 300
MAX_TITLE_WORDS = 25  # a longer line after the headline is the lead


@dataclass(slots=True)
class Article:
    """A cleaned article: `text` is the body extractors read; the rest is metadata."""
    text: str
    title: str | None = None
    published: str | None = None        # ISO date
    published_time: str | None = None   # HH:MM
    author: str | None = None
    author_title: str | None = None     # `Phó trưởng Ban Dân vận Tỉnh ủy` in `Lê Đình Lợi - Phó trưởng ...`
    url: str | None = None
    captions: list[tuple[int, int]] = field(default_factory=list)
    dropped_lines: int = 0


class Patterns(list):
    """Compiled boilerplate patterns (case-insensitive); `search(line)` asks all of them in one pass, as
    one alternation: a line is searched once, not once per pattern (`_any`, for every line of a page)."""
    _one = None

    def search(self, line: str):
        if self._one is None:
            self._one = regex.compile("|".join(f"(?:{p.pattern})" for p in self) or "(?!)", regex.IGNORECASE)
        return self._one.search(line)


@dataclass(frozen=True, slots=True)
class Rules:
    """Compiled boilerplate patterns of one site (default rules plus the site's own file)."""
    cut: Patterns
    drop: Patterns
    banner: Patterns
    section: Patterns
    byline: Patterns
    credit: Patterns
    fallback: dict
    agency: Patterns = field(default_factory=Patterns)  # a closing line that is only an agency is the byline
    cut_inline: Patterns = field(default_factory=Patterns)  # a widget glued inside a line: the rest of the text goes
    lead: Patterns = field(default_factory=Patterns)  # a header line that opens the lead (`(VOV) -`), not the headline
    cut_tail: Patterns = field(default_factory=Patterns)  # the end of the last line that is a widget (a related teaser)


def _compile(items) -> Patterns:
    return Patterns(regex.compile(item["pattern"], regex.IGNORECASE) for item in items or [])


def load_rules(gaz: Gazetteer, site: str | None = None) -> Rules:
    """Boilerplate rules: `default.yaml` plus the site file whose `match:` fits."""
    def build(g: Gazetteer) -> dict:
        files = {name: g.load(name) for name in g.files("boilerplate")}
        return {name: (data.get("match"), data) for name, data in files.items()}

    files = gaz.derived("boilerplate/files", build)
    chosen = [name for name, (match, _) in files.items() if not match or (site and regex.search(match, site))]
    # keyed by the files chosen, not by the site: one compiled set per combination, however many sources

    def merge(_g: Gazetteer) -> Rules:
        merged = {k: Patterns() for k in ("cut", "drop", "banner", "section", "byline", "credit", "agency",
                                   "cut_inline", "lead", "cut_tail")}
        fallback: dict = {}
        for name in chosen:
            data = files[name][1]
            for k in merged:
                merged[k].extend(_compile(data.get(k)))
            fallback.update(data.get("fallback") or {})
        if fallback.get("list_line"):
            fallback["list_line"] = regex.compile(fallback["list_line"])
        return Rules(**merged, fallback=fallback)

    return gaz.derived("boilerplate/rules/" + "+".join(chosen), merge)


def trim_tail(lines: list[str], rules: Rules) -> list[str]:
    """Generic fallback: cut a trailing run of short, list-like lines after the last prose line.

    Example: prose, `Thành Phan`, `• Tin 1`, `• Tin 2`, `• Tin 3` keeps prose and `Thành Phan`.
    """
    fb = rules.fallback
    if not fb:
        return lines
    words, list_re = fb.get("prose_words", 12), fb.get("list_line")

    def prose(line: str) -> bool:
        return len(line.split()) >= words or (line.endswith((".", "!", "?", "./.", "…", "”", '"')) and len(line.split()) >= 5)

    last = max((k for k, line in enumerate(lines) if line and prose(line)), default=-1)
    tail = [line for line in lines[last + 1:] if line]
    if last < 0 or len(tail) < fb.get("min_tail_lines", 3):
        return lines
    if not any(list_re.search(line) for line in tail) and len(tail) < 2 * fb.get("min_tail_lines", 3):
        return lines
    keep = lines[:last + 1]
    if tail and parse_byline(tail[0], rules):
        keep += ["", tail[0]]
    return keep


def _any(patterns: Patterns, line: str) -> bool:
    return patterns.search(line) is not None


NO_RULES = Rules(Patterns(), Patterns(), Patterns(), Patterns(), Patterns(), Patterns(), {})


def parse_date_line(line: str) -> tuple[str, str | None] | None:
    """ISO date and HH:MM from a header date line, or None.

    Example: `parse_date_line("Chủ nhật - 15/05/2022 23:36 919 0") == ("2022-05-15", "23:36")`
    """
    m = DATE_LINE_RE.match(line.strip()) or TIME_FIRST_RE.match(line.strip())
    if not m:
        return _parse_word_date_line(line.strip())
    d, mo, y = int(m["d"]), int(m["m"]), int(m["y"])
    if not (1 <= d <= 31 and 1 <= mo <= 12 and 1900 < y < 2100):
        return None
    hm = f"{int(m['H']):02d}:{m['M']}" if m["H"] else None
    return f"{y:04d}-{mo:02d}-{d:02d}", hm


# A header line that spells the month out (`Thứ Bảy, ngày 25 tháng 5 năm 2024`, `25 tháng 05, 2024 - 08:30`)
WORD_DATE_HINT_RE = regex.compile(r"^.{0,30}\b\d{1,2}\s+tháng\s+\d{1,2}\b.{0,12}\b(?:19|20)\d\d\b.{0,25}$", regex.IGNORECASE)


def _parse_word_date_line(line: str) -> tuple[str, str | None] | None:
    """A header date spelled with `tháng`, parsed by dateparser (strict: day, month and year required)."""
    if not WORD_DATE_HINT_RE.match(line):
        return None
    import dateparser

    parsed = dateparser.parse(line, languages=["vi"], settings={
        "STRICT_PARSING": True, "REQUIRE_PARTS": ["day", "month", "year"], "DATE_ORDER": "DMY"})
    if parsed is None or not 1900 < parsed.year < 2100:
        return None
    has_time = regex.search(r"\b\d{1,2}[:h]\d{2}\b", line)
    return parsed.date().isoformat(), parsed.strftime("%H:%M") if has_time else None


def _unc_date(value: str) -> str | None:
    digits = regex.sub(r"\D", "", value)
    if len(digits) >= 8:
        return f"{digits[:4]}-{digits[4:6]}-{digits[6:8]}"
    return None


def _title_like(line: str) -> bool:
    return 3 <= len(line.split()) and len(line) <= MAX_TITLE_CHARS and not line.endswith((".", ":"))


def parse_byline(line: str, rules: Rules) -> tuple[str, str | None] | None:
    """(author, author's title) from a closing line, or None when it is not a byline.

    Example: `parse_byline("Lê Đình Lợi - Phó trưởng Ban Dân vận Tỉnh ủy", rules)`
    gives `("Lê Đình Lợi", "Phó trưởng Ban Dân vận Tỉnh ủy")`.
    """
    line = line.strip()
    if not line or len(line) > 120 or _any(rules.credit, line):
        return None
    for pattern in rules.byline:
        m = pattern.match(line)
        if m and m.group("author").strip():
            inner = parse_byline(m.group("author"), replace(NO_RULES, agency=rules.agency))
            if inner:
                return inner
            if pattern.pattern.startswith("^Tác giả"):
                return m.group("author").strip(), None
    if _any(rules.agency, line):
        return line, None
    if (BYLINE_NAMES_RE.match(line) or _upper_names(line)) and len(line.split()) <= 16:
        return line, None  # as written: `Quốc Anh`, `XUÂN LONG`
    m = BYLINE_WITH_TITLE_RE.match(line)
    if m and not BYLINE_NAMES_RE.match(m["title"]):
        return m["author"], m["title"].strip()
    return None


def _upper_names(line: str) -> bool:
    """A name or names in capitals (`XUÂN LONG`, `ĐẶNG LÊ NAM HẢI`), two syllables or more, not a code (`KM`)."""
    words = line.split()
    return line.isupper() and len(words) >= 2 and all(len(w.strip(".-–,&")) >= 2 or not w.strip(".-–,&")
                                                      for w in words) and bool(BYLINE_NAMES_RE.match(line.title()))


def _names_only(text: str) -> bool:
    """True when a text is only personal names (`Quỳnh Vy`, `Đ,Bắc`, `ĐẶNG LÊ NAM HẢI`, `Huỳnh Hải - Xuân Lương`)."""
    return bool(BYLINE_NAMES_RE.match(text) or (text.isupper() and BYLINE_NAMES_RE.match(text.title())))


def clean(text: str, gaz: Gazetteer, source: str = "", meta: dict | None = None) -> Article:
    """Header, body and byline of one page.

    Example: a page `"Thứ Bảy, 25/5/2024\\nTiêu đề bài\\n\\nNội dung.\\n\\nThành Phan\\n\\nGửi cho bạn bè"`
    gives published `2024-05-25`, title `Tiêu đề bài`, author `Thành Phan`, text `Nội dung.`.
    """
    meta = dict(meta or {})
    text = normalize_text(text)
    lines = text.split("\n")
    art = Article(text="")
    art.url = meta.get("url")
    art.title = meta.get("title")
    art.published = meta.get("published")

    # 1. `# key = value` headers (corpus/unc)
    i = 0
    while i < len(lines) and (m := UNC_HEADER_RE.match(lines[i].strip())):
        key, value = m["key"].lower(), m["value"].strip()
        if key == "url":
            art.url = value
        elif key == "date":
            art.published = _unc_date(value) or art.published
        elif key == "title" and value:
            art.title = value
        i += 1
    if i == 0:  # `title: ...`, `date_publish: ...`, `authors: ...` (news-please, crawler CSV rows)
        i, fields = read_header_block(lines, gaz)
        art.url = fields.get("url") or art.url
        art.title = fields.get("title") or art.title
        art.published = fields.get("published") or art.published
        art.published_time = fields.get("published_time")
        art.author = fields.get("author")
    rules = load_rules(gaz, art.url or source)
    unc_style = i > 0

    # 2. the page header: banner, section label, headline, date line, counters
    if not unc_style:
        candidates: list[str] = []
        seen_date = False
        start = i
        while i < len(lines) and i - start < MAX_HEADER_LINES:
            line = lines[i].strip()
            if not line:
                i += 1
                continue
            parsed = parse_date_line(line)
            if parsed and not seen_date:
                art.published, art.published_time = parsed if not art.published else (art.published, parsed[1])
                seen_date = True
                i += 1
                continue
            if _any(rules.banner, line) or _any(rules.section, line) or _any(rules.drop, line):
                i += 1
                continue
            if candidates and (len(line.split()) > MAX_TITLE_WORDS or _any(rules.lead, line)):
                break  # the lead (`(VOV) -Tổng thống ...`, a long first sentence): body, not a headline
            if _title_like(line) and (not candidates or not seen_date) and not (seen_date and candidates):
                if seen_date and not candidates:
                    candidates.append(line)
                    i += 1
                    continue
                candidates.append(line)
                i += 1
                continue
            break
        if candidates and not art.title:
            # the longest line is the headline (a site banner is shorter), unless it reads as the lead
            heads = [c for c in candidates[1:] if len(c.split()) <= MAX_TITLE_WORDS and not _any(rules.lead, c)]
            art.title = max([candidates[0], *heads], key=len)
    # 3. body lines: a trailing timestamp line with section, tags and source newspaper after it
    # is the footer (baomoi); cut at the first sidebar/widget marker, drop furniture
    rest, footer = split_footer(lines[i:], gaz)
    if footer and not art.published:
        art.published, art.published_time = footer
    body_lines: list[str] = []
    for line in rest:
        s = line.strip()
        if _any(rules.cut, s):
            break
        inline = next((m for p in rules.cut_inline if (m := p.search(s))), None)
        if inline:
            body_lines.append(s[:inline.start()].rstrip())
            break
        if s and _any(rules.drop, s):
            art.dropped_lines += 1
            continue
        body_lines.append(s)
    # 4. byline: `Tác giả: X` anywhere near the end, else the last line if it is one
    if not member_rows("\n".join(body_lines[-400:]), gaz):  # a member table closing the page is no link list
        body_lines = trim_tail(body_lines, rules)
    while body_lines and not body_lines[-1]:
        body_lines.pop()
    for pattern in rules.cut_tail if body_lines else ():
        m = pattern.search(body_lines[-1])
        if m and m.start() > 0:
            body_lines[-1] = body_lines[-1][:m.start()].rstrip()
    for j in range(len(body_lines) - 1, max(-1, len(body_lines) - 4), -1):
        m = rules.byline[0].match(body_lines[j]) if rules.byline else None
        if m and body_lines[j].lower().startswith("tác giả"):
            art.author = m.group("author").strip()
            del body_lines[j:]
            break
    else:
        while body_lines and _any(rules.credit, body_lines[-1]):
            body_lines.pop()
            while body_lines and not body_lines[-1]:
                body_lines.pop()
        found = parse_byline(body_lines[-1], rules) if body_lines else None
        if found and is_publisher(found[0], gaz) and not _any(rules.agency, found[0]):
            body_lines.pop()  # the source newspaper or site (`Chính Phủ`, `VOV`): a credit, not the author
            above = THEO_NAMES_RE.match(body_lines[-1]) if body_lines else None
            if above and _names_only(above["names"]) and not is_publisher(above["names"], gaz):
                art.author = above["names"]  # `Theo Vân Thiêng, Đặng Thùy` over `VOV`: the reporters
                body_lines.pop()
        elif found:
            if not art.author:  # a header `authors:` value stays first
                art.author, art.author_title = found
                body_lines.pop()
                above = body_lines[-1].strip() if body_lines else ""
                if _any(rules.agency, art.author) and BYLINE_NAMES_RE.match(above) and not _any(rules.agency, above) \
                        and len(above.split()) <= 8:
                    art.author = above  # `Tuyết Mai` over `TTXVN`: the reporter, then her agency
                    body_lines.pop()
        elif body_lines and not art.author:
            glued = glued_byline(body_lines[-1], gaz, _names_only)
            if glued:
                body_lines[-1], art.author = glued
    # 5. join, keeping a caption repeated on two lines once
    out: list[str] = []
    offset = 0
    prev = None
    for s in body_lines:
        if s and s == prev:
            start = offset - len(s) - 1
            art.captions.append((start, start + len(s)))
            continue
        if not s and out and not out[-1]:
            continue
        out.append(s)
        offset += len(s) + 1
        prev = s if s else prev
    art.text = "\n".join(out).strip("\n")
    return art
