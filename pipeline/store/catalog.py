"""Canonical documents across articles: one `documents` row per id, whatever form the citations use.

`citations` holds every mention (article, offsets, sentence); `documents` is rebuilt from it after
each run: for each canonical id, per citing article the first value stated (the formal first mention,
`của Bộ Chính trị (khóa XI)`, rather than a later `của Trung ương`), then the most frequent of those
across articles for type, issuer, term, date and subject;
when it was first and last seen (publication dates of the citing articles), and how many articles
cite it.
"""
from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from typing import Iterator

import regex
import sqlite_utils

from pipeline.store.storage import DerivedTable, rebuilding
from extractors.text.textnorm import is_unaccented, loose_equal, unaccent

FIELDS = ["type", "number", "code", "year", "issuer", "term", "date", "subject", "resolved"]
SCHEMA = {"id": str, "type": str, "number": str, "code": str, "year": int, "issuer": str, "term": str,
          "date": str, "subject": str, "resolved": int, "first_seen": str, "last_seen": str,
          "n_articles": int, "n_citations": int}


def _documents(db: sqlite_utils.Database, picked: list[str]) -> Iterator[dict]:
    """One `documents` row per canonical id, streamed in id order (memory holds one document)."""
    select = "".join(f", c.[{f}]" for f in picked)
    rows = db.conn.execute(f"SELECT c.id, c.article_id, a.published{select} FROM citations c "
                           "JOIN articles a ON a.id = c.article_id WHERE c.id IS NOT NULL "
                           "ORDER BY c.id, c.article_id, c.start")
    for doc_id, citations in itertools.groupby(rows, key=lambda row: row[0]):
        counts: dict[str, Counter] = defaultdict(Counter)
        published_dates: set[str] = set()
        n_articles = n_citations = 0
        for _, article_rows in itertools.groupby(citations, key=lambda row: row[1]):
            n_articles += 1
            stated: dict = {}  # per article, the first value each field is given
            for _, _, published, *values in article_rows:
                n_citations += 1
                for name, value in zip(picked, values):
                    if value not in (None, "") and name not in stated:
                        stated[name] = value
            for name, value in stated.items():
                counts[name][value] += 1
            if published:
                published_dates.add(published)
        record = {"id": doc_id, **{f: counts[f].most_common(1)[0][0] if counts[f] else None for f in FIELDS}}
        record.update(first_seen=min(published_dates, default=None), last_seen=max(published_dates, default=None),
                      n_articles=n_articles, n_citations=n_citations)
        yield record


def rebuild(db: sqlite_utils.Database) -> int:
    """Recompute the `documents` table from `citations`; returns the number of documents."""
    table = DerivedTable("documents", SCHEMA, pk="id", indexes=[["type"], ["year"]])
    cols = set(db["citations"].columns_dict) if "citations" in db.table_names() else set()
    if "id" in cols:
        db["citations"].create_index(["id", "article_id", "start"], if_not_exists=True)
    with rebuilding(db, [table]) as insert:
        if "id" in cols:
            insert("documents", _documents(db, [f for f in FIELDS if f in cols]))
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
        exact = [r for r in rows if key(norm_id(r["id"])) == key(wanted)]
        rows = exact or [r for r in rows if key(norm_id(r["id"])).startswith(key(wanted))]
    if type:
        rows = [r for r in rows if loose_equal(r["type"], type)]  # `Nghi dinh` finds `Nghị định`
    rows = rows[:limit]
    for row in rows:
        cited = db.execute(
            "SELECT DISTINCT a.source, a.published FROM citations c JOIN articles a ON a.id = c.article_id "
            "WHERE c.id = ? ORDER BY a.published, a.source", (row["id"],)).fetchall()
        row["articles"] = "; ".join(f"{s} ({p})" if p else s for s, p in cited)
    return rows
