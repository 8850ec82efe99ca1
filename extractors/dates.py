"""Dates, periods and other time expressions, with ISO values.

Kinds (FACTS.md): `date` (`Sáng ngày 29/8/2023` -> `2023-08-29`; a day with no
year takes the publication year), `day` (no year and no publication date:
`--08-29`), `period` (`giai đoạn 2015-2020` -> `2015/2020`, `27-28/7/2020`
-> `2020-07-27/2020-07-28`, `từ tháng 3/2016 đến tháng 9/2019` ->
`2016-03/2019-09`), `open_range` (`từ năm 2016 đến nay` -> `2016/..`),
`month` (`2022-05`), `quarter` (`2024-Q2`), `half` (`2018-H1`), `year`.
Cue words live in `gazetteer/dates.yaml`; the patterns are built from them
once per gazetteer. Document numbers (`59/2023/NĐ-CP`), ratios (`38/63`) and
invalid days (`32/13`) are never dates.
"""
from __future__ import annotations

import datetime as dt

import regex

from extractors.text.stdre import std_compile
from extractors.facts import DateFact
from extractors.text.lexicon import alternation
from extractors.registry import Kind, register

KIND = "dates"
TABLE = "dates"

# Named parts of every pattern.
D = r"(?:3[01]|[12]\d|0?[1-9])"
M = r"(?:1[0-2]|0?[1-9])"
Y = r"(?:1[89]\d\d|20\d\d|2100)"
L = r"\b"                              # a word starts here
NUM_START = r"(?=\d)(?<![\d/.,])"     # a number starts here, not glued to a number or a separator
# not followed by more of a number or a document code; `30/4-1/5` is a range of two days
DAY_END = r"(?!\d|[/.]\d|-(?!\d{1,2}[/.]\d)\d|[/\-]\p{L})"
YEAR_END = r"(?![\d/]|[.,]\d|-\p{L})"
DASH = r"\s*[-–—]{1,2}\s*"  # (`2021--2026`: a doubled hyphen)
CLOCK = r"(?:[01]?\d|2[0-3])\s*(?:h|giờ)(?:\s*[0-5]\d(?:'|p|phút)?)?(?![\p{L}\d])"   # `18h`, `6h30`, `20 giờ`
LOOKBACK = 60   # the longest cue before a date's first digit (`Đầu giờ chiều nay, Chủ nhật, ngày `)


