"""Vietnamese personal names in text: runs of capitalised syllables split into names.

A run such as `Hội Khuyến học Việt Nam Nguyễn Thị Doan` is cut where the name
starts (a known surname); a name is 2-4 syllables, never a province, ward,
weekday or body (`gazetteer/names.yaml`, `gazetteer/provinces.yaml`). After a
strong honorific (`ông`, `bà`, `đồng chí`) or a title, a run without a known
surname is a name too, and a single syllable is a short reference (`ông Thọ`).
A hyphenated foreign word is one name (`ông Diaz-Canel`); a title's place word does not make the
name after it a place (`Chủ tịch HĐND thành phố Nguyễn Ngọc Tuấn`); a space lost in the page is
restored (`Nguyễn Thanh Longđề nghị` -> `Nguyễn Thanh Long`).
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import regex

from extractors.text.stdre import std_compile
from extractors.run_cue import RunCue
from extractors.text.lexicon import alternation

# `Diaz-Canel`, `Kun-hee`, `McMillan`, `DeSantis`
SYLLABLE = r"(?:Mc|Mac|De|Di|Du|La|Le)?\p{Lu}\p{Ll}*(?:['’]\p{L}\p{Ll}*)?(?:-[A-Za-z][a-z]+(?![\p{L}-]))?"
# (a run may follow a dot only where a sentence was glued to the one before: `cụ thể.Ông Nguyễn Văn Trương`,
#  not `TP.Hồ Chí Minh`, `1.Nguyễn`)
# (middle initials inside a run: `Jay Y. Lee`, `George H. W. Bush`; not initials alone: `Bùi B. H.`)
# (a syllable starts with a capital: the look-ahead `(?=\p{Lu})` spares `regex` the rest at other places)
RUN_RE = std_compile(rf"(?=\p{{Lu}})(?<![\p{{L}}\p{{N}}&/@_-])(?<!(?<!\p{{Ll}})\.)({SYLLABLE})(?:[ ](?:(?:\p{{Lu}}\.[ ]){{1,2}}(?=\p{{Lu}}\p{{Ll}}{{2}}))?({SYLLABLE}))*(?![\p{{L}}\p{{N}}&@_])")
SYL_RE = std_compile(SYLLABLE)
# a capitalised word and the lower-case syllable after it, right before a run (`Môi trường `)
COMPOUND_TAIL_RE = std_compile(r"(?<![\p{L}\p{N}])(\p{Lu}\p{Ll}+) (\p{Ll}+) +$")
DOTTED_AFTER_RE = std_compile(r"\.\p{Ll}")  # a run ending inside a dotted word (`Co.op`)
NUMBER_AFTER_RE = std_compile(r" ?\p{N}")
COUNT_AFTER_RE = std_compile(r" \p{N}+ \p{Ll}")  # a count after a name with an honorific: `ông Trump 49 lần`
PHRASE_END_RE = std_compile(r"\s*(?:[,.;:)]|$)")
# a place in brackets right after the run: `Lý Sơn (Quảng Ngãi)`
BRACKET_PLACE_RE = std_compile(r" ?\((?:tỉnh |TP\.? ?)?\p{Lu}\p{Ll}*(?: \p{Lu}\p{Ll}*)*\)")


# a Vietnamese syllable without its tone: onset, vowels, coda (`nguyen`, `quoc`); `Putin`, `Ceferin` fail
VI_SYLLABLE_RE = std_compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?"
    r"(?:[aăâeêioôơuưy]{1,3})(?:ch|ng|nh|[cmnpt])?")


def is_foreign(word: str) -> bool:
    """True for a syllable no Vietnamese word could be (`Putin`, `Sergei`), False for `Nguyễn`.

    Example: `is_foreign("Ceferin")` -> True
    """
    letters = word.replace("'", "").replace("’", "").replace("-", "")  # `Kun-hee` -> `Kunhee`
    if not (letters.isascii() and letters.isalpha() and len(letters) >= 2):
        return False  # Vietnamese letters (`Tùngthị`), initials (`T`)
    return VI_SYLLABLE_RE.fullmatch(letters.lower()) is None


TONE_MARKS = dict.fromkeys(map(ord, "\u0300\u0301\u0303\u0309\u0323"))


def glued_cut(word: str, glue_words: frozenset) -> int | None:
    """Where a name syllable glued to a following common word ends (`Longđề` of `Nguyễn Thanh Longđề
    nghị`: 4), or None. Example: `glued_cut("Longđề", frozenset({"đề"}))` -> 4; `glued_cut("Galán", ...)` -> None
    """
    if len(word) < 4 or word.isascii():
        return None
    cuts = [i for i in range(len(word) - 1, 1, -1) if word[i:] in glue_words]
    if not cuts:
        return None
    bare = unicodedata.normalize("NFC", unicodedata.normalize("NFD", word.lower()).translate(TONE_MARKS))
    if len(bare) != len(word) or VI_SYLLABLE_RE.fullmatch(bare):
        return None
    return next((i for i in cuts if VI_SYLLABLE_RE.fullmatch(bare, 0, i)), None)


@dataclass(frozen=True, slots=True)
class NameSpan:
    start: int
    end: int
    name: str
    cued: bool          # a strong honorific or title stands right before
    short: bool = False  # one syllable after an honorific: a reference to a full name
    by_cue: bool = False  # accepted only through its cue (no known surname): look for its other mentions


@dataclass
class NameData:
    surnames: frozenset
    never_first: frozenset
    never_in_name: frozenset
    places: frozenset     # provinces, wards and never_names, as written
    never_names: frozenset
    provinces: frozenset  # provinces and countries only (never_names), not wards: `Minh Sơn` is a given name
    weak_surnames: frozenset
    never_last: frozenset
    place_before_re: regex.Pattern   # a place word ending right before a run
    place_words: frozenset
    person_role_re: regex.Pattern    # `tổng thống ` ending right before a single foreign word
    given_prefix_re: regex.Pattern   # `H'` opening an Ê Đê woman's name
    countries: frozenset
    foreign_given: frozenset         # `Jose`, `Erik`: a foreign name opens with one
    never_inside: frozenset          # `Núi`: never a given name
    org_words: frozenset             # `Group`, `Airlines`: a foreign run with one is an organisation
    particle_re: regex.Pattern       # ` ten Hag` after a foreign given name
    foreign_countries: frozenset     # names.yaml countries only (no Vietnamese province)
    glue_words: frozenset            # `đề` of `Longđề nghị`: common words a lost space glues to a name
    committee_words: frozenset       # `Tỉnh ủy`: a run without a known surname after one is its place
    name_openers: frozenset          # `Y` of `Y Lâm Niê`: opens a name before a known surname
    run_breakers: frozenset = frozenset()  # `Trong` of `Tô Lâm Trong mọi ...`: a run is cut before one
    address_end_re: regex.Pattern | None = None  # `chị ` ending before a run: a ward's name is a given name there


def build_name_data(gaz) -> NameData:
    data = gaz.load("names")
    prov = gaz.load("provinces")
    places = set(data.get("never_names") or [])
    for row in prov["provinces"]:
        places.add(row["name"])
        places.update(a for a in row.get("aliases") or [] if " " in a)
    provinces = frozenset(places)
    places.update(w.strip() for w in prov.get("ward_names") or [])
    place_alt = alternation(data["place_words"], group=False)
    role_alt = alternation(data["person_only_roles"], group=False)
    return NameData(frozenset(data["surnames"]), frozenset(data["never_first"]),
                    frozenset(data["never_in_name"]), frozenset(places), frozenset(data.get("never_names") or []),
                    provinces, frozenset(data["weak_surnames"]), frozenset(data["never_last"]),
                    std_compile(rf"(?<![\p{{L}}])(?:{place_alt})\s+$"), frozenset(data["place_words"]),
                    std_compile(rf"(?<![\p{{L}}])(?:{role_alt})\s+$", regex.IGNORECASE),
                    std_compile("|".join(regex.escape(p) + r"\p{Lu}" for p in data["given_prefixes"])),
                    frozenset(data["countries"]) | provinces, frozenset(data["foreign_given_names"]),
                    frozenset(data["never_inside"]), frozenset(data["org_words"]),
                    std_compile(r"(?: (?:%s)){1,2} \p{Lu}\p{Ll}+(?![\p{L}\p{N}])" % "|".join(data["name_particles"])),
                    frozenset(data["countries"]) - {row["name"] for row in prov["provinces"]},
                    frozenset(data["glue_words"]), frozenset(data["committee_words"]),
                    frozenset(data["name_openers"]), frozenset(data.get("run_breakers") or []),
                    std_compile(rf"(?<![\p{{L}}])(?:{alternation(data['address_words'], group=False)})\s+$"))


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


# the level word of a body (`HĐND thành phố`), after which a title may end right before a name
ADMIN_WORDS = frozenset({"tỉnh", "thành phố", "huyện", "quận", "thị xã", "xã", "phường", "thị trấn"})
HEAD_HONORIFICS = ("Ông", "Bà", "Anh", "Chị", "Ngài", "Cô", "Thầy", "Bác", "Chú", "Cụ", "Mẹ", "Em", "Sir", "Tướng")


def ends_with_word(text: str, pos: int, words: frozenset) -> bool:
    """True when one of `words` (1-3 words, as written) ends right before pos, spaces skipped.

    Example: `ends_with_word("thôn Hoàng Xá", 5, frozenset({"thôn"}))` -> True
    """
    j = pos
    while j > 0 and text[j - 1] == " ":
        j -= 1
    lo = max(0, j - 30)
    k = j
    for _ in range(3):
        k = text.rfind(" ", lo, k)
        if k < 0 and lo > 0:
            break
        if text[k + 1:j].lstrip("(\"“‘'[\n") in words:
            return True
        if k < 0:
            break
    return False


def _surname_start(words: list[str], nd: NameData, place_ctx: bool, cue) -> int | None:
    """Index of the syllable where a name with a known surname starts, or None."""
    for i, w in enumerate(words):
        if w not in nd.surnames:
            continue
        rest = words[i:]
        if not 2 <= len(rest) <= 4 or any(x in nd.never_in_name for x in rest):
            continue
        if len(rest) == 2 and (rest[1] in nd.never_last or (w in nd.place_words and is_foreign(rest[1]))):
            continue  # `Phạm Nguyễn`: two surnames; `Hồ Baikal`: a lake
        if any(x in nd.never_inside for x in rest[1:]):
            continue  # `Hồ Núi Đá`: a mountain word inside
        if i > 0 and " ".join(words[i - 1:i + 1]) in nd.places:
            continue  # `Bạc Liêu Mã Quốc Thiện`: `Liêu` ends a province
        if w in nd.weak_surnames and len(rest) < 3 and not cue.strong():
            continue  # `Từ Huế`
        tail_place = len(rest) >= 3 and (" ".join(rest[1:]) in nd.provinces or " ".join(rest[1:3]) in nd.never_names)
        if tail_place and not (cue.strong() or (i == 0 and w not in nd.weak_surnames
                                                and " ".join(rest[1:3]) not in nd.never_names and cue() == "title")):
            continue  # `Mã Hà Nội`, `Từ Thứ Hai`; `Phó Thủ tướng Trương Hòa Bình` is a name
        if is_place(rest, nd) or " ".join(rest[:2]) in nd.never_names:
            # a place is a person only as a longer name right after a cue (`Chủ tịch Hồ Chí Minh`)
            if not (i == 0 and not place_ctx and len(rest) >= 3 and " ".join(rest[:2]) not in nd.never_names
                    and cue()):
                continue
        if i == 0 and place_ctx:
            continue
        if i > 0 and (words[i - 1] in nd.place_words
                      or (not is_place(words[:i], nd) and words[i - 1] in nd.surnames)):
            continue  # `Thôn Hoàng Xá`; `Nguyễn Mai Hương` is not `Mai Hương`; `tỉnh Lai Châu Lê Văn Hiệp` is
        return i
    return None


def _cued_start(text: str, words: list[str], run_start: int, run_end: int, nd: NameData,
                cue) -> tuple[int | None, bool]:
    """Where a name without a known surname starts in a run, if its cue allows one, and whether it is a
    single foreign word (`tổng thống Putin`). Leading countries are cut (`Ukraine Dmytro Kuleba`)."""
    k = next((k for k in (3, 2, 1) if len(words) > k and " ".join(words[:k]) in nd.countries
              and (any(is_foreign(w) for w in words[k:]) or len(words) - k == 3
                   or (len(words) - k == 2 and " ".join(words[:k]) in nd.foreign_countries
                       and (k > 1 or is_foreign(words[0]))))), 0)  # `Trung Quốc Nong Rong`, not `Nga Sơn`
    cand = words[k:]
    # after `chị`, `anh`, `ông`, `bà` a ward's name or a country's word opens a given name (`Chị Mỹ Hạnh (Hà Nội)`,
    # `anh Đức Huy`); not a province or a country, nor after an honour (`nông dân Vĩnh Châu`, `liệt sĩ Vị Xuyên`)
    addressed = cue.strong() and nd.address_end_re.search(text, max(0, run_start - 8), run_start) is not None
    given_country = (addressed and cand[0] in nd.countries and 2 <= len(cand) <= 3
                     and " ".join(cand) not in nd.countries and not any(is_foreign(w) for w in cand))
    ward = addressed and len(cand) == 2 and " ".join(cand) not in nd.provinces and " ".join(cand) not in nd.never_names
    if len(cand) > 4 or (cand[0] in nd.never_first and not given_country) \
            or any(x in nd.never_in_name for x in cand) or (is_place(cand, nd) and not ward):
        return None, False
    foreign = any(is_foreign(w) for w in cand)
    if len(cand) == 1:
        if foreign and words[-1] not in nd.countries \
                and nd.person_role_re.search(text, max(0, run_start - 30), run_start):
            return k, True
        return (k, False) if cue.strong() else (None, False)
    if nd.given_prefix_re.match(cand[0]) or cue.strong():
        return k, False  # `H'Trà Niê`
    if " ".join(cand[1:]) in nd.provinces or " ".join(cand[:2]) in nd.places \
            or not (len(cand) == 3 or foreign or k or cand[0] in nd.foreign_given) \
            or any(w in nd.org_words for w in cand):  # (`đại sứ Trung Quốc Nong Rong`: a country, then a name)
        return None, False
    c = cue()  # (asked last: the title search is the dearest question)
    if c == "title-after-comma":  # `A, Giám đốc X, Bộ trưởng Mỹ Merrick Garland và ...`, not `..., Cen Land,`
        c = "title" if not PHRASE_END_RE.match(text, run_end) else None
    return (k, False) if c == "title" else (None, False)


def find_names(text: str, nd: NameData, cue_before, crosses_token=lambda s, e: False,
               role_at=lambda pos: False, strong_at=None) -> list[NameSpan]:
    """Every name-like run in `text`.

    `cue_before(pos)` is "strong" when an honorific or rank ends at pos, "title" after a role
    ("appositive" when that title follows a name), else None; `crosses_token(start, end)` is True when a word token runs past the name's end
    (`Đoàn Mặt` of `Đoàn Mặt trận`). Without a known surname, a run is a name after a strong cue,
    as three syllables after a title (`Chủ tịch Tập Cận Bình`), or as a foreign name after a title
    (`Chủ tịch UEFA Alexander Ceferin`, `tổng thống Putin`). `strong_at(pos)`, when given, says whether
    `cue_before(pos)` is "strong" without its title search (`extractors/run_cue.py`).

    Example: `find_names("Chủ tịch Hội Khuyến học Việt Nam Nguyễn Thị Doan dự", ...)` -> `Nguyễn Thị Doan`
    """
    out: list[NameSpan] = []
    for m in RUN_RE.finditer(text):
        syls = [(s.group(), s.start()) for s in SYL_RE.finditer(text, m.start(), m.end())]
        # a capitalised honorific opening the run (`Ông Nguyễn Thiện Nhân`, `Bà Nhung`)
        cued_head = False
        while syls and syls[0][0] in HEAD_HONORIFICS:
            cued_head = syls[0][0] in ("Ông", "Bà", "Anh", "Chị", "Ngài")
            if syls[0][0] in ("Anh", "Chị") and len(syls) > 1 and syls[1][0] not in nd.surnames:
                cued_head = False
            syls = syls[1:]
        if not syls or DOTTED_AFTER_RE.match(text, m.end()):
            continue  # `Saigon Co.op`, `Co.opmart`: a dotted brand, not a name
        if len(syls) >= 3:  # `Tô Lâm Trong mọi hoàn cảnh`: a sentence glued after the name
            syls = next((syls[:i] for i in range(2, len(syls)) if syls[i][0] in nd.run_breakers), syls)
        if len(syls) >= 3:  # `Trần Ngọc Quang Giảng viên cao cấp`: a role opens inside the run
            syls = next((syls[:i] for i in range(2, len(syls)) if role_at(syls[i][1])), syls)
        words = [w for w, _ in syls]
        if "-" in m.group() and any("-" in w and not is_foreign(w) for w in words):
            continue  # `Mỹ-Trung`: two places, not a foreign name
        run_start = syls[0][1]
        if len(words) == 1 and not cued_head and words[0] not in nd.foreign_given and not is_foreign(words[0]) \
                and not (strong_at(run_start) if strong_at else cue_before(run_start) == "strong"):
            continue  # (one word is a name only after a strong cue or as a foreign name: the rules below say so)
        place_ctx = ends_with_word(text, run_start, nd.place_words) if words[0] not in nd.never_first \
            or words[0] in nd.surnames else False  # (never a name start either way: skip the look-up)
        if place_ctx and COMPOUND_TAIL_RE.search(text, max(0, run_start - 30), run_start):
            w2 = COMPOUND_TAIL_RE.search(text, max(0, run_start - 30), run_start)
            place_ctx = w2.group(2) not in nd.place_words or f"{w2.group(1)} {w2.group(2)}" in nd.place_words
            # (`Ủy ban Khoa học, Công nghệ và Môi trường Nguyễn Thanh Hải`: `trường` ends `Môi trường`)
        cue = RunCue(cued_head, run_start, cue_before, strong_at)
        if place_ctx and 3 <= len(words) <= 4 and words[0] in nd.surnames and not is_place(words, nd) \
                and ends_with_word(text, run_start, ADMIN_WORDS) and cue() in ("title", "title-after-comma"):
            place_ctx = False  # `Chủ tịch HĐND thành phố Nguyễn Ngọc Tuấn`: the place word ends a title
        if place_ctx and not cued_head and cue.strong():
            place_ctx = False  # `tuyển thủ quốc gia Hà Đức Chinh`: the place word ends an honour

        cut = glued_cut(words[-1], nd.glue_words) if len(words) >= 2 else None
        if cut:  # `Nguyễn Thanh Longđề nghị`: a space lost in the page
            words[-1] = words[-1][:cut]
            syls[-1] = (words[-1], syls[-1][1])
        found = _surname_start(words, nd, place_ctx, cue)
        end = syls[-1][1] + len(syls[-1][0])
        given = False  # a foreign name opening with a known given name
        k = 1 if len(words) > 2 and words[0] in nd.countries else 0  # `Đại sứ Mỹ tại Nga John Sullivan`
        if found is None and not place_ctx and k == 0 and len(words) >= 3 and words[0] not in nd.foreign_given:
            # `Thư ký báo chí Nhà Trắng Jen Psaki`: a title's organisation, then a foreign name
            k = next((i for i in range(1, len(words) - 1) if words[i] in nd.foreign_given), 0)
            if k and cue_before(syls[k][1]) not in ("title", "title-after-comma"):
                k = 0
        if found is None and not place_ctx and words[k] in nd.foreign_given:
            g = words[k:]
            p = nd.particle_re.match(text, end) if len(g) == 1 else None
            if p or (2 <= len(g) <= 3 and any(is_foreign(w) for w in g) and len(g[-1]) > 1
                     and not any(w in nd.countries or w in nd.never_in_name or w in nd.org_words for w in g[1:])):
                found, end, given = k, p.end() if p else end, True  # `Jose Mourinho`, `Erik ten Hag`
        if found and words[found - 1] in nd.name_openers:
            found -= 1  # `Y Lâm Niê`, `Ksor Phước`: an Ê Đê/Jrai name opener before the surname
        if found is not None and found >= 2 and not is_place(words[:found], nd) \
                and not any(w.isupper() or is_foreign(w) for w in words[:found]) \
                and not cue_before(syls[found][1]):
            found = None  # `Khang Hy Vi Hành`, a film: two unexplained capitalised words before the name
        by_cue = foreign1 = False
        glued_ok = given
        if found is None and not place_ctx:
            found, foreign1 = _cued_start(text, words, run_start, end, nd, cue)
            if found is not None and ends_with_word(text, run_start, nd.committee_words):
                found = None  # `Tỉnh ủy Villa Clara`: a place
            by_cue = found is not None and words[found] not in nd.surnames
            glued_ok = found is not None and any(is_foreign(w) for w in words[found:])
        if found and " ".join(words[:found]) in nd.foreign_countries and cue():
            glued_ok = True  # a name after its country and a title: `Chủ tịch Trung Quốc Tập Cận Bình tung ra`
        if found is None:
            continue
        start = syls[found][1]
        counted = COUNT_AFTER_RE.match(text, end) and (cued_head or cue.strong())  # `ông Trump 49 lần`
        if (NUMBER_AFTER_RE.match(text, end) and not counted) or (not glued_ok and not cut and crosses_token(start, end)):
            continue  # underthesea glues foreign names to the next word (`Ceferin thề`)
        b = BRACKET_PLACE_RE.match(text, end)
        if b and is_place(b.group().strip(" ()").removeprefix("tỉnh ").split(), nd) \
                and not (cue.strong() and (len(words) >= 3 or (
                    " ".join(words[found:]) not in nd.provinces
                    and nd.address_end_re.search(text, max(0, start - 8), start)))):
            continue  # (`Ông Nguyễn Văn Trương (tỉnh Quảng Ninh)`, `Chị Mỹ Hạnh (Hà Nội)`: a person's home)
        p = nd.particle_re.match(text, end) if by_cue and len(words) - found == 1 and not given else None
        if p:  # `bà Von der Leyen`
            end, given = p.end(), True
        short = len(words) - found == 1 and not foreign1 and not given and "-" not in words[-1]
        out.append(NameSpan(start, end, text[start:end], found == 0 and cue.given(), short,
                            by_cue or foreign1))
    return out


RUN_ITEM = rf"{SYLLABLE}(?:[ ]{SYLLABLE}){{0,4}}"
LIST_RE = std_compile(rf"(?=\p{{Lu}})(?<![\p{{L}}\p{{N}}])({RUN_ITEM})(?:(?:,[ ]|[ ]và[ ])({RUN_ITEM})){{2,}}(?![\p{{L}}\p{{N}}])")
PLACE_LIST_BEFORE_RE = std_compile(
    r"(?:huyện|tỉnh|xã|phường|quận|thị xã|thành phố|các địa phương|gồm)(?:\s+như)?\s*:?\s*$")  # `một số xã như A, B, C`


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
