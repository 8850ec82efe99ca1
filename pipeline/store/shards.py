"""Merge per-partition SQLite shards into the target database.

A shard is a vnfacts database written by one partition of a distributed run
(`pipeline.engines.dask_engine`). Merging re-numbers article and sentence ids past the
target's largest ids (so ids stay unique), keeps every fact linked to its
article and sentence, and replaces target articles with the same hash or the
same path, as `storage.store_article` does for one article.
"""
from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import sqlite_utils

from extractors import kinds

log = logging.getLogger(__name__)

ARTICLE_COLUMNS = ["source", "path", "path_bytes", "hash", "title", "published", "published_time", "author", "author_title",
                   "url", "encoding", "repaired", "n_chars", "n_sentences", "text", "processed_at"]
SQL_TYPES = {"INTEGER": int, "REAL": float, "FLOAT": float, "TEXT": str, "BLOB": bytes}


def _columns(db: sqlite_utils.Database, schema: str, table: str) -> dict[str, str]:
    """Column name -> declared type of `schema.table`."""
    return {row[1]: (row[2] or "TEXT").upper() for row in db.execute(f"PRAGMA [{schema}].table_info([{table}])")}


def _max_id(db: sqlite_utils.Database, table: str) -> int:
    return db.execute(f"SELECT coalesce(max(id), 0) FROM main.[{table}]").fetchone()[0]


def merge_shard(db: sqlite_utils.Database, shard_path: str | Path, skip_same: bool = True) -> int:
    """Copy every article of the shard (with sentences and facts) into `db`; returns articles merged.

    With `skip_same`, an article whose hash and path the target already has is
    left as it is; any other article with a stored hash or path replaces it.
    Example: `merge_shard(open_db("outputs/facts.db"), "shards/part-00003.db")`
    """
    conn = db.conn
    conn.execute("ATTACH DATABASE ? AS shard", (str(shard_path),))
    try:
        shard_tables = {r[0] for r in conn.execute("SELECT name FROM shard.sqlite_master WHERE type = 'table'")}
        if "articles" not in shard_tables:
            return 0
        for kind in kinds():  # columns added by to_json keys seen only in this shard
            if kind.table in shard_tables:
                have = _columns(db, "main", kind.table)
                for name, typ in _columns(db, "shard", kind.table).items():
                    if name not in have:
                        db[kind.table].add_column(name, SQL_TYPES.get(typ, str))
        conn.execute("BEGIN IMMEDIATE")
        try:
            n = _copy(db, shard_tables, skip_same)
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:  # SQLite has already rolled back on a full disk
                conn.execute("ROLLBACK")
            raise
    finally:
        conn.execute("DETACH DATABASE shard")
    return n


def _copy(db: sqlite_utils.Database, shard_tables: set[str], skip_same: bool) -> int:
    """The body of `merge_shard`, inside its transaction."""
    conn = db.conn
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS merge_skip (id INTEGER PRIMARY KEY)")
    conn.execute("DELETE FROM temp.merge_skip")
    if skip_same:
        conn.execute("INSERT INTO temp.merge_skip SELECT s.id FROM shard.articles s "
                     "JOIN main.articles m ON m.hash = s.hash AND m.path = s.path AND m.path_bytes IS s.path_bytes")
    keep = "FROM shard.articles WHERE id NOT IN (SELECT id FROM temp.merge_skip)"
    # the cascade trigger removes the replaced articles' sentences and facts
    same_path = "(path, ifnull(path_bytes, x'')) IN (SELECT path, ifnull(path_bytes, x'') {keep})"
    conn.execute(f"DELETE FROM main.articles WHERE hash IN (SELECT hash {keep}) OR " + same_path.format(keep=keep))
    a_off, s_off = _max_id(db, "articles"), _max_id(db, "sentences")
    cols = ", ".join(f"[{c}]" for c in ARTICLE_COLUMNS)
    n = conn.execute(f"INSERT INTO main.articles (id, {cols}) SELECT id + ?, {cols} {keep} ORDER BY id",
                     (a_off,)).rowcount
    conn.execute("INSERT INTO main.sentences (id, article_id, idx, start, [end], text) "
                 "SELECT id + ?, article_id + ?, idx, start, [end], text FROM shard.sentences "
                 "WHERE article_id NOT IN (SELECT id FROM temp.merge_skip) ORDER BY id", (s_off, a_off))
    for kind in kinds():
        if kind.table not in shard_tables:
            continue
        names = [c for c in _columns(db, "shard", kind.table) if c not in ("article_id", "sentence_id")]
        cols = ", ".join(f"[{c}]" for c in names)
        conn.execute(f"INSERT INTO main.[{kind.table}] (article_id, sentence_id, {cols}) "
                     f"SELECT article_id + ?, sentence_id + ?, {cols} FROM shard.[{kind.table}] "
                     "WHERE article_id NOT IN (SELECT id FROM temp.merge_skip) ORDER BY rowid", (a_off, s_off))
    conn.execute("DELETE FROM main.failures WHERE " + same_path.format(keep=keep))
    return n


def shard_ok(path: str | Path) -> bool:
    """True when the shard file exists and opens as SQLite with an `articles` table."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'articles'").fetchone() is not None
        finally:
            conn.close()
    except sqlite3.Error:
        return False
