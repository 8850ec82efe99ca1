"""The archivist's write path: record, undo and import corrections, each followed by applying them all.

Example: `add(db, {"kind": "reject", "target": {"kind": "people", "article": "003_f96a9d9819cf95b7.txt",
"text": "Vương Quốc Anh"}})`
"""
from __future__ import annotations

from pathlib import Path

import sqlite_utils

from pipeline.store import corrections as store
from pipeline.store import corrections_apply


def add(db: sqlite_utils.Database, entry: dict) -> dict:
    """Record one correction after checking it applies to this database, then apply all of them.

    Raises CorrectionError (and changes nothing) for a bad entry or a target that does not exist.
    """
    store.ensure_table(db)
    rec = store.normalise(db, entry)
    old = db.conn.execute(f"SELECT status FROM [{store.TABLE}] WHERE id = ?", (rec["id"],)).fetchone()
    if old and old[0] == "active":
        raise store.CorrectionError(f"this correction is already recorded as {rec['id']}")
    problem = corrections_apply.problems(db, [rec]).get(rec["id"])
    if problem:
        raise store.CorrectionError(problem)
    db[store.TABLE].upsert(store.row(rec), pk="id")
    corrections_apply.apply(db)
    return rec


def undo(db: sqlite_utils.Database, cid: str) -> dict:
    """Mark a correction undone (kept in the table for the record) and re-apply the others."""
    store.ensure_table(db)
    rows = db.conn.execute(f"SELECT id FROM [{store.TABLE}] WHERE id = ? OR id LIKE ?", (cid, cid + "%")).fetchall()
    if len(rows) != 1:
        raise store.CorrectionError(f"no correction {cid!r}" if not rows else f"correction id {cid!r} is ambiguous")
    kind = db.conn.execute(f"SELECT kind FROM [{store.TABLE}] WHERE id = ?", (rows[0][0],)).fetchone()[0]
    with db.conn:
        db.conn.execute(f"UPDATE [{store.TABLE}] SET status = 'undone' WHERE id = ?", (rows[0][0],))
    if kind in store.ENTITY_LEVEL:  # the people/documents it merged or split come back only from a rebuild
        from pipeline.store import catalog, officials

        officials.rebuild(db, force=True)
        catalog.rebuild(db, force=True)
    corrections_apply.apply(db)
    return next(r for r in store.load(db, active_only=False) if r["id"] == rows[0][0])


def import_file(db: sqlite_utils.Database, path: str | Path, allow_stale: bool = False) -> tuple[int, int]:
    """Add the corrections of a YAML file (all or nothing); returns (added, already present).

    Every entry is checked first; one bad entry (or, without `allow_stale`, one whose target is not in
    this database) raises CorrectionError and nothing is written.
    """
    store.ensure_table(db)
    entries, records = store.read_file(path), []
    for i, entry in enumerate(entries, 1):
        try:
            rec = store.normalise(db, entry, need_articles=not allow_stale)
        except store.CorrectionError as err:
            raise store.CorrectionError(f"{path}: entry {i}: {err}") from None
        records.append((i, store.hashes_where_known(db, rec) if allow_stale else rec, entry.get("created")))
    known = {r["id"] for r in store.load(db, active_only=False)}
    new = [(i, r, c) for i, r, c in records if r["id"] not in known]
    if not allow_stale:
        stale = corrections_apply.problems(db, [r for _, r, _ in new])
        for i, rec, _ in new:
            if rec["id"] in stale:
                raise store.CorrectionError(f"{path}: entry {i}: {stale[rec['id']]}")
    with db.conn:
        for _, rec, created in new:
            row = store.row(rec, created)
            db.conn.execute(f"INSERT INTO [{store.TABLE}] ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})",
                            list(row.values()))
    corrections_apply.apply(db)
    return len(new), len(records) - len(new)
