"""SQLite storage: the only writer. One transaction per article.

Tables: `articles` (keyed by the SHA-256 of the file's bytes), `sentences`,
one table per fact kind (`person_mentions`, `citations`, `dates`,
`indicators`; each row has article id, sentence id, offsets and the fact's
JSON in `data`), `failures`, `runs`, and the cross-article tables rebuilt
after each run (`people`, `positions`, `documents`). WAL mode, foreign keys
with cascading deletes, FTS5 over article text.
"""
from __future__ import annotations

import contextlib
import importlib
import json
import logging
import os
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

import sqlite_utils

from extractors import kinds
from pipeline.core.ingest import display_path
from pipeline.core.orchestration import ArticleFacts
from pipeline.store.dbhealth import (SQLITE_CANTOPEN, SQLITE_IOERR, SQLITE_READONLY, DamagedDatabase, check_integrity,  # noqa: F401
                                     explain, is_damage, is_disk_full, recovery_hint, result_code)
from pipeline.store.search_index import ensure_plain_index

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
FACT_CORE = {"article_id": int, "sentence_id": int, "sentence": int, "start": int, "end": int, "data": str}
RESERVED = {"rowid", "article_id", "sentence_id", "sentence", "data"}


def open_db(path: str | Path, create: bool = True, check: bool = True) -> sqlite_utils.Database:
    """The database at `path` for writing, created with its schema if missing (WAL, foreign keys on).

    Only a run opens the database this way; readers use `open_reader`. An existing file is checked
    first (`PRAGMA quick_check`, `check`): a damaged one raises DamagedDatabase, never a half-run.
    Example: `db = open_db("outputs/facts.db"); db["articles"].count`
    """
    path = Path(path)
    if create:
        path.parent.mkdir(parents=True, exist_ok=True)
    existed = path.is_file() and path.stat().st_size > 0
    conn = sqlite3.connect(str(path), timeout=60, isolation_level=None, check_same_thread=False)
    db = sqlite_utils.Database(conn)
    try:
        db.execute("PRAGMA busy_timeout = 60000")
        if existed and check:
            check_integrity(db, path)
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("PRAGMA foreign_keys = ON")
        if create:
            ensure_schema(db)
    except sqlite3.DatabaseError as err:
        conn.close()
        if is_damage(err) and not isinstance(err, DamagedDatabase):
            raise DamagedDatabase(f"{path} is damaged ({err}): {recovery_hint(path)}") from err
        raise
    return db


def _connect_reader(path: Path, immutable: bool) -> sqlite3.Connection:
    query = "?immutable=1" if immutable else "?mode=ro"
    conn = sqlite3.connect(path.resolve().as_uri() + query, uri=True, timeout=60, isolation_level=None,
                           check_same_thread=False)
    conn.execute("PRAGMA busy_timeout = 60000")
    return conn


def reader_mode(path: str | Path) -> str:
    """How a reader opens `path`: "ro" (live WAL snapshots), or "immutable" when SQLite cannot open it
    read-only (a WAL database without -wal and -shm files, in a folder this user cannot write or on
    a full disk: SQLite cannot create the shared-memory file; with no -wal file, all committed data
    is in the main file).

    Example: `reader_mode("outputs/facts.db") == "ro"`
    """
    path = Path(path)
    conn = _connect_reader(path, immutable=False)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return "ro"
    except sqlite3.DatabaseError as err:
        wal = Path(f"{path}-wal")
        if result_code(err) in (SQLITE_CANTOPEN, SQLITE_READONLY, SQLITE_IOERR) \
                and not (wal.exists() and wal.stat().st_size > 0) \
                and path.is_file():
            return "immutable"
        raise
    finally:
        conn.close()


