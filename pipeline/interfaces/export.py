"""Exports for dashboards and the scorer: JSONL (FACTS.md, one article per line) and CSV/Parquet per table.

Every column has one type, the one SQLite declares (`INTEGER` -> int64, `REAL` -> float64, text);
a column whose stored values do not fit its declared type (reals in an `INTEGER` column written by an
older version) is widened to the narrowest type holding them all, so no value is cut. Every file is
written under a temporary name and renamed when complete: a failure leaves no half-written export.
Filters select articles (`published` between two days, naming a province); every exported table is
cut to those articles (`failures`, which belong to no article, is left out with filters).
"""
from __future__ import annotations

import contextlib
import csv
import itertools
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import IO, Iterator

import sqlite_utils

from extractors import kinds
from extractors.text.provinces import province_forms
from pipeline.interfaces.articles import headline

ARTICLE_FIELDS = ["source", "title", "published", "author", "url"]
WIDEN = ["integer", "real", "text"]  # each type holds the ones before it


def _fts_phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def article_filter(db: sqlite_utils.Database | None = None, date_from: str | None = None,
                   date_to: str | None = None, province: str | None = None) -> tuple[str, list]:
    """SQL WHERE clause and params over `articles a` for the export filters: ISO days (already
    checked, see `filters.parse_date`) and a canonical province key (`filters.require_province`),
    matched as a whole phrase in the title or text (`Huế` never matches `Thuế`).

    Example: `article_filter(db, date_from="2021-04-30", province="Lai Châu")`
    """
    where, params = ["1=1"], []
    if date_from:
        where.append("a.published >= ?")
        params.append(date_from)
    if date_to:
        where.append("a.published <= ?")
        params.append(date_to)
    if province:
        forms = sorted(set(province_forms(province)) | {province})
        where.append("a.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)")
        params.append(" OR ".join(_fts_phrase(f) for f in forms))
    return " AND ".join(where), params


def iter_articles(db: sqlite_utils.Database, **filters) -> Iterator[dict]:
    """Each stored article in the FACTS.md JSONL shape (plus `id`, `path`, `author_title`, `headline`)."""
    where, params = article_filter(db, **filters)
    rows = db.execute(f"SELECT a.id, a.source, a.path, a.title, a.published, a.published_time, a.author, "
                      f"a.author_title, a.url, a.text FROM articles a WHERE {where} ORDER BY a.source, a.id", params)
    registered, tables = kinds(), set(db.table_names())
    rejected = "rejected_facts" in tables  # facts an archivist rejected (`vnfacts correct`)
    for row in rows.fetchall():
        art_id, source, path, title, published, ptime, author, author_title, url, text = row
        out = {"source": source, "title": title, "published": published, "author": author, "url": url,
               "author_title": author_title, "path": path, "headline": headline(title, text)}
        for kind in registered:
            items = [json.loads(d) for (d,) in db.execute(
                f"SELECT data FROM [{kind.table}] WHERE article_id = ? ORDER BY start, rowid", (art_id,))] \
                if kind.table in tables else []
            out[kind.name] = kind.export(items) if kind.export else items
        if rejected:
            found = db.execute("SELECT r.tbl, r.text, r.start, r.correction_id FROM rejected_facts r "
                               "JOIN articles a ON a.hash = r.hash WHERE a.id = ? ORDER BY r.start", (art_id,))
            names = {k.table: k.name for k in registered}
            out["rejected"] = [{"kind": names.get(t, t), "text": x, "start": st, "correction": c}
                               for t, x, st, c in found.fetchall()]
            if not out["rejected"]:
                del out["rejected"]
        yield out


@contextlib.contextmanager
def atomic_file(path: Path, mode: str = "w", **kwargs) -> Iterator:
    """Open a temporary file beside `path`, renamed to `path` only when the block ends without error.

    Example: `with atomic_file(Path("x.csv"), newline="") as fh: fh.write("a,b\\n")`
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, mode, **kwargs) as fh:
            yield fh
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_jsonl(db: sqlite_utils.Database, out: IO[str], **filters) -> int:
    n = 0
    for article in iter_articles(db, **filters):
        out.write(json.dumps(article, ensure_ascii=False) + "\n")
        n += 1
    return n


def export_tables(db: sqlite_utils.Database, filtered: bool = False) -> list[str]:
    """The tables worth exporting as files, in a stable order (without `failures` when filtered)."""
    wanted = ["articles", "sentences"] + [k.table for k in kinds()] + ["people", "positions", "documents"]
    if not filtered:
        wanted.append("failures")
    wanted += ["corrections", "rejected_facts"]  # the archivist's corrections (vnfacts correct)
    existing = set(db.table_names())
    return [t for t in wanted if t in existing]


def _declared(sql_type: str) -> str:
    """SQLite's affinity rules, reduced to integer / real / text."""
    t = (sql_type or "").upper()
    if "INT" in t:
        return "integer"
    if any(k in t for k in ("REAL", "FLOA", "DOUB")):
        return "real"
    return "text"


