"""A second full-text index for queries typed without diacritics: `articles_fts_plain`.

`articles_fts` keeps diacritics (`ma`, `mà`, `má` are different words). `articles_fts_plain` is a
contentless FTS5 index (nothing stored twice, only the index) over the same title and text with
`đ` written `d` and every other mark removed by the tokenizer (`unicode61 remove_diacritics 2`),
so `thu tuong` finds `Thủ tướng` as a phrase. Triggers on `articles` keep it in step with every
insert and delete, whoever writes (pure SQL, no application function needed).
Example: `SELECT rowid FROM articles_fts_plain WHERE articles_fts_plain MATCH '"chi thi 16"'`
"""
from __future__ import annotations

import sqlite_utils

TABLE = "articles_fts_plain"
TOKENIZE = "unicode61 remove_diacritics 2"


def _d(expr: str) -> str:
    """SQL writing `đ`/`Đ` as `d`/`D` (the tokenizer removes the other marks)."""
    return f"replace(replace({expr}, 'đ', 'd'), 'Đ', 'D')"


def fold_query_d(text: str) -> str:
    """A query as the plain index reads it: `đ` as `d` (the tokenizer does the rest).

    Example: `fold_query_d("Nghị định") == "Nghị dịnh"`
    """
    return text.replace("đ", "d").replace("Đ", "D")


def ensure_plain_index(db: sqlite_utils.Database) -> bool:
    """Create the index and its triggers if missing, indexing the stored articles once; True if built now."""
    conn = db.conn
    exists = conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (TABLE,)).fetchone()
    if exists:
        return False
    values = f"{_d('new.title')}, {_d('new.text')}"
    old = f"{_d('old.title')}, {_d('old.text')}"
    statements = [
        f"CREATE VIRTUAL TABLE [{TABLE}] USING fts5(title, text, content='', tokenize='{TOKENIZE}')",
        f"INSERT INTO [{TABLE}] (rowid, title, text) SELECT id, {_d('title')}, {_d('text')} FROM articles",
        f"CREATE TRIGGER [{TABLE}_ai] AFTER INSERT ON articles BEGIN "
        f"INSERT INTO [{TABLE}] (rowid, title, text) VALUES (new.id, {values}); END",
        f"CREATE TRIGGER [{TABLE}_ad] AFTER DELETE ON articles BEGIN "
        f"INSERT INTO [{TABLE}] ([{TABLE}], rowid, title, text) VALUES ('delete', old.id, {old}); END",
        f"CREATE TRIGGER [{TABLE}_au] AFTER UPDATE OF title, text ON articles BEGIN "
        f"INSERT INTO [{TABLE}] ([{TABLE}], rowid, title, text) VALUES ('delete', old.id, {old}); "
        f"INSERT INTO [{TABLE}] (rowid, title, text) VALUES (new.id, {values}); END",
    ]
    conn.execute("BEGIN IMMEDIATE")
    try:
        for sql in statements:
            conn.execute(sql)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return True


def has_plain_index(db: sqlite_utils.Database) -> bool:
    return db.conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (TABLE,)).fetchone() is not None
