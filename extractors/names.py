"""Vietnamese personal names in text: runs of capitalised syllables split into names.

A run such as `Hội Khuyến học Việt Nam Nguyễn Thị Doan` is cut where the name
starts (a known surname); a name is 2-4 syllables, never a province, ward,
weekday or body (`gazetteer/names.yaml`, `gazetteer/provinces.yaml`). After a
strong honorific (`ông`, `bà`, `đồng chí`) or a title, a run without a known
surname is a name too, and a single syllable is a short reference (`ông Thọ`).
"""
from __future__ import annotations

from dataclasses import dataclass

import regex

SYLLABLE = r"\p{Lu}\p{Ll}*(?:['’]\p{L}\p{Ll}*)?"
RUN_RE = regex.compile(rf"(?<![\p{{L}}\p{{N}}.&/@_-])({SYLLABLE})(?:[ ]({SYLLABLE}))*(?![\p{{L}}\p{{N}}&@_])")
SYL_RE = regex.compile(SYLLABLE)
NUMBER_AFTER_RE = regex.compile(r" ?\p{N}")
# words right before a run that make it a place, not a person
PLACE_BEFORE_RE = regex.compile(
    r"(?<![\p{L}])(?:tỉnh|Tỉnh|huyện|Huyện|xã|Xã|phường|Phường|quận|Quận|thị xã|Thị xã|thị trấn|Thị trấn|"
    r"thành phố|Thành phố|TP\.?|Tp\.?|đường|Đường|phố|Phố|sông|Sông|núi|Núi|cầu|Cầu|chợ|Chợ|làng|Làng|"
    r"thôn|Thôn|bản|Bản|ấp|Ấp|đảo|Đảo|khu|Khu|vùng|miền|hồ|Hồ|đèo|Đèo|xóm|Xóm|tổ dân phố|"
    r"tư tưởng|Tư tưởng|TNCS|Cộng sản|lăng|Lăng|Bảo tàng|bảo tàng|Giải|giải|"
    r"tên đường|Đại lộ|đại lộ|Quỹ|quỹ|tàu|Tàu|Nhà|nhà|Công ty|công ty|Tập đoàn|tập đoàn|"
    r"Học viện|Đại học|Bệnh viện|Thư viện|Cung|Đền|đền|Chùa|chùa|Đình|đình|THPT|THCS|PTTH|Tiểu học|tiểu học|"
    r"Mầm non|mầm non|chuyên|Chuyên)\s+$")
# a place in brackets right after the run: `Lý Sơn (Quảng Ngãi)`
BRACKET_PLACE_RE = regex.compile(r" ?\((?:tỉnh |TP\.? ?)?\p{Lu}\p{Ll}*(?: \p{Lu}\p{Ll}*)*\)")


@dataclass(frozen=True, slots=True)
class NameSpan:
    start: int
    end: int
    name: str
    cued: bool          # a strong honorific or title stands right before
    short: bool = False  # one syllable after an honorific: a reference to a full name


@dataclass
class NameData:
    surnames: frozenset
    never_first: frozenset
    never_in_name: frozenset
    places: frozenset     # provinces, wards and never_names, as written
    never_names: frozenset


def build_name_data(gaz) -> NameData:
    data = gaz.load("names")
    prov = gaz.load("provinces")
    places = set(data.get("never_names") or [])
    for row in prov["provinces"]:
        places.add(row["name"])
        places.update(a for a in row.get("aliases") or [] if " " in a)
    places.update(prov.get("ward_names") or [])
    return NameData(frozenset(data["surnames"]), frozenset(data["never_first"]),
                    frozenset(data["never_in_name"]), frozenset(places), frozenset(data.get("never_names") or []))


def name_data(gaz) -> NameData:
    return gaz.derived("people.names", build_name_data)


def _all_places(syls: list[str], places: frozenset) -> bool:
    """True when the syllables are entirely a sequence of known places (`Nông Cống Như Thanh`)."""
    i = 0
    while i < len(syls):
        for j in range(len(syls), i, -1):
            if " ".join(syls[i:j]) in places and j - i >= 2:
                i = j
                break
        else:
            return False
    return True


def is_place(syls: list[str], nd: NameData) -> bool:
    """A province/ward/known place, or one followed by more places."""
    joined = " ".join(syls)
    if joined in nd.places:
        return True
    if len(syls) == 1:
        return False
    if len(syls) >= 2 and " ".join(syls[:2]) in nd.places and len(syls) == 2:
        return True
    return len(syls) >= 3 and _all_places(syls, nd.places)


