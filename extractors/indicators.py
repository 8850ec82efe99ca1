"""Numeric indicators: counts, percentages, money, measures and ages in Vietnamese notation.

`Từ năm 2016 đến nay, toàn tỉnh đã tổ chức 6.218 buổi tiếp xúc, đối thoại với
nhân dân` gives value 6218, unit `buổi`, measure `tiếp xúc, đối thoại với nhân
dân`, period `2016/..`. Money is in đồng with its magnitude applied (`trên
2.000 tỷ` -> 2e12 đồng); a bare magnitude is money only where the clause talks
about money (`thu ngân sách`, not `dân số hơn 1 triệu`). Not indicators: years,
dates and document numbers (whatever the dates and documents extractors
claimed), ordinals and names (`lần thứ 4`, `quận 2`), durations (`05 năm thực
hiện`), fractions (`38/63`), product models (`realme 8 Pro`), street addresses
(`tại 137 Chùa Láng`), phone numbers and numbers that count nothing. Word lists
live in `gazetteer/units.yaml`.
"""
from __future__ import annotations

import bisect
import dataclasses

import regex

from extractors.facts import Indicator
from extractors.registry import Kind, register
from extractors.resolve import Spans
from extractors.text.lexicon import Lexicon
from extractors.numbers import apply_magnitudes, parse_number, parse_words
from extractors.indicator_rules import build_rules, fold
from extractors.indicator_units import CAPITAL_AFTER_RE, measure_after, subject_unit, unit_after

KIND = "indicators"
TABLE = "indicators"
COLUMN_TYPES = {"value": float}  # whole numbers and fractions in one REAL column (storage, exports)

CONTEXT_CHARS = 40
NOT_AFTER_RE = regex.compile(r"[/:]\s?[\d\p{Lu}]|-\s?[\p{L}\d]")  # `7/9`, `13:49`, `248/QĐ`, `30-CT`, `5-7`
CODE_AFTER_RE = regex.compile(r"-\d")                                  # `65M2-0987`
GLUED_DASH_RE = regex.compile(r"\p{L}-$")                            # `Covid-19`
SCORE_BEFORE_RE = regex.compile(r"(?:\d-|\p{L}\s+[-–]\s+)$")
# a number of three digits or more, not glued to a letter, before a dash: a range's first end (`600-700 mét`,
# `130.000-140.000 lượt khách`), not a score (`2-1`) or a code (`i7-10700`, `59V2-209.54`)
RANGE_BEFORE_RE = regex.compile(r"(?<![\p{L}\p{M}\d.,])(?:\d{1,3}(?:\.\d{3})+|\d{3,})(?:,\d+)?-$")
UNIT_GLUED_RE = regex.compile(r"[\p{L}\p{M}]+\d*")
NAME_AFTER_RE = regex.compile(r"[ \t]*(?:\p{Lu}[\p{L}\p{M}]*[ \t]+){2}\p{Lu}")  # three capitalised words
PREV_WORD_RE = regex.compile(r"([\p{L}\p{M}][\p{L}\p{M}.\-]*)\s+$")
ADDRESS_AFTER_RE = regex.compile(r"[ \t]*\p{Lu}[\p{L}\p{M}]*[ \t]+\p{Lu}")  # `137 Chùa Láng`
ACRONYM_RE = regex.compile(r"\p{Lu}{2,}")                                     # `UBND 10 phường`
CUE_WINDOW = 80


def _nearest(facts, offset: int):
    """The fact nearest before `offset` (by end), else the first after."""
    before = [f for f in facts if f.end <= offset]
    if before:
        return max(before, key=lambda f: f.end)
    after = [f for f in facts if f.start >= offset]
    return min(after, key=lambda f: f.start) if after else None


