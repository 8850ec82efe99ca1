"""Appointments across articles (`vnfacts appointments`): who was elected, appointed, moved or retired,
from which office to which, when, read from the `appointments` fact table.

Example: `query_appointments(db, role="Tổng Giám đốc", year=2021)[0]["person"]` -> `"Nguyễn Việt Thắng"`
"""
from __future__ import annotations

import json

from extractors.text.textnorm import fold
from pipeline.store.officials import ascii_key

COLUMNS = ["person", "event", "office_left", "office_taken", "body", "decision", "effective", "reported", "public",
           "source"]


def _starts(value: str, query: str) -> bool:
    """Whether `value` starts with `query`, case and tone-mark placement ignored, and diacritics too when
    the query is typed without them (`tong giam doc`)."""
    if ascii_key(query) == fold(query):
        return ascii_key(value).startswith(ascii_key(query))
    return fold(value).startswith(fold(query))


def query_appointments(db, role: str | None = None, province: str | None = None, year: int | None = None,
                       person: str | None = None) -> list[dict]:
    """Every appointment matching the filters, oldest first (effective date, else report date), each its
    JSONL object plus `source`.

    `role` matches the start of the office taken or left (`Tổng Giám đốc` finds `Tổng Giám đốc tập đoàn`, not
    `Phó Tổng Giám đốc`) or its role, `province` the office's province or a word of its text, `year` the
    effective date, else the report date, `person` a part of the name.
    Example: `query_appointments(db, person="nguyen viet thang")[0]["office_taken"]["role"]` -> `"Tổng Giám đốc"`
    """
    if "appointments" not in db.table_names():
        return []
    rows = db.execute(
        "SELECT t.data, a.source, a.published FROM appointments t JOIN articles a ON a.id = t.article_id "
        "ORDER BY coalesce(json_extract(t.data, '$.effective'), a.published), a.source, t.start").fetchall()
    out = []
    for data, source, published in rows:
        item = json.loads(data)
        offices = [o for o in (item.get("office_taken"), item.get("office_left")) if isinstance(o, dict)]
        if role and not any(_starts(o.get("text") or "", role) or _starts(o.get("role") or "", role) for o in offices):
            continue
        if province and not any(_starts(o.get("province") or "", province)
                                or ascii_key(province) in ascii_key(o.get("text") or "") for o in offices):
            continue
        when = item.get("effective") or item.get("reported") or published or ""
        if year and not when.startswith(str(year)):
            continue
        if person and ascii_key(person) not in ascii_key(item.get("person") or ""):
            continue
        out.append({**item, "source": source, "reported": item.get("reported") or published})
    return out


def flat_rows(items: list[dict]) -> list[dict]:
    """Appointments for a table, CSV or TSV: the offices as their text."""
    return [{c: ((item.get(c) or {}).get("text") if c.startswith("office_") else item.get(c)) for c in COLUMNS}
            for item in items]


EDGE_COLUMNS = ["date", "event", "office_left", "office_taken", "decision", "source"]


def appointments_of(db, person_key: str) -> list[dict]:
    """The appointments of one person of the `people` table (by `person_key`, through the mention of the same
    name in the same article), as the edges between their offices: date (effective, else reported), event,
    office left and taken (their text), decision, source; oldest first.

    Example: `appointments_of(db, key)[0]` -> `{"date": "2021-04-26", "event": "appointed", "office_left":
    "Phó Tổng Giám đốc", "office_taken": "Tổng Giám đốc tập đoàn", ...}`
    """
    if "appointments" not in db.table_names() or "person_key" not in db["person_mentions"].columns_dict:
        return []
    rows = db.execute(
        "SELECT t.data, a.source, a.published FROM appointments t "
        "JOIN articles a ON a.id = t.article_id "
        "JOIN person_mentions pm ON pm.article_id = t.article_id AND pm.name = json_extract(t.data, '$.person') "
        "WHERE pm.person_key = ? ORDER BY coalesce(json_extract(t.data, '$.effective'), a.published), t.start",
        (person_key,)).fetchall()
    out = []
    for data, source, published in rows:
        item = json.loads(data)
        out.append({"date": item.get("effective") or item.get("reported") or published, "event": item.get("event"),
                    "office_left": (item.get("office_left") or {}).get("text"),
                    "office_taken": (item.get("office_taken") or {}).get("text"),
                    "decision": item.get("decision"), "source": source})
    return out