def _build(gaz) -> dict:
    """The compiled date pattern and its tables (cached per gazetteer)."""
    data = gaz.load("dates")
    day_parts, weekdays = alternation(data["day_parts"]), alternation(data["weekdays"])
    day_word, cue = alternation(data["day_words"]), alternation(data["period_cues"])
    frm, to, now = alternation(data["range_from"]), alternation(data["range_to"]), alternation(data["now_words"])
    year_w, month_w, quarter_w = alternation([data["year_word"]]), alternation([data["month_word"]]), alternation([data["quarter_word"]])
    quarters = alternation(data["quarters"])
    halves = alternation(data["halves"])
    today = alternation(data["today_words"])
    names = {k.casefold(): v for k, v in data["month_names"].items()}
    month_names = alternation(sorted(data["month_names"], key=len, reverse=True))
    # what may stand before a day (`Sáng ngày`, `Chiều nay (`, `Thứ Bảy, `): found backwards from the day
    prefix = (rf"(?:{L}{day_parts}(?:\s+{today})?\s*,?\s*)?(?:{L}{weekdays}\s*(?:,|[-–])?\s*)?"
              rf"(?:{L}{day_word}(?:\s+{today})?\s*,?\s*)?\(?\Z")
    month_year = rf"(?:\s*[/\-]\s*|\.(?=\d{{4}})|\s+{year_w}\s+)"  # `tháng 7.1979`: a dot too
    branches = {
        # `27-29/4`, `ngày 27 đến 29/4` (a day word or `từ` must stand before it when no year is given)
        "day_range": rf"{NUM_START}(?P<d1>{D})(?:{DASH}|\s+{to}\s+(?:{day_word}\s+)?)(?P<d2>{D})(?P<s>[/.\-])(?P<m>{M})"
                     rf"(?:(?P=s)(?P<y>{Y}))?{DAY_END}",
        "month_range": rf"{L}(?:{frm}\s+)?{month_w}\s+(?P<m1>{M})(?:{month_year}(?P<y1>{Y}))?"
                       rf"(?:\s+{to}\s+(?:{month_w}\s+)?|{DASH})(?P<m2>{M}){month_year}(?P<y2>{Y}){YEAR_END}",
        # ranges whose ends differ in precision (`Tháng 1.2006 – 18.3.2008`, `từ 19.3.2008 – 12.2010`,
        # `từ năm 2008 đến tháng 6/2017`) or months written without `tháng` (`từ 2/2016-5/2017`)
        # (the look-ahead only says what a match starts with, so the scan skips other words fast)
        "mixed_range": rf"{L}(?=(?:{frm}|{month_w}|{year_w})\s|\d)(?:{frm}\s+)?(?:{month_w}\s+|{year_w}\s+)?"
                       rf"(?P<a>(?:{D}[./])?{M}[./]{Y}|{Y})"
                       rf"(?:{DASH}|\s+{to}\s+)(?:{month_w}\s+|{year_w}\s+)?(?P<b>(?:{D}[./])?{M}[./]{Y}|{Y}){YEAR_END}",
        "open_range": rf"{L}{frm}\s+(?:(?:{day_word}\s+(?P<d>{D})/(?P<m>{M})/)|(?:{month_w}\s+(?P<m>{M})[/\-])"
                      rf"|(?:(?:đầu|cuối|giữa)\s+)?(?:{year_w}\s+)?)(?P<y>{Y})\s*,?\s+"
                      rf"(?:cho\s+)?{to}\s+{now}(?!\p{{L}})",
        "year_range": rf"{NUM_START}(?P<y1>{Y})(?:(?P<dash>{DASH})|\s+{to}\s+)(?:{year_w}\s+)?(?P<y2>{Y}){YEAR_END}",
        "quarter": rf"{L}{quarter_w}\s+(?P<q>{quarters})(?:\s*[/\-]\s*|\s+{year_w}\s+)(?P<y>{Y}){YEAR_END}",
        "half": rf"{L}(?P<h>{halves})(?:\s+(?P<y>{Y}){YEAR_END})?(?!\s*\d)",
        "date_words": rf"{L}{day_word}\s+(?P<d>{D})\s+{month_w}\s+(?P<m>{M}(?!\p{{L}})|{month_names}(?!\p{{L}}))"
                      rf"(?:\s*,?\s*(?:{year_w}\s+)?(?P<y>{Y}))?(?!\d)",
        # `12 tháng 10 năm 2017`, `05 Tháng một 2015`: a full date needs no day word
        "date_full": rf"{NUM_START}(?P<d>{D})\s+{month_w}\s+(?P<m>{M}(?!\p{{L}})|{month_names}(?!\p{{L}}))"
                     rf"\s*,?\s*(?:{year_w}\s+)?(?P<y>{Y}){YEAR_END}",
        # `Tháng Mười Hai 29, 2013`
        "date_month_first": rf"{L}{month_w}\s+(?P<m>{month_names}|{M})\s+(?P<d>{D}),\s*(?P<y>{Y}){YEAR_END}",
        "day_list": rf"{L}{day_word}\s*\(?\s*(?P<ds>(?:{D}\s*(?:,|và)\s*)+)(?P<d>{D})(?P<s>[/.\-])(?P<m>{M})"
                    rf"(?:(?P=s)(?P<y>{Y}))?{DAY_END}",
        "date_num": rf"{NUM_START}(?P<d>{D})(?P<s>[/.\-])(?P<m>{M})(?:(?P=s)(?P<y>{Y}|\d\d(?![\d/.-])))?{DAY_END}",
        "month": rf"{L}{month_w}\s+(?P<m>{M}){month_year}(?P<y>{Y}){YEAR_END}",
        "year": rf"{L}{year_w}\s+(?P<y>{Y}){YEAR_END}",
    }
    joiners = alternation(data["day_list_joiners"] + data["day_range_joiners"])
    # `... đến 6h ngày 1/5`, `... đến sáng ngày 3/5`: a clock time or day part may stand before the next day
    clock = rf"(?:{CLOCK}\s*(?:{day_parts}\s+)?|{day_parts}\s+)?"
    chain = (rf"\s*(?P<sep>{joiners})\s*{clock}(?:{day_word}\s+)?{NUM_START}(?P<d>{D})(?P<s>[/.\-])(?P<m>{M})"
             rf"(?:(?P=s)(?P<y>{Y}))?{DAY_END}")
    return {
        # one pattern per branch, in priority order: separate passes are faster than one alternation
        "res": [(name, std_compile(f"(?P<{name}>{body})", regex.IGNORECASE | regex.VERBOSE))
                for name, body in branches.items()],
        "chain": std_compile(chain, regex.IGNORECASE),
        "prefix": std_compile(prefix, regex.IGNORECASE),
        # `từ 14-18/9`: a day range after "from" needs no other cue
        "from_prefix": std_compile(rf"{L}{frm}\s+\Z", regex.IGNORECASE),
        "fraction_after": std_compile(rf"\d{{1,2}}/\d{{1,2}}\s*(?:{alternation(data['fraction_words'])})(?!\p{{L}})",
                                        regex.IGNORECASE),
        "list_day": std_compile(D),
        "year_word_to": std_compile(rf"\d{{4}}\s+{to}\s+{year_w}\s", regex.IGNORECASE),
        # what may stand before a year range (`giai đoạn`, `từ năm`), found backwards too
        "year_prefix": std_compile(rf"(?:{L}(?P<cue>{cue})\s+)?(?:{L}(?P<frm>{frm})\s+)?(?:{L}(?P<yw>{year_w})\s+)?\Z",
                                     regex.IGNORECASE),
        "range_joiners": {j.casefold() for j in data["day_range_joiners"]},
        "month_names": names,
        "verb_prefix": std_compile(rf"{L}(?:{alternation(data['event_verbs'])})\s+(?:(?:vào|từ)\s+)?\Z",
                                     regex.IGNORECASE),
        "relative": std_compile(rf"\s*,?\s*\(?\s*(?P<w>{alternation(data['relative_years'])})(?!\p{{L}})",
                                  regex.IGNORECASE),
        "relative_years": {k.casefold(): v for k, v in data["relative_years"].items()},
        "lunar": std_compile(rf"\s*,?\s*\(?\s*(?:{alternation(data['lunar_words'])}(?!\p{{L}})|(?:{year_w}\s+)?"
                               rf"(?-i:{alternation(data['lunar_stems'])}\s+{alternation(data['lunar_branches'])})(?!\p{{L}}))",
                               regex.IGNORECASE),
        "deadline_prefix": std_compile(rf"{L}{alternation(data['deadline_words'])}\s+\Z", regex.IGNORECASE),
        "clause_after": std_compile(r"\s*(?:[,.;:()\n]|$|và\s)"),
        "day_digits": std_compile(r"\d+/\d+(?:/\d+)?"),
        "recurring": std_compile(rf"\s*,?\s*(?:{alternation(data['recurring_words'])})(?!\p{{L}})",
                                   regex.IGNORECASE),
        "branches": list(branches),
        "quarters": {k.casefold(): v for k, v in data["quarters"].items()},
        "halves": {" ".join(k.casefold().split()): v for k, v in data["halves"].items()},
        "min_year": data["min_year"], "max_year": data["max_year"],
        "max_period": data["max_period_years"], "rollover": data["rollover_days"],
    }