def find_names(text: str, nd: NameData, cue_before, crosses_token=lambda s, e: False) -> list[NameSpan]:
    """Every name-like run in `text`.

    `cue_before(pos)` is "strong" when an honorific or rank ends at pos, "title" after a role,
    else None; `crosses_token(start, end)` is True when a word token runs past the name's end
    (`Đoàn Mặt` of `Đoàn Mặt trận`).

    Example: `find_names("Chủ tịch Hội Khuyến học Việt Nam Nguyễn Thị Doan dự", ...)` -> `Nguyễn Thị Doan`
    """
    out: list[NameSpan] = []
    for m in RUN_RE.finditer(text):
        syls = [(s.group(), s.start()) for s in SYL_RE.finditer(text, m.start(), m.end())]
        # a capitalised honorific opening the run (`Ông Nguyễn Thiện Nhân`, `Bà Nhung`)
        cued_head = False
        while syls and syls[0][0] in ("Ông", "Bà", "Anh", "Chị", "Ngài", "Cô", "Thầy", "Bác", "Chú", "Cụ", "Mẹ", "Em"):
            cued_head = syls[0][0] in ("Ông", "Bà", "Anh", "Chị", "Ngài")
            if syls[0][0] in ("Anh", "Chị") and len(syls) > 1 and syls[1][0] not in nd.surnames:
                cued_head = False
            syls = syls[1:]
        if not syls:
            continue
        words = [w for w, _ in syls]
        run_start = syls[0][1]
        before = text[max(0, run_start - 40):run_start]
        place_ctx = bool(PLACE_BEFORE_RE.search(before))
        cue = "strong" if cued_head else cue_before(run_start)
        cued = cue is not None
        found = None
        for i, w in enumerate(words):
            if w not in nd.surnames:
                continue
            rest = words[i:]
            if not 2 <= len(rest) <= 4:
                continue
            if any(x in nd.never_in_name for x in rest):
                continue
            if is_place(rest, nd) or " ".join(rest[:2]) in nd.never_names:
                # a place is a person only as a longer name right after a cue (`Chủ tịch Hồ Chí Minh`)
                if not (i == 0 and cued and not place_ctx and len(rest) >= 3
                        and " ".join(rest[:2]) not in nd.never_names):
                    continue
            if i == 0 and place_ctx:
                continue
            if i > 0 and not is_place(words[:i], nd) and words[i - 1] in nd.surnames:
                continue  # `Nguyễn Mai Hương` is not `Mai Hương`; `tỉnh Lai Châu Lê Văn Hiệp` is
            found = i
            break
        if found is None and cue == "strong" and not place_ctx and words[0] not in nd.never_first \
                and 1 <= len(words) <= 4 and not any(x in nd.never_in_name for x in words) \
                and not is_place(words, nd):
            found = 0
        if found is None:
            continue
        start = syls[found][1]
        end = syls[-1][1] + len(syls[-1][0])
        if NUMBER_AFTER_RE.match(text, end) or crosses_token(start, end):
            continue
        b = BRACKET_PLACE_RE.match(text, end)
        if b and is_place(b.group().strip(" ()").removeprefix("tỉnh ").split(), nd):
            continue
        name = text[start:end]
        short = len(words) - found == 1
        out.append(NameSpan(start, end, name, cued and found == 0, short))
    return out


RUN_ITEM = rf"{SYLLABLE}(?:[ ]{SYLLABLE}){{0,4}}"
LIST_RE = regex.compile(rf"(?<![\p{{L}}\p{{N}}])({RUN_ITEM})(?:(?:,[ ]|[ ]và[ ])({RUN_ITEM})){{2,}}(?![\p{{L}}\p{{N}}])")
PLACE_LIST_BEFORE_RE = regex.compile(r"(?:huyện|tỉnh|xã|phường|quận|thị xã|thành phố|các địa phương|gồm)\s*:?\s*$")


def list_context(text: str, spans: list[NameSpan], nd: NameData) -> tuple[set[int], list[NameSpan]]:
    """Names decided by the list they stand in: `A, B, Tố Hữu, C` (names) vs `Hà Trung, Nga Sơn, Thạch Thành`.

    Returns the starts of spans to drop (places) and new spans (unknown runs in a list of names).
    """
    by_start = {s.start: s for s in spans}
    drop: set[int] = set()
    add: list[NameSpan] = []
    for m in LIST_RE.finditer(text):
        items = []
        for piece in regex.finditer(RUN_ITEM, text[m.start():m.end()]):
            a = m.start() + piece.start()
            items.append((a, a + len(piece.group()), piece.group()))
        names = [it for it in items if it[0] in by_start]
        places = [it for it in items if is_place(it[2].split(), nd)]
        if PLACE_LIST_BEFORE_RE.search(text[max(0, m.start() - 30):m.start()]) or \
                (len(places) >= 2 and len(places) > len(names)):
            drop.update(it[0] for it in names)
            continue
        if len(names) >= 3 and len(names) * 3 >= len(items) * 2:
            for a, b, item in items:
                words = item.split()
                if a in by_start or not 2 <= len(words) <= 4 or words[0] in nd.never_first \
                        or is_place(words, nd) or any(w in nd.never_in_name for w in words):
                    continue
                add.append(NameSpan(a, b, item, False))
    return drop, add
