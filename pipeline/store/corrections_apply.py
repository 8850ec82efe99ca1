"""Apply the archivist's corrections after every rebuild of the derived tables, and report stale ones.

`apply(db)` first undoes what earlier runs applied (each corrected fact keeps its machine version in
`machine`; rejected facts wait in `rejected_facts`), then applies every active correction afresh, so
the result depends only on the machine's facts and the corrections, never on history. Fact-level
corrections (reject, reject-title, fix-title, same-document, different-document) change the fact
tables, after which `people`/`positions`/`documents` are rebuilt; person merges and splits then
rewrite the affected persons in the identity tables. A corrected fact carries `corrections` (the ids)
in its row and its JSON. A correction whose target is gone is `stale`: kept, and reported.

Example: `[s for s in check(db) if s["status"] != "held"]` -> `[]`
"""
from __future__ import annotations

import json
import logging

import sqlite_utils

from extractors import by_kind, kinds
from extractors.text.textnorm import fold
from pipeline.store import corrections as store
from pipeline.store import corrections_people as people
from pipeline.store import identity_view
from pipeline.store.storage import _flatten, now

log = logging.getLogger(__name__)

MAX_SHIFT = 2000  # a span re-anchors to the same text at most this many characters from where it was


def _tables(db) -> list[str]:
    existing = set(db.table_names())
    return [k.table for k in kinds() if k.table in existing]


def _prepare(db) -> None:
    """Columns and tables the corrections need (schema changes commit on their own: before any BEGIN)."""
    store.ensure_table(db)
    for table in _tables(db):
        cols = db[table].columns_dict
        for col in ("machine", "corrections"):
            if col not in cols:
                db[table].add_column(col, str)
        known = db.__dict__.get("_vnfacts_columns", {})
        if table in known:
            known[table] |= {"machine", "corrections"}


class _Facts:
    """Row-level access to the fact tables inside the current transaction."""

    def __init__(self, db):
        self.db, self.conn = db, db.conn
        self.columns = {t: set(db[t].columns_dict) for t in _tables(db)}
        self.sources = dict(self.conn.execute("SELECT hash, source FROM articles").fetchall())

    def article_id(self, digest: str | None) -> int | None:
        row = self.conn.execute("SELECT id FROM articles WHERE hash = ?", (digest,)).fetchone()
        return row[0] if row else None

    def rows(self, table: str, where: str, params: tuple) -> list[dict]:
        cur = self.conn.execute(f"SELECT rowid, * FROM [{table}] WHERE {where}", params)
        cols = [c[0] for c in cur.description]
        return [dict(zip(cols, r)) for r in cur.fetchall()]

    def write(self, table: str, row: dict, data: dict, cid: str | None) -> None:
        """Store a changed fact: its new JSON and columns, its machine version, the correction's id."""
        machine = row.get("machine") or row["data"]
        cids = sorted(set(json.loads(row["corrections"] or "[]")) | ({cid} if cid else set()))
        data = {**data, "corrections": cids}
        values = {k: v for k, v in _flatten(data).items() if k in self.columns[table]}
        values.update(data=json.dumps(data, ensure_ascii=False), machine=machine,
                      corrections=json.dumps(cids))
        self.conn.execute(f"UPDATE [{table}] SET {', '.join(f'[{k}] = ?' for k in values)} WHERE rowid = ?",
                          [*values.values(), row["rowid"]])
        row.update(values)

    def reset(self) -> int:
        """Put back the machine's facts: corrected rows as extracted, rejected rows where their article is."""
        n = 0
        for table in _tables(self.db):
            for row in self.rows(table, "machine IS NOT NULL", ()):
                data = json.loads(row["machine"])
                values = {k: v for k, v in _flatten(data).items() if k in self.columns[table]}
                values.update(data=row["machine"], machine=None, corrections=None)
                self.conn.execute(f"UPDATE [{table}] SET {', '.join(f'[{k}] = ?' for k in values)} "
                                  f"WHERE rowid = ?", [*values.values(), row["rowid"]])
                n += 1
        for table, digest, start, text, raw in self.conn.execute(
                "SELECT tbl, hash, start, text, row FROM rejected_facts").fetchall():
            n += 1
            old = json.loads(raw)
            art = self.article_id(digest)
            if art is None or art != old.get("article_id") or table not in self.columns:
                continue  # the article was re-processed or is gone: its fresh facts are already in place
            if self.rows(table, "article_id = ? AND text IS ? AND start = ?", (art, text, start)):
                continue
            old["sentence_id"] = (self.conn.execute("SELECT id FROM sentences WHERE article_id = ? AND idx = ?",
                                                    (art, old.get("sentence"))).fetchone() or [None])[0]
            cols = [c for c in old if c in self.columns[table]]
            self.conn.execute(f"INSERT INTO [{table}] ({', '.join(f'[{c}]' for c in cols)}) "
                              f"VALUES ({', '.join('?' for _ in cols)})", [old[c] for c in cols])
        self.conn.execute("DELETE FROM rejected_facts")
        return n

    def reject(self, table: str, row: dict, cid: str, digest: str) -> None:
        """Move one fact to `rejected_facts` (its machine version), out of every query and export."""
        kept = {k: v for k, v in row.items() if k != "rowid"}
        if kept.get("machine"):
            kept.update(_flatten(json.loads(kept["machine"])), data=kept["machine"])
        kept.update(machine=None, corrections=None)
        self.conn.execute("INSERT INTO rejected_facts (correction_id, tbl, hash, source, start, text, row) "
                          "VALUES (?,?,?,?,?,?,?)", (cid, table, digest, self.sources.get(digest), row["start"],
                                                     row.get("text"), json.dumps(kept, ensure_ascii=False)))
        self.conn.execute(f"DELETE FROM [{table}] WHERE rowid = ?", (row["rowid"],))