def _published(doc) -> dt.date | None:
    value = (doc.meta or {}).get("published")
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _day(y: int | None, m: int, d: int, published: dt.date | None, rollover: int) -> tuple[str, str] | None:
    """(kind, ISO value) of a day; the publication year (with New Year rollover) when `y` is None."""
    if y is None:
        if published is None:
            try:
                dt.date(2000, m, d)  # a leap year accepts 29/2
            except ValueError:
                return None
            return "day", f"--{m:02d}-{d:02d}"
        best = None
        for year in (published.year, published.year - 1, published.year + 1):
            try:
                day = dt.date(year, m, d)
            except ValueError:
                continue
            if abs((day - published).days) <= rollover:
                return "date", day.isoformat()
            best = best or day
        return ("date", best.isoformat()) if best else None
    try:
        return "date", dt.date(y, m, d).isoformat()
    except ValueError:
        return None


def _interpret(branch: str, m, t: dict, published: dt.date | None, has_prefix: bool) -> tuple[str, str] | None:
    """(kind, value) of one pattern match, or None when it is not a valid time expression."""
    g = m.group
    year = lambda name: int(g(name)) if g(name) else None  # noqa: E731
    plausible = lambda y: y is None or t["min_year"] <= y <= t["max_year"]  # noqa: E731
    if branch == "day_range":
        if g("y") is None and not has_prefix:
            return None
        first = _day(year("y"), int(g("m")), int(g("d1")), published, t["rollover"])
        last = _day(year("y"), int(g("m")), int(g("d2")), published, t["rollover"])
        if not first or not last or first[0] != "date" or first[1] >= last[1]:
            return None
        return "period", f"{first[1]}/{last[1]}"
    if branch == "year_range":
        y1, y2 = year("y1"), year("y2")
        if not g("dash") and not has_prefix:
            return None  # `2015 đến 2020` needs `từ` or a cue word
        if not (plausible(y1) and plausible(y2) and y1 < y2 <= y1 + t["max_period"]):
            return None
        return "period", f"{y1}/{y2}"
    if branch == "month_range":
        y2 = year("y2")
        y1 = year("y1") or y2
        m1, m2 = int(g("m1")), int(g("m2"))
        if not (plausible(y1) and plausible(y2) and (y1, m1) < (y2, m2)):
            return None
        return "period", f"{y1}-{m1:02d}/{y2}-{m2:02d}"
    if branch == "mixed_range":
        a, b = (tuple(int(x) for x in reversed(regex.split(r"[./]", g(k)))) for k in ("a", "b"))
        if len(a) == len(b) in (1, 3) or not (plausible(a[0]) and plausible(b[0])):
            return None  # year ranges are `year_range`'s, day ranges the day chain's
        if len(a) == len(b) == 2 and not has_prefix:
            return None  # `2/2016-5/2017` needs `từ` or `tháng`
        try:
            iso = ["-".join([f"{x[0]:04d}", *[f"{v:02d}" for v in x[1:]]]) for x in (a, b)]
            for x in (a, b):
                dt.date(x[0], x[1] if len(x) > 1 else 1, x[2] if len(x) > 2 else 1)
        except ValueError:
            return None
        return ("period", f"{iso[0]}/{iso[1]}") if a < b else None
    if branch == "open_range":
        y = year("y")
        if not plausible(y):
            return None
        if g("d"):
            day = _day(y, int(g("m")), int(g("d")), published, t["rollover"])
            return ("open_range", f"{day[1]}/..") if day else None
        return "open_range", (f"{y}-{int(g('m')):02d}/.." if g("m") else f"{y}/..")
    if branch == "month":
        return ("month", f"{year('y')}-{int(g('m')):02d}") if plausible(year("y")) else None
    if branch == "quarter":
        q = t["quarters"].get(g("q").casefold())
        return ("quarter", f"{year('y')}-Q{q}") if q and plausible(year("y")) else None
    if branch == "half":
        h = t["halves"].get(" ".join(g("h").casefold().split()))
        y = year("y") or (published.year if published else None)
        return ("half", f"{y}-H{h}") if h and y and plausible(y) else None
    if branch == "year":
        return ("year", g("y")) if plausible(year("y")) else None
    return None


