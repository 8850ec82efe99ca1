"""The `vnfacts` command line: argument handling only; the work is in the pipeline modules."""
from __future__ import annotations

import errno
import logging
import sqlite3
import sys
from pathlib import Path

import click

DEFAULT_DB = "outputs/facts.db"
db_option = click.option("--db", "db_path", default=DEFAULT_DB, show_default=True,
                         type=click.Path(dir_okay=False), help="SQLite database")


def _existing_db(db_path: str):
    """The database, read-only, in one read transaction (one snapshot) until the command ends."""
    from pipeline.store.storage import open_reader

    if not Path(db_path).exists():
        raise click.ClickException(f"no database at {db_path}: run `vnfacts run PATH --db {db_path}` first")
    ctx = click.get_current_context()
    ctx.meta["vnfacts.db"] = db_path
    return ctx.with_resource(open_reader(db_path))


class Commands(click.Group):
    """The command group: a database or file error in any command is one clear line and exit 1."""

    def invoke(self, ctx):
        from pipeline.store.storage import explain

        try:
            return super().invoke(ctx)
        except (sqlite3.Error, OSError) as err:
            logging.getLogger(__name__).debug("%s", err, exc_info=True)  # the traceback, with -v
            if isinstance(err, OSError):
                raise self._file_error(err) from None
            raise click.ClickException(explain(err, ctx.meta.get("vnfacts.db", "the database"))) from None

    @staticmethod
    def _file_error(err: OSError) -> BaseException:
        if err.errno == errno.EPIPE:  # `vnfacts export | head`: click ends quietly
            return err
        where = f"{err.filename}: " if err.filename else ""
        return click.ClickException(f"{where}{err.strerror or err}")


@click.group(cls=Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="log debug messages")
def main(verbose: bool) -> None:
    """vnfacts: facts from Vietnamese party and government news into SQLite."""
    logging.basicConfig(level=logging.DEBUG if verbose else logging.ERROR,
                        format="%(levelname)s %(name)s: %(message)s")


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@db_option
@click.option("--workers", "-j", type=int, default=None, help="worker processes (default: all cores)")
@click.option("--force", is_flag=True, help="re-process articles already in the database")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="local process pool, or Dask (LocalCluster or --scheduler)")
@click.option("--scheduler", default=None, help="Dask scheduler address (with --engine dask)")
@click.option("--max-mb", type=float, default=20, show_default=True, help="files larger than this are reported, not read")
@click.option("--quiet", "-q", is_flag=True, help="no progress bar")
def run(paths, db_path, workers, force, engine, scheduler, max_mb, quiet):
    """Extract facts from every article under PATHS into the database.

    Example: vnfacts run corpus/ --db outputs/facts.db
    """
    from pipeline.engines.runner import RunError, run as run_local

    def report(path, stage, reason):
        click.echo(f"FAILED {path} [{stage}] {reason}", err=True)

    try:
        if engine == "dask":
            from pipeline.engines.dask_engine import run as run_dask

            summary = run_dask(list(paths), db_path, workers=workers, force=force, scheduler=scheduler,
                               max_bytes=int(max_mb * 1e6))
        else:
            summary = run_local(list(paths), db_path, workers=workers, force=force, progress=not quiet,
                                max_bytes=int(max_mb * 1e6), on_failure=None)
    except RunError as err:
        raise click.ClickException(str(err))
    for path, stage, reason in summary.failures:
        report(path, stage, reason)
    facts = ", ".join(f"{k} {v}" for k, v in summary.facts.items())
    click.echo(f"read {summary.read}, new {summary.new}, changed {summary.changed}, unchanged {summary.unchanged}, "
               f"failed {summary.failed}")
    click.echo(f"facts: {facts or 'none'}")
    click.echo(f"elapsed {summary.elapsed:.1f}s, {summary.rate:.1f} articles/s -> {db_path}")