def extract(doc, lexicon) -> list[Indicator]:
    """Every number that reports a quantity, with its unit and qualifier (phase 1: no other kind seen;
    `link` then drops nothing but adds the measure, the period, the place and the counts after a name).

    Example: `extract(make_doc("Toàn tỉnh có 62 xã đặc biệt khó khăn."), lexicon)[0].unit == "xã"`
    """
    t = lexicon.derived("indicators.patterns", build_rules)
    text = doc.text
    facts: list[Indicator] = []
    money_seen: dict = {}
    for m in t["amount"].finditer(text):
        if facts and m.start("num") < facts[-1].end:
            continue  # `2.053,71m 2 đất`: the `2` is the unit's superscript
        fact = _from_amount(t, doc, text, m, lexicon, money_seen=money_seen)
        if fact is not None:
            facts.append(fact)
    facts += _range_starts(t, text, facts, lexicon)  # (the resolver drops those inside dates and documents)
    for m in t["word_number"].finditer(text):
        if t["idiom"].match(text, m.start()):
            continue  # `Ba mẹ` (parents)
        value = parse_words(m.group("words"), lexicon)
        if value is None or value < 2:
            continue
        facts.append(Indicator(value=value, unit=m.group("noun"), start=m.start(), end=m.end(), text=m.group()))
    return sorted(facts, key=lambda f: (f.start, f.end))


def link(facts: list[Indicator], doc, lexicon, resolved: dict[str, list]) -> list[Indicator]:
    """The link step (after the resolver dropped the numbers of dates and documents):
    a count right after a person's name (`ông Trump 49 lần`) is one; a measure stops where a date or a
    document begins; each indicator takes the period and place of its sentence and the article's province.
    """
    lexicon = Lexicon.of(lexicon)
    t = lexicon.derived("indicators.patterns", build_rules)
    text = doc.text
    claimed = Spans([*resolved.get("dates", []), *resolved.get("documents", [])])
    facts = facts + _after_names(t, doc, text, lexicon, claimed, facts, resolved.get("people", []))
    facts = [_with_measure(t, doc, text, f, claimed) for f in sorted(facts, key=lambda f: (f.start, f.end))]
    dates = sorted(resolved.get("dates", []), key=lambda f: f.start)
    mentions = _mentions(doc, lexicon)
    main = lexicon.article_province(doc)
    dates, mentions = (dates, [d.start for d in dates]), (mentions, [m[0] for m in mentions])
    return [_with_context(f, doc, dates, mentions, main, t["baseline"]) for f in facts]


def _after_names(t, doc, text: str, lexicon, claimed: Spans, facts, people) -> list[Indicator]:
    """Counts right after a person's name (`ông Trump 49 lần`), which alone would read as a name's number."""
    name_ends = {end for person in people for _, end in person.mentions}
    have = {(f.start, f.end) for f in facts}
    out = []
    for end in sorted(name_ends):
        pos = end
        while pos < len(text) and text[pos].isspace():
            pos += 1
        m = t["amount"].match(text, pos) if pos < len(text) and text[pos].isdigit() else None
        if m is None:
            continue
        fact = _from_amount(t, doc, text, m, lexicon, name_ends)
        if fact is not None and (fact.start, fact.end) not in have and not claimed.overlaps(fact.start, fact.end):
            have.add((fact.start, fact.end))
            out.append(fact)
    return out


def _with_measure(t, doc, text: str, fact: Indicator, claimed: Spans) -> Indicator:
    """A number's fact with the phrase it measures, up to a clause boundary or the next date or document
    (a number written in words, `hai mươi lăm người`, measures nothing)."""
    if not any(ch.isdigit() for ch in fact.text):
        return fact
    sent = doc.sentence_index(fact.start)
    hi = doc.sentences[sent].end if sent is not None else len(text)
    measure, measure_end = measure_after(t, doc, text, fact.end, claimed.next_start(fact.end, hi))
    if measure is None:
        return fact
    end = max(fact.end, measure_end)
    return dataclasses.replace(fact, end=end, text=text[fact.start:end], measure=measure)


