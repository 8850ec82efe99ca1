"""Archivist corrections: recorded in their own table, kept as a plain YAML file, applied on every run.

A correction names its target by stable identifiers only (an article's SHA-256 plus a name or a
span's text and offset, or a document's canonical id), never by row ids, so it survives `run
--force`, a rules change that moves offsets, and either engine. Like nomenklatura's resolver,
each one is a judgement: `positive` (these are one: `merge-people`, `same-document`), `negative`
(these are not: `split-person`, `different-document`, `reject`, `reject-title`) or an edit
(`fix-title`). `pipeline.store.corrections_apply` applies them after the derived tables are rebuilt;
`pipeline.store.corrections_edit` records, undoes and imports them.

Kinds and their targets (`article` is a hash or a source file name when given, a hash when stored):

| kind | target | change |
|---|---|---|
| reject | kind (people, documents, dates, indicators), article, text (people: the name), start | |
| reject-title | article, person, title | |
| fix-title | article, person, title | role, organisation, province (any of them) |
| merge-people | article, person, other_article, other_person | |
| split-person | article, person, move (articles whose mentions become another person) | |
| same-document | id, same_as (the id kept) | |
| different-document | id, articles (their citations become another document) | as (new id) |

Example: `corrections_edit.add(db, {"kind": "fix-title", "target": {"article": "000_635af670fab18767.txt",
"person": "Trương Thị Mai", "title": "Ủy viên Bộ Chính trị"}, "change": {"role": "Ủy viên"}})`
"""
from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

import sqlite_utils
import yaml

from extractors import kinds
from extractors.text.textnorm import fold

SHAPES = {  # kind -> (required target fields, optional target fields, allowed change fields, judgement)
    "reject": (("kind", "article", "text"), ("start",), (), "negative"),
    "reject-title": (("article", "person", "title"), (), (), "negative"),
    "fix-title": (("article", "person", "title"), (), ("role", "organisation", "province"), "edit"),
    "merge-people": (("article", "person", "other_article", "other_person"), (), (), "positive"),
    "split-person": (("article", "person", "move"), (), (), "negative"),
    "same-document": (("id", "same_as"), (), (), "positive"),
    "different-document": (("id", "articles"), (), ("as",), "negative"),
}
FACT_LEVEL = ("reject", "reject-title", "fix-title", "same-document", "different-document")
ENTITY_LEVEL = ("merge-people", "split-person")
TABLE = "corrections"
COLUMNS = {"id": str, "kind": str, "judgement": str, "target": str, "change": str, "note": str, "author": str,
           "created": str, "status": str, "checked": str}


class CorrectionError(ValueError):
    """A correction that cannot be recorded: unknown kind, missing field, or a target that does not exist."""


def ensure_table(db: sqlite_utils.Database) -> None:
    """Create the `corrections` and `rejected_facts` tables when missing."""
    if TABLE not in db.table_names():
        db[TABLE].create(COLUMNS, pk="id")
    if "rejected_facts" not in db.table_names():
        db["rejected_facts"].create({"correction_id": str, "tbl": str, "hash": str, "source": str, "start": int,
                                     "text": str, "row": str})


def correction_id(kind: str, target: dict, change: dict) -> str:
    """A content id: the same correction made in two collections has the same id."""
    blob = json.dumps([kind, target, change], ensure_ascii=False, sort_keys=True)
    return "c-" + hashlib.sha1(blob.encode("utf-8")).hexdigest()[:12]


def article_hash(db: sqlite_utils.Database, ref: str) -> tuple[str, str]:
    """(hash, source) of the stored article a user names by source file name, path or hash (prefix).

    Example: `article_hash(db, "000_635af670fab18767.txt")[0][:8]`
    """
    ref = str(ref).strip()
    rows = db.conn.execute("SELECT hash, source FROM articles WHERE source = ? OR path = ? OR hash = ?",
                           (ref, ref, ref)).fetchall()
    if not rows and len(ref) >= 8 and all(c in "0123456789abcdef" for c in ref.lower()):
        rows = db.conn.execute("SELECT hash, source FROM articles WHERE hash LIKE ?", (ref.lower() + "%",)).fetchall()
    if not rows:
        raise CorrectionError(f"no stored article {ref!r} (give its file name, path or hash)")
    if len(rows) > 1:
        raise CorrectionError(f"article {ref!r} is ambiguous: {', '.join(r[1] for r in rows[:5])}")
    return rows[0]