def in_document(fact: DateFact, document) -> bool:
    """The resolver's conflict rule: the date's number is part of a cited document's number
    (`10/2022` in `10/2022/QH15`) where the two overlap.

    Example: `in_document(DateFact("date", "2022-10", 5, 12, "10/2022"), <Document 10/2022/QH15 at 0-12>)` -> True
    """
    core = regex.sub(r"\s+", "", regex.sub(r"^\D+|\D+$", "", fact.text))
    return (document.start < fact.end and fact.start < document.end and bool(core)
            and core in regex.sub(r"\s+", "", f"{document.id} {document.number}"))


def _days(m, t: dict, text: str, published: dt.date | None,
          start: int, has_prefix: bool) -> list[tuple[str, str, int, int]] | None:
    """The day a `date_num`/`date_words` match names and the days joined to it (`ngày 3/6, 7/6 và 15/6`).

    Returns (kind, value, start, end) items; `từ ngày 14/4 đến 19/4` and `30/4-1/5` give one period.
    """
    if m.group("y") is None and not has_prefix:
        return None  # a bare `7/9` is a ratio, not a day
    y, end = m.group("y"), m.end()
    if y and len(y) == 2:  # `ngày 3/3/17`: a two-digit year only after a day word
        if not has_prefix:
            return None
        y = str(2000 + int(y) if 2000 + int(y) <= (published.year if published else dt.date.today().year) + 1
                else 1900 + int(y))
    if y is None and t["recurring"].match(text, end):
        return None  # `trước ngày 15/7 hằng năm`: every year, not a date
    if y is None and (lunar := t["lunar"].match(text, end)):
        month = t["month_names"].get(" ".join(m.group("m").casefold().split())) or int(m.group("m"))
        return [("lunar_day", f"--{month:02d}-{int(m.group('d')):02d}", start, lunar.end())]  # `mùng 10/3 âm lịch`
    if y is None and published and (rel := t["relative"].match(text, end)):
        y = str(published.year + t["relative_years"][" ".join(rel["w"].casefold().split())])
        end = rel.end()  # `ngày 2-9 năm ngoái`
    month = t["month_names"].get(" ".join(m.group("m").casefold().split())) or int(m.group("m"))
    items = [[start, end, y, str(month), m.group("d"), None]]
    if "date_num" in m.re.groupindex:
        pos = m.end()
        while (c := t["chain"].match(text, pos)) is not None:
            items.append([c.start("d"), c.end(), c.group("y"), c.group("m"), c.group("d"), c.group("sep")])
            pos = c.end()
    later = None
    for item in reversed(items):  # `ngày 30/4 đến 2/5/2021`: the year written last applies to all
        if item[2] is None and later is not None:  # ... and `30/12 đến 2/1/2022` crosses New Year
            crosses = (int(item[3]), int(item[4])) > (int(later[3]), int(later[4]))
            item[2] = str(int(later[2]) - 1) if crosses else later[2]
        later = item if item[2] else later
    days = []
    for start, end, y, mo, d, sep in items:
        day = _day(int(y) if y else None, int(mo), int(d), published, t["rollover"])
        if day is None:
            break
        is_range = sep is not None and sep.casefold() in t["range_joiners"]
        if is_range and days and days[-1][0] == "date" and day[0] == "date" and days[-1][1] < day[1]:
            first = days.pop()
            days.append(("period", f"{first[1]}/{day[1]}", first[2], end))
        elif is_range:
            break
        else:
            days.append((day[0], day[1], start, end))
    return days or None