def _from_amount(t, doc, text: str, m, lexicon, name_ends: set[int] = frozenset(),
                 money_seen: dict | None = None) -> Indicator | None:
    """The indicator a number match starts (without its measure), or None when the number is not a quantity.
    `money_seen`: the amounts read as money so far (`11 triệu` -> the offset after it), so a repeat of one,
    or a bare amount of the same magnitude in the same clause (`11 triệu và ... 4,4 triệu`), is money too."""
    start = m.start("num")
    digits = m.group("num")
    sent = doc.sentence_index(start)
    lo, hi = (doc.sentences[sent].start, doc.sentences[sent].end) if sent is not None else (0, len(text))
    after = text[m.end():m.end() + 2]
    if NOT_AFTER_RE.match(after) or GLUED_DASH_RE.match(text, max(0, start - 2), start):
        return None  # fraction, time, document number (`30-CT`), range, `Covid-19`
    if digits.isdigit() and (len(digits) >= 8 or (digits.startswith("0") and len(digits) >= 3)):
        return None  # phone numbers and codes (`007`); a count keeps one leading zero (`04 huyện`)
    value = parse_number(digits)
    if value is None:
        return None
    mags = m.group("mags")
    if mags:
        value = _with_magnitudes(t, mags, value, lexicon)
    unit, end, kind = unit_after(t, doc, text, m.end(), hi)
    if unit is None and not mags and (subject := subject_unit(t, doc, text, lo, start, m.end(), hi)):
        unit, kind = subject, "word"  # `Số đơn xin trợ cấp ... là 286.000`
    if kind == "time" or (unit is None and not mags) or CODE_AFTER_RE.match(text, end):
        return None  # durations, bare numbers, licence plates (`65M2-0987`)
    if unit is None:
        last = fold(t["mag_word"].findall(mags)[-1])
        seen = fold(m.group()) in (money_seen or {}) or _parallel_money(text, lo, start, last, money_seen or {})
        if last not in t["money_default"] or not (text.startswith("/", end) or seen
                                                  or _money_context(t, text, lo, start)):
            return None  # `dân số hơn 1 triệu`: a bare magnitude is money where money is talked about or
                         # it is a rate (`120 triệu/năm`)
        unit, kind = "đồng", "money"
    before = text[max(lo, start - CONTEXT_CHARS):start]
    counted = fold(unit) in t["count_nouns"]
    after_person = counted and start - len(before) + len(before.rstrip()) in name_ends  # `ông Trump 49 lần`
    if kind == "word" and not mags and not after_person \
            and _not_a_count(t, text, start, m.end(), digits, before, unit, counted):
        return None
    if kind not in ("money", "pct", "measure") and _name_before(t, before, value) and not t["not_name"].search(before) \
            and not (counted and unit[0].islower() and not CAPITAL_AFTER_RE.match(text, end)
                     and t["soft_name"].search(before)):
        return None  # `lần thứ 4`, `quận 2`, `Kết luận 120`; but `tổng số 320 hộ`, `lấy mẫu 3 lần`,
                     # and money is money (`giá khởi điểm 60.000 đồng`, `khoản 2 tỷ đồng`)
                     # (`lớp 4.5 Trường Tiểu học`, `lớp 8 trường TH&THCS Gio Hải`: a school's name, no count);
                     # a percentage or a measure is a quantity after any word (`đứng lớp 35%`, `khu 4,3 ha`)
    if kind == "money" and mags and money_seen is not None:
        money_seen[fold(m.group())] = end
    q = t["qualifier"].search(before)
    span_start = start - (len(before) - q.start("q")) if q else start
    return Indicator(value=value, unit=unit, start=span_start, end=end, text=text[span_start:end],
                     qualifier=q.group("q").lower() if q else None)


def _name_before(t, before: str, value) -> bool:
    """Whether a name noun makes the number a name: `quận 2`, and the next of a list, `khóa 13, 14`
    (but `giai đoạn 1 và 5 vòng`, `lần 1, 1 trường hợp` count: a list goes on one by one)."""
    if t["name_before"].search(before):
        return True
    listed = t["name_list"].search(before)
    return bool(listed) and value == int(listed.group("last")) + 1