def normalise(db: sqlite_utils.Database, entry: dict, need_articles: bool = True) -> dict:
    """A correction entry checked for shape and with its articles stored as hashes; CorrectionError if bad."""
    if not isinstance(entry, dict):
        raise CorrectionError(f"a correction must be a mapping, not {type(entry).__name__}")
    kind = entry.get("kind")
    if kind not in SHAPES:
        raise CorrectionError(f"unknown correction kind {kind!r} (one of {', '.join(SHAPES)})")
    required, optional, changes, judgement = SHAPES[kind]
    target, change = entry.get("target") or {}, entry.get("change") or {}
    if not isinstance(target, dict) or not isinstance(change, dict):
        raise CorrectionError(f"{kind}: target and change must be mappings")
    missing = [f for f in required if target.get(f) in (None, "", [])]
    if missing:
        raise CorrectionError(f"{kind}: missing {', '.join(missing)}")
    extra = set(target) - set(required) - set(optional) - {"source", "other_source"}
    if extra:
        raise CorrectionError(f"{kind}: unknown target field {', '.join(sorted(extra))}")
    if set(change) - set(changes) or (changes and kind == "fix-title" and not change):
        raise CorrectionError(f"{kind}: change takes {', '.join(changes) or 'nothing'}")
    target = dict(target)
    if kind == "reject":
        names = [k.name for k in kinds()]
        if target["kind"] not in names:
            raise CorrectionError(f"reject: kind must be one of {', '.join(names)}")
        if target.get("start") is not None:
            try:
                target["start"] = int(target["start"])
            except (TypeError, ValueError):
                raise CorrectionError(f"reject: start must be a number, not {target['start']!r}") from None
    for one, src in (("article", "source"), ("other_article", "other_source")):
        if one in target and need_articles:
            target[one], target[src] = article_hash(db, target[one])
    for many in ("move", "articles"):
        if many in target:
            refs = target[many] if isinstance(target[many], list) else [target[many]]
            target[many] = sorted(article_hash(db, r)[0] for r in refs) if need_articles else sorted(refs)
    for name in ("person", "other_person", "title", "text", "id", "same_as"):
        if name in target:
            target[name] = " ".join(str(target[name]).split())
    change = {k: (" ".join(str(v).split()) if v is not None else None) for k, v in change.items()}
    key_target = {k: v for k, v in target.items() if k not in ("source", "other_source")}
    given = entry.get("id")
    if given is not None and not (isinstance(given, str) and given.startswith("c-") and len(given) <= 40):
        raise CorrectionError(f"{kind}: id {given!r} is not a correction id (c-...)")
    return {"id": given or correction_id(kind, key_target, change), "kind": kind, "judgement": judgement,
            "target": target, "change": change, "note": entry.get("note"), "author": entry.get("author"),
            "status": entry.get("status") or "active"}


def load(db: sqlite_utils.Database, active_only: bool = True) -> list[dict]:
    """Stored corrections, oldest first, with target and change decoded."""
    if TABLE not in db.table_names():
        return []
    where = "WHERE status = 'active'" if active_only else ""
    cur = db.conn.execute(f"SELECT * FROM [{TABLE}] {where} ORDER BY created, id")
    cols = [c[0] for c in cur.description]
    out = []
    for row in cur.fetchall():
        rec = dict(zip(cols, row))
        rec["target"], rec["change"] = json.loads(rec["target"]), json.loads(rec["change"] or "{}")
        out.append(rec)
    return out


def row(rec: dict, created: str | None = None) -> dict:
    return {"id": rec["id"], "kind": rec["kind"], "judgement": rec["judgement"],
            "target": json.dumps(rec["target"], ensure_ascii=False, sort_keys=True),
            "change": json.dumps(rec["change"], ensure_ascii=False, sort_keys=True), "note": rec.get("note"),
            "author": rec.get("author"), "created": created or rec.get("created") or time.strftime("%Y-%m-%dT%H:%M:%S"),
            "status": rec.get("status") or "active", "checked": rec.get("checked")}


def export_file(db: sqlite_utils.Database, path: str | Path) -> int:
    """Write every correction (active and undone) as YAML, one entry per correction, oldest first."""
    entries = []
    for rec in load(db, active_only=False):
        entry = {"id": rec["id"], "kind": rec["kind"], "judgement": rec["judgement"], "target": rec["target"]}
        for name in ("change", "note", "author", "created", "status"):
            if rec.get(name):
                entry[name] = rec[name]
        entries.append(entry)
    text = yaml.safe_dump({"vnfacts_corrections": 1, "corrections": entries}, allow_unicode=True, sort_keys=False)
    Path(path).write_text(text, encoding="utf-8")
    return len(entries)


def read_file(path: str | Path) -> list[dict]:
    """The entries of a corrections YAML file; CorrectionError when it is not one."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as err:
        raise CorrectionError(f"cannot read {path}: {err}") from None
    except yaml.YAMLError as err:
        raise CorrectionError(f"{path} is not valid YAML: {' '.join(str(err).split())}") from None
    if not isinstance(data, dict) or not isinstance(data.get("corrections"), list):
        raise CorrectionError(f"{path} is not a corrections file (a mapping with a 'corrections' list)")
    return data["corrections"]


def hashes_where_known(db: sqlite_utils.Database, rec: dict) -> dict:
    """Article references turned into hashes where this database has the article; others kept as given."""
    target = rec["target"]
    for one, src in (("article", "source"), ("other_article", "other_source")):
        if one in target:
            try:
                target[one], target[src] = article_hash(db, target[one])
            except CorrectionError:
                pass
    return rec


def person_key(name: str) -> str:
    """The comparison key of a person's name in a target (`Trương Thị  Mai` -> `trương thị mai`)."""
    return fold(name)
