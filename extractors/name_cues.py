"""Names a sentence shows to be people when no title or honorific stands before them.

Two shapes (`gazetteer/names.yaml`: `speech_verbs`, `pair_words`): the speaker of a quote
(`"...", Trấn Thành chia sẻ`, or with a lower-case apposition: `"...", Evelyn Farkas, cựu quan chức`), and the other side of `và` next to a person already found
(`Jurgen Klopp và Pep Guardiola`, `Trấn Thành và Vũ Ngọc Đãng`). The run must look like a name:
2-4 capitalised syllables, no place, country, organisation word or word that never starts a name.
"""
from __future__ import annotations

import unicodedata

import regex

from extractors.text.stdre import std_compile
from extractors.names import HEAD_HONORIFICS, RUN_ITEM, SYLLABLE, NameData, NameSpan, is_foreign, is_place
from extractors.text.lexicon import alternation
from extractors.text.wordtrie import finditer_from, first_words
from extractors.titles import title_data

END = r"(?![\p{L}\p{N}&@_-]| \p{Lu})"  # the whole run: not `Bảo Trợ Trẻ Em` of `Quỹ Bảo Trợ Trẻ Em Việt Nam`
DOTTED_RE = std_compile(r"\.\p{L}")
NAMED_AFTER_RE = std_compile(r"[^,.;:()\n]{0,60}?(?<![\p{L}\p{N}])\p{Lu}")  # the title names its body
# Vietnamese letters and tones, after NFD (`Nhậm`; not the acute of `José`)
VIET_LETTER_RE = std_compile(r"[đĐ\u0302\u0303\u0306\u0309\u031B\u0323]")
# a run with middle initials (`Seth G. Jones`, `Colin H. Kahl`)
INITIALS_ITEM = rf"{SYLLABLE}(?:[ ](?:\p{{Lu}}\.[ ]){{0,2}}{SYLLABLE}){{0,4}}"


def _patterns(gaz) -> tuple[regex.Pattern, ...]:
    data = gaz.load("names")
    verbs = alternation(data["speech_verbs"], group=False)
    pair = alternation(data["pair_words"], group=False)
    places = alternation(data["place_words"], group=False)
    roles = data.get("foreign_name_roles") or []
    roles = roles + [r[:1].upper() + r[1:] for r in roles]
    role_alt = alternation(roles, group=False)
    # the speaker: a verb of speech after it, or a lower-case apposition (`"...", Evelyn Farkas, cựu quan chức`)
    return (std_compile(rf"[\"”]\s*,\s*(?P<name>{INITIALS_ITEM}){END}(?:\s+(?:{verbs})(?!\p{{L}})|\s*,\s*\p{{Ll}})"),
            std_compile(rf"\s+(?:{pair})\s+(?P<name>{RUN_ITEM}){END}"),
            std_compile(rf"(?<![\p{{L}}\p{{N}}.&/@_-])(?P<name>{RUN_ITEM})\s+(?:{pair})\s+$"),
            # a list of places opened by its place word (`2 thôn (Hoàng Các và Nại Khê`)
            std_compile(rf"(?<!\p{{L}})(?:{places})\s*[(:]\s*$"),
            # a foreign name after a lower-case role with an affiliation or an apposition after it (`chuyên gia
            # Tamas Varga thuộc PVM Oil`; not `chuyên gia Morgan Stanley dự báo`), or before a comma and a title
            # naming its body at the head of a clause (`Trong khi đó, Jeffrey Sica, CEO Circle Squared`; not
            # `Credit Suisse, Chủ tịch ngân hàng`)
            std_compile(rf"(?<![\p{{L}}\p{{N}}])(?:{role_alt})\s+(?P<name>{INITIALS_ITEM}){END}"
                          rf"(?=\s*,|\s+(?:thuộc|của|tại|từ)\s+(?:\p{{Ll}}+\s+){{0,2}}\p{{Lu}})"),
            std_compile(rf"(?:^|(?<=[,:;.!?\n\"“(]\s*))(?P<name>{INITIALS_ITEM}){END}\s*,\s*"),
            first_words(roles))  # where a role cue can start (the role pattern is case-sensitive)