@contextlib.contextmanager
def open_reader(path: str | Path, check: bool = True) -> Iterator[sqlite_utils.Database]:
    """The database at `path`, read-only (`mode=ro`: nothing is ever written), inside one read
    transaction held until the block ends, so every query sees the same snapshot: a run writing
    meanwhile is invisible, and an article is seen whole with all its facts, or not at all.
    The snapshot is checked first (`check`: quick_check, about 0.15 s for 2,641 articles):
    DamagedDatabase rather than answers from a damaged file.

    Example: `with open_reader("outputs/facts.db") as db: db["articles"].count`
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(2, "no database file", str(path))
    conn = _connect_reader(path, immutable=reader_mode(path) == "immutable")
    try:
        conn.execute("BEGIN")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # the snapshot starts at the first read
        db = sqlite_utils.Database(conn)
        if check:
            check_integrity(db, path)
        yield db
    finally:
        _rollback(conn)
        conn.close()


def _rollback(conn: sqlite3.Connection) -> None:
    """End the open transaction, if SQLite has not ended it already (it does on a full disk), keeping
    the error that got us here rather than `cannot rollback - no transaction is active`."""
    if conn.in_transaction:
        try:
            conn.execute("ROLLBACK")
        except sqlite3.Error as err:
            log.warning("rollback failed: %s", err)


def ensure_schema(db: sqlite_utils.Database) -> None:
    """Create the tables, indexes and trigger that are missing; writes nothing when all are there."""
    if "articles" not in db.table_names():
        db["articles"].create({
            "id": int, "source": str, "path": str, "hash": str, "title": str, "published": str,
            "published_time": str, "author": str, "author_title": str, "url": str, "encoding": str,
            "repaired": str, "n_chars": int, "n_sentences": int, "text": str, "processed_at": str,
        }, pk="id", not_null={"source", "path", "hash"})
        db["articles"].create_index(["hash"], unique=True)
        db["articles"].create_index(["path"])
        db["articles"].create_index(["source"])
        db["articles"].create_index(["published"])
        db["articles"].enable_fts(["title", "text"], create_triggers=True, tokenize="unicode61 remove_diacritics 0")
    if "sentences" not in db.table_names():
        db["sentences"].create({"id": int, "article_id": int, "idx": int, "start": int, "end": int, "text": str},
                               pk="id", foreign_keys=[("article_id", "articles", "id")])
        db["sentences"].create_index(["article_id", "idx"], unique=True)
    for kind in kinds():
        if kind.table not in db.table_names():
            db[kind.table].create(dict(FACT_CORE), foreign_keys=[("article_id", "articles", "id"),
                                                                 ("sentence_id", "sentences", "id")])
            db[kind.table].create_index(["article_id"])
            db[kind.table].create_index(["sentence_id"])
    if "failures" not in db.table_names():
        db["failures"].create({"id": int, "path": str, "source": str, "hash": str, "stage": str, "error": str,
                               "run_id": int, "at": str}, pk="id")
        db["failures"].create_index(["path"])
    if "runs" not in db.table_names():
        db["runs"].create({"id": int, "started": str, "finished": str, "paths": str, "workers": int,
                           "engine": str, "summary": str}, pk="id")
    for table in ("articles", "failures"):
        if "path_bytes" not in db[table].columns_dict:
            db[table].add_column("path_bytes", bytes)
    _cascade(db)
    ensure_plain_index(db)


def _cascade(db: sqlite_utils.Database) -> None:
    """Deleting an article deletes its facts, then its sentences (one trigger, in that order)."""
    existing = set(db.table_names())
    tables = [k.table for k in kinds() if k.table in existing] + ["sentences"]
    body = " ".join(f"DELETE FROM [{t}] WHERE article_id = OLD.id;" for t in tables)
    sql = f"CREATE TRIGGER articles_cascade BEFORE DELETE ON articles BEGIN {body} END"
    row = db.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'articles_cascade'").fetchone()
    if row and row[0] == sql:
        return  # up to date: opening the database writes nothing
    db.execute("DROP TRIGGER IF EXISTS articles_cascade")
    db.execute(sql)


def now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S")


def path_key(path: str | os.PathLike) -> tuple[str, bytes | None]:
    """How a file's path is stored: (`path`, `path_bytes`).

    `path` is text: the path itself, or, for a name that is not UTF-8 (any bytes are allowed on
    Linux), the path with those bytes written `\\xff`; `path_bytes` then holds the exact bytes
    (else NULL), so the pair is lossless and unique. Example: `path_key("a/b\\udcff.txt")` ==
    `("a/b\\\\xff.txt", b"a/b\\xff.txt")`
    """
    text = display_path(path)
    return text, (os.fsencode(path) if text != os.fspath(path) else None)


def fs_path(path: str, path_bytes: bytes | None) -> str:
    """The file system path of a stored (`path`, `path_bytes`) pair (`path_key` reversed)."""
    return os.fsdecode(path_bytes) if path_bytes is not None else path


class Stored:
    """What the database already holds, asked of its indexes one file at a time (no index in memory)."""

    def __init__(self, db: sqlite_utils.Database):
        self.conn = db.conn

    def path_of(self, digest: str) -> str | None:
        """File system path of the stored article with these bytes, or None."""
        row = self.conn.execute("SELECT path, path_bytes FROM articles WHERE hash = ?", (digest,)).fetchone()
        return fs_path(*row) if row else None

    def has_path(self, path: str) -> bool:
        return self.conn.execute("SELECT 1 FROM articles WHERE path = ? AND path_bytes IS ? LIMIT 1",
                                 path_key(path)).fetchone() is not None

    def unchanged(self, digest: str, path: str) -> bool:
        """Whether these bytes are stored under this path, or under another path that still exists (a copy).

        A copy's own path holds no article of its own (see `forget_path`).
        """
        stored = self.path_of(digest)
        return stored is not None and (stored == path or os.path.lexists(stored))


def _flatten(record: dict) -> dict:
    out = {}
    for key, value in record.items():
        if key in RESERVED:
            key = f"fact_{key}"
        if isinstance(value, (list, tuple, dict)):
            value = json.dumps(value, ensure_ascii=False)
        elif isinstance(value, bool):
            value = int(value)
        out[key] = value
    return out


def add_column(db: sqlite_utils.Database, table: str, name: str, col_type) -> None:
    """Add a column, keeping the per-connection column cache of `_ensure_table_columns` true."""
    db[table].add_column(name, col_type)
    known = db.__dict__.setdefault("_vnfacts_columns", {})
    if table in known:
        known[table].add(name)


def fact_rows(result: ArticleFacts) -> dict[str, list[dict]]:
    """Per table, the rows of one article's facts (without ids)."""
    doc = result.doc
    tables: dict[str, list[dict]] = {}
    for kind in kinds():
        rows = []
        for fact in result.facts.get(kind.name, []):
            data = kind.to_json(fact)
            row = _flatten(data)
            row.update(start=fact.start, end=fact.end, sentence=doc.sentence_index(fact.start) if doc else None,
                       data=json.dumps(data, ensure_ascii=False))
            rows.append(row)
        tables[kind.table] = rows
    return tables


