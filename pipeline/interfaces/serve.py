"""`vnfacts serve`: the database in Datasette, read-only, with metadata, facets, FTS and canned queries.

The metadata (Vietnamese and English titles and descriptions, facets, canned
queries) is data: `gazetteer/datasette.yaml`. The database is opened read-only
(`mode=ro`): every query reads one consistent WAL snapshot, so a run writing
meanwhile shows up article by article and counts are current, with no restart.
`--immutable` tells SQLite the file never changes (faster counts); it is refused
while a run holds the database's lock. No SQL writes from the web, every request
other than GET/HEAD is refused, only Datasette's built-in plugins are loaded (no
write plugins), SQL functions are bounded (`vnfacts_fold` input, `fts3_tokenizer`
denied) and the server listens on loopback unless told otherwise.
"""
from __future__ import annotations

import copy
import logging
import sqlite3
import sys
from pathlib import Path

import regex
from datasette import hookimpl

from extractors import kinds
from extractors.text.provinces import register_sql_functions
from extractors.text.textnorm import fold
from gazetteer import load_gazetteer
from pipeline.store import storage
from pipeline.interfaces import serve_pages
from pipeline.interfaces.articles import headline
from pipeline.interfaces.queries import plain_match

log = logging.getLogger(__name__)

PARAM_RE = regex.compile(r"(?<![:\w]):(\w+)")  # a canned query's named parameters
PLUGIN_NAME = __name__  # this module, registered as a local Datasette plugin
SETTINGS = {"default_page_size": 50, "sql_time_limit_ms": 3000, "allow_download": False}
MAX_FOLD_CHARS = 1_000_000  # longer than any name or title; an article's text folds in ~0.1 s at this size
DENIED_FUNCTIONS = {"fts3_tokenizer"}


class ServeError(Exception):
    """The database cannot be served as asked (e.g. immutable while a run writes it)."""


def _schema(conn: sqlite3.Connection) -> dict[str, set[str]]:
    """Table name -> column names."""
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")]
    return {t: {r[1] for r in conn.execute(f"PRAGMA table_info([{t}])")} for t in tables}


def sql_fold(value):
    """`vnfacts_fold(x)` in SQL: the comparison key of `extractors.text.textnorm.fold` (case, tone marks, spaces).

    A Python function is not covered by Datasette's time limit, so its input is bounded: longer text is
    an SQL error. Example: `select vnfacts_fold('Bí thư Tỉnh ủy')`
    """
    if isinstance(value, str) and len(value) > MAX_FOLD_CHARS:
        raise ValueError(f"vnfacts_fold: input longer than {MAX_FOLD_CHARS:,} characters")
    return fold(value) if isinstance(value, str) else value


def deny_functions(action: int, arg1, arg2, db_name, source) -> int:
    """SQLite authorizer: refuse the SQL functions in DENIED_FUNCTIONS (`fts3_tokenizer` reads and sets
    tokenizer pointers), allow everything else (Datasette already keeps SQL read-only)."""
    if action == sqlite3.SQLITE_FUNCTION and (arg2 or "").lower() in DENIED_FUNCTIONS:
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


@hookimpl
def prepare_connection(conn):
    """Datasette hook (this module is registered as a plugin): vnfacts' SQL functions on every connection,
    and the authorizer that denies `fts3_tokenizer`."""
    conn.create_function("vnfacts_fold", 1, sql_fold, deterministic=True)
    conn.set_authorizer(deny_functions)
    register_sql_functions(conn)
    conn.create_function("vnfacts_fts_phrase", 1, lambda q: plain_match(q, phrase=True), deterministic=True)
    conn.create_function("vnfacts_fts_terms", 1, lambda q: plain_match(q, phrase=False), deterministic=True)
    conn.create_function("vnfacts_headline", 2, headline, deterministic=True)


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    """Datasette hook: article names as links to their review page, a missing headline as the first sentence."""
    return serve_pages.render_cell(row, value, column, table, database, datasette)


@hookimpl
def register_routes(datasette):
    """Datasette hook: `/-/review/<database>/<source>` (an article with its facts) and `/-/vnfacts.css`."""
    return serve_pages.routes()


@hookimpl
def extra_css_urls(template, database, table, columns, view_name, request, datasette):
    """Datasette hook: table pages put their rows first (column descriptions and facets after them)."""
    return [serve_pages.CSS_URL]


def _prepares(conn: sqlite3.Connection, sql: str) -> bool:
    """True when `sql` compiles against this database (tables and columns exist)."""
    try:
        conn.execute(f"EXPLAIN {sql}", {n: "" for n in PARAM_RE.findall(sql)})
        return True
    except sqlite3.Error as err:
        log.warning("canned query left out: %s", err)
        return False


def build_metadata(db_path: str | Path) -> dict:
    """Datasette metadata for the database at `db_path`, fitted to its actual schema.

    Example: `build_metadata("outputs/facts.db")["databases"]["facts"]["queries"]["officials"]["sql"]`
    """
    spec = copy.deepcopy(load_gazetteer().load("datasette"))
    block = spec.pop("database")
    block["tables"] = {**(block.get("tables") or {}), **kind_tables(spec.pop("fact_columns", {}), block.get("tables") or {})}
    name = Path(db_path).stem
    with storage.open_reader(db_path) as db:
        conn = db.conn
        prepare_connection(conn)
        schema = _schema(conn)
        tables = {}
        for table, meta in block.get("tables", {}).items():
            if table not in schema:
                continue
            cols = schema[table]
            meta = dict(meta)
            meta["columns"] = {c: d for c, d in (meta.get("columns") or {}).items() if c in cols}
            meta["facets"] = [f for f in meta.get("facets", []) if f in cols]
            if meta.get("label_column") not in cols:
                meta.pop("label_column", None)
            if meta.get("sort_desc") not in cols:
                meta.pop("sort_desc", None)
            if meta.get("fts_table") and meta["fts_table"] not in schema:
                meta.pop("fts_table")
                meta.pop("fts_pk", None)
            tables[table] = meta
        queries = {q: meta for q, meta in block.get("queries", {}).items() if _prepares(conn, meta["sql"])}
    spec["databases"] = {name: {"description": block.get("description"), "tables": tables, "queries": queries}}
    return spec


