"""The `vnfacts` command line: argument handling only; the work is in the pipeline modules."""
from __future__ import annotations

import errno
import json
import logging
import math
import sqlite3
import sys
from pathlib import Path

import click

from pipeline.interfaces.filters import FilterError
from pipeline.interfaces.output import emit, emit_sections, format_option, resolve_format

DEFAULT_DB = "outputs/facts.db"
DEFAULT_ARTICLE_SECONDS = 300.0  # pipeline.core.budget.DEFAULT_SECONDS (not imported: keeps `--help` fast)
db_option = click.option("--db", "db_path", default=DEFAULT_DB, show_default=True,
                         type=click.Path(dir_okay=False), help="SQLite database")
workers_option = click.option("--workers", "-j", type=click.IntRange(min=1), default=None,
                              help="worker processes (default: all cores)")


class BadValue(click.ClickException):
    """A value the user typed that cannot be applied (exit 2, like other usage errors)."""
    exit_code = 2


def _existing_db(db_path: str):
    """The database, read-only, in one read transaction (one snapshot) until the command ends."""
    from pipeline.store.storage import open_reader

    if not Path(db_path).exists():
        raise click.ClickException(f"no database at {db_path}: run `vnfacts run PATH --db {db_path}` first")
    ctx = click.get_current_context()
    ctx.meta["vnfacts.db"] = db_path
    return ctx.with_resource(open_reader(db_path))


def os_message(err: OSError) -> str:
    """One line for a file-system error: what went wrong, and where."""
    if isinstance(err, NotADirectoryError):
        return f"cannot write {err.filename}: a part of this path is a file, not a folder"
    if isinstance(err, FileExistsError):
        return f"cannot make the folder {err.filename}: it is a file, not a folder"
    where = f"{err.filename}: " if err.filename else ""
    return f"{where}{err.strerror or err}"


