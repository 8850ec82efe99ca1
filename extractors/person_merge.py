"""Merging inside one article: name forms into persons, title forms into offices, and titles
completed with the article's province (`Chủ tịch UBND tỉnh` -> `... Lai Châu`).

Used by `extractors/people.py`.
"""
from __future__ import annotations


import regex

from extractors.facts import Title
from extractors.names import is_foreign
from extractors.text.textnorm import fold
from extractors.titles import JOINER_RE, expand, parse_title

PUNCT_RE = regex.compile(r"(?<=\p{L})[.,]\s*(?=\p{L})")


def _syllables(name: str) -> list[str]:
    return name.replace("-", " ").split()  # `Diaz-Canel` of `Miguel Diaz-Canel`


def is_alias(short: str, long: str) -> bool:
    """`Thái Ly` of `Nguyễn Đình Thái Ly`, `Lương Cường` of `Lương Văn Cường`, `Thọ` of `Phan Ngọc Thọ`,
    `Park` of `Park Hang Seo` (a foreign surname written first)."""
    if "-" in long and long.split("-")[0] == short:
        return True  # `Miguel Diaz` of `Miguel Diaz-Canel`
    s, l = _syllables(short), _syllables(long)
    if len(s) >= len(l):
        return False
    if l[-len(s):] == s:
        return True
    if len(s) >= 2 and s[0] == l[0] and s[-1] == l[-1]:
        it = iter(l)
        return all(x in it for x in s)
    return len(s) == 1 and s[0] == l[0] and is_foreign(s[0])  # `Park` of `Park Hang Seo`


def group_names(names: list[str], standalone: set[str] = frozenset()) -> dict[str, str]:
    """Each name form -> the full name it refers to (the longest unambiguous form); a `standalone`
    single word (`Putin`) that is no other name's short form is a name of its own."""
    by_len = sorted(set(names), key=lambda n: (-len(_syllables(n)), n))
    owner: dict[str, str] = {}
    fulls: list[str] = []
    for n in by_len:
        cands = [f for f in fulls if is_alias(n, f)]
        if len(cands) == 1:
            owner[n] = cands[0]
        elif not cands and (len(_syllables(n)) >= 2 or n in standalone):
            owner[n] = n
            fulls.append(n)
        # ambiguous short forms and unmatched single syllables refer to nobody
    return owner


GENERIC_ORGS = {"nhà trường", "trường", "hội", "tỉnh", "huyện", "xã", "thành phố", "đơn vị", "ngành", "cơ quan",
                "này", "đó", "bộ", "sở", "ban", "viện", "cục"}


def merge_titles(titles: list[Title], abbreviations: dict, rank_re=None, qualifiers=frozenset()) -> list[Title]:
    """One title per office: drop a form whose words (without the office `qualifiers`, `nguyên`, `tân`, ...)
    are all in a longer form of the same role (for ranks, `rank_re`, of any rank: `TS` beside `TS.BS`),
    or whose organisation is only generic words (`Hiệu trưởng nhà trường` beside `Hiệu trưởng trường ĐH Mở Hà Nội`)."""
    keyed = []
    for t in titles:
        # `PGS, TS` = `PGS.TS`; `GS` = `Giáo sư`; `Bộ GD-ĐT` = `Bộ GD&ĐT`
        words = expand(JOINER_RE.sub("&", PUNCT_RE.sub(" ", t.text)), abbreviations).split()
        words = [w for w in words if w not in qualifiers]
        role = expand(PUNCT_RE.sub(" ", t.role or ""), abbreviations)
        org_words = words[len(role.split()):]
        if org_words and " ".join(org_words) in GENERIC_ORGS:
            words = words[:len(role.split())]
        if rank_re is not None and rank_re.fullmatch(t.text.rstrip(".")):
            # ranks are one office for merging, compared rank by rank: `TS` is part of `TS.BS`, `GS` not of `PGS.TS`
            role = "(rank)"
            words = [expand(part, abbreviations) for part in regex.split(r"[.,]\s*", t.text) if part.strip()]
        keyed.append((t, words, role))
    keep = []
    for i, (t, words, role) in enumerate(keyed):
        dominated = False
        for j, (u, other, role2) in enumerate(keyed):
            if i == j or role != role2 or not role:
                continue
            it = iter(other)
            if all(w in it for w in words) and (len(other) > len(words) or (len(other) == len(words) and j < i)):
                dominated = True
                break
            if words == other and j < i:
                dominated = True
                break
        if not dominated:
            keep.append(t)
    return keep


def make_title(text: str, start: int, end: int, td, province: str | None) -> Title:
    body = text[start:end]
    role, org, former = parse_title(body, td)
    prov = None
    m = td.province_re.search(body)
    if m:
        prov = td.province_of[m.group()]
    completed = None
    if not prov and province and org and org.endswith(td.completable):
        completed = f"{body} {province}"
        prov = province
    return Title(body, start, end, role=role, organisation=org, province=prov, completed=completed, former=former)


def _role_key(title: Title) -> str:
    """The role without its deputy prefix: `Phó Tổng Giám đốc` -> `tổng giám đốc`."""
    role = expand(title.role or "", {})
    return role[4:] if role.startswith("phó ") else role


def superseded(old: Title, new: Title, alone: bool, elected: bool = False) -> bool:
    """Whether taking office `new` ends office `old` of the same person (an apposed title before
    `giữ chức`, `được bổ nhiệm làm`): the same role, deputy or not (`Phó Tổng Giám đốc` -> `Tổng Giám
    đốc`; an election ends it only in the same body or where a body is missing), the same body
    (`Phó Hiệu trưởng Trường X` -> `Hiệu trưởng Trường X`), or the person's only office (`Vụ trưởng Vụ A`
    -> `Cục trưởng Cục B`, not for an election: `Phó Bí thư` stays beside a new `Chủ tịch HĐND`).
    The caller leaves out memberships (`Ủy viên`, `Thành viên HĐQT`) and ranks, which a change keeps.

    Example: `superseded(Title("Phó Tổng Giám đốc", 0, 17, role="Phó Tổng Giám đốc"),
    Title("Tổng Giám đốc", 30, 43, role="Tổng Giám đốc"), alone=False)` -> True
    """
    if old.former or (old.start, old.end) == (new.start, new.end):
        return False
    org_old, org_new = fold(old.organisation or ""), fold(new.organisation or "")
    if _role_key(old) and _role_key(old) == _role_key(new):
        return not elected or not org_old or not org_new or org_old == org_new
    if org_old and org_old == org_new:
        return True
    return alone and not elected