def _nearest(rows: list[dict], start: int | None) -> dict | None:
    if not rows:
        return None
    if start is None:
        return rows[0] if len(rows) == 1 else None
    best = min(rows, key=lambda r: abs(r["start"] - start))
    return best if abs(best["start"] - start) <= MAX_SHIFT else None


def _mention(facts: _Facts, target: dict, who: str = "person", art: str = "article") -> tuple[dict | None, str]:
    """The person mention a target names (article hash + name), or None and why not."""
    digest = target.get(art)
    art_id = facts.article_id(digest)
    if art_id is None:
        return None, f"article {target.get('source') or digest} is not in the database"
    if "name_key" not in facts.columns.get("person_mentions", set()):
        return None, "no person is stored"
    rows = facts.rows("person_mentions", "article_id = ? AND name_key = ?", (art_id, fold(target[who])))
    if not rows:
        return None, f"no person {target[who]!r} in {facts.sources.get(digest)}"
    return rows[0], ""


def _fact_correction(facts: _Facts, rec: dict, dry: bool) -> str:
    """Apply one fact-level correction; returns '' when it holds, else why it is stale."""
    kind, t, change, cid = rec["kind"], rec["target"], rec["change"], rec["id"]
    if kind == "reject":
        registered = by_kind().get(t["kind"])
        table = registered.table if registered else None
        art_id = facts.article_id(t["article"])
        if art_id is None:
            return f"article {t.get('source') or t['article']} is not in the database"
        if not {"text", "name_key" if t["kind"] == "people" else "text"} <= facts.columns.get(table, set()):
            return f"no {t['kind']} fact is stored"
        if t["kind"] == "people":
            row = (facts.rows(table, "article_id = ? AND name_key = ?", (art_id, fold(t["text"]))) or [None])[0]
        else:
            rows = facts.rows(table, "article_id = ? AND text = ?", (art_id, t["text"]))
            if len(rows) > 1 and t.get("start") is None:
                starts = ", ".join(str(r["start"]) for r in rows)
                return f"{t['text']!r} is {len(rows)} {t['kind']} facts (at {starts}): give its start"
            row = _nearest(rows, t.get("start"))
        if row is None:
            near = f" near {t['start']}" if t.get("start") is not None else ""
            return f"no {t['kind']} {t['text']!r}{near} in {facts.sources.get(t['article'])}"
        if not dry and t.get("start") is not None and row["start"] != t["start"]:
            _reanchor(facts, rec, row["start"])
        facts.reject(table, row, cid, t["article"])
        return ""
    if kind in ("reject-title", "fix-title"):
        row, why = _mention(facts, t)
        if row is None:
            return why
        data = json.loads(row["data"])
        details = data.get("title_details") or []
        hit = [d for d in details if fold(d.get("text") or "") == fold(t["title"])]
        if not hit:
            return f"{t['person']} has no title {t['title']!r} in {facts.sources.get(t['article'])}"
        if kind == "reject-title":
            data["title_details"] = [d for d in details if d not in hit]
            data["titles"] = [x for x in data.get("titles") or [] if fold(x) != fold(t["title"])]
        else:
            for d in hit:
                d.update({k: v for k, v in change.items() if k in ("role", "organisation", "province")})
                if change.get("organisation") or change.get("role"):  # the office as role + body, not the machine's
                    d["completed"] = " ".join(x for x in (d.get("role"), d.get("organisation")) if x) or None
                d["corrections"] = sorted(set(d.get("corrections") or []) | {cid})
        facts.write("person_mentions", row, data, cid)
        return ""
    if kind in ("same-document", "different-document") and "id" not in facts.columns.get("citations", set()):
        return "no document citation is stored"
    if kind == "same-document":
        rows = facts.rows("citations", "id = ?", (t["id"],)) if "citations" in facts.columns else []
        for row in rows:
            facts.write("citations", row, {**json.loads(row["data"]), "id": t["same_as"], "resolved": True}, cid)
        if rows or facts.rows("citations", "id = ? AND corrections LIKE ?", (t["same_as"], f'%"{cid}"%')):
            return ""
        return f"no citation of {t['id']} any more"
    if kind == "different-document":
        new_id = change.get("as") or f"{t['id']} [{t['articles'][0][:8]}]"
        n = 0
        for digest in t["articles"]:
            art_id = facts.article_id(digest)
            rows = facts.rows("citations", "article_id = ? AND id = ?", (art_id, t["id"])) if art_id else []
            for row in rows:
                facts.write("citations", row, {**json.loads(row["data"]), "id": new_id}, cid)
                n += 1
        return "" if n else f"no citation of {t['id']} in the articles named"
    return f"{kind} is not a fact-level correction"


