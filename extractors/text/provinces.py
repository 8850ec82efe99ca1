"""Provinces as canonical keys: one record per province, whatever spelling an article or a user types.

The official list is `gazetteer/provinces.yaml` (the 63 provinces before the 2025
reorganisation and the 34 since, each old one with the new one it became part of);
`gazetteer/province_aliases.yaml` adds spellings and renamings (`Thừa Thiên Huế` is `Huế`).
Matching is exact on a folded key, never a substring: `Thuế` is no province, `tỉnh Hà Nam`
is `Hà Nam`.

Example:
    >>> p = province("TP.HCM"); (p.name, p.key, p.merged_into)
    ('Hồ Chí Minh', 'ho-chi-minh', 'Hồ Chí Minh')
    >>> sorted(keys_for("Ninh Bình", merged=True))
    ['ha-nam', 'nam-dinh', 'ninh-binh']
    >>> province_key("hue") == province_key("TT-Huế") == "Huế"
    True

Two views of one table: `province(text)` gives the record (name, slug key, 2025 province) for the
derived tables; `province_key(text)` gives the canonical name every query filter compares, and
`names_province` / `register_sql_functions` match stored text against it as whole words.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

import regex

from extractors.text.textnorm import fold
from gazetteer import load_gazetteer

DASH_RE = regex.compile(r"\s*[-–—]\s*")
SLUG_RE = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True, slots=True)
class Province:
    """One province: its canonical name and key, and the 2025 province it is part of."""
    name: str
    key: str
    merged_into: str
    merged_key: str


def _plain(text: str) -> str:
    t = unicodedata.normalize("NFD", text).replace("đ", "d").replace("Đ", "D")
    return "".join(ch for ch in t if not unicodedata.combining(ch))


def slug(name: str) -> str:
    """`Bà Rịa - Vũng Tàu` -> `ba-ria-vung-tau`."""
    return SLUG_RE.sub("-", _plain(fold(name))).strip("-")


def _norm(text: str, unit_words: tuple[str, ...]) -> str:
    """Folded, one dash, no leading unit word: `Tỉnh Thừa Thiên–Huế` -> `thừa thiên - huế`."""
    t = DASH_RE.sub(" - ", fold(text)).strip(" ,.;:")
    for w in unit_words:
        if t.startswith(w + " "):
            t = t[len(w) + 1:].strip()
            break
    return t


@functools.cache
def _table() -> tuple[dict[str, Province], dict[str, Province], tuple[str, ...]]:
    """(folded spelling -> province, unaccented spelling -> province, unit words), built once."""
    gaz = load_gazetteer()
    extra = gaz.load("province_aliases")
    units = tuple(sorted((fold(u) for u in extra.get("unit_words") or []), key=len, reverse=True))
    renamed = extra.get("renamed") or {}
    rows = gaz.load("provinces")["provinces"]
    merged_of = {r["name"]: r["merged_into"] for r in rows}

    def record(name: str) -> Province:
        name = renamed.get(name, name)
        into = renamed.get(merged_of.get(name, name), merged_of.get(name, name))
        return Province(name, slug(name), into, slug(into))

    exact: dict[str, Province] = {}
    for r in rows:
        rec = record(r["name"])
        for form in [r["name"], r.get("full") or r["name"], *(r.get("aliases") or [])]:
            exact.setdefault(_norm(form, units), rec)
    for name, forms in (extra.get("aliases") or {}).items():
        rec = record(name)
        for form in [name, *forms]:
            exact[_norm(form, units)] = rec
    plain: dict[str, Province] = {}
    for form, rec in exact.items():
        plain.setdefault(_plain(form), rec)
    return exact, plain, units


def province(text: str | None) -> Province | None:
    """The province a text names exactly (any listed spelling, with or without diacritics), or None.

    Example: `province("Thừa Thiên - Huế").name == "Huế"`; `province("Thuế") is None`
    """
    if not text or not text.strip():
        return None
    exact, plain, units = _table()
    key = _norm(text, units)
    found = exact.get(key)
    if found is None and _plain(key) == key:  # typed without diacritics: `ha nam`
        found = plain.get(key)
    return found


def all_provinces() -> list[Province]:
    """Every distinct province record (pre-2025 units and the 2025 ones)."""
    exact, _, _ = _table()
    return sorted(set(exact.values()), key=lambda p: p.key)


def keys_for(text: str, merged: bool = False) -> set[str]:
    """The province keys a filter selects: the province itself, and with `merged` also every
    province that became part of it in 2025 (`Ninh Bình` -> Hà Nam, Nam Định, Ninh Bình).
    Empty when the text names no province."""
    p = province(text)
    if p is None:
        return set()
    keys = {p.key}
    if merged:
        keys |= {q.key for q in all_provinces() if q.merged_key == p.key}
    return keys


def province_key(text: str | None) -> str | None:
    """The canonical name of the province a typed or stored text means, or None when it names none.

    Example: `province_key("Huế") == province_key("thua thien hue") == "Huế"`; `province_key("Cục Thuế") is None`
    """
    found = province(text)
    return found.name if found else None


@functools.cache
def _forms() -> dict[str, tuple[str, ...]]:
    """Canonical name -> every folded written form of it (names, full names, aliases)."""
    exact, _, _ = _table()
    forms: dict[str, list[str]] = {}
    for form, rec in exact.items():
        forms.setdefault(rec.name, []).append(form)
    return {name: tuple(sorted(set(f))) for name, f in forms.items()}


def province_forms(key: str) -> list[str]:
    """Every written form (folded) of the province `key`.

    Example: `"thừa thiên - huế" in province_forms("Huế")`
    """
    return list(_forms().get(key, ()))


@functools.cache
def _forms_re(key: str) -> regex.Pattern:
    alts = sorted({" ".join(DASH_RE.sub(" ", f).split()) for f in province_forms(key)} | {fold(key)},
                  key=len, reverse=True)
    return regex.compile(r"(?<![\p{L}\p{N}])(?:" + "|".join(regex.escape(a) for a in alts) + r")(?![\p{L}\p{N}])")


def names_province(text: str | None, key: str) -> bool:
    """Whether stored `text` names the province `key` as whole words, diacritics counted (`Tỉnh ủy Lai
    Châu`; never `Cục Thuế` or the name `Huệ` for Huế).

    Example: `names_province("Bí thư Tỉnh ủy Lai Châu", "Lai Châu")`
    """
    return bool(text) and bool(_forms_re(key).search(" ".join(DASH_RE.sub(" ", fold(text)).split())))


def known_provinces() -> list[str]:
    """Every canonical province name, sorted."""
    return sorted(_forms())


def register_sql_functions(conn) -> None:
    """`vnfacts_province_key(text)` and `vnfacts_names_province(text, key)` on a sqlite3 connection
    (the officials query, Datasette's canned query).

    Example: `SELECT * FROM positions WHERE vnfacts_province_key(province) = vnfacts_province_key('hue')`
    """
    conn.create_function("vnfacts_province_key", 1, province_key, deterministic=True)
    conn.create_function("vnfacts_names_province", 2,
                         lambda text, key: int(bool(key) and names_province(text, key)), deterministic=True)
