"""Provinces as people type them -> one canonical key (`province_key`), shared by every filter.

`Huế`, `TT-Huế`, `thua thien hue` and `Thừa Thiên Huế` are one key; `Hà Nam` (merged into Ninh Bình
in 2025) stays its own key, as the articles written before the merger name it. Case, tone-mark
placement, a leading `tỉnh`/`thành phố`/`TP.` and, when typed without any, diacritics are ignored.
Data: `gazetteer/provinces.yaml` (names, aliases, the province each old one merged into).
"""
from __future__ import annotations

import functools

import regex

from extractors.text.textnorm import fold, is_unaccented, unaccent
from gazetteer import load_gazetteer

PREFIX_RE = regex.compile(r"^(?:tỉnh|thành phố|tp\.?|t\.p\.?)\s+")
DASH_RE = regex.compile(r"\s*[-–—]\s*")


def _norm(text: str) -> str:
    """Folded, dashes as spaces, without a leading `tỉnh`/`thành phố`/`TP.`."""
    t = DASH_RE.sub(" ", fold(text))
    return " ".join(PREFIX_RE.sub("", t).split())


@functools.cache
def _index() -> tuple[dict[str, str], dict[str, str], dict[str, list[str]]]:
    """(folded form -> key, unaccented form -> key (unambiguous ones), key -> every written form)."""
    rows = load_gazetteer().load("provinces")["provinces"]
    renamed = {}  # a 2025 province that is one old province under a new name shares its key
    for new in (r for r in rows if r.get("since_2025")):
        old = [r["name"] for r in rows if r.get("before_2025") and r.get("merged_into") == new["name"]]
        if len(old) == 1:
            renamed[new["name"]] = old[0]
    folded: dict[str, str] = {}
    plain: dict[str, set[str]] = {}
    forms: dict[str, list[str]] = {}
    for row in rows:
        key = renamed.get(row["name"], row["name"])
        for form in [row["name"], row.get("full"), *(row.get("aliases") or [])]:
            if not form:
                continue
            forms.setdefault(key, [])
            if form not in forms[key]:
                forms[key].append(form)
            folded[_norm(form)] = key
            plain.setdefault(unaccent(_norm(form)), set()).add(key)
    folded.setdefault(_norm("Hồ Chí Minh"), "Hồ Chí Minh")
    unambiguous = {form: next(iter(keys)) for form, keys in plain.items() if len(keys) == 1}
    return folded, unambiguous, forms


def province_key(text: str | None) -> str | None:
    """The canonical province a typed or stored name means, or None when it names none.

    Example: `province_key("Huế") == province_key("thua thien hue") == "Thừa Thiên Huế"`;
    `province_key("Cục Thuế") is None`
    """
    if not text or not text.strip():
        return None
    folded, plain, _ = _index()
    t = _norm(text)
    if t in folded:
        return folded[t]
    return plain.get(unaccent(t)) if is_unaccented(t) else None


def province_forms(key: str) -> list[str]:
    """Every written form of the province `key` (name, full name, aliases).

    Example: `"TT-Huế" in province_forms("Thừa Thiên Huế")`
    """
    return list(_index()[2].get(key, []))


@functools.cache
def _forms_re(key: str) -> regex.Pattern:
    alts = sorted({_norm(f) for f in province_forms(key)} | {_norm(key)}, key=len, reverse=True)
    return regex.compile(r"(?<![\p{L}\p{N}])(?:" + "|".join(regex.escape(a) for a in alts) + r")(?![\p{L}\p{N}])")


def names_province(text: str | None, key: str) -> bool:
    """Whether stored `text` names the province `key` as whole words, diacritics counted (`Tỉnh ủy Lai
    Châu`; never `Cục Thuế` or the name `Huệ` for Huế).

    Example: `names_province("Bí thư Tỉnh ủy Lai Châu", "Lai Châu")`
    """
    return bool(text) and bool(_forms_re(key).search(" ".join(DASH_RE.sub(" ", fold(text)).split())))


def known_provinces() -> list[str]:
    """Every canonical province key, sorted."""
    return sorted(_index()[2])


def register_sql_functions(conn) -> None:
    """`vnfacts_province_key(text)` and `vnfacts_names_province(text, key)` on a sqlite3 connection
    (the officials query, Datasette's canned query).

    Example: `SELECT * FROM positions WHERE vnfacts_province_key(province) = vnfacts_province_key('hue')`
    """
    conn.create_function("vnfacts_province_key", 1, province_key, deterministic=True)
    conn.create_function("vnfacts_names_province", 2,
                         lambda text, key: int(bool(key) and names_province(text, key)), deterministic=True)