def _range_starts(t, text: str, facts: list[Indicator], lexicon) -> list[Indicator]:
    """The first end of a range that shares the second's magnitude and unit (`3 - 5 triệu đồng`: 3,000,000).

    Example: `từ 800.000 đến 1.200.000 đồng` gives 800000 đồng beside 1200000 đồng.
    """
    by_start = {f.start: f for f in facts}
    taken = {f.start for f in facts} | {f.end for f in facts}
    out = []
    changes = [(m, t["change_way"][fold(m.group("j"))]) for m in t["change"].finditer(text)]
    for m, way in [*((m, "up") for m in t["range"].finditer(text)), *changes]:
        second = by_start.get(m.end())
        if second is None or m.start("num") in taken:
            continue
        first = parse_number(m.group("num"))
        amount = t["amount"].match(text, m.end())
        if first is None or amount is None:
            continue
        first = _elided_thousands(m.group("num"), amount.group("num"), first)
        if amount.group("mags"):
            first = _with_magnitudes(t, amount.group("mags"), first, lexicon)
        if not (0 < first < second.value if way == "up" else first > second.value > 0):
            continue  # `6-2`: a score; `2021-2025`: years are no quantities anyway
        out.append(Indicator(value=first, unit=second.unit, start=m.start("num"), end=m.end("num"),
                             text=text[m.start("num"):m.end("num")], qualifier=None, measure=second.measure))
    return out


def _parallel_money(text: str, lo: int, start: int, magnitude: str, money_seen: dict) -> bool:
    """Whether a money amount with the same last magnitude word ends in the same clause, not long before
    (`giảm trừ cá nhân 11 triệu và giảm trừ người phụ thuộc 4,4 triệu`)."""
    for amount, end in money_seen.items():
        if amount.endswith(f" {magnitude}") and max(lo, start - CUE_WINDOW) <= end <= start \
                and not regex.search(r"[;.!?]", text[end:start]):
            return True
    return False


def _elided_thousands(first_text: str, second_text: str, first):
    """The first end of a range whose thousands are written only on the second (`16-18.000 đồng`: 16,000).

    Example: `_elided_thousands("16", "18.000", 16) == 16000`; `_elided_thousands("2", "5", 2) == 2`.
    """
    groups = regex.fullmatch(r"\d{1,3}((?:\.000)+)", second_text)
    if groups is None or not first_text.isdigit() or len(first_text) > 3:
        return first
    scaled = first * 1000 ** groups.group(1).count(".")
    second = parse_number(second_text)
    return scaled if second and second / 10 <= scaled < second else first


def _money_context(t, text: str, lo: int, start: int) -> bool:
    """Whether the clause before a bare magnitude talks about money (`thu ngân sách đạt 2.000 tỷ`).

    The nearest money or count cue decides: `dân số hơn 1 triệu` is not money.
    """
    window = text[max(lo, start - CUE_WINDOW):start]
    window = window[window.rfind(";") + 1:]
    kind = None
    for cue in t["cue"].finditer(window):
        kind = t["cues"][fold(cue.group())] or kind  # a neutral cue (`thu hút`) changes nothing
    return kind == "money"


def _not_a_count(t, text: str, start: int, end: int, digits: str, before: str, unit: str, counted: bool) -> bool:
    """Whether a number followed by a word is a name, a score, a model, an address or a year rather than a count."""
    if start > 0 and text[start - 1].isalpha():
        return True  # `R3 dài`, `Hội5`
    if SCORE_BEFORE_RE.search(before) and not RANGE_BEFORE_RE.search(before):
        return True  # `2-1 giữ nguyên`, `4-3-3 quen thuộc`, `Covid - 19 dự kiến`; but a score has no
                     # hundreds: `130.000-140.000 lượt khách` is a range
    if digits.isdigit() and len(digits) == 4 and 1900 <= int(digits) <= 2100:
        return True  # `World Cup 2022 khu vực`: a year
    glued = UNIT_GLUED_RE.match(text, end)
    if glued and (len(glued.group()) <= 2 or glued.group().isupper() or glued.group()[-1].isdigit()):
        return True  # `3D`, `5K`, `1A`, `1m74`
    if NAME_AFTER_RE.match(text, end):
        return True  # `45 Lê Đại Hành`: a house number before a name
    if fold(unit) in t["models"]:
        return True  # `realme 8 Pro`, `iPhone 12 mini`: a product model
    if ADDRESS_AFTER_RE.match(text, end) and t["address"].search(before):
        return True  # `tại 137 Chùa Láng`: a street address
    prev = PREV_WORD_RE.search(before)
    if prev and prev.group()[0].isupper() and not t["qualifier"].search(prev.group()) \
            and before[:prev.start()].strip(" \t\"“'(") != "" \
            and not (counted and ACRONYM_RE.fullmatch(prev.group(1))):
        return True  # `Dung Quất 2 tăng`, `Viking 1 chụp`: a name; but `UBND 10 phường` counts
    return False


