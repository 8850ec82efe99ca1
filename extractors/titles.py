"""Compiled title data (roles, rank prefixes, honours, stop words) and title parsing.

Everything is built once per gazetteer from `gazetteer/titles.yaml` and
`gazetteer/provinces.yaml` through `gaz.derived`.
"""
from __future__ import annotations

import bisect
import itertools
from dataclasses import dataclass

import ahocorasick
import regex

from extractors.text.stdre import std_compile
from extractors.text.lexicon import Lexicon, alternation
from extractors.text.textnorm import fold

PUNCT_STOP = set(",;:!?()[]{}\"“”‘’…/|")
DASHES = "-–—"
# one item of text: a word (with inner dots, hyphens, ampersands: TP.HCM, Covid-19, GD&ĐT, GS.TS), a dash or a punctuation mark
ITEM_RE = std_compile(r"[\p{L}\p{N}][\p{L}\p{N}&'’/]*(?:\.[\p{L}\p{N}]+|(?<=\p{L})-(?:\p{N}+|\p{Lu}[\p{Lu}\p{N}&]*)(?!\p{Ll}))*"
                     r"|[-–—]|[^\s\p{L}\p{N}]")
# up to three lower-case words followed by a capitalised word or a number that continues the title
JOINER_RE = std_compile(r"(?<=\p{Lu})\s*[-–&]\s*(?=\p{Lu})")  # `GD-ĐT`, `GD&ĐT`: between acronym letters
# a party or assembly term written as a list: `Ủy viên Trung ương Đảng khóa X, XI, XII`, `khóa XIII; XIV`
TERM_TAIL_RE = std_compile(r"(?<![\p{L}\p{N}])(?:khóa|khoá|các khóa|các khoá)\s+(?:[IVXL]+\s*[,;]\s*)*[IVXL]+$")
TERM_NEXT_RE = std_compile(r"\s*[IVXL]+(?![\p{L}\p{N}])")
BRIDGE_RE = std_compile(r"(?:\p{Ll}+ ){1,3}(?=[\p{Lu}\p{N}])")
# after `và` inside a capitalised organisation name: up to four lower-case words, then a capitalised
# word that is not a new body (`Xây dựng và phát triển đô thị Hòa Phát`, not `và lãnh đạo Sở Y tế`)
AND_BRIDGE_RE = std_compile(r"(?!(?:các|những|một|nhiều|mọi|toàn|lãnh|đại|cán|người|ông|bà)\b)(?:\p{Ll}+ ){1,5}(?=\p{Lu})")
# words that cannot end a title; with them the office qualifiers but `quyền`, which ends words
# (`chính quyền`, `chủ quyền`: `titles.yaml: qualifier_not_after`)
CONNECTORS = {"và", "của", "về", "ở", "thuộc", "tại", "với", "cùng", "kiêm"}


def _alternation(phrases) -> str:
    """A regex alternation of literal phrases, longest first, spaces matching any run of spaces."""
    return alternation(phrases, group=False)


def _chains(parts: list[str]) -> list[str]:
    """Every chain of two or three different abbreviated ranks: `TS.BS`, `TS. BS`, `PGS.TS.BS`."""
    out = []
    for a, b in itertools.permutations(parts, 2):
        out += [f"{a}.{b}", f"{a}. {b}"]
    out += [f"{a}.{b}.{c}" for a, b, c in itertools.permutations(parts, 3)]
    return out


def _bounded(alt: str, flags=0) -> regex.Pattern:
    return std_compile(rf"(?<![\p{{L}}\p{{N}}])(?:{alt})(?![\p{{L}}\p{{N}}])", flags)