@main.command()
@db_option
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "parquet"]), default="jsonl", show_default=True)
@click.option("--out", default="-", help="file for jsonl ('-' = stdout); folder for csv/parquet")
@click.option("--from", "date_from", default=None, help="published on or after (YYYY-MM-DD)")
@click.option("--to", "date_to", default=None, help="published on or before (YYYY-MM-DD)")
@click.option("--province", default=None, help="articles that name this province")
def export(db_path, fmt, out, date_from, date_to, province):
    """Write the facts as JSONL (one article per line, FACTS.md), or CSV/Parquet (one file per table).

    Example: vnfacts export --format jsonl --out export.jsonl
    """
    from pipeline.interfaces import export as ex

    db = _existing_db(db_path)
    filters = {"date_from": date_from, "date_to": date_to, "province": province}
    if fmt == "jsonl":
        if out == "-":
            n = ex.write_jsonl(db, sys.stdout, **filters)
        else:
            Path(out).parent.mkdir(parents=True, exist_ok=True)
            with open(out, "w", encoding="utf-8") as fh:
                n = ex.write_jsonl(db, fh, **filters)
            click.echo(f"{n} articles -> {out}", err=True)
        return
    folder = Path("outputs/export" if out == "-" else out)
    if folder.exists() and not folder.is_dir():
        raise click.BadParameter(f"{folder} is not a folder ({fmt} writes one file per table into a folder)",
                                 param_hint="--out")
    files = (ex.write_csv if fmt == "csv" else ex.write_parquet)(db, folder, **filters)
    click.echo(f"{len(files)} tables -> {folder}/", err=True)


