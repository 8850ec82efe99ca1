"""Exports for dashboards and the scorer: JSONL (FACTS.md, one article per line) and CSV/Parquet per table."""
from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import IO, Iterator

import sqlite_utils

from extractors import kinds

ARTICLE_FIELDS = ["source", "title", "published", "author", "url"]


def article_filter(date_from: str | None = None, date_to: str | None = None,
                   province: str | None = None) -> tuple[str, list]:
    """SQL WHERE clause and params over `articles a` for the export filters."""
    where, params = ["1=1"], []
    if date_from:
        where.append("a.published >= ?")
        params.append(date_from)
    if date_to:
        where.append("a.published <= ?")
        params.append(date_to)
    if province:
        where.append("(a.title LIKE ? OR a.text LIKE ?)")
        params += [f"%{province}%", f"%{province}%"]
    return " AND ".join(where), params


def iter_articles(db: sqlite_utils.Database, **filters) -> Iterator[dict]:
    """Each stored article in the FACTS.md JSONL shape (plus `id`, `path`, `author_title`)."""
    where, params = article_filter(**filters)
    rows = db.execute(f"SELECT a.id, a.source, a.path, a.title, a.published, a.published_time, a.author, "
                      f"a.author_title, a.url FROM articles a WHERE {where} ORDER BY a.source, a.id", params)
    registered, tables = kinds(), set(db.table_names())
    for row in rows.fetchall():
        art_id, source, path, title, published, ptime, author, author_title, url = row
        out = {"source": source, "title": title, "published": published, "author": author, "url": url,
               "author_title": author_title, "path": path}
        for kind in registered:
            items = [json.loads(d) for (d,) in db.execute(
                f"SELECT data FROM [{kind.table}] WHERE article_id = ? ORDER BY start, rowid", (art_id,))] \
                if kind.table in tables else []
            out[kind.name] = kind.export(items) if kind.export else items
        yield out


def write_jsonl(db: sqlite_utils.Database, out: IO[str], **filters) -> int:
    n = 0
    for article in iter_articles(db, **filters):
        out.write(json.dumps(article, ensure_ascii=False) + "\n")
        n += 1
    return n


def export_tables(db: sqlite_utils.Database) -> list[str]:
    """The tables worth exporting as files, in a stable order."""
    wanted = ["articles", "sentences"] + [k.table for k in kinds()] + ["people", "positions", "documents", "failures"]
    existing = set(db.table_names())
    return [t for t in wanted if t in existing]


def _table_rows(db: sqlite_utils.Database, table: str, filters: dict) -> tuple[list[str], Iterator[tuple]]:
    where, params = article_filter(**filters)
    cols = [c for c in db[table].columns_dict if not (table != "articles" and c == "data")]
    select = ", ".join(f"t.[{c}]" for c in cols)
    if table == "articles":
        sql = f"SELECT {select} FROM articles t JOIN articles a ON a.id = t.id WHERE {where}"
    elif "article_id" in db[table].columns_dict:
        sql = f"SELECT {select} FROM [{table}] t JOIN articles a ON a.id = t.article_id WHERE {where}"
    else:
        sql, params = f"SELECT {select} FROM [{table}] t", []
    return cols, db.execute(sql, params)


def write_csv(db: sqlite_utils.Database, folder: Path, **filters) -> list[Path]:
    """One CSV file per table in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for table in export_tables(db):
        cols, rows = _table_rows(db, table, filters)
        path = folder / f"{table}.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(cols)
            writer.writerows(rows)
        written.append(path)
    return written


def write_parquet(db: sqlite_utils.Database, folder: Path, **filters) -> list[Path]:
    """One Parquet file per table in `folder` (pyarrow)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for table in export_tables(db):
        cols, rows = _table_rows(db, table, filters)
        data = list(zip(*rows.fetchall())) or [[] for _ in cols]
        arrays = {c: pa.array(list(v)) for c, v in zip(cols, data)}
        path = folder / f"{table}.parquet"
        pq.write_table(pa.table(arrays), path)
        written.append(path)
    return written