@dataclass
class TitleData:
    """Compiled patterns and sets from titles.yaml / provinces.yaml."""
    role_re: regex.Pattern        # a role (with Phó and Thường trực), case-insensitive
    prefix_re: regex.Pattern      # an academic/military rank
    prefix_end_re: regex.Pattern  # a rank right before a position
    honour_end_re: regex.Pattern
    honour_re: regex.Pattern
    honorific_end_re: regex.Pattern
    strong_honorific_end_re: regex.Pattern
    former_re: regex.Pattern      # `nguyên ` / `tân ` before a role
    stop_re: regex.Pattern        # words that end a title (lower case, case-sensitive)
    title_word_re: regex.Pattern  # lower-case words that may continue a capitalised title
    cue_re: regex.Pattern         # `được bầu làm`, `từng là` ... followed by a role
    career_re: regex.Pattern      # `giữ nhiều chức vụ quan trọng tại ... như:` followed by a list of roles
    fronted_re: regex.Pattern     # `với vai trò là ` before a role that belongs to the next person named
    fronted_keys: frozenset       # `vai trò`: a fronted cue is possible only where one is in the text
    org_head_re: regex.Pattern
    province_re: regex.Pattern    # provinces and aliases, exact case
    province_end_re: regex.Pattern  # a province (and spaces) ending right here
    comma_name_re: regex.Pattern  # a name with commas inside (`Ủy ban Văn hóa, Giáo dục`)
    place_end_re: regex.Pattern   # `xã Quảng Yên ` ending right here: a place level and its name
    province_of: dict             # surface form -> province name
    abbreviations: dict
    completable: tuple
    former_words: frozenset       # `nguyên`, `cựu`: a former office
    office_qualifiers: frozenset  # `nguyên`, `cựu`, `tân`, `quyền`: words before a role, not part of it
    former_start_re: regex.Pattern  # an office qualifier opening a title (`nguyên Phó Chủ tịch nước`)
    sent_head_re: regex.Pattern   # what may stand before a title opening a sentence (`Tân Phó Trưởng Ban`)
    list_honorific_end_re: regex.Pattern  # `ông `, `bà ` ending before a listed person
    trailing_words: frozenset     # words that cannot end a title (`và`, `của`, `nguyên`, ...)
    verb_roles: frozenset         # `phụ trách`: lower case, a title only before a capitalised organisation
    bare_not_titles: frozenset    # `người đứng đầu`: a title only with its body after it
    breakers: frozenset           # capitalised words that end a title inside a sentence (`- Ảnh 1`, `... Ông A`)
    dash_breakers: frozenset      # with them the sentence openers that end a title after a dash (`- Trong ...`)
    object_before_re: regex.Pattern   # `được `, `kế nhiệm ông ` ending before a name: the name is an object
    kin_end_re: regex.Pattern     # a kinship word ending before a predicate cue (`cha mẹ là`)
    modal_end_re: regex.Pattern   # `sẽ ` before a predicate cue: an office not (yet) held
    for_before_re: regex.Pattern  # `đối với ông ` ending before a name
    office_word_end_re: regex.Pattern  # `chức vụ ` ending before a title
    merge_abbreviations: dict     # abbreviations plus rank ones (`GS` = `Giáo sư`), for one title per office
    role_heads: frozenset         # lower case: a role's last word that also heads its body (`ban`)
    addressee_before_re: regex.Pattern  # `với ` right before a title: someone addressed
    change_re: regex.Pattern      # between apposed titles and a new one: `, giữ chức`, `được bổ nhiệm làm`
    kept_re: regex.Pattern        # titles a change of office keeps (`Ủy viên`, `Thành viên HĐQT`, ranks)
    concurrent_re: regex.Pattern  # party offices held beside another (`Bí thư Đảng ủy`): only the same role ends them
    elect_verbs: frozenset        # folded election verbs (`được bầu`): the change then ends only the same office
    role_auto: ahocorasick.Automaton  # every role form, lower case -> its length
    cue_auto: ahocorasick.Automaton   # strong honorifics, ranks and honours, as written -> length
    list_verb_end_re: regex.Pattern = None  # `được đại hội bầu` ending before a list's colon