def _reanchor(facts: _Facts, rec: dict, start: int) -> None:
    """Remember where a span's text is now, so the next move is measured from here."""
    target = {**rec["target"], "start": start}
    facts.conn.execute("UPDATE corrections SET target = ? WHERE id = ?",
                       (json.dumps(target, ensure_ascii=False, sort_keys=True), rec["id"]))
    log.info("correction %s re-anchored from %s to %s", rec["id"], rec["target"].get("start"), start)


def _mark_documents(db) -> None:
    conn = db.conn
    if "documents" not in db.table_names() or "citations" not in db.table_names():
        return
    if not {"id", "corrections"} <= set(db["citations"].columns_dict):  # no citation stored yet
        return
    if "corrections" not in db["documents"].columns_dict:
        conn.execute("ALTER TABLE documents ADD COLUMN corrections TEXT")
    marks: dict[str, set[str]] = {}
    for doc_id, cids in conn.execute("SELECT id, corrections FROM citations WHERE corrections IS NOT NULL"):
        marks.setdefault(doc_id, set()).update(json.loads(cids))
    conn.executemany("UPDATE documents SET corrections = ? WHERE id = ?",
                     [(json.dumps(sorted(c)), d) for d, c in marks.items()])


def _state(conn) -> list:
    """What the fact-level corrections left in the fact tables (to skip a rebuild that would change nothing)."""
    out = []
    for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
        if table in {k.table for k in kinds()}:
            out += [(table, *r) for r in conn.execute(
                f"SELECT article_id, start, data FROM [{table}] WHERE machine IS NOT NULL ORDER BY 1, 2, 3")]
    return out + conn.execute("SELECT tbl, hash, start, text, correction_id FROM rejected_facts "
                              "ORDER BY 1, 2, 3, 4, 5").fetchall()


def apply(db: sqlite_utils.Database, dry: bool = False, extra: list[dict] = (), fresh: bool = False) -> list[dict]:
    """Apply every active correction (plus `extra`, when checking new ones); one status per correction.

    `dry` computes the statuses inside a transaction that is rolled back: nothing is written.
    `fresh` says the derived tables were just rebuilt from the fact tables as they stand (the end of
    a run), so they are rebuilt again only if re-applying the fact-level corrections changed a fact.
    """
    from pipeline.store import catalog, officials

    if "articles" not in db.table_names():
        return []
    _prepare(db)
    recs = store.load(db)
    recs += [r for r in extra if r["id"] not in {x["id"] for x in recs}]
    facts = _Facts(db)
    conn = db.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        before = _state(conn)
        touched = facts.reset()
        status = {r["id"]: _fact_correction(facts, r, dry) for r in recs if r["kind"] in store.FACT_LEVEL}
        touched += sum(1 for r in recs if r["kind"] in store.FACT_LEVEL)
        entity = [r for r in recs if r["kind"] in store.ENTITY_LEVEL]
        changed = _state(conn) != before
        if dry:
            status.update(people.entity_corrections(db, entity)[0])
            conn.execute("ROLLBACK")
            return _report(recs, status)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    if changed or entity or (not fresh and touched):  # forced: their fingerprints do not see edited facts
        officials.rebuild(db, force=True)
        catalog.rebuild(db, force=True)
    conn.execute("BEGIN IMMEDIATE")
    try:
        if entity:
            ent_status, persons, moved, marks = people.entity_corrections(db, entity)
            status.update(ent_status)
            people.rewrite_persons(db, persons, moved, marks)
        else:
            people.mark_people(db, identity_view.clusters(db) if touched else [], {})
        _mark_documents(db)
        stamp = now()
        conn.executemany("UPDATE corrections SET checked = ? WHERE id = ?",
                         [(f"{'held' if not why else 'stale: ' + why} ({stamp})", cid) for cid, why in status.items()])
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return _report(recs, status)


def _report(recs: list[dict], status: dict[str, str]) -> list[dict]:
    return [{"id": r["id"], "kind": r["kind"], "status": "stale" if status.get(r["id"]) else "held",
             "reason": status.get(r["id"], "")} for r in recs]


def check(db: sqlite_utils.Database) -> list[dict]:
    """Every active correction with `held` or `stale` (and why), computed without writing anything."""
    return apply(db, dry=True)


def problems(db: sqlite_utils.Database, recs: list[dict]) -> dict[str, str]:
    """Why new corrections (applied after the recorded ones) would not apply to this database: id -> reason."""
    new = {r["id"] for r in recs}
    return {row["id"]: row["reason"] for row in apply(db, dry=True, extra=recs)
            if row["id"] in new and row["status"] == "stale"}
