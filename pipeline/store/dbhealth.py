"""The database file's health: is it damaged, is the disk full, and one clear line saying so.

`check_integrity` runs `PRAGMA quick_check` (about 0.15 s on the 2,641-article unc database, 46 MB);
`explain` turns a SQLite error into one line that says what happened and what to do.
Example: `explain(sqlite3.OperationalError("database or disk is full"), "x.db")` starts with "disk full"
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

# SQLite primary result codes this module tells apart (https://sqlite.org/rescode.html)
SQLITE_READONLY, SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_NOTADB = 8, 10, 11, 13, 14, 26


class DamagedDatabase(sqlite3.DatabaseError):
    """The database file is damaged (quick_check fails, or SQLite finds a malformed page)."""


def recovery_hint(path: str | Path) -> str:
    """How to get a working database back (one line)."""
    return (f"delete {path} (with its -wal and -shm files) and run again, or salvage what is left with "
            f"`sqlite3 {path} .recover | sqlite3 recovered.db`")


def result_code(err: BaseException) -> int | None:
    """The primary SQLite result code of an error (extended codes folded), or None."""
    code = getattr(err, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def is_damage(err: BaseException) -> bool:
    """Whether a SQLite error says the file itself is damaged (malformed). "File is not a database"
    is not damage: it may be another file given as --db, which must never be called damaged."""
    return isinstance(err, DamagedDatabase) or result_code(err) == SQLITE_CORRUPT or (
        isinstance(err, sqlite3.DatabaseError) and "malformed" in str(err))


def is_disk_full(err: BaseException) -> bool:
    return result_code(err) == SQLITE_FULL or "database or disk is full" in str(err)


def explain(err: BaseException, path: str | Path = "the database") -> str:
    """One clear line for a SQLite error met while reading or writing the database at `path`.

    Example: `explain(sqlite3.OperationalError("database or disk is full"), "x.db")` starts with "disk full"
    """
    if isinstance(err, DamagedDatabase):
        return str(err)
    if is_disk_full(err):
        return (f"disk full while writing {path} ({err}); the articles stored so far are intact: "
                "free some space and run again")
    if is_damage(err):
        return f"{path} is damaged ({err}): {recovery_hint(path)}"
    if result_code(err) == SQLITE_NOTADB:
        return f"{path} is not an SQLite database ({err}): is --db the right file?"
    if result_code(err) == SQLITE_READONLY:
        return f"{path} is read-only ({err})"
    return f"{path}: {err}"


def check_integrity(db, path: str | Path) -> None:
    """`PRAGMA quick_check`; DamagedDatabase (with how to recover) unless it says ok."""
    try:
        rows = [r[0] for r in db.execute("PRAGMA quick_check").fetchall()]
    except sqlite3.DatabaseError as err:
        if not is_damage(err):
            raise
        rows = [str(err)]
    if rows != ["ok"]:
        first = " ".join(str(rows[0]).split())[:200]
        raise DamagedDatabase(f"{path} is damaged (quick_check: {first}): {recovery_hint(path)}")