def kind_tables(core_columns: dict, described: dict) -> dict:
    """Metadata of every registered kind's table that `datasette.yaml` does not describe, from its
    registration (title, description, facets, columns) and the columns every fact table has.

    Example: `kind_tables({"start": "start offset"}, {})["toys"]["columns"]["start"] == "start offset"`
    """
    out = {}
    for kind in kinds():
        if kind.table in described:
            continue
        out[kind.table] = {"title": kind.title or kind.name, "description": kind.description or "",
                           "facets": list(kind.facets), "columns": {**core_columns, **kind.columns}}
    return out


def checkpoint(db_path: str | Path) -> None:
    """Fold the WAL into the main file: an immutable open does not read `-wal`."""
    conn = sqlite3.connect(str(db_path))
    try:
        busy, _, _ = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    finally:
        conn.close()
    if busy:
        raise ServeError(f"cannot fold {db_path}-wal into the database (in use); serve it without --immutable")


def run_in_progress(db_path: str | Path) -> bool:
    """Whether a vnfacts run holds the lock of this database now (asked without taking it).

    Example: `run_in_progress("outputs/facts.db") is False` when no run is going
    """
    import fcntl

    from pipeline.engines.runner import DbLock

    lock = DbLock(Path(db_path)).path
    try:
        fh = open(lock, "rb")
    except OSError:
        return False
    with fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(fh, fcntl.LOCK_UN)
        return False


def serve_mode(db_path: str | Path, immutable: bool = False) -> str:
    """"ro" (live WAL snapshots) or "immutable"; ServeError for immutable while a run writes.

    A database SQLite cannot open read-only (read-only folder without a -wal file: nothing writes it)
    is served immutable. Example: `serve_mode("outputs/facts.db") == "ro"`
    """
    mode = "immutable" if immutable else storage.reader_mode(db_path)
    if mode == "immutable" and run_in_progress(db_path):
        raise ServeError(f"a vnfacts run is writing to {db_path}: serve it without --immutable "
                         "(live reads see each article as it is stored)")
    if immutable:
        try:
            checkpoint(db_path)
        except sqlite3.OperationalError as err:  # read-only: fine if the WAL holds nothing
            wal = Path(f"{db_path}-wal")
            if wal.exists() and wal.stat().st_size > 0:
                raise ServeError(f"cannot fold {wal} into {db_path} ({err}); serve it without --immutable") from None
    return mode


def only_builtin_plugins() -> list[str]:
    """Unregister every installed third-party Datasette plugin (write plugins included); returns their names."""
    from datasette.plugins import DEFAULT_PLUGINS, pm

    dropped = []
    for name, plugin in list(pm.list_name_plugin()):
        if name not in DEFAULT_PLUGINS and name != PLUGIN_NAME:
            pm.unregister(plugin)
            dropped.append(name)
    if dropped:
        log.warning("Datasette plugins not loaded (vnfacts serves read-only): %s", ", ".join(dropped))
    return dropped


def read_only(app):
    """ASGI wrapper answering 405 to every request that is not GET, HEAD or OPTIONS (no writes from the web);
    a `_search` is read the way the unaccented index is written (`đ` as `d`, see `serve_pages.fold_search`)."""
    async def guarded(scope, receive, send):
        if scope["type"] == "http" and scope.get("query_string"):
            scope = dict(scope, query_string=serve_pages.fold_search(scope["query_string"]))
        if scope["type"] == "http" and scope["method"] not in ("GET", "HEAD", "OPTIONS"):
            await send({"type": "http.response.start", "status": 405,
                        "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"allow", b"GET, HEAD")]})
            await send({"type": "http.response.body", "body": b"vnfacts serve is read-only\n"})
            return
        await app(scope, receive, send)
    return guarded


def make_datasette(db_path: str | Path, immutable: bool = False):
    """A Datasette instance over `db_path` with vnfacts' metadata: read-only (`mode=ro`), or immutable.

    Example: `ds = make_datasette("outputs/facts.db")`
    """
    from datasette.app import Datasette

    from datasette.plugins import pm

    only_builtin_plugins()
    if pm.get_plugin(PLUGIN_NAME) is None:
        pm.register(sys.modules[__name__], name=PLUGIN_NAME)
    files = [str(db_path)]
    return Datasette([] if immutable else files, immutables=files if immutable else [],
                     metadata=build_metadata(db_path), settings=SETTINGS)


def serve(db_path: str | Path, host: str = "127.0.0.1", port: int = 8001, immutable: bool = False) -> None:
    """Serve the database at http://host:port/ until interrupted (checked by quick_check first, in
    `build_metadata`).

    Example: `serve("outputs/facts.db", port=8001)`, then open http://127.0.0.1:8001/facts/positions
    """
    import asyncio

    import uvicorn

    mode = serve_mode(db_path, immutable)
    ds = make_datasette(db_path, immutable=mode == "immutable")
    asyncio.run(ds.invoke_startup())
    if host not in ("127.0.0.1", "localhost", "::1"):
        log.warning("serving on %s: reachable from other machines", host)
    uvicorn.run(read_only(ds.app()), host=host, port=port, log_level="info", access_log=False, lifespan="on", workers=1)