def build_title_data(gaz) -> TitleData:
    data = gaz.load("titles")
    stop_words = data["stop_words"] + _appointment_stops(gaz)
    roles = data["roles"]
    suffix = _alternation(roles.get("suffixes", []))
    deputy = _alternation(roles["deputy"])
    plain = _alternation(roles["plain"])
    prefixes = [p for group in data["prefixes"].values() for p in group]
    parts = _alternation(data["prefix_chain_parts"])
    chain = rf"(?:{parts})(?:\.\s?(?:{parts})){{1,2}}"  # `TS.BS`, `PGS.TS.BS` (as a pattern: fast to search)
    role_alt = (rf"(?:(?:Phó\s+)?(?:{deputy})|{plain})(?:\s+(?:{suffix})){{0,2}}")
    role_re = std_compile(rf"(?<![\p{{L}}\p{{N}}])(?:{role_alt})(?![\p{{L}}\p{{N}}])", regex.IGNORECASE)
    prefix_alt = f"{chain}|{_alternation(prefixes)}"
    honorifics = data["honorifics"]
    lex = Lexicon.of(gaz)
    province_of = lex.province_of
    bases = [f"phó {d}" for d in roles["deputy"]] + roles["deputy"] + roles["plain"]
    sufs = [""] + [f" {a}" for a in roles.get("suffixes", [])]
    sufs2 = {a + b for a in sufs for b in sufs if a or not b}
    role_keys = {f"{b}{x}".lower() for b in bases for x in sufs2}
    cue_keys = honorifics["strong"] + prefixes + _chains(data["prefix_chain_parts"]) + data["honours"]
    return TitleData(
        role_re=role_re,
        prefix_re=std_compile(rf"(?<![\p{{L}}\p{{N}}])(?:{prefix_alt})(?![\p{{L}}\p{{N}}])"),
        prefix_end_re=std_compile(rf"(?<![\p{{L}}\p{{N}}.])(?:{prefix_alt})\.?\s*$"),  # `GS. Lê Ngọc Canh`
        honour_end_re=std_compile(rf"(?<![\p{{L}}\p{{N}}])(?:{_alternation(data['honours'])})\s*$"),
        honour_re=_bounded(_alternation(data['honours'])),
        honorific_end_re=std_compile(
            rf"(?<![\p{{L}}\p{{N}}])(?:{_alternation(honorifics['strong'] + honorifics['weak'])})\s*$"),
        strong_honorific_end_re=std_compile(
            rf"(?<![\p{{L}}\p{{N}}])(?:{_alternation(honorifics['strong'])})\s*$"),
        former_re=std_compile(rf"(?<![\p{{L}}\p{{N}}])(?<!(?:{_alternation(data['qualifier_not_after'])})\s)"
                                rf"(?:{_alternation(data['former'] + data['qualifiers'])})\s+$"),
        stop_re=_bounded(rf"(?!(?:{_alternation(data['stop_word_compounds'])})(?![\p{{L}}\p{{N}}]))"
                         rf"(?:{_alternation(stop_words)})"),
        title_word_re=_bounded(_alternation(data["title_words"])),
        cue_re=_bounded(_alternation(data["predicate_cues"])),
        fronted_keys=frozenset(" ".join(c.split()[1:3]) for c in data["fronted_role_cues"]),
        fronted_re=std_compile(rf"(?<![\p{{L}}\p{{N}}])(?:{_alternation(data['fronted_role_cues'])})\s+"),
        career_re=std_compile(
            rf"(?<![\p{{L}}\p{{N}}])(?:{_alternation(data['career_cues']['verbs'])})\s+(?:nhiều|các)\s+"
            rf"(?:{_alternation(data['career_cues']['nouns'])})(?![\p{{L}}\p{{N}}])(?:[^.;:!?\n]|\.(?=\S)){{0,120}}\snhư\s*:?"),
        org_head_re=std_compile(rf"(?:{_alternation(data['organisation_heads'])})(?![\p{{L}}\p{{N}}])"),
        province_re=lex.province_re,
        place_end_re=std_compile(
            rf"(?<![\p{{L}}\p{{N}}])(?:{_alternation(lex.admin_levels)})\s+(?:\p{{Lu}}[\p{{L}}\p{{N}}]*\s+){{1,4}}$"),
        comma_name_re=_bounded(_alternation(data["comma_names"]).replace(",", r"\s*,"), regex.IGNORECASE),
        province_end_re=std_compile(rf"(?<![\p{{L}}\p{{N}}])(?:{_alternation(province_of)})\s+$"),
        province_of=province_of,
        abbreviations=dict(data["abbreviations"]),
        completable=tuple(data["completable_endings"]),
        former_words=frozenset(w.lower() for w in lex.former_words),
        office_qualifiers=lex.office_qualifiers,
        former_start_re=std_compile(rf"(?:{_alternation(lex.former_words + lex.qualifier_words)})\s+"),
        sent_head_re=std_compile(rf"[\s\"“]*(?:(?:{_alternation(w.capitalize() for w in lex.office_qualifiers)})\s+)?"),
        list_honorific_end_re=std_compile(rf"(?<!\p{{L}})(?:{_alternation(lex.list_honorifics)})\s+$"),
        trailing_words=frozenset(CONNECTORS | (lex.office_qualifiers - {"quyền"}) | set(data.get("trailing_words") or ())),
        verb_roles=frozenset(data["verb_roles"]),
        bare_not_titles=frozenset(data.get("bare_not_titles") or ()),
        breakers=frozenset(data.get("title_breakers") or ()),
        dash_breakers=frozenset(data.get("title_breakers") or ()) | frozenset(data.get("dash_breakers") or ()),
        merge_abbreviations={JOINER_RE.sub("&", k): v for k, v in
                             {**data["abbreviations"], **data["merge_abbreviations"]}.items()},
        role_heads=frozenset(w.lower() for w in data["role_heads"]),
        modal_end_re=std_compile(rf"(?<![\p{{L}}\p{{N}}])(?:{_alternation(data['modal_words'])})\s+$"),
        kin_end_re=std_compile(rf"(?<![\p{{L}}\p{{N}}])(?:{_alternation(honorifics['weak'])})\s*$"),
        for_before_re=std_compile(
            rf"(?<![\p{{L}}\p{{N}}])(?:{_alternation(data['office_for']['links'])})\s+"
            rf"(?:(?:{_alternation(honorifics['strong'])})\s+)?$"),
        office_word_end_re=std_compile(rf"(?<![\p{{L}}\p{{N}}])(?:{_alternation(data['office_for']['office_words'])})\s+$"),
        addressee_before_re=std_compile(rf"(?<![\p{{L}}\p{{N}}])(?:{_alternation(data['addressee_words'])})\s+$"),
        object_before_re=std_compile(
            rf"(?<![\p{{L}}\p{{N}}])(?:{_alternation(data['object_markers'])})\s+"
            rf"(?:(?:{_alternation(honorifics['strong'])})\s+)?$"),
        **_change_data(gaz),
        role_auto=_automaton(role_keys),
        list_verb_end_re=std_compile(
            rf"(?<![\p{{L}}\p{{N}}])(?:{_alternation(data.get('list_title_verbs') or ['_none_'])})\s*$"),
        cue_auto=_automaton(cue_keys),
    )