class Commands(click.Group):
    """The command group: every error ends as one line on stderr (never a traceback; `-v` logs it),
    exit 2 for usage errors, 1 for failures (a database or file error, a bug)."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.UsageError as err:  # one line, not click's usage block
            where = f" (see `{err.ctx.command_path} --help`)" if err.ctx else ""
            click.echo(f"Error: {err.format_message()}{where}", err=True)
            sys.exit(err.exit_code)
        except click.ClickException as err:
            click.echo(f"Error: {err.format_message()}", err=True)
            sys.exit(err.exit_code)
        except click.Abort:
            click.echo("Aborted!", err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)

    def invoke(self, ctx):
        from pipeline.store.storage import explain

        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except FilterError as err:
            raise BadValue(str(err)) from None
        except (sqlite3.Error, OSError) as err:
            logging.getLogger(__name__).debug("%s", err, exc_info=True)  # the traceback, with -v
            if isinstance(err, OSError):
                raise self._file_error(err) from None
            raise click.ClickException(explain(err, ctx.meta.get("vnfacts.db", "the database"))) from None
        except Exception as err:
            if ctx.params.get("verbose"):
                raise
            raise click.ClickException(f"internal error, {type(err).__name__}: {err} (run `vnfacts -v ...` "
                                       f"for the traceback)") from None

    @staticmethod
    def _file_error(err: OSError) -> BaseException:
        if err.errno == errno.EPIPE:  # `vnfacts export | head`: click ends quietly
            return err
        return click.ClickException(os_message(err))


@click.group(cls=Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="log debug messages (and show tracebacks)")
def main(verbose: bool) -> None:
    """vnfacts: facts from Vietnamese party and government news into SQLite."""
    logging.basicConfig(level=logging.DEBUG if verbose else logging.ERROR,
                        format="%(levelname)s %(name)s: %(message)s")


def _positive_number(ctx, param, value):
    """A finite number > 0 (`nan`, `inf`, `-1` are usage errors); None passes."""
    if value is not None and not (math.isfinite(value) and value > 0):
        raise click.BadParameter(f"{value} is not a positive number")
    return value


def _budget(ctx, param, value):
    """Seconds >= 0, finite (0: no limit)."""
    if not math.isfinite(value):
        raise click.BadParameter(f"{value} is not a number of seconds")
    return value or None


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@db_option
@workers_option
@click.option("--force", is_flag=True, help="re-process articles already in the database")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="local process pool, or Dask (LocalCluster or --scheduler)")
@click.option("--scheduler", default=None, help="Dask scheduler address (with --engine dask)")
@click.option("--max-mb", type=float, default=20, show_default=True, callback=_positive_number,
              help="files larger than this are reported, not read")
@click.option("--article-timeout", type=click.FloatRange(min=0), default=DEFAULT_ARTICLE_SECONDS, show_default=True,
              callback=_budget, help="seconds one article may take; past it, it is recorded as failed (0: no limit)")
@click.option("--follow-symlinks", is_flag=True,
              help="read symbolic links that lead outside PATHS (never /proc, /sys or /dev)")
@click.option("--quiet", "-q", is_flag=True, help="no progress bar")
def run(paths, db_path, workers, force, engine, scheduler, max_mb, article_timeout, follow_symlinks, quiet):
    """Extract facts from every article under PATHS into the database.

    Example: vnfacts run corpus/ --db outputs/facts.db
    """
    from pipeline.core.ingest import printable
    from pipeline.engines.runner import RunError, run as run_local

    options = dict(workers=workers, force=force, max_bytes=int(max_mb * 1e6), article_timeout=article_timeout,
                   follow_symlinks=follow_symlinks)
    try:
        if engine == "dask":
            from pipeline.engines.dask_engine import run as run_dask

            summary = run_dask(list(paths), db_path, scheduler=scheduler, **options)
        else:
            summary = run_local(list(paths), db_path, progress=not quiet, on_failure=None, **options)
    except RunError as err:
        raise click.ClickException(str(err))
    except KeyboardInterrupt:
        click.echo(f"interrupted: articles stored so far are kept in {printable(db_path)}; "
                   "run again to do the rest", err=True)
        sys.exit(130)
    for path, stage, reason in summary.failures:
        click.echo(f"FAILED {printable(path)} [{stage}] {printable(reason)}", err=True)
    facts = ", ".join(f"{k} {v}" for k, v in summary.facts.items())
    skipped = f", skipped {summary.skipped} written by vnfacts" if summary.skipped else ""
    click.echo(f"read {summary.read}, new {summary.new}, changed {summary.changed}, unchanged {summary.unchanged}, "
               f"failed {summary.failed}{skipped}")
    click.echo(f"facts: {facts or 'none'}")
    click.echo(f"elapsed {summary.elapsed:.1f}s, {summary.rate:.1f} articles/s -> {printable(db_path)}")


def _date(end: bool):
    def parse(ctx, param, value):
        from pipeline.interfaces.filters import parse_date

        try:
            return parse_date(value, end=end) if value else None
        except FilterError as err:
            raise click.BadParameter(str(err)) from None
    return parse


def _province(ctx, param, value):
    from pipeline.interfaces.filters import require_province

    try:
        return require_province(value) if value else None
    except FilterError as err:
        raise click.BadParameter(str(err)) from None


@main.command()
@db_option
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "parquet", "ftm"]), default="jsonl",
              show_default=True)
@click.option("--out", default="-", help="file for jsonl/ftm ('-' = stdout); folder for csv/parquet")
@click.option("--from", "date_from", default=None, callback=_date(False),
              help="published on or after: 2021-04-30 or 30/04/2021 (a month or year: from its start)")
@click.option("--to", "date_to", default=None, callback=_date(True),
              help="published on or before: 2021-04-30 or 30/04/2021 (a month or year: to its end)")
@click.option("--province", default=None, callback=_province,
              help="articles that name this province (any spelling: 'Hà Nam', 'ha nam', 'TT-Huế')")
def export(db_path, fmt, out, date_from, date_to, province):
    """Write the facts as JSONL (one article per line, FACTS.md), CSV/Parquet (one file per table),
    or FollowTheMoney entities (`ftm`: one JSON entity per line).

    Filters keep the articles they select and, in CSV/Parquet, every row of every table that comes
    from those articles (failures, which have no article, are left out).
    Example: vnfacts export --format ftm --out officials.ftm.json
    """
    from pipeline.interfaces import export as ex

    db = _existing_db(db_path)
    filters = {"date_from": date_from, "date_to": date_to, "province": province}
    if fmt == "ftm":
        from pipeline.interfaces import ftm

        try:
            if out == "-":
                n = ftm.write_ftm(db, sys.stdout, **filters)
            else:
                Path(out).parent.mkdir(parents=True, exist_ok=True)
                with open(out, "w", encoding="utf-8") as fh:
                    n = ftm.write_ftm(db, fh, **filters)
        except ftm.FtmError as err:
            raise click.ClickException(f"FtM export failed: {err}") from None
        click.echo(f"{n} entities -> {out}", err=True)
        return
    if fmt == "jsonl":
        if out == "-":
            n = ex.write_jsonl(db, sys.stdout, **filters)
        else:
            with ex.atomic_file(Path(out), encoding="utf-8") as fh:
                n = ex.write_jsonl(db, fh, **filters)
            click.echo(f"{n} articles -> {out}", err=True)
        if n == 0:
            click.echo("no articles match the filters", err=True)
        return
    folder = Path("outputs/export" if out == "-" else out)
    if folder.exists() and not folder.is_dir():
        raise click.BadParameter(f"{folder} is not a folder ({fmt} writes one file per table into a folder)",
                                 param_hint="--out")
    files = (ex.write_csv if fmt == "csv" else ex.write_parquet)(db, folder, **filters)
    note = " (failures left out: filters select articles)" if any(filters.values()) else ""
    click.echo(f"{len(files)} tables -> {folder}/{note}", err=True)


@main.command()
@db_option
@click.option("--name", default=None, help="person's name (accents and case ignored)")
@click.option("--role", default=None, help="role or title, e.g. 'Bí thư Tỉnh ủy'")
@click.option("--province", default=None, callback=_province,
              help="province, any spelling: 'Lai Châu', 'lai chau', 'Huế' (never a substring: not 'Cục Thuế')")
@click.option("--year", type=int, default=None, help="reported in this year")
@click.option("--merged", is_flag=True, help="with --province: include the provinces merged into it in 2025")
@format_option
def officials(db_path, name, role, province, year, merged, fmt):
    """Who held which office, with the articles that say so.

    Example: vnfacts officials --role "Bí thư Tỉnh ủy" --province "Lai Châu" --year 2024
    """
    from pipeline.store.officials import query_officials

    rows = query_officials(_existing_db(db_path), name=name, role=role, province=province, year=year, merged=merged)
    cols = ["person", "name", "title", "role", "organisation", "province", "first_seen", "last_seen", "articles"]
    cols += ["corrections"] if any(r.get("corrections") for r in rows) else []  # the archivist's (vnfacts correct)
    emit(rows, [c for c in cols if not rows or c in rows[0]], fmt, empty="no officials match")


@main.command()
@click.argument("name")
@db_option
@format_option
def person(name, db_path, fmt):
    """One person's offices in date order: first and last date seen, articles, a citing sentence each; then
    the appointments between them (date, event, office left, office taken).

    Example: vnfacts person "Nguyễn Xuân Phúc" --format json
    """
    import json

    from pipeline.store.timeline import person_timeline

    people = person_timeline(_existing_db(db_path), name)
    fmt = resolve_format(fmt)
    if fmt == "json":
        click.echo(json.dumps(people, ensure_ascii=False, indent=1))
        return
    cols = ["first_seen", "last_seen", "role", "organisation", "province", "n_articles", "sentence"]
    if fmt in ("csv", "tsv"):  # one row per office, the person's name and key on each
        rows = [{"name": p["name"], "key": p["key"], **o} for p in people for o in p["offices"]]
        emit(rows, ["name", "key"] + cols, fmt, empty="no person matches")
        return
    if not people:
        click.echo("no person matches")
        return
    for p in people:
        click.echo(f"{p['name']} [{p['key']}]: {p['n_articles']} articles, {p['first_seen'] or '?'} .. "
                   f"{p['last_seen'] or '?'}" + (f"; ranks: {', '.join(p['ranks'])}" if p["ranks"] else ""))
        if p["offices"]:
            emit(p["offices"], cols, fmt)
        if p.get("appointments"):
            from pipeline.store.appointments import EDGE_COLUMNS

            emit(p["appointments"], EDGE_COLUMNS, fmt, title="appointments")


@main.command()
@db_option
@click.option("--id", "doc_id", default=None, help="document id, e.g. 120-KL/TW")
@click.option("--type", "doc_type", default=None, help="document type, e.g. 'Kết luận' or 'ket luan'")
@format_option
def documents(db_path, doc_id, doc_type, fmt):
    """Cited party and state documents, with how many articles cite them and where.

    Example: vnfacts documents --id 120-KL/TW
    """
    from pipeline.store.catalog import query_documents

    rows = query_documents(_existing_db(db_path), id=doc_id, type=doc_type)
    cols = ["id", "type", "issuer", "term", "date", "n_articles", "articles"]
    cols += ["corrections"] if any(r.get("corrections") for r in rows) else []  # the archivist's (vnfacts correct)
    emit(rows, [c for c in cols if not rows or c in rows[0]], fmt, empty="no documents match")


@main.command()
@db_option
@click.option("--role", default=None, help="office taken or left, e.g. 'Tổng Giám đốc' (start of the title)")
@click.option("--province", default=None, callback=_province, help="province of the office, e.g. 'Lai Châu'")
@click.option("--year", type=int, default=None, help="effective in this year (else reported in it)")
@click.option("--person", default=None, help="person's name (accents and case ignored)")
@format_option
def appointments(db_path, role, province, year, person, fmt):
    """Who was elected, appointed, moved or retired, from which office to which, when.

    Example: vnfacts appointments --role "Tổng Giám đốc" --year 2021 --format json
    """
    from pipeline.store.appointments import COLUMNS, flat_rows, query_appointments

    items = query_appointments(_existing_db(db_path), role=role, province=province, year=year, person=person)
    fmt = resolve_format(fmt)
    if fmt == "json":  # the offices as objects (role, organisation, province), as in the JSONL export
        emit(items, list(items[0]) if items else COLUMNS, fmt, empty="no appointments match")
    else:
        emit(flat_rows(items), COLUMNS, fmt, empty="no appointments match")


@main.command()
@click.argument("path", type=click.Path(exists=True))
@click.option("--workers", "-j", type=click.IntRange(min=1), default=None,
              help="worker processes for the parallel figure (default: all cores)")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="use at most this many articles")
@click.option("--scale", type=click.IntRange(min=1), default=None, help="also measure peak memory over this many generated articles")
@click.option("--dense-mb", type=float, multiple=True, callback=lambda c, p, v: [_positive_number(c, p, x) for x in v],
              help="only time fact-dense text of this many MB (repeat: --dense-mb 0.5 --dense-mb 10)")
@click.option("--inprocess-only", is_flag=True,
              help="only (a) the tokenizer alone and (b) the pipeline in this process, with its stages")
def bench(path, workers, limit, scale, dense_mb, inprocess_only):
    """Measure throughput against underthesea's tokenizer on the same articles.

    Example: vnfacts bench ../shared/corpus/unc --limit 500
    """
    if dense_mb:
        from pipeline.interfaces.bench_dense import run_dense

        run_dense(list(dense_mb), echo=click.echo)
        return
    from pipeline.interfaces.bench import run_bench

    run_bench(path, workers=workers, limit=limit, scale=scale, echo=click.echo, inprocess_only=inprocess_only)


@main.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="interface to listen on (loopback by default)")
@click.option("--port", type=click.IntRange(1, 65535), default=8001, show_default=True)
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
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
@format_option
def search(query, db_path, limit, fmt):
    """Full-text search over the articles (SQLite FTS5), with a snippet per hit.

    Example: vnfacts search "Trương Thị Mai"
    """
    from pipeline.interfaces.queries import search_articles

    rows = search_articles(_existing_db(db_path), query, limit=limit)
    emit(rows, ["source", "published", "title", "url", "snippet"], fmt, empty="no articles match")


@main.command()
@db_option
@format_option
def stats(db_path, fmt):
    """Counts per fact kind, per province and per year.

    Example: vnfacts stats --db outputs/facts.db
    """
    from pipeline.interfaces.queries import stats as collect

    emit_sections(collect(_existing_db(db_path)), fmt)


from pipeline.interfaces.correct_cli import correct  # noqa: E402  (the `correct` verbs, in their own module)

main.add_command(correct)

if __name__ == "__main__":
    main()
