"""Person merges and splits over the identity step's persons, and the `corrections` marks on people and
positions (see `pipeline.store.corrections_apply`, which calls these inside its transaction).

Example: `status, persons, changed, marks = entity_corrections(db, merges_and_splits)`
"""
from __future__ import annotations

import json

from extractors.text.textnorm import fold
from pipeline.store import identity_view


def entity_corrections(db, recs: list[dict]) -> tuple[dict[str, str], list, set[int], dict[int, set[str]]]:
    """Merges and splits over the identity step's persons: (status per id, persons, changed ids, marks)."""
    persons = identity_view.clusters(db)
    owner = {(m.article_hash, fold(m.name)): i for i, p in enumerate(persons) for m in p.mentions}
    status, changed, marks = {}, set(), {}
    for rec in recs:
        t, cid = rec["target"], rec["id"]
        a = owner.get((t["article"], fold(t["person"])))
        if a is None:
            status[cid] = f"no person {t['person']!r} in {t.get('source') or t['article']}"
            continue
        if rec["kind"] == "merge-people":
            b = owner.get((t["other_article"], fold(t["other_person"])))
            if b is None:
                status[cid] = f"no person {t['other_person']!r} in {t.get('other_source') or t['other_article']}"
                continue
            if a != b:
                for m in persons[b].mentions:
                    owner[(m.article_hash, fold(m.name))] = a
                persons[a].mentions.extend(persons[b].mentions)
                persons[b].mentions = []
                changed |= {a, b}
            marks.setdefault(a, set()).add(cid)
            status[cid] = ""
        else:  # split-person
            moving = [m for m in persons[a].mentions if m.article_hash in t["move"]]
            if t["article"] in t["move"]:
                status[cid] = "the person's own article cannot move"
                continue
            if not moving:
                apart = any(owner.get((h, fold(t["person"]))) not in (None, a) for h in t["move"])
                status[cid] = "" if apart else f"{t['person']} is not named in the articles to move"
                continue
            persons[a].mentions = [m for m in persons[a].mentions if m.article_hash not in t["move"]]
            persons.append(identity_view.PersonRecord(0, persons[a].name_key, moving))
            new = len(persons) - 1
            for m in moving:
                owner[(m.article_hash, fold(m.name))] = new
            changed |= {a, new}
            marks.setdefault(a, set()).add(cid)
            marks.setdefault(new, set()).add(cid)
            status[cid] = ""
    return status, persons, changed, marks


def rewrite_persons(db, persons: list, changed: set[int], marks: dict[int, set[str]]) -> None:
    """Replace the identity rows of the changed persons, record every person's mentions and the marks."""
    conn = db.conn
    max_person = conn.execute("SELECT coalesce(max(id), 0) FROM people").fetchone()[0]
    max_pos = conn.execute("SELECT coalesce(max(id), 0) FROM positions").fetchone()[0]
    for i in sorted(changed):
        p = persons[i]
        if p.id:
            conn.execute("DELETE FROM position_articles WHERE position_id IN "
                         "(SELECT id FROM positions WHERE person_id = ?)", (p.id,))
            conn.execute("DELETE FROM positions WHERE person_id = ?", (p.id,))
            conn.execute("DELETE FROM people WHERE id = ?", (p.id,))
        if not p.mentions:
            continue
        if not p.id:
            max_person += 1
            p.id = max_person
        person, positions, links = identity_view.person_rows(p.name_key, p.mentions, p.id, max_pos + 1, db)
        max_pos += len(positions)
        for table, rows in (("people", [person]), ("positions", positions), ("position_articles", links)):
            for row in rows:
                conn.execute(f"INSERT INTO [{table}] ({', '.join(f'[{c}]' for c in row)}) "
                             f"VALUES ({', '.join('?' for _ in row)})", list(row.values()))
        conn.executemany("UPDATE person_mentions SET person_id = ?, person_key = ? WHERE rowid = ?",
                         [(p.id, person["key"], m.rowid) for m in p.mentions])
    mark_people(db, persons, marks)


def mark_people(db, persons: list, marks: dict[int, set[str]]) -> None:
    """`corrections` on people and positions: merges/splits, and titles fixed in their mentions."""
    conn = db.conn
    for table in ("people", "positions"):
        if "corrections" not in {r[1] for r in conn.execute(f"PRAGMA table_info([{table}])")}:
            conn.execute(f"ALTER TABLE [{table}] ADD COLUMN corrections TEXT")
    corrected: dict[tuple, set[str]] = {}
    for art_id, key, cids in conn.execute("SELECT article_id, name_key, corrections FROM person_mentions "
                                          "WHERE corrections IS NOT NULL"):
        corrected.setdefault((art_id, key), set()).update(json.loads(cids))
    for i, p in enumerate(persons):
        if not p.mentions or not p.id:
            continue
        person_cids = set(marks.get(i, set()))
        by_title: dict[str, set[str]] = {}
        for m in p.mentions:
            for d in m.details:
                if d.get("corrections") and d.get("text"):
                    keys = (fold(d["text"]), fold(d.get("organisation") or "") or None)
                    by_title.setdefault(keys, set()).update(d["corrections"])
            person_cids |= corrected.get((m.article_id, fold(m.name)), set())
        for (title_key, org_key), cids in by_title.items():
            person_cids |= cids
            for pos_id, title_fold, org_fold, old in conn.execute(
                    "SELECT id, title_fold, org_fold, corrections FROM positions WHERE person_id = ?",
                    (p.id,)).fetchall():
                if title_fold == title_key or (org_key and org_fold == org_key):
                    conn.execute("UPDATE positions SET corrections = ? WHERE id = ?",
                                 (json.dumps(sorted(set(json.loads(old or "[]")) | cids)), pos_id))
        if person_cids:
            conn.execute("UPDATE people SET corrections = ? WHERE id = ?", (json.dumps(sorted(person_cids)), p.id))
            if marks.get(i):
                conn.execute("UPDATE positions SET corrections = coalesce(corrections, ?) WHERE person_id = ?",
                             (json.dumps(sorted(marks[i])), p.id))