def _appointments(gaz) -> dict:
    """`appointments.yaml` (empty where a gazetteer has no such file)."""
    try:
        return gaz.load("appointments") or {}
    except FileNotFoundError:
        return {}


def _appointment_stops(gaz) -> list[str]:
    """The verbs of a change of office, which end a title (`appointments.yaml: title_stops`):
    `Vụ trưởng Vụ A giữ chức Cục trưởng Cục B` is two titles."""
    return list(_appointments(gaz).get("title_stops") or [])


def _change_data(gaz) -> dict:
    """`change_re`, `kept_re`, `concurrent_re`, `elect_verbs` from `appointments.yaml`: the words between a person's apposed
    titles and a new title that make the apposed ones left (`X, Vụ trưởng Vụ A, giữ chức Cục trưởng Cục B`)."""
    data = _appointments(gaz)
    events = data.get("events") or {}
    verbs = _alternation([v for vs in events.values() for v in vs]) or "(?!)"
    links = _alternation(["giữ chức vụ", "giữ chức danh", "giữ chức", "làm", "lên làm", "sang làm", "về làm"])
    change = (rf"[\s,\-–]*(?:(?:đã|vừa|chính thức|tiếp tục|được)\s+)*"
              rf"(?:(?P<verb>{verbs})(?:\s*(?:,|và)\s*(?:{verbs}))*\s+)?(?P<link>{links})?\s*")
    return {"change_re": std_compile(change, regex.IGNORECASE),
            "kept_re": std_compile(rf"(?:{_alternation(data.get('kept_titles') or []) or '(?!)'})(?![\p{{L}}\p{{N}}])"),
            "concurrent_re": std_compile(
                rf"(?:{_alternation(data.get('concurrent_titles') or []) or '(?!)'})(?![\p{{L}}\p{{N}}])"),
            "elect_verbs": frozenset(fold(" ".join(v.split())) for v in events.get("elected") or [])}


