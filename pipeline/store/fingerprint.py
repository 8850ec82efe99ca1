"""Skip a cross-article rebuild when nothing it reads has changed since the last one.

A fingerprint is the SHA-256 of the stored articles (hash and processing time, in hash order,
streamed), the rule files and the code of the rebuild; it is kept in `derived_state` beside the
name of the rebuild. `vnfacts run` over unchanged articles then leaves people, positions and
documents as they are instead of recomputing them.

Example:
    >>> fp = fingerprint(db, ["identity", "positions"], [__file__])   # doctest: +SKIP
    >>> if not is_current(db, "officials", fp, ["people"]): ...; record(db, "officials", fp)
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from gazetteer import ROOT as GAZETTEER

STATE = "derived_state"


def fingerprint(db, gazetteer_files: list[str], code_files: list[str], fact_tables: tuple[str, ...] = ()) -> str:
    """Digest of the articles (hash, processed_at), the size of the fact tables read, the named
    gazetteer files and the code files."""
    h = hashlib.sha256()
    tables = set(db.table_names())
    if "articles" in tables:
        cols = set(db["articles"].columns_dict)
        when = "processed_at" if "processed_at" in cols else "NULL"
        for digest, processed in db.conn.execute(f"SELECT hash, {when} FROM articles ORDER BY hash"):
            h.update(f"{digest}\t{processed}\n".encode())
    for table in fact_tables:
        if table in tables:
            h.update(repr(db.conn.execute(f"SELECT count(*), max(rowid) FROM [{table}]").fetchone()).encode())
    for name in gazetteer_files:
        path = GAZETTEER / f"{name}.yaml"
        h.update(path.read_bytes() if path.exists() else b"-")
    for path in code_files:
        h.update(Path(path).read_bytes())
    return h.hexdigest()


def is_current(db, name: str, fp: str, tables: list[str]) -> bool:
    """Whether rebuild `name` last ran on exactly this fingerprint and its tables still exist."""
    existing = set(db.table_names())
    if STATE not in existing or not set(tables) <= existing:
        return False
    row = db.conn.execute(f"SELECT fingerprint FROM [{STATE}] WHERE name = ?", (name,)).fetchone()
    return bool(row) and row[0] == fp


def record(db, name: str, fp: str) -> None:
    """Remember that rebuild `name` is up to date with fingerprint `fp`."""
    with db.conn:  # committed at once, whether the connection is in autocommit mode or not
        db.conn.execute(f"CREATE TABLE IF NOT EXISTS [{STATE}] (name TEXT PRIMARY KEY, fingerprint TEXT, built_at TEXT)")
        db.conn.execute(f"INSERT OR REPLACE INTO [{STATE}] (name, fingerprint, built_at) VALUES (?, ?, datetime('now'))",
                        (name, fp))