def _day_list(m, t: dict, published: dt.date | None, start: int) -> list[tuple[str, str, int, int]] | None:
    """The days of `ngày 22, 23/4/2021` or `ngày 19 và 20/4`: each listed day takes the month and year of the last."""
    y = int(m.group("y")) if m.group("y") else None
    items = []
    for d in t["list_day"].finditer(m.group("ds")):
        day = _day(y, int(m.group("m")), int(d.group()), published, t["rollover"])
        if day is None:
            return None
        a = m.start("ds") + d.start()
        items.append((day[0], day[1], start if not items else a, m.start("ds") + d.end()))
    last = _day(y, int(m.group("m")), int(m.group("d")), published, t["rollover"])
    if last is None or any(kind != last[0] or value >= last[1] for kind, value, _, _ in items):
        return None  # not increasing: not a list of days of one month
    return items + [(last[0], last[1], m.start("d"), m.end())]


def _candidates(t: dict, text: str) -> list[tuple[int, int, str, object, bool]]:
    """Every match of every branch as (start, priority, branch, match, has cue words), in text order.

    A day's or year range's start is where its cue words begin (`Sáng ngày 29/8`,
    `từ năm 2017 đến 2021`), so it wins over a shorter match inside it (`năm 2017`).
    """
    found = []
    for priority, (name, pattern) in enumerate(t["res"]):
        for m in pattern.finditer(text):
            first, has_prefix = _start(t, name, text, m.start(), 0, _sep(m))
            found.append((first, priority, name, m, has_prefix))
    return sorted(found, key=lambda c: (c[0], c[1]))


def _sep(m) -> str | None:
    """The separator of a `date_num` match (`/` in `7/3`)."""
    return m.group("s") if "s" in m.re.groupindex else None