def _automaton(keys) -> ahocorasick.Automaton:
    auto = ahocorasick.Automaton()
    for key in keys:
        key = " ".join(key.split())
        if key:
            auto.add_word(key, len(key))
    auto.make_automaton()
    return auto


def find_roles(text: str, td: TitleData) -> list[tuple[int, int]]:
    """Every role in the text, leftmost-longest, on word boundaries (one automaton pass).

    Example: `find_roles("Phó Bí thư Thường trực Tỉnh ủy", td)` -> `[(0, 22)]`
    """
    low = text.lower()
    if len(low) != len(text):  # a character whose lower case is longer: use the pattern
        return [(m.start(), m.end()) for m in td.role_re.finditer(text)]
    best: dict[int, int] = {}
    n_text = len(low)
    for end, n in td.role_auto.iter(low):
        start = end - n + 1
        if (start and low[start - 1].isalnum()) or (end + 1 < n_text and low[end + 1].isalnum()):
            continue
        if n > best.get(start, 0):
            best[start] = n
    out, last = [], -1
    for start in sorted(best):
        if start >= last:
            last = start + best[start]
            out.append((start, last))
    return out


def strong_cue_ends(text: str, td: TitleData) -> set[int]:
    """Positions right after a strong honorific, rank or honour and its spaces (`ông `, `GS.TS `).

    Example: `strong_cue_ends("Sáng nay, ông Nguyễn Văn A", td)` -> `{14}`
    """
    out = set()
    n_text = len(text)
    for end, n in td.cue_auto.iter(text):
        start = end - n + 1
        if start and (text[start - 1].isalnum() or text[start - 1] == "."):
            continue
        pos = end + 1
        if pos < n_text and text[pos].isalnum():
            continue
        if pos + 1 < n_text and text[pos] == "." and text[pos + 1] == " ":
            pos += 1  # `GS. Lê Ngọc Canh`
        while pos < n_text and text[pos] in " \t":
            pos += 1
        out.add(pos)
    return out


def title_data(gaz) -> TitleData:
    return gaz.derived("people.titles", build_title_data)