def _with_magnitudes(t, mags: str, value, gaz):
    """`value` with a magnitude chain applied (`1 tỷ 200 triệu` -> 1.2e9), with the gazetteer's magnitudes."""
    parts = t["mag_word"].split(mags)
    words = t["mag_word"].findall(mags)
    total = apply_magnitudes(value, [words[0]], gaz)
    for number, word in zip(parts[1:], words[1:]):
        n = parse_number(number.strip())
        if n is not None:
            total += apply_magnitudes(n, [word], gaz)
    return total


def _mentions(doc, lexicon) -> list[tuple[int, int, str]]:
    """Every province named in the text as (start, end, name)."""
    return lexicon.province_mentions(doc.text)


def _starting_in(items_starts: tuple[list, list[int]], lo: int, hi: int) -> list:
    """The items (sorted, with their start offsets) that start in [lo, hi), found by bisection."""
    items, starts = items_starts
    return items[bisect.bisect_left(starts, lo):bisect.bisect_left(starts, hi)]


def _with_context(fact: Indicator, doc, dates, mentions, main: str | None, baseline) -> Indicator:
    """The fact with the period and place its sentence gives, and the province it is about (`dates`,
    `mentions`: items and their starts, so the work is linear in the facts, not facts x dates)."""
    sent = doc.sentence_index(fact.start)
    if sent is None:
        return dataclasses.replace(fact, province=main) if main else fact
    s = doc.sentences[sent]
    period = _nearest([d for d in _starting_in(dates, s.start, s.end)
                       if not baseline.search(doc.text, max(s.start, d.start - 25), d.start)], fact.start)
    here = _starting_in(mentions, s.start, s.end)
    before = [m for m in here if m[1] <= fact.start]
    place = (before[-1] if before else here[0])[2] if here else None
    return dataclasses.replace(fact, period=period.value if period else None, place=place, province=place or main)


def to_json(fact: Indicator) -> dict:
    """FACTS.md shape plus measure, period, place, offsets, and flat columns for dashboards.

    `province` is the sentence's province, else the article's; `year` is the
    last year the period names (None without a closed period: use the article's
    publication year); `unit_key` is the unit's first word, case-folded.
    """
    year = None
    if fact.period and not fact.period.endswith(".."):  # `2016/..` (until now): the publication year applies
        years = regex.findall(r"(?<!\d)(\d{4})(?!\d)", fact.period)
        year = int(years[-1]) if years else None
    unit_key = (fold(fact.unit).replace("m²", "m2").split() or [""])[0]
    return {"value": fact.value, "unit": fact.unit, "qualifier": fact.qualifier, "text": fact.text,
            "measure": fact.measure, "period": fact.period, "place": fact.place, "province": fact.province,
            "year": year,
            "unit_key": unit_key, "start": fact.start, "end": fact.end}


register(Kind(name=KIND, table=TABLE, fact=Indicator, extract=extract, to_json=to_json, rank=40,
              label="INDICATOR", color="#ff9561", yield_to=("documents", "dates"),
              requires=("documents", "dates", "people"), assigns=("measure", "period", "place", "province"),
              link=link, column_types=COLUMN_TYPES, examples="indicators.examples.yaml"))