ARTICLE_COLUMNS = ("source", "path", "path_bytes", "hash", "title", "published", "published_time", "author",
                   "author_title", "url", "encoding", "repaired", "n_chars", "n_sentences", "text", "processed_at")
INSERT_ARTICLE = (f"INSERT INTO articles ({', '.join(ARTICLE_COLUMNS)}) "
                  f"VALUES ({', '.join('?' for _ in ARTICLE_COLUMNS)})")


@dataclass(slots=True)
class Prepared:
    """One processed article as the rows `store_article` writes, made without the database, so that a
    worker makes them and the run (the single writer) only executes them. `error` set: nothing to store.

    `tables`: per fact table, groups of rows with the same columns, `(columns, rows)`, each row
    without its article and sentence ids (the writer appends them). Example:
    `prepare(process_article(raw, "a.txt")).counts["documents"]`
    """
    source: str
    path: str
    hash: str
    error: tuple[str, str] | None = None
    article: tuple = ()              # the `articles` row: ARTICLE_COLUMNS but `processed_at`
    sentences: list[tuple] = field(default_factory=list)  # (idx, start, end, text)
    tables: dict[str, list[tuple[tuple[str, ...], list[tuple]]]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)  # facts per kind, every kind
    chars: int = 0
    timings: dict[str, float] = field(default_factory=dict)


def prepare(result: ArticleFacts) -> Prepared:
    """The rows of one processed article (`Prepared`); a failed article gives a Prepared with its error.

    A fact that cannot be made a row (a bug elsewhere: not JSON serialisable) fails the article at
    stage `store`, as a row the database refuses does.
    """
    try:
        return _prepared(result)
    except (TypeError, ValueError) as err:
        log.exception("storing %s failed", display_path(result.path))
        return Prepared(display_path(result.source), result.path, result.hash, ("store", f"{type(err).__name__}: {err}"),
                        timings=result.timings)


def _prepared(result: ArticleFacts) -> Prepared:
    """`prepare`, raising what a fact that cannot be made a row raises."""
    out = Prepared(display_path(result.source), result.path, result.hash, result.error, timings=result.timings)
    if result.error:
        return out
    art, doc = result.article, result.doc
    tables = fact_rows(result)
    path, path_bytes = path_key(result.path)
    out.article = (out.source, path, path_bytes, result.hash, art.title, art.published, art.published_time,
                   art.author, art.author_title, art.url, result.encoding, result.repaired, len(art.text),
                   len(doc.sentences), art.text)
    out.sentences = [(s.index, s.start, s.end, art.text[s.start:s.end]) for s in doc.sentences]
    for table, rows in tables.items():
        groups: dict[tuple, list] = {}
        for row in rows:
            groups.setdefault(tuple(row), []).append(tuple(row.values()))
        out.tables[table] = list(groups.items())
    out.counts = {kind.name: len(result.facts.get(kind.name, [])) for kind in kinds()}
    out.chars = len(art.text)
    return out


