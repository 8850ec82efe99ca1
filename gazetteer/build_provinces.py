"""Regenerate `gazetteer/provinces.yaml` from the installed `vietnam-provinces` package.

The package gives the 34 provinces and cities in force since 2025-07-01 and
their 3,321 wards and communes. The 63 provinces before the reorganisation are
not in the package; their mapping to the new units (Nghị quyết 202/2025/QH15
of the Quốc hội, 2025-06-12) is the table `MERGED_INTO` below.

Usage: `.venv/bin/python gazetteer/build_provinces.py` (writes provinces.yaml beside this file).
"""
from __future__ import annotations

import sys
from pathlib import Path

import yaml

OUT = Path(__file__).resolve().parent / "provinces.yaml"

# pre-2025 province -> the 2025 province it became part of (Nghị quyết 202/2025/QH15);
# the 11 units that were not merged map to themselves.
MERGED_INTO = {
    "Hà Nội": "Hà Nội", "Thừa Thiên Huế": "Huế", "Lai Châu": "Lai Châu", "Điện Biên": "Điện Biên",
    "Sơn La": "Sơn La", "Lạng Sơn": "Lạng Sơn", "Quảng Ninh": "Quảng Ninh", "Thanh Hóa": "Thanh Hóa",
    "Nghệ An": "Nghệ An", "Hà Tĩnh": "Hà Tĩnh", "Cao Bằng": "Cao Bằng",
    "Tuyên Quang": "Tuyên Quang", "Hà Giang": "Tuyên Quang",
    "Lào Cai": "Lào Cai", "Yên Bái": "Lào Cai",
    "Thái Nguyên": "Thái Nguyên", "Bắc Kạn": "Thái Nguyên",
    "Phú Thọ": "Phú Thọ", "Vĩnh Phúc": "Phú Thọ", "Hòa Bình": "Phú Thọ",
    "Bắc Ninh": "Bắc Ninh", "Bắc Giang": "Bắc Ninh",
    "Hưng Yên": "Hưng Yên", "Thái Bình": "Hưng Yên",
    "Hải Phòng": "Hải Phòng", "Hải Dương": "Hải Phòng",
    "Ninh Bình": "Ninh Bình", "Hà Nam": "Ninh Bình", "Nam Định": "Ninh Bình",
    "Quảng Trị": "Quảng Trị", "Quảng Bình": "Quảng Trị",
    "Đà Nẵng": "Đà Nẵng", "Quảng Nam": "Đà Nẵng",
    "Quảng Ngãi": "Quảng Ngãi", "Kon Tum": "Quảng Ngãi",
    "Gia Lai": "Gia Lai", "Bình Định": "Gia Lai",
    "Khánh Hòa": "Khánh Hòa", "Ninh Thuận": "Khánh Hòa",
    "Lâm Đồng": "Lâm Đồng", "Đắk Nông": "Lâm Đồng", "Bình Thuận": "Lâm Đồng",
    "Đắk Lắk": "Đắk Lắk", "Phú Yên": "Đắk Lắk",
    "Hồ Chí Minh": "Hồ Chí Minh", "Bình Dương": "Hồ Chí Minh", "Bà Rịa - Vũng Tàu": "Hồ Chí Minh",
    "Đồng Nai": "Đồng Nai", "Bình Phước": "Đồng Nai",
    "Tây Ninh": "Tây Ninh", "Long An": "Tây Ninh",
    "Cần Thơ": "Cần Thơ", "Sóc Trăng": "Cần Thơ", "Hậu Giang": "Cần Thơ",
    "Vĩnh Long": "Vĩnh Long", "Bến Tre": "Vĩnh Long", "Trà Vinh": "Vĩnh Long",
    "Đồng Tháp": "Đồng Tháp", "Tiền Giang": "Đồng Tháp",
    "Cà Mau": "Cà Mau", "Bạc Liêu": "Cà Mau",
    "An Giang": "An Giang", "Kiên Giang": "An Giang",
}
# other spellings seen in news text
ALIASES = {
    "Hồ Chí Minh": ["TPHCM", "TP.HCM", "TP HCM", "TP. HCM", "TP.Hồ Chí Minh", "Sài Gòn"],
    "Thừa Thiên Huế": ["Thừa Thiên - Huế", "TT-Huế"],
    "Huế": [],
    "Bà Rịa - Vũng Tàu": ["Bà Rịa-Vũng Tàu", "Bà Rịa – Vũng Tàu", "BR-VT"],
    "Đắk Lắk": ["Đắc Lắc", "Đăk Lăk", "Daklak"],
    "Đắk Nông": ["Đăk Nông", "Đắc Nông"],
    "Kon Tum": ["Kontum"],
    "Bắc Kạn": ["Bắc Cạn"],
}


def short_name(name: str) -> str:
    """`Thành phố Hà Nội` -> `Hà Nội` (the package writes cities with their type)."""
    for prefix in ("Thành phố ", "Tỉnh "):
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


def regex_strip_type(name: str) -> str:
    """`Đặc khu Lý Sơn` -> `Lý Sơn`, `Phường Hoàn Kiếm` -> `Hoàn Kiếm`."""
    for prefix in ("Đặc khu ", "Phường ", "Xã ", "Thị trấn "):
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


def build() -> dict:
    """The provinces data as written to provinces.yaml."""
    import vietnam_provinces
    from vietnam_provinces import Province, Ward

    current = {}
    for p in Province.iter_all():
        name = short_name(p.name)
        current[name] = {"name": name, "full": p.name, "type": p.division_type.value, "code": p.code.value,
                         "since_2025": True, "before_2025": False, "merged_into": name,
                         "aliases": list(ALIASES.get(name, []))}
    missing = set(MERGED_INTO.values()) - set(current)
    if missing:
        raise SystemExit(f"MERGED_INTO names no 2025 province {sorted(missing)}")
    rows = dict(current)
    for old, new in MERGED_INTO.items():
        if old in rows:
            rows[old]["before_2025"] = True
            continue
        rows[old] = {"name": old, "full": None, "type": None, "code": None, "since_2025": False,
                     "before_2025": True, "merged_into": new, "aliases": list(ALIASES.get(old, []))}
    # Huế was Thừa Thiên Huế before 2025: the new name did not exist as a province then
    wards = sorted({regex_strip_type(w.name).strip() for w in Ward.iter_all()})
    return {
        "source": f"vietnam-provinces {vietnam_provinces.__version__} (data {vietnam_provinces.__data_version__}) "
                  f"+ Nghị quyết 202/2025/QH15 for the 63 provinces before 2025-07-01",
        "provinces": sorted(rows.values(), key=lambda r: (not r["since_2025"], r["name"])),
        "ward_names": wards,
    }


def main() -> None:
    data = build()
    header = ("# Provinces and cities of Vietnam: the 34 in force since 2025-07-01 and the 63 before,\n"
              "# each old one with the new province it merged into, plus the names of the 3,321\n"
              "# wards and communes (without `Phường`/`Xã`) used to tell places from personal names.\n"
              "# GENERATED by gazetteer/build_provinces.py from the vietnam-provinces package; do not edit.\n")
    OUT.write_text(header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120), encoding="utf-8")
    n_old = sum(r["before_2025"] for r in data["provinces"])
    n_new = sum(r["since_2025"] for r in data["provinces"])
    sys.stderr.write(f"wrote {OUT}: {n_new} provinces since 2025, {n_old} before, {len(data['ward_names'])} ward names\n")


if __name__ == "__main__":
    main()
