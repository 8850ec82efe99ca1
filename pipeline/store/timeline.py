"""One person's offices over time (`vnfacts person NAME`).

Reads the `people` and `positions` tables that `officials.rebuild` writes: for every person whose
name matches (case, tone-mark placement and, if typed without them, diacritics ignored; an exact
name first, else every name containing it), the offices in the order they were first reported,
each with its first and last date seen, the number of articles and one citing sentence, and the
person's appointments as the edges between the offices (`appointments.appointments_of`: date, event,
office left, office taken).

Example:
    >>> [o["role"] for o in person_timeline(db, "Nguyễn Xuân Phúc")[0]["offices"]]   # doctest: +SKIP
    ['Thủ tướng', 'Chủ tịch nước', ...]
"""
from __future__ import annotations

import json

from extractors.text.textnorm import fold
from pipeline.store.appointments import appointments_of
from pipeline.store.officials import ascii_key

OFFICE_COLUMNS = ["first_seen", "last_seen", "role", "organisation", "province", "title", "n_articles",
                  "sentence", "sentence_source"]


def _matching_people(db, name: str) -> list[tuple]:
    rows = db.execute("SELECT id, key, name, name_fold, aliases, first_seen, last_seen, n_articles, ranks "
                      "FROM people ORDER BY name_fold, id").fetchall()
    plain = ascii_key(name) == fold(name)
    wanted = ascii_key(name) if plain else fold(name)

    def key_of(row) -> str:
        return ascii_key(row[3]) if plain else row[3]
    exact = [r for r in rows if key_of(r) == wanted]
    return exact or [r for r in rows if wanted in key_of(r)]


def person_timeline(db, name: str) -> list[dict]:
    """Every person of that name with their offices in date order (see the module doc)."""
    if "people" not in db.table_names() or not name.strip():
        return []
    out = []
    for pid, key, full, _, aliases, first, last, n_articles, ranks in _matching_people(db, name):
        offices = [dict(zip(OFFICE_COLUMNS, r)) for r in db.execute(
            f"SELECT {', '.join(OFFICE_COLUMNS)} FROM positions WHERE person_id = ? "
            "ORDER BY coalesce(first_seen, '9999'), coalesce(last_seen, '9999'), role, organisation", (pid,))]
        out.append({"key": key, "name": full, "aliases": json.loads(aliases or "[]"), "first_seen": first,
                    "last_seen": last, "n_articles": n_articles, "ranks": json.loads(ranks or "[]"),
                    "offices": offices, "appointments": appointments_of(db, key)})
    return out