class Words:
    """What `title_end` asks of the article's words; without a Doc no position is inside a word."""

    def __init__(self, doc=None):
        self.doc = doc
        self._commas: list[tuple[int, int]] | None = None
        self._comma_ends: list[int] = []

    def __contains__(self, pos: int) -> bool:
        """Whether pos starts the second or a later syllable of a word (`dân` of `Nông dân`)."""
        return self.doc is not None and self.doc.inside_word(pos)

    def comma_names(self, text: str, td: "TitleData", lo: int, hi: int) -> list[tuple[int, int]]:
        """Spans of names with commas inside (`Ủy ban Văn hóa, Giáo dục`) overlapping [lo, hi),
        found once per article."""
        if self.doc is None or self.doc.text is not text:
            return [m.span() for m in td.comma_name_re.finditer(text, max(0, lo - 60), hi) if m.end() > lo]
        if self._commas is None:
            self._commas = [m.span() for m in td.comma_name_re.finditer(text)]
            self._comma_ends = [b for _, b in self._commas]  # increasing: the matches do not overlap
        i = j = bisect.bisect_right(self._comma_ends, lo)  # the first that ends after lo
        while j < len(self._commas) and self._commas[j][0] < hi:
            j += 1
        return self._commas[i:j]

NO_WORDS = Words()


def title_end(text: str, pos: int, limit: int, td: TitleData, name_starts: set[int],
              strict: bool = False, words: "Words | None" = None) -> int:
    """Where a title that continues at `pos` ends (before punctuation, a predicate word or a name).

    With `strict` (the role is capitalised) a lower-case word continues the title only after a
    capitalised organisation word (`Liên đoàn lao động`), as an organisation word (`td.title_word_re`:
    `UBND tỉnh`), as the next syllable of a word token (`words`), before a capitalised word
    (`Giám đốc giải pháp Nhà máy`), or after `về`; so `Chủ tịch HĐQT khá
    nhiều công ty` ends after `HĐQT`. Example: in `Phó Trưởng Ban Dân vận Trung ương đã báo cáo`, from after
    `Phó Trưởng Ban` the end is before ` đã`.
    """
    words = words or NO_WORDS
    end = pos
    n = 0
    skip_to = pos
    descr = False  # lower-case words here describe an organisation (`Liên đoàn lao động`)
    comma_names = words.comma_names(text, td, pos, limit)
    for m in ITEM_RE.finditer(text, pos, limit):
        item, start = m.group(), m.start()
        if start < skip_to:
            continue
        if "\n" in text[end:start]:
            break
        if start in name_starts:
            break
        if item in DASHES:
            nxt = ITEM_RE.search(text, m.end(), limit)
            if nxt is not None and nxt.group().isdigit() and text[end - 1:end].isdigit() and end == start:
                continue  # `nhiệm kỳ 2015-2020`
            if (nxt is None or not nxt.group()[0].isupper() or nxt.start() in name_starts or nxt.group() in td.dash_breakers
                    or td.role_re.match(text, nxt.start()) or td.prefix_re.match(text, nxt.start())):
                break
            continue
        if item in td.breakers and (not td.honorific_end_re.match(item) or (
                (nx := ITEM_RE.search(text, m.end(), m.end() + 40)) is not None and nx.start() in name_starts)):
            break  # `... Trung ương Ông Phạm Minh Chính`: a heading ran into the next sentence (not `tỉnh Bà Rịa`)
        if not item[0].isalnum() and item != "&":
            if item == "." and m.end() < limit and text[m.end():m.end() + 1].isalnum():
                continue
            if item in ",;" and TERM_TAIL_RE.search(text, max(pos, end - 40), end) \
                    and TERM_NEXT_RE.match(text, m.end(), limit):
                skip_to = end = TERM_NEXT_RE.match(text, m.end(), limit).end()  # `khóa X, XI, XII`: one term list
                n += 1
                continue
            inside = next((b for a, b in comma_names if a < start < b), None) if item == "," else None
            if inside is not None:  # `Ủy ban Văn hóa, Giáo dục`: the comma belongs to a name
                skip_to = end = inside
                n += 1
                continue
            break
        if item in ("và", "&"):  # `Sở Giáo dục và Đào tạo`, but not `Bí thư và Chủ tịch`, `A và ông B`
            nxt = ITEM_RE.search(text, m.end(), limit)
            b = AND_BRIDGE_RE.match(text, nxt.start(), limit) if nxt and descr and nxt.group()[0].islower() else None
            if b and b.end() not in name_starts and not td.stop_re.search(text, nxt.start(), b.end()) \
                    and not td.role_re.match(text, nxt.start()) and not td.org_head_re.match(text, b.end()):
                skip_to = end = b.end()  # `Công ty CP Xây dựng và phát triển đô thị Hòa Phát`
                n += 1
                continue
            if (nxt is None or not nxt.group()[0].isupper() or nxt.start() in name_starts
                    or td.role_re.match(text, nxt.start()) or td.prefix_re.match(text, nxt.start())):
                break
            continue
        if item[0].islower():
            stop = td.stop_re.match(text, start)
            before = text[text.rfind(" ", 0, start - 1) + 1:start].strip()
            if stop and (start not in words or (" " in stop.group() and before[:1].isupper())
                         or (len(before) > 1 and not any(c.islower() for c in before))):
                # (`Phó Giám đốc CATP tặng hoa`: a token glued to an acronym is no word)
                break  # (`Tân Thời Đại kỳ vọng` is one token, but a name then a verb phrase: it stops)  # (`Công nghệ thông tin` is one token: `thông tin` there is no predicate)
            if descr and start not in words and not td.title_word_re.match(text, start) \
                    and (td.province_end_re.search(text, max(pos, start - 24), start)
                         or td.place_end_re.search(text, max(pos, start - 48), start)):
                break  # `Giám đốc Sở GD&ĐT tỉnh Quảng Trị khen thưởng ...`: a province ends the body
            if strict and not descr and start not in words:
                w = td.title_word_re.match(text, start)
                if not w:
                    b = BRIDGE_RE.match(text, start, limit)  # `Giám đốc giải pháp Nhà máy Thông minh`
                    if not b or b.end() in name_starts or td.stop_re.search(text, start, b.end()):
                        break
                    end = m.end()
                    n += 1
                    continue
                strict = item != "về"  # the topic of a `Ban Chỉ đạo ... về ...` is free text
                skip_to = end = w.end()
                descr = True
                n += 1
                continue
        else:  # a capitalised word opens an organisation name that lower-case words may describe
            descr = not item.isupper()
        end = m.end()
        n += 1
        if n > 30:
            break
    return trim_title(text, pos, end, td.trailing_words)