def column_types(db: sqlite_utils.Database, table: str, cols: list[str]) -> dict[str, str]:
    """Per column, `integer`, `real` or `text`: the declared type, widened when stored values need it.

    Example: `column_types(db, "indicators", ["value"]) == {"value": "real"}`
    """
    declared = {c.name: _declared(c.type) for c in db[table].columns}
    stored_cols = [c for c in cols if c in declared]
    stored = db.execute("SELECT " + ", ".join(f"group_concat(DISTINCT typeof([{c}]))" for c in stored_cols)
                        + f" FROM [{table}]").fetchone()
    out = {c: "text" for c in cols}  # computed columns (`headline`) are text
    for col, kinds in zip(stored_cols, stored):
        rank = WIDEN.index(declared.get(col, "text"))
        for kind in (kinds or "").split(","):
            if kind in ("real", "text", "blob"):
                rank = max(rank, WIDEN.index("text" if kind == "blob" else kind))
        out[col] = WIDEN[rank]
    return out


def _cast(value, kind: str):
    if value is None:
        return None
    if kind == "integer":
        return int(value)
    if kind == "real":
        return float(value)
    return value if isinstance(value, str) else str(value)


def _table_rows(db: sqlite_utils.Database, table: str, filters: dict) -> tuple[list[str], Iterator[tuple]]:
    """Column names and rows of one table, cut to the filtered articles; `articles` gains `headline`
    (the title, else the first sentence)."""
    where, params = article_filter(db, **filters)
    cols = [c for c in db[table].columns_dict if not (table != "articles" and c in ("data", "machine"))]
    select = ", ".join(f"t.[{c}]" for c in cols)
    chosen = f"(SELECT a.id FROM articles a WHERE {where})"
    conditions = {
        "articles": f"t.id IN {chosen}",
        "positions": f"t.id IN (SELECT position_id FROM position_articles WHERE article_id IN {chosen})",
        "people": f"t.name_fold IN (SELECT name_key FROM person_mentions WHERE article_id IN {chosen})",
        "documents": f"t.id IN (SELECT id FROM citations WHERE article_id IN {chosen})",
    }
    if table in conditions:
        cond = conditions[table]
    elif "article_id" in db[table].columns_dict:
        cond = f"t.article_id IN {chosen}"
    else:
        cond, params = "1=1", []
    if not any(filters.values()):
        cond, params = "1=1", []
    order = "t.rowid" if table not in ("people", "positions", "documents") else "1"
    rows = db.execute(f"SELECT {select} FROM [{table}] t WHERE {cond} ORDER BY {order}", params)
    if table != "articles":
        return cols, iter(rows)
    title, text = cols.index("title"), cols.index("text")
    return cols + ["headline"], (row + (headline(row[title], row[text]),) for row in rows)


@contextlib.contextmanager
def _staged(folder: Path) -> Iterator[Path]:
    """A temporary folder inside `folder` whose files are moved into `folder` when the block succeeds."""
    folder.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=".export-", dir=folder))
    try:
        yield stage
        for path in sorted(stage.iterdir()):
            os.replace(path, folder / path.name)
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def write_csv(db: sqlite_utils.Database, folder: Path, **filters) -> list[Path]:
    """One CSV file per table in `folder`; numbers written as their column's type (`6218.0` in a REAL column)."""
    written = []
    with _staged(Path(folder)) as stage:
        for table in export_tables(db, filtered=any(filters.values())):
            cols, rows = _table_rows(db, table, filters)
            types = column_types(db, table, cols)
            kinds = [types[c] for c in cols]
            with (stage / f"{table}.csv").open("w", encoding="utf-8", newline="") as fh:
                writer = csv.writer(fh)
                writer.writerow(cols)
                writer.writerows([_cast(v, k) for v, k in zip(row, kinds)] for row in rows)
            written.append(Path(folder) / f"{table}.csv")
    return written


def arrow_schema(db: sqlite_utils.Database, table: str, cols: list[str]):
    """The pyarrow schema of one exported table (int64 / float64 / string per column)."""
    import pyarrow as pa

    to_arrow = {"integer": pa.int64(), "real": pa.float64(), "text": pa.string()}
    types = column_types(db, table, cols)
    return pa.schema([(c, to_arrow[types[c]]) for c in cols])


def write_parquet(db: sqlite_utils.Database, folder: Path, batch_rows: int = 20_000, **filters) -> list[Path]:
    """One Parquet file per table in `folder` (pyarrow), written in batches of rows."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    written = []
    with _staged(Path(folder)) as stage:
        for table in export_tables(db, filtered=any(filters.values())):
            cols, rows = _table_rows(db, table, filters)
            schema = arrow_schema(db, table, cols)
            kinds = {"int64": "integer", "double": "real"}
            casts = [kinds.get(str(f.type), "text") for f in schema]
            with pq.ParquetWriter(stage / f"{table}.parquet", schema) as writer:
                while batch := list(itertools.islice(rows, batch_rows)):
                    columns = list(zip(*batch))
                    arrays = [pa.array([_cast(v, k) for v in values], type=f.type)
                              for values, k, f in zip(columns, casts, schema)]
                    writer.write_table(pa.Table.from_arrays(arrays, schema=schema))
            written.append(Path(folder) / f"{table}.parquet")
    return written