def print_table(rows: list[dict], columns: list[str], title: str | None = None) -> None:
    """Rows as a terminal table (rich)."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, show_lines=False)
    for col in columns:
        table.add_column(col, overflow="fold")
    for row in rows:
        table.add_row(*("" if row.get(c) is None else str(row.get(c)) for c in columns))
    Console(width=None if sys.stdout.isatty() else 200).print(table)


@main.command()
@db_option
@click.option("--name", default=None, help="person's name (accents and case ignored)")
@click.option("--role", default=None, help="role or title, e.g. 'Bí thư Tỉnh ủy'")
@click.option("--province", default=None, help="province, e.g. 'Lai Châu'")
@click.option("--year", type=int, default=None, help="reported in this year")
@click.option("--merged", is_flag=True, help="with --province: include the provinces merged into it in 2025")
def officials(db_path, name, role, province, year, merged):
    """Who held which office, with the articles that say so.

    Example: vnfacts officials --role "Bí thư Tỉnh ủy" --province "Lai Châu" --year 2024
    """
    from pipeline.store.officials import query_officials

    from pipeline.store.provinces import province as find_province

    if province and find_province(province) is None:
        raise click.UsageError(f"no province is called {province!r} (e.g. --province \"Lai Châu\")")
    rows = query_officials(_existing_db(db_path), name=name, role=role, province=province, year=year, merged=merged)
    if not rows:
        click.echo("no officials match")
        return
    cols = [c for c in ("person", "name", "title", "role", "organisation", "province", "first_seen", "last_seen", "articles")
            if c in rows[0]]
    print_table(rows, cols)


@main.command()
@click.argument("name")
@db_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def person(name, db_path, fmt):
    """One person's offices in date order: first and last date seen, articles, a citing sentence each.

    Example: vnfacts person "Nguyễn Xuân Phúc" --format json
    """
    import json

    from pipeline.store.timeline import person_timeline

    people = person_timeline(_existing_db(db_path), name)
    if fmt == "json":
        click.echo(json.dumps(people, ensure_ascii=False, indent=1))
        return
    if not people:
        click.echo("no person matches")
        return
    for p in people:
        click.echo(f"{p['name']} [{p['key']}]: {p['n_articles']} articles, {p['first_seen'] or '?'} .. "
                   f"{p['last_seen'] or '?'}" + (f"; ranks: {', '.join(p['ranks'])}" if p["ranks"] else ""))
        if p["offices"]:
            print_table(p["offices"], ["first_seen", "last_seen", "role", "organisation", "province", "n_articles",
                                       "sentence"])


@main.command()
@db_option
@click.option("--id", "doc_id", default=None, help="document id, e.g. 120-KL/TW")
@click.option("--type", "doc_type", default=None, help="document type, e.g. 'Kết luận'")
def documents(db_path, doc_id, doc_type):
    """Cited party and state documents, with how many articles cite them and where.

    Example: vnfacts documents --id 120-KL/TW
    """
    from pipeline.store.catalog import query_documents

    rows = query_documents(_existing_db(db_path), id=doc_id, type=doc_type)
    if not rows:
        click.echo("no documents match")
        return
    cols = [c for c in ("id", "type", "issuer", "term", "date", "n_articles", "articles") if c in rows[0]]
    print_table(rows, cols)


@main.command()
@click.argument("path", type=click.Path(exists=True))
@click.option("--workers", "-j", type=int, default=None, help="worker processes for the parallel figure (default: all cores)")
@click.option("--limit", type=int, default=None, help="use at most this many articles")
@click.option("--scale", type=int, default=None, help="also measure peak memory over this many generated articles")
def bench(path, workers, limit, scale):
    """Measure throughput against underthesea's tokenizer on the same articles.

    Example: vnfacts bench ../shared/corpus/unc --limit 500
    """
    from pipeline.interfaces.bench import run_bench

    run_bench(path, workers=workers, limit=limit, scale=scale, echo=click.echo)


@main.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="interface to listen on (loopback by default)")
@click.option("--port", type=int, default=8001, show_default=True)
@click.option("--immutable", is_flag=True,
              help="open the file immutable (faster counts); only for a database no run writes while served")
def serve(db_path, host, port, immutable):
    """Browse the database in Datasette (read-only), with facets, full-text search and canned queries.

    Reads live: a run writing meanwhile shows up article by article, never half-written.
    Example: vnfacts serve --db outputs/facts.db --port 8001
    """
    from pipeline.interfaces.serve import ServeError, serve as start

    if not Path(db_path).exists():
        raise click.ClickException(f"no database at {db_path}: run `vnfacts run PATH --db {db_path}` first")
    click.get_current_context().meta["vnfacts.db"] = db_path
    try:
        start(db_path, host=host, port=port, immutable=immutable)
    except ServeError as err:
        raise click.ClickException(str(err)) from None


@main.command()
@click.argument("source")
@db_option
@click.option("--out", default=None, help="HTML file to write (default: outputs/review/<source>.html)")
def review(source, db_path, out):
    """Render one stored article with every extracted fact highlighted, to check by eye.

    Example: vnfacts review 000_635af670fab18767.txt --out page.html
    """
    from pipeline.interfaces.review import write_review

    if out and Path(out).is_dir():
        raise click.BadParameter(f"{out} is a folder; give the HTML file to write", param_hint="--out")
    path = write_review(_existing_db(db_path), source, out)
    click.echo(f"-> {path}")


@main.command()
@click.argument("query")
@db_option
@click.option("--limit", type=int, default=20, show_default=True)
def search(query, db_path, limit):
    """Full-text search over the articles (SQLite FTS5), with a snippet per hit.

    Example: vnfacts search "Trương Thị Mai"
    """
    from pipeline.interfaces.queries import search_articles

    rows = search_articles(_existing_db(db_path), query, limit=limit)
    if not rows:
        click.echo("no articles match")
        return
    print_table(rows, list(rows[0].keys()))


@main.command()
@db_option
def stats(db_path):
    """Counts per fact kind, per province and per year.

    Example: vnfacts stats --db outputs/facts.db
    """
    from pipeline.interfaces.queries import stats as collect

    for title, rows in collect(_existing_db(db_path)):
        if rows:
            print_table(rows, list(rows[0].keys()), title=title)


if __name__ == "__main__":
    main()
