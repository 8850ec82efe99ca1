"""Offices as normalised records: one spelling per role, organisations with their province, and
only offices (ranks, degrees, professions stay titles of the mention).

`office(detail)` reads one stored title (`title_details` of a person mention) into an `Office`:
role in its one spelling (`chủ tịch` and `Chủ tịch` are `Chủ tịch`), the folded role key, the
organisation completed with the province where the title or the article makes it certain
(`Tỉnh ủy` + Hà Nam -> `Tỉnh ủy Hà Nam`, the same key as `Tỉnh ủy tỉnh Hà Nam`), the province as
a canonical record (`extractors.text.provinces`), and the office's family (`gazetteer/positions.yaml`).
A club named after a province (`CLB Thanh Hóa`) is a sport body, not the province.

Example:
    >>> o = office({"text": "Bí thư Tỉnh ủy tỉnh Hà Nam", "role": "Bí thư", "organisation": "Tỉnh ủy tỉnh Hà Nam",
    ...             "province": "Hà Nam"})
    >>> (o.role, o.organisation, o.org_key, o.province.name, o.is_office)
    ('Bí thư', 'Tỉnh ủy Hà Nam', 'tỉnh ủy hà nam', 'Hà Nam', True)
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

import regex

from extractors.text.textnorm import fold, normalize_text
from gazetteer import load_gazetteer
from extractors.text.lexicon import Lexicon
from extractors.text.provinces import Province, province as find_province

UNIT_BEFORE_PROVINCE_RE = regex.compile(r"\s+(?:tỉnh|thành phố|tp\.?)\s*$")


def former_words() -> frozenset[str]:
    """`nguyên`, `cựu`, `tân`, `quyền`: the lexicon's office qualifiers (`gazetteer/titles.yaml`)."""
    return Lexicon.of().office_qualifiers


@dataclass(frozen=True, slots=True)
class Office:
    """One title read as an office (or not: `is_office` False for ranks and professions)."""
    text: str
    role: str | None
    role_key: str
    organisation: str | None
    org_key: str
    province: Province | None
    is_office: bool
    family: str | None
    group: str | None
    former: bool

    @property
    def key(self) -> str:
        """`role_key|org_key`: one office, whatever its spelling (`Chủ tịch UBND tỉnh Hà Nam`)."""
        return f"{self.role_key}|{self.org_key}"


@dataclass(frozen=True)
class Rules:
    spellings: dict
    roles: dict              # folded role of titles.yaml -> its first spelling there
    not_offices: frozenset
    rank_re: regex.Pattern   # one or more ranks or degrees (`ts.bs`, `phó giáo sư tiến sĩ`)
    abbreviations: dict      # folded abbreviation -> folded spelled-out form
    families: list           # (name, group, org words regex, role words regex)
    compatible: frozenset    # frozenset({group, group})
    steps: frozenset         # frozenset({role_key, role_key})
    completable: tuple       # organisation endings completed with a province (folded, spelled out)
    bodies: dict             # role key -> the body word its organisation starts with (`bộ trưởng` -> `bộ`)


def _words_re(words: list[str]) -> regex.Pattern | None:
    if not words:
        return None
    alt = "|".join(regex.escape(fold(w)) for w in sorted(words, key=len, reverse=True))
    return regex.compile(rf"(?<![\p{{L}}\p{{N}}])(?:{alt})(?![\p{{L}}\p{{N}}])")


def _ranks_re(ranks: set[str], abbreviations: dict) -> regex.Pattern:
    forms = set(ranks) | {v for k, v in abbreviations.items() if fold(k) in ranks}
    alt = "|".join(regex.escape(f) for f in sorted(forms, key=len, reverse=True))
    return regex.compile(rf"(?:{alt})(?:[\s.,]+(?:{alt}))*[.\s]*")


@functools.cache
def rules() -> Rules:
    """The position rules from `gazetteer/positions.yaml` and `titles.yaml`, compiled once."""
    gaz = load_gazetteer()
    data, titles = gaz.load("positions"), gaz.load("titles")
    roles: dict[str, str] = {}
    for group in ("deputy", "plain"):
        for r in titles["roles"][group]:
            roles.setdefault(fold(r), r)
    ranks = {fold(p) for kind in titles["prefixes"].values() for p in kind}
    abbreviations = {k: fold(v) for src in ("abbreviations", "merge_abbreviations")
                     for k, v in (titles.get(src) or {}).items()}  # as written: `TƯ` is one, `tư` is not
    families = [(f["name"], f["group"], _words_re(f.get("organisation") or []), _words_re(f.get("role") or []))
                for f in data["families"]]
    return Rules(
        spellings={fold(k): v for k, v in data["role_spellings"].items()},
        roles=roles,
        not_offices=frozenset(ranks | {fold(x) for x in data["not_offices"]}),
        rank_re=_ranks_re(ranks | {fold(p) for p in titles.get("prefix_chain_parts") or []}, abbreviations),
        abbreviations=abbreviations,
        families=families,
        compatible=frozenset(frozenset(p) for p in data["compatible_groups"]),
        steps=frozenset(frozenset(fold(x) for x in p) for p in data["career_steps"]),
        completable=tuple(sorted({fold(" ".join(abbreviations.get(w, w) for w in e.split()))
                                  for e in titles["completable_endings"]}, key=len, reverse=True)),
        bodies={fold(k): fold(v) for k, v in (data.get("role_bodies") or {}).items()},
    )