def _ensure_table_columns(db: sqlite_utils.Database, table: str, groups: list[tuple[tuple[str, ...], list]]) -> None:
    """Add the columns a fact's JSON brings that the table lacks (read once per connection and table);
    a new column's type is the declared one, else the type of its first value (text for None)."""
    known = db.__dict__.setdefault("_vnfacts_columns", {})
    if table not in known:
        known[table] = set(db[table].columns_dict)
    columns = known[table]
    declared = next((k.column_types for k in kinds() if k.table == table), {})
    for cols, rows in groups:
        for i, key in enumerate(cols):
            if key not in columns:
                value = rows[0][i]
                guessed = type(value) if value is not None and not isinstance(value, bool) else str
                add_column(db, table, key, declared.get(key, guessed))


def store_article(db: sqlite_utils.Database, result: ArticleFacts | Prepared, replace_path: bool = True) -> int:
    """Write one processed article and its facts in one transaction; returns the article id.

    `result` as `process_article` gives it, or its rows made already (`prepare`, in a worker).
    An article already stored under the same path (changed file) or the same hash
    (`--force`) is replaced, with all its facts.
    """
    prepared = result if isinstance(result, Prepared) else _prepared(result)
    if prepared.error:
        raise ValueError(f"{display_path(prepared.path)} failed at {prepared.error[0]}: {prepared.error[1]}")
    for table, groups in prepared.tables.items():
        _ensure_table_columns(db, table, groups)
    conn = db.conn
    path, path_bytes = path_key(prepared.path)
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute("DELETE FROM articles WHERE hash = ? OR (? AND path = ? AND path_bytes IS ?)",
                     (prepared.hash, replace_path, path, path_bytes))
        article_id = conn.execute(INSERT_ARTICLE, (*prepared.article, now())).lastrowid
        conn.executemany("INSERT INTO sentences (article_id, idx, start, end, text) VALUES (?,?,?,?,?)",
                         [(article_id, *s) for s in prepared.sentences])
        sent_ids = dict(conn.execute("SELECT idx, id FROM sentences WHERE article_id = ?", (article_id,)).fetchall())
        for table, groups in prepared.tables.items():
            for cols, rows in groups:
                at = cols.index("sentence")
                names = ", ".join(f"[{c}]" for c in (*cols, "article_id", "sentence_id"))
                conn.executemany(f"INSERT INTO [{table}] ({names}) VALUES ({', '.join('?' for _ in range(len(cols) + 2))})",
                                 [(*row, article_id, sent_ids.get(row[at])) for row in rows])
        conn.execute("DELETE FROM failures WHERE path = ? AND path_bytes IS ?", (path, path_bytes))
        conn.execute("COMMIT")
    except BaseException:
        _rollback(conn)
        raise
    return article_id


def store_failure(db: sqlite_utils.Database, path: str, stage: str, error: str, run_id: int | None = None,
                  content_hash: str | None = None) -> None:
    """Record one file that could not become an article (one row per path, the latest reason)."""
    conn = db.conn
    key = path_key(path)
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute("DELETE FROM failures WHERE path = ? AND path_bytes IS ?", key)
        conn.execute("INSERT INTO failures (path, path_bytes, source, hash, stage, error, run_id, at) "
                     "VALUES (?,?,?,?,?,?,?,?)",
                     (*key, display_path(os.path.basename(path)), content_hash, stage, error, run_id, now()))
        conn.execute("COMMIT")
    except BaseException:
        _rollback(conn)
        raise


def forget_path(db: sqlite_utils.Database, path: str, digest: str) -> bool:
    """Delete the article stored under `path` unless it has these bytes; True when one was deleted.

    For a file that now holds the same bytes as an article stored under another path: its own old
    facts go, the one article with these bytes stands for both (articles are unique by hash).
    """
    conn, key = db.conn, (*path_key(path), digest)
    if conn.execute("SELECT 1 FROM articles WHERE path = ? AND path_bytes IS ? AND hash != ? LIMIT 1",
                    key).fetchone() is None:
        return False  # (the usual case: asked of the index, no transaction)
    conn.execute("BEGIN IMMEDIATE")
    try:
        n = conn.execute("DELETE FROM articles WHERE path = ? AND path_bytes IS ? AND hash != ?", key).rowcount
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return n > 0