def trim_title(text: str, start: int, end: int, trailing: frozenset) -> int:
    """Drop trailing connector words and separators from text[start:end]."""
    while end > start:
        chunk = text[start:end].rstrip(" ,-–—")
        words = chunk.rsplit(" ", 1)
        if len(words) == 2 and words[1] in trailing:
            end = start + len(words[0])
            continue
        end = start + len(chunk)
        break
    return end


def expand(text: str, abbreviations: dict) -> str:
    """Folded text with abbreviations spelled out (`UBND tỉnh` -> `ủy ban nhân dân tỉnh`)."""
    out = []
    for word in text.split():
        out.append(abbreviations.get(word, word))
    return fold(" ".join(out)).replace("–", "-")


def parse_title(text: str, td: TitleData) -> tuple[str | None, str | None, bool]:
    """(role, organisation, former) of one title text.

    Example: `nguyên Bí thư Tỉnh ủy Lai Châu` -> (`Bí thư`, `Tỉnh ủy Lai Châu`, True)
    """
    former = False
    rest = text
    first, _, tail = rest.partition(" ")
    while first.lower() in td.office_qualifiers:
        former = former or first.lower() in td.former_words
        rest = tail
        first, _, tail = rest.partition(" ")
    m = td.role_re.match(rest) or td.prefix_re.match(rest)
    if not m:
        return None, rest or None, former
    role = rest[:m.end()]
    org = rest[m.end():].strip(" ,.-–") or None
    if org:  # `Trưởng Ban Dân vận Trung ương`: the role's last word heads the body, `Ban Dân vận Trung ương`
        words = role.split()
        for n in (2, 1):
            if len(words) > n and " ".join(words[-n:]).lower() in td.role_heads:
                org = " ".join(words[-n:]) + " " + org
                break
    return role, org, former
