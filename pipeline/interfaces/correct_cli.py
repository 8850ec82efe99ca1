"""`vnfacts correct`: the archivist's write path (argument handling only; the work is in
`pipeline.store.corrections` and `pipeline.store.corrections_apply`)."""
from __future__ import annotations

import json
from pathlib import Path

import click

DEFAULT_DB = "outputs/facts.db"  # as in pipeline.interfaces.cli (which imports this module)

db_option = click.option("--db", "db_path", default=DEFAULT_DB, show_default=True,
                         type=click.Path(dir_okay=False), help="SQLite database")
note_options = [click.option("--note", default=None, help="why (kept with the correction)"),
                click.option("--author", default=None, help="who made it"),
                click.option("--db", "sub_db", default=None, type=click.Path(dir_okay=False),
                             help="SQLite database (here or before the correction's name)")]


def _with_notes(fn):
    for opt in reversed(note_options):
        fn = opt(fn)
    return fn


class _Writer:
    """The database opened for writing under the run lock (a correction never interleaves with a run)."""

    def __init__(self, db_path: str):
        self.db_path = Path(db_path)

    def __enter__(self):
        from pipeline.engines.runner import DbLock, RunError
        from pipeline.store.storage import open_db

        click.get_current_context().meta["vnfacts.db"] = str(self.db_path)  # named in SQLite errors
        if not self.db_path.exists():
            raise click.ClickException(f"no database at {self.db_path}: run `vnfacts run PATH --db "
                                       f"{self.db_path}` first")
        self.lock = DbLock(self.db_path)
        try:
            self.lock.__enter__()
        except RunError as err:
            raise click.ClickException(str(err)) from None
        self.db = open_db(self.db_path)
        return self.db

    def __exit__(self, *exc):
        self.db.conn.close()
        self.lock.__exit__(*exc)


def _record(db_path: str, kind: str, target: dict, change: dict | None, note, author) -> None:
    from pipeline.store import corrections, corrections_edit

    entry = {"kind": kind, "target": {k: v for k, v in target.items() if v not in (None, ())},
             "change": {k: v for k, v in (change or {}).items() if v is not None}, "note": note, "author": author}
    with _Writer(db_path) as db:
        try:
            rec = corrections_edit.add(db, entry)
        except corrections.CorrectionError as err:
            raise click.ClickException(str(err)) from None
    click.echo(f"recorded {rec['id']} ({kind}); applied")


@click.group(invoke_without_command=True)
@db_option
@click.option("--list", "show", is_flag=True, help="list every correction with its last status")
@click.option("--undo", "undo_id", default=None, help="undo the correction with this id")
@click.option("--check", "check", is_flag=True, help="report corrections that no longer apply (writes nothing)")
@click.option("--export", "export_path", default=None, type=click.Path(dir_okay=False), help="write them as YAML")
@click.option("--import", "import_path", default=None, type=click.Path(dir_okay=False), help="add them from YAML")
@click.option("--allow-stale", is_flag=True, help="with --import: keep entries whose targets are not here")
@click.pass_context
def correct(ctx, db_path, show, undo_id, check, export_path, import_path, allow_stale):
    """Correct the machine: reject facts, fix titles, merge or split people, join or separate documents.

    Corrections are stored in the database (table `corrections`), applied after every run, and kept
    across `run --force` and rules changes. Example: vnfacts correct --list
    """
    from pipeline.store import corrections, corrections_apply, corrections_edit

    ctx.ensure_object(dict)["db_path"] = db_path
    if ctx.invoked_subcommand:
        return
    with _Writer(db_path) as db:
        if sum(map(bool, (show, undo_id, check, export_path, import_path))) != 1:
            raise click.UsageError("give a correction (see --help) or exactly one of --list, --undo, --check, "
                                   "--export, --import")
        try:
            if show:
                _list(corrections.load(db, active_only=False))
            elif check:
                stale = [r for r in corrections_apply.check(db) if r["status"] != "held"]
                for r in stale:
                    click.echo(f"STALE {r['id']} {r['kind']}: {r['reason']}")
                n = len(corrections.load(db))
                click.echo(f"{n - len(stale)} of {n} corrections hold, {len(stale)} stale")
                if stale:
                    raise SystemExit(1)
            elif undo_id:
                rec = corrections_edit.undo(db, undo_id)
                click.echo(f"undone {rec['id']} ({rec['kind']})")
            elif export_path:
                n = corrections.export_file(db, export_path)
                click.echo(f"{n} corrections -> {export_path}")
            else:
                added, known = corrections_edit.import_file(db, import_path, allow_stale=allow_stale)
                click.echo(f"imported {added} corrections ({known} already present)")
        except corrections.CorrectionError as err:
            raise click.ClickException(str(err)) from None


def _list(recs: list[dict]) -> None:
    from pipeline.interfaces.output import emit

    if not recs:
        click.echo("no corrections")
        return
    rows = [{"id": r["id"], "kind": r["kind"], "status": r["status"], "checked": r.get("checked") or "",
             "target": json.dumps({k: v for k, v in r["target"].items() if k not in ("article", "other_article")},
                                  ensure_ascii=False),
             "change": json.dumps(r["change"], ensure_ascii=False) if r["change"] else "", "note": r.get("note")}
            for r in recs]
    emit(rows, ["id", "kind", "status", "checked", "target", "change", "note"])