def looks_like_name(words: list[str], nd: NameData) -> bool:
    """2-4 syllables that are no place, country, organisation or body (`Trấn Thành`; not `Man City`,
    `Nhà Trắng`, `Bộ Công Thương`).

    Example: `looks_like_name(["Pep", "Guardiola"], nd)` -> True; `looks_like_name(["Hà", "Nội"], nd)` -> False
    """
    if not 2 <= len(words) <= 4 or words[0] in nd.never_first or words[0] in nd.place_words \
            or words[0] in HEAD_HONORIFICS or " ".join(words) in nd.countries:
        return False  # `Cô Cô`, a nickname; `Phần Lan`, a country
    if any(w.endswith(("'s", "’s")) for w in words):
        return False  # `Bram Stoker's Dracula`, a film
    if any(w in nd.never_in_name or w in nd.org_words or w in nd.countries or w in nd.never_inside
           or w in nd.committee_words for w in words):
        return False
    return not (is_place(words, nd) or " ".join(words[:2]) in nd.never_names or " ".join(words) in nd.places)


def sentence_names(text: str, spans: list[NameSpan], nd: NameData, gaz) -> list[NameSpan]:
    """New spans for runs a quote or a `và` beside a person marks as names (see module doc).

    Example: `"Khổ quá", Trấn Thành chia sẻ.` -> NameSpan for `Trấn Thành`
    """
    speaker_re, after_re, before_re, places_re, role_before_re, title_after_re, role_starts = gaz.derived(
        "people.name_cues", _patterns)
    taken = [(s.start, s.end) for s in spans]
    out: dict[int, NameSpan] = {}

    def add(start: int, name: str, foreign_only: bool = False) -> None:
        words = name.split()
        while words and words[0] in nd.run_breakers:
            start += len(words[0]) + 1  # `Theo Lý Hải và ...`: a capitalised function word opens the run
            words = words[1:]
        name = " ".join(words)
        end = start + len(name)
        if DOTTED_RE.match(text, end):
            return  # `Saigon Co.op`: a dotted brand
        if foreign_only and (VIET_LETTER_RE.search(unicodedata.normalize("NFD", name))
                             or " ".join(words[-2:]) in nd.provinces or not any(is_foreign(w) for w in words)):
            return  # `nhà sáng lập Huawei Nhậm Chính Phi`: a company, then a Vietnamese reading; `Festo Việt Nam`
        if any(a < end and start < b for a, b in taken) or not looks_like_name(words, nd):
            return
        if f'"{name}"' in text or f"“{name}”" in text:
            return  # quoted elsewhere: a work (`Lâm Đại Ngọc và Hồng Lâu Mộng`, `trong "Hồng Lâu Mộng"`)
        out.setdefault(start, NameSpan(start, end, name, False, False, True))

    for m in speaker_re.finditer(text):
        add(m.start("name"), m["name"])
    td = title_data(gaz)
    for m in finditer_from(role_before_re, role_starts, text):  # (`regex` alone tries every position)
        add(m.start("name"), m["name"], foreign_only=True)
    for m in title_after_re.finditer(text):
        r = td.role_re.match(text, m.end()) or td.prefix_re.match(text, m.end())
        if r and NAMED_AFTER_RE.match(text, r.end()):
            add(m.start("name"), m["name"], foreign_only=True)
    for s in spans:
        if s.short or " " not in s.name or s.name in nd.countries:
            continue
        m = after_re.match(text, s.end)
        if m and not places_re.search(text, max(0, s.start - 30), s.start):
            add(m.start("name"), m["name"])
        m = before_re.search(text, max(0, s.start - 60), s.start)
        if m and not places_re.search(text, max(0, m.start() - 30), m.start()):
            add(m.start("name"), m["name"])
    return sorted(out.values(), key=lambda s: s.start)
