"""Canonical documents across articles: one `documents` row per document, whatever form the citations use.

`citations` holds every mention (article, offsets, sentence) with the id its article gives it;
`rebuild(db)` first decides which document each citation is (`document_identity`), then writes
`documents` with, per document, the values its citing articles state first (the formal first
mention, `của Bộ Chính trị (khóa XI)`, rather than a later `của Trung ương`), then the most
frequent across articles for type, issuer, term, date and subject; its other forms (`aliases`),
first and last seen, and counts. A document with no stated issuer takes the one its code names
(`34/2018/QH14` is the Quốc hội's) or its type implies (a Nghị định is the Chính phủ's).
A rebuild over the same articles, rules and code is skipped (`fingerprint`).
"""
from __future__ import annotations

import itertools
import json
from collections import Counter, defaultdict
from typing import Iterator

import regex
import sqlite_utils

from extractors.documents import _code_issuer, _rules
from extractors.text.textnorm import fold, is_unaccented, loose_equal, unaccent
from gazetteer import load_gazetteer
from pipeline.store import document_identity, fingerprint as fp
from pipeline.store.storage import DerivedTable, add_column, rebuilding

FIELDS = ["type", "number", "code", "year", "issuer", "term", "date", "subject", "resolved"]
SCHEMA = {"id": str, "key": str, "type": str, "number": str, "code": str, "year": int, "issuer": str, "term": str,
          "date": str, "subject": str, "resolved": int, "aliases": str, "first_seen": str, "last_seen": str,
          "n_articles": int, "n_citations": int, "n_inferred": int,
          "corrections": str}  # the archivist's ids: in the schema, so readers never see it come and go
GAZETTEER_FILES = ["document_codes"]
CODE_FILES = [__file__, document_identity.__file__]


def _issuer(doc_id: str, type_: str | None) -> str | None:
    """The issuer a document's code names (`QH14` -> Quốc hội), else the one its type implies."""
    gaz = load_gazetteer()
    named = _code_issuer(_rules(gaz), doc_id)
    if named:
        return named
    for t in gaz.load("document_codes")["types"]:
        if type_ and t["name"] == type_ and t.get("issuer"):
            return t["issuer"]
    return None


def _documents(db: sqlite_utils.Database, picked: list[str]) -> Iterator[dict]:
    """One `documents` row per canonical document, streamed in key order (memory holds one document)."""
    select = "".join(f", c.[{f}]" for f in picked)
    rows = db.conn.execute(f"SELECT c.document_id, c.article_id, a.published, c.id, c.link{select} FROM citations c "
                           "JOIN articles a ON a.id = c.article_id WHERE c.document_id IS NOT NULL "
                           "ORDER BY c.document_id, a.hash, c.start")
    for doc_id, citations in itertools.groupby(rows, key=lambda row: row[0]):
        counts: dict[str, Counter] = defaultdict(Counter)
        published_dates: set[str] = set()
        forms: Counter = Counter()
        n_articles = n_citations = n_inferred = 0
        for _, article_rows in itertools.groupby(citations, key=lambda row: row[1]):
            n_articles += 1
            stated: dict = {}  # per article, the first value each field is given
            for _, _, published, form, link, *values in article_rows:
                n_citations += 1
                n_inferred += link == "inferred"
                forms[form] += 1
                for name, value in zip(picked, values):
                    if value not in (None, "") and name not in stated:
                        stated[name] = value
            for name, value in stated.items():
                counts[name][value] += 1
            if published:
                published_dates.add(published)
        own = doc_id in forms
        record = {"id": doc_id, "key": doc_id}
        for f in FIELDS:
            record[f] = sorted(counts[f].items(), key=lambda kv: (-kv[1], str(kv[0])))[0][0] if counts[f] else None
        if not own:  # only short forms point here (`Nghị định 100` of a `100/NĐ-CP` elsewhere): keep the target's
            record.update(document_identity.parse_id(doc_id))
        if not record.get("issuer"):
            record["issuer"] = _issuer(doc_id, record.get("type"))
        record.update(aliases=json.dumps(sorted(f for f in forms if f != doc_id), ensure_ascii=False),
                      first_seen=min(published_dates, default=None), last_seen=max(published_dates, default=None),
                      n_articles=n_articles, n_citations=n_citations, n_inferred=n_inferred)
        yield record


def rebuild(db: sqlite_utils.Database, force: bool = False) -> int:
    """Decide which document each citation is, then recompute the `documents` table; returns the number
    of documents. Skipped when articles, rules and code are as at the last rebuild."""
    table = DerivedTable("documents", SCHEMA, pk="id", indexes=[["type"], ["year"], ["key"]])
    cols = set(db["citations"].columns_dict) if "citations" in db.table_names() else set()
    if "id" in cols:
        for col in ("document_id", "link"):
            if col not in cols:
                add_column(db, "citations", col, str)
        db["citations"].create_index(["id", "article_id", "start"], if_not_exists=True)
        db["citations"].create_index(["document_id"], if_not_exists=True)
        cols |= {"document_id", "link"}
    print_ = fp.fingerprint(db, GAZETTEER_FILES, CODE_FILES, ("citations",))
    if not force and fp.is_current(db, "documents", print_, ["documents"]):
        return db["documents"].count
    with rebuilding(db, [table]) as insert:
        if "id" in cols:
            document_identity.assign(db, _issuer)
            insert("documents", _documents(db, [f for f in FIELDS if f in cols]))
    fp.record(db, "documents", print_)
    return db["documents"].count


def norm_id(text: str) -> str:
    """A document id as typed by a user, comparable with stored ids (`120-kl/tw ` -> `120-KL/TW`)."""
    return regex.sub(r"\s+", "", text).upper()


def query_documents(db: sqlite_utils.Database, id: str | None = None, type: str | None = None,
                    limit: int = 200) -> list[dict]:
    """Documents matching an id (exact after normalising, else a prefix) and/or a type, most cited first,
    each with the articles that cite it (`source (published)`)."""
    if "documents" not in db.table_names():
        return []
    rows = [dict(zip([c[0] for c in cur.description], r)) for cur in [db.execute(
        "SELECT * FROM documents ORDER BY n_articles DESC, id")] for r in cur.fetchall()]
    if id:
        wanted = norm_id(id)
        key = unaccent if is_unaccented(id) else (lambda t: t)  # `248/QD-UBND` finds `248/QĐ-UBND`
        exact = [r for r in rows if key(norm_id(r["id"])) == key(wanted)
                 or key(wanted) in {key(norm_id(a)) for a in json.loads(r.get("aliases") or "[]")}]
        rows = exact or [r for r in rows if key(norm_id(r["id"])).startswith(key(wanted))]
    if type:
        rows = [r for r in rows if loose_equal(r["type"], type)]  # `Nghi dinh` finds `Nghị định`
    rows = rows[:limit]
    cited_by = "c.document_id" if "document_id" in db["citations"].columns_dict else "c.id"
    for row in rows:
        cited = db.execute(
            "SELECT DISTINCT a.source, a.published FROM citations c JOIN articles a ON a.id = c.article_id "
            f"WHERE {cited_by} = ? ORDER BY a.published, a.source", (row["id"],)).fetchall()
        row["articles"] = "; ".join(f"{s} ({p})" if p else s for s, p in cited)
    return rows