@correct.command()
@click.option("--kind", "fact_kind", required=True, help="the fact's kind: people, documents, dates, indicators")
@click.option("--article", required=True, help="source file name, path or hash of the article")
@click.option("--text", required=True, help="the fact's text as stored (for people: the name)")
@click.option("--start", type=int, default=None, help="its offset, when the text occurs more than once")
@_with_notes
@click.pass_context
def reject(ctx, fact_kind, article, text, start, note, author, sub_db):
    """Reject a fact: a person, a document citation, a date or an indicator of one article.

    Example: vnfacts correct reject --kind people --article 003_f96a9d9819cf95b7.txt --text "Vương Quốc Anh"
    """
    target = {"kind": fact_kind, "article": article, "text": text, "start": start}
    _record(sub_db or ctx.obj["db_path"], "reject", target, None, note, author)


@correct.command("reject-title")
@click.option("--article", required=True)
@click.option("--person", required=True, help="the person's name in that article")
@click.option("--title", required=True, help="the title as stored")
@_with_notes
@click.pass_context
def reject_title(ctx, article, person, title, note, author, sub_db):
    """Reject one title of a person's mention. Example: vnfacts correct reject-title --article A --person
    "Trương Thị Mai" --title "Ủy viên Bộ Chính trị"
    """
    _record(sub_db or ctx.obj["db_path"], "reject-title", {"article": article, "person": person, "title": title}, None,
            note, author)


@correct.command("fix-title")
@click.option("--article", required=True)
@click.option("--person", required=True)
@click.option("--title", required=True, help="the title as stored")
@click.option("--role", default=None)
@click.option("--organisation", default=None)
@click.option("--province", default=None)
@_with_notes
@click.pass_context
def fix_title(ctx, article, person, title, role, organisation, province, note, author, sub_db):
    """Fix a title's role, organisation or province. Example: vnfacts correct fix-title --article A
    --person "Lê Kim Toàn" --title "Phó Bí thư Thường trực Tỉnh ủy" --organisation "Tỉnh ủy Bình Định"
    """
    if role is None and organisation is None and province is None:
        raise click.UsageError("give --role, --organisation or --province")
    _record(sub_db or ctx.obj["db_path"], "fix-title", {"article": article, "person": person, "title": title},
            {"role": role, "organisation": organisation, "province": province}, note, author)


@correct.command("merge-people")
@click.option("--article", required=True)
@click.option("--person", required=True)
@click.option("--other-article", required=True)
@click.option("--other-person", required=True)
@_with_notes
@click.pass_context
def merge_people(ctx, article, person, other_article, other_person, note, author, sub_db):
    """Two people are one (a positive judgement). Example: vnfacts correct merge-people --article A
    --person "Nguyễn Văn A" --other-article B --other-person "Nguyễn Văn A"
    """
    _record(sub_db or ctx.obj["db_path"], "merge-people", {"article": article, "person": person,
                                                 "other_article": other_article, "other_person": other_person},
            None, note, author)


@correct.command("split-person")
@click.option("--article", required=True, help="an article naming the person (its mentions stay)")
@click.option("--person", required=True)
@click.option("--move", multiple=True, required=True, help="an article whose mention becomes another person")
@_with_notes
@click.pass_context
def split_person(ctx, article, person, move, note, author, sub_db):
    """One person is two: the mentions in the --move articles become another person.

    Example: vnfacts correct split-person --article A --person "Nguyễn Văn A" --move B --move C
    """
    _record(sub_db or ctx.obj["db_path"], "split-person", {"article": article, "person": person, "move": list(move)},
            None, note, author)


@correct.command("same-document")
@click.option("--id", "doc_id", required=True, help="the id to replace, e.g. 'Nghị quyết 25'")
@click.option("--as", "same_as", required=True, help="the document it is, e.g. 25-NQ/TW")
@_with_notes
@click.pass_context
def same_document(ctx, doc_id, same_as, note, author, sub_db):
    """Two documents are one. Example: vnfacts correct same-document --id "Nghị quyết 25" --as 25-NQ/TW"""
    _record(sub_db or ctx.obj["db_path"], "same-document", {"id": doc_id, "same_as": same_as}, None, note, author)


@correct.command("different-document")
@click.option("--id", "doc_id", required=True)
@click.option("--article", "articles", multiple=True, required=True,
              help="an article whose citations of --id are another document")
@click.option("--as", "new_id", default=None, help="the other document's id (default: id [hash])")
@_with_notes
@click.pass_context
def different_document(ctx, doc_id, articles, new_id, note, author, sub_db):
    """Citations of one id in some articles are a different document.

    Example: vnfacts correct different-document --id "Quyết định 248" --article B --as 248/QĐ-TTg
    """
    _record(sub_db or ctx.obj["db_path"], "different-document", {"id": doc_id, "articles": list(articles)},
            {"as": new_id}, note, author)