def _start(t: dict, branch: str, text: str, start: int, pos: int, m_sep: str | None = None) -> tuple[int, bool]:
    """Where a match's cue words begin (not before `pos`), and whether there are any."""
    if branch == "mixed_range":
        return start, bool(regex.match(r"(?i)(?:từ|tháng|năm)\s", text[start:start + 6]))
    if branch == "year_range":  # `2015 đến 2020` needs `từ` or a cue word before it
        p = t["year_prefix"].search(text, max(pos, start - LOOKBACK), start)
        # `Năm 1983 đến năm 1984`: the year word before both ends names a period too
        both = p and p.group("yw") and t["year_word_to"].match(text, start)
        return (p.start(), bool(p.group("cue") or p.group("frm") or both)) if p else (start, False)
    if branch in ("date_full", "date_month_first"):
        p = t["prefix"].search(text, max(pos, start - LOOKBACK), start)
        return (p.start() if p else start), True
    if branch in ("date_num", "date_words", "day_range", "day_list"):
        p = t["prefix"].search(text, max(pos, start - LOOKBACK), start)
        first = p.start() if p else start
        if branch == "date_num" and first == start and m_sep == "/" \
                and t["verb_prefix"].search(text, max(pos, start - 30), start):
            return start, True  # `Hội nghị diễn ra 7/3 tại tỉnh`
        if branch == "day_range" and first == start and t["from_prefix"].search(text, max(pos, start - 10), start):
            return start, True
        if branch == "date_num" and first == start and m_sep == "/" and not t["fraction_after"].match(text, start) \
                and t["from_prefix"].search(text, max(pos, start - 10), start):
            return start, True  # `từ 18/10, thành phố sẽ ...`, but not `từ 2/3 tổng số đại biểu`
        if branch == "date_num" and first == start and m_sep == "/" \
                and t["deadline_prefix"].search(text, max(pos, start - 10), start) \
                and t["clause_after"].match(text, t["day_digits"].match(text, start).end()):
            return start, True  # `trước 30/3, ngành hàng không ...`, but not `sau 6/12 lần dự thi`
        return first, branch in ("date_words", "day_list") or bool(text[first:start].strip(" ("))
    return start, False


def extract(doc, lexicon) -> list[DateFact]:
    """Every date, period and time expression in the text, in order (those inside a document's number
    are dropped later, by the resolver: `in_document`).

    Example: `extract(make_doc("Sáng ngày 29/8/2023, ..."), lexicon)[0].value == "2023-08-29"`
    """
    t = lexicon.derived("dates.patterns", _build)
    published = _published(doc)
    text = doc.text
    facts: list[DateFact] = []
    pos = 0
    for first, _, branch, m, has_prefix in _candidates(t, text):
        start = m.start()
        if start < pos:
            continue  # inside a fact already taken
        if first < pos:
            first, has_prefix = _start(t, branch, text, start, pos, _sep(m))
        is_day = branch in ("date_num", "date_words", "date_full", "date_month_first")
        if branch == "day_list":
            items = _day_list(m, t, published, first)
        elif is_day:
            items = _days(m, t, text, published, first, has_prefix)
        else:
            result = _interpret(branch, m, t, published, has_prefix)
            items = [(result[0], result[1], first, m.end())] if result else None
        if not items or regex.search(r"(?i)\bsố\s*$", text[max(0, start - 6):start]):
            continue
        for kind, value, a, b in items:
            facts.append(_fact(text, kind, value, a, b))
        pos = max(m.end(), items[-1][3])
    return facts


def _fact(text: str, kind: str, value: str, start: int, end: int) -> DateFact:
    """The fact over text[start:end], trimmed of spaces and commas, with a closing bracket kept."""
    while end > start and text[end - 1] in " ,":
        end -= 1
    if "(" in text[start:end] and ")" not in text[start:end] and text[end:end + 1] == ")":
        end += 1
    return DateFact(kind=kind, value=value, start=start, end=end, text=text[start:end])


def to_json(fact: DateFact) -> dict:
    """FACTS.md shape plus offsets and the first year the value names (for dashboards)."""
    year = fact.value[:4] if fact.value[:4].isdigit() else None
    return {"kind": fact.kind, "value": fact.value, "text": fact.text, "start": fact.start, "end": fact.end,
            "year": int(year) if year else None}


register(Kind(name=KIND, table=TABLE, fact=DateFact, extract=extract, to_json=to_json, rank=20,
              label="DATE", color="#bfe1d9", yield_to=("documents",), conflicts=in_document,
              examples="dates.examples.yaml"))