def expand(text: str, r: Rules | None = None) -> str:
    """Folded with abbreviations spelled out: `UBND tỉnh` -> `ủy ban nhân dân tỉnh`."""
    r = r or rules()
    out = []
    for word in normalize_text(text).replace("–", "-").split():
        out.append(r.abbreviations.get(word.strip(".,"), word))
    return fold(" ".join(out))


def role_key(role: str | None) -> str:
    """The folded role with abbreviations spelled out and `nguyên`/`tân` dropped (`Phó GĐ` -> `phó giám đốc`)."""
    words = expand(role or "").split()
    while words and words[0] in former_words():
        words = words[1:]
    return " ".join(words)


def role_spelling(key: str, r: Rules | None = None) -> str:
    """The one spelling of a role key: listed in positions.yaml, else the titles.yaml spelling of
    its base role with `Phó` and a suffix kept (`phó chủ tịch thường trực` -> `Phó Chủ tịch thường trực`)."""
    r = r or rules()
    if key in r.spellings:
        return r.spellings[key]
    deputy = key.startswith("phó ")
    base = key[4:] if deputy else key
    best = ""
    for k in r.roles:
        if (base == k or base.startswith(k + " ")) and len(k) > len(best):
            best = k
    if best:
        text = r.spellings.get(best) or r.roles[best]
        text = text[0].upper() + text[1:]
        rest = base[len(best):]
    else:
        text, rest = (base[:1].upper() + base[1:]), ""
    return ("Phó " + text if deputy else text) + rest


def _family(org_key: str, rkey: str, r: Rules) -> tuple[str | None, str | None]:
    for name, group, org_re, role_re in r.families:
        if org_key and org_re is not None and org_re.search(org_key):
            return name, group
    for name, group, org_re, role_re in r.families:
        if role_re is not None and role_re.search(rkey):
            return name, group
    return None, None


def _complete(org: str | None, prov: Province | None, r: Rules) -> tuple[str | None, str]:
    """The organisation as written, completed with its province where it ends in a bare level
    (`Tỉnh ủy`, `UBND tỉnh`), and its key, one for every spelling of the same body."""
    if not org:
        return None, ""
    text = org.strip(" ,.;:-–")
    key = expand(text, r)
    if prov is not None:
        found = find_province_suffix(key)
        if found:  # `tỉnh ủy tỉnh hà nam` -> `tỉnh ủy hà nam`
            key = UNIT_BEFORE_PROVINCE_RE.sub("", key[:found[0]]).strip() + " " + fold(found[1].name)
        elif key.endswith(r.completable):  # `UBND tỉnh` + Lai Châu
            key = (UNIT_BEFORE_PROVINCE_RE.sub("", key).strip() or key) + " " + fold(prov.name)
            text = f"{text} {prov.name}"
    return text, key


def find_province_suffix(key: str) -> tuple[int, Province] | None:
    """Where a folded organisation ends in a province name: `sở y tế tỉnh hà nam` -> (start, Hà Nam)."""
    words = key.split()
    for n in (4, 3, 2, 1):
        if len(words) > n:
            p = find_province(" ".join(words[-n:]))
            if p is not None:
                return len(" ".join(words[:-n])) + 1, p
    return None


def office(detail: dict) -> Office:
    """One stored title (`{"text", "role", "organisation", "province", "completed", "former"}`) as an Office."""
    return _office(detail.get("text") or "", detail.get("role"), detail.get("province"), detail.get("organisation"),
                   bool(detail.get("former")))


@functools.lru_cache(maxsize=1 << 16)
def _office(text: str, role: str | None, province: str | None, organisation: str | None, former: bool) -> Office:
    """`office`, remembered: a collection repeats its titles (a rebuild reads each mention's titles)."""
    r = rules()
    rkey = role_key(role or text)
    prov = find_province(province) if province else None
    org_text, org_key = _complete(organisation, prov, r)
    base = rkey[4:] if rkey.startswith("phó ") else rkey
    body = r.bodies.get(base)
    if body and org_key and not (org_key + " ").startswith(body + " "):  # `Bộ trưởng Y tế` -> `bộ y tế`
        org_key = f"{body} {org_key}"
    family, group = _family(org_key, rkey, r)
    if family == "sport":
        prov = None  # `HLV trưởng CLB Thanh Hóa`: a club named after a province is not the province
    is_office = (bool(rkey) and rkey not in r.not_offices and base not in r.not_offices
                 and not r.rank_re.fullmatch(rkey))
    return Office(text=text, role=role_spelling(rkey, r) if rkey else None, role_key=rkey,
                  organisation=org_text, org_key=org_key, province=prov, is_office=is_office,
                  family=family, group=group, former=former)


def is_step(a: str, b: str) -> bool:
    """Whether two role keys are a known career step (`thủ tướng` / `chủ tịch nước`; `phó X` / `X`)."""
    if a == b:
        return False
    if a == "phó " + b or b == "phó " + a:
        return True
    return frozenset((a, b)) in rules().steps


def compatible(g1: str | None, g2: str | None) -> bool:
    """Whether two office groups may belong to one person (unknown groups always may)."""
    return g1 is None or g2 is None or g1 == g2 or frozenset((g1, g2)) in rules().compatible
