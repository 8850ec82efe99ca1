"""Rows out of every query verb in one of four formats: `table` (a terminal), `tsv`, `csv`, `json`.

`--format` defaults to `$VNFACTS_FORMAT`, else `table` on a terminal and `tsv` when stdout is a
pipe or a file, so scripts never see box-drawing. A table never splits a file name, id or URL across lines: those
columns are at least as wide as their longest word. Use `format_option` on a click command and
`emit(rows, columns, fmt)` (or `emit_sections` for several titled tables) in its body.
Example: `emit([{"id": "120-KL/TW", "n": 2}], ["id", "n"], "tsv")` prints `id\\tn` then `120-KL/TW\\t2`
"""
from __future__ import annotations

import csv
import io
import json
import sys
from typing import Callable, Iterable

import click
import regex

FORMATS = ("table", "json", "csv", "tsv")
LIST_COMMA_RE = regex.compile(r",(?=\S)")  # `a.txt,b.txt` wraps between the names, never inside one
UNSPLIT = {"id", "source", "articles", "path", "url", "hash", "review", "first_seen", "last_seen", "published"}


def format_option(command: Callable) -> Callable:
    """The `--format table|json|csv|tsv` option (parameter `fmt`), for any query verb."""
    return click.option("--format", "fmt", type=click.Choice(FORMATS), default=None, envvar="VNFACTS_FORMAT",
                        help="output format (default: $VNFACTS_FORMAT, else table on a terminal, tsv otherwise)")(command)


def resolve_format(fmt: str | None, stream=None) -> str:
    """`fmt`, or `table` when writing to a terminal and `tsv` otherwise."""
    if fmt:
        return fmt
    stream = stream or sys.stdout
    return "table" if getattr(stream, "isatty", lambda: False)() else "tsv"


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value)) if abs(value) < 1e15 else repr(value)
    return str(value)


def _flat(value) -> str:
    """A value on one line (tabs and line breaks as spaces), for tsv."""
    return " ".join(_cell(value).split())


def render(rows: list[dict], columns: list[str] | None = None, fmt: str = "tsv", title: str | None = None,
           width: int | None = None) -> str:
    """The rows as text in `fmt` (`table`, `json`, `csv`, `tsv`); `title` heads a table only."""
    columns = list(columns or (rows[0].keys() if rows else []))
    if fmt == "json":
        return json.dumps([{c: r.get(c) for c in columns} for r in rows], ensure_ascii=False, indent=1) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([_cell(r.get(c)) for c in columns] for r in rows)
        return buf.getvalue()
    if fmt == "tsv":
        lines = ["\t".join(columns)] + ["\t".join(_flat(r.get(c)) for c in columns) for r in rows]
        return "\n".join(lines) + "\n"
    return _table(rows, columns, title, width)


def _table(rows: list[dict], columns: list[str], title: str | None, width: int | None) -> str:
    from rich import box
    from rich.console import Console
    from rich.table import Table

    tty = sys.stdout.isatty()
    shown = [c for c in columns if any(r.get(c) not in (None, "") for r in rows)] or columns
    table = Table(title=title, box=box.ASCII2, show_lines=False)  # the same on a terminal and in a file
    for col in shown:
        longest = max((len(w) for r in rows for w in LIST_COMMA_RE.sub(", ", _cell(r.get(col))).split()), default=0)
        table.add_column(col, overflow="fold", min_width=min(longest, 100) if col in UNSPLIT else None)
    for row in rows:
        table.add_row(*(LIST_COMMA_RE.sub(", ", _cell(row.get(c))) if c in UNSPLIT else _cell(row.get(c))
                        for c in shown))
    console = Console(file=io.StringIO(), width=width or (None if tty else 200), force_terminal=False,
                      color_system=None)
    console.print(table)
    return console.file.getvalue()


def emit(rows: list[dict], columns: list[str] | None = None, fmt: str | None = None, title: str | None = None,
         empty: str | None = None) -> None:
    """Print the rows in `fmt` (see `resolve_format`); `empty` is printed on stderr when there are none
    (a table prints it on stdout), so a script reading stdout sees only a header.

    Example: `emit(rows, ["name", "title"], fmt)` in a click command
    """
    fmt = resolve_format(fmt)
    if not rows and empty:
        click.echo(empty, err=fmt != "table")
        if fmt == "table":
            return
    click.echo(render(rows, columns, fmt, title), nl=False)


def emit_sections(sections: Iterable[tuple[str, list[dict]]], fmt: str | None = None) -> None:
    """Several titled tables: one JSON object keyed by title, or each table under a `# title` line
    (tsv, csv) or its title (table), separated by a blank line."""
    fmt = resolve_format(fmt)
    sections = [(t, rows) for t, rows in sections]
    if fmt == "json":
        click.echo(json.dumps({t: rows for t, rows in sections}, ensure_ascii=False, indent=1))
        return
    parts = []
    for title, rows in sections:
        if fmt == "table":
            if rows:
                parts.append(render(rows, None, fmt, title))
        else:
            parts.append(f"# {title}\n" + render(rows, None, fmt))
    click.echo("\n".join(parts), nl=False)