def clear_failures(db: sqlite_utils.Database, roots: list[str | os.PathLike], run_id: int) -> int:
    """Delete the failure rows, from runs before `run_id`, of files under `roots` that no longer exist.

    Returns how many. Example: `clear_failures(db, ["corpus"], run_id)` at the end of a run over `corpus/`
    """
    prefixes = [os.path.abspath(r) for r in roots]
    stale = []
    for path, path_bytes in db.execute("SELECT path, path_bytes FROM failures WHERE run_id IS NOT ?",
                                       [run_id]).fetchall():
        where = os.path.abspath(fs_path(path, path_bytes))
        if any(_under(where, p) for p in prefixes) and not os.path.lexists(where):
            stale.append((path, path_bytes))
    conn = db.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        for key in stale:
            conn.execute("DELETE FROM failures WHERE path = ? AND path_bytes IS ?", key)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return len(stale)


def _under(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


@dataclass
class DerivedTable:
    """A cross-article table rebuilt from the fact tables: schema, rows (an iterable) and indexes."""
    name: str
    columns: dict
    rows: Iterable[dict] = ()
    pk: str | tuple = "id"
    foreign_keys: list = field(default_factory=list)
    indexes: list[list[str]] = field(default_factory=list)


@contextlib.contextmanager
def rebuilding(db: sqlite_utils.Database, tables: list[DerivedTable]) -> Iterator[Callable[[str, Iterable[dict]], None]]:
    """Replace derived tables in one transaction, so readers and a kill never see them half-built.

    Yields `insert(table_name, rows)`, so rows can be streamed in as they are computed (memory stays
    flat however many articles there are). Raw SQL inside BEGIN IMMEDIATE ... COMMIT, because
    sqlite-utils' own writes commit as they go. Tables are dropped children-first (reverse order),
    created parents-first (given order), and indexed at the end.
    """
    conn = db.conn
    by_name = {t.name: t for t in tables}

    def insert(name: str, rows: Iterable[dict]) -> None:
        cols = list(by_name[name].columns)
        conn.executemany(f"INSERT OR IGNORE INTO [{name}] ({', '.join(f'[{c}]' for c in cols)}) "
                         f"VALUES ({', '.join('?' for _ in cols)})", ([row.get(c) for c in cols] for row in rows))

    conn.execute("BEGIN IMMEDIATE")
    try:
        for table in reversed(tables):
            conn.execute(f"DROP TABLE IF EXISTS [{table.name}]")
        for table in tables:
            conn.execute(db.create_table_sql(table.name, table.columns, pk=table.pk,
                                             foreign_keys=table.foreign_keys))
        yield insert
        for table in tables:
            for index in table.indexes:
                conn.execute(f"CREATE INDEX [idx_{table.name}_{'_'.join(index)}] ON [{table.name}] "
                             f"({', '.join(f'[{c}]' for c in index)})")
        conn.execute("COMMIT")
    except BaseException:
        _rollback(conn)
        raise


# Run after the kinds' rebuilds, on every run and engine: re-apply the archivist's corrections.
AFTER_REBUILD = ["pipeline.store.corrections_apply:apply"]


def rebuild_derived(db: sqlite_utils.Database) -> None:
    """Recompute the cross-article tables, each kind's `rebuild` hook in turn (documents, people, ...),
    then the `AFTER_REBUILD` steps (the archivist's corrections)."""
    for kind in kinds():
        hook = kind.rebuild_hook()
        if hook is None:
            continue
        try:
            hook(db)
        except Exception:
            log.exception("rebuilding the derived tables of %s failed", kind.name)
            raise
    for step in AFTER_REBUILD:  # imported when called, like the kinds' hooks (they live above this module)
        module, _, function = step.partition(":")
        getattr(importlib.import_module(module), function)(db, fresh=True)


def counts(db: sqlite_utils.Database) -> dict[str, int]:
    """Row counts of the article and fact tables."""
    names = ["articles", "sentences"] + [k.table for k in kinds()] + ["failures"]
    existing = set(db.table_names())
    return {n: db[n].count for n in names if n in existing}
