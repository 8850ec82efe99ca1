"""Canonical documents across articles: one `documents` row per id, whatever form the citations use.

`citations` holds every mention (article, offsets, sentence); `documents` is rebuilt from it after
each run: for each canonical id, per citing article the first value stated (the formal first mention,
`của Bộ Chính trị (khóa XI)`, rather than a later `của Trung ương`), then the most frequent of those
across articles for type, issuer, term, date and subject;
when it was first and last seen (publication dates of the citing articles), and how many articles
cite it.
"""
from __future__ import annotations

from collections import Counter, defaultdict

import regex
import sqlite_utils

from pipeline.storage import DerivedTable, replace_tables
from pipeline.textnorm import fold

FIELDS = ["type", "number", "code", "year", "issuer", "term", "date", "subject", "resolved"]
SCHEMA = {"id": str, "type": str, "number": str, "code": str, "year": int, "issuer": str, "term": str,
          "date": str, "subject": str, "resolved": int, "first_seen": str, "last_seen": str,
          "n_articles": int, "n_citations": int}


def _most_common(values: list):
    counted = Counter(v for v in values if v not in (None, ""))
    return counted.most_common(1)[0][0] if counted else None


def rebuild(db: sqlite_utils.Database) -> int:
    """Recompute the `documents` table from `citations`; returns the number of documents."""
    if "citations" not in db.table_names():
        return 0
    cols = set(db["citations"].columns_dict)
    picked = [f for f in FIELDS if f in cols]
    select = ", ".join(f"c.[{f}]" for f in picked)
    grouped: dict[str, dict] = defaultdict(lambda: {"values": defaultdict(list), "articles": set(), "dates": [],
                                                    "n": 0})
    if "id" in cols:
        rows = db.execute(f"SELECT c.id, c.article_id, a.published{', ' + select if select else ''} "
                          "FROM citations c JOIN articles a ON a.id = c.article_id WHERE c.id IS NOT NULL "
                          "ORDER BY c.article_id, c.start")
        for row in rows:
            doc_id, article_id, published, *values = row
            entry = grouped[doc_id]
            entry["n"] += 1
            first_in_article = article_id not in entry["articles"]
            entry["articles"].add(article_id)
            if first_in_article:
                entry["stated"] = {}
            if published:
                entry["dates"].append(published)
            for name, value in zip(picked, values):
                if value not in (None, "") and name not in entry["stated"]:
                    entry["stated"][name] = value
                    entry["values"][name].append(value)
    records = []
    for doc_id, entry in grouped.items():
        record = {"id": doc_id, **{f: _most_common(entry["values"].get(f, [])) for f in FIELDS}}
        record.update(first_seen=min(entry["dates"], default=None), last_seen=max(entry["dates"], default=None),
                      n_articles=len(entry["articles"]), n_citations=entry["n"])
        records.append(record)
    replace_tables(db, [DerivedTable("documents", SCHEMA, records, pk="id", indexes=[["type"], ["year"]])])
    if "id" in cols:
        db["citations"].create_index(["id"], if_not_exists=True)
    return len(records)


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
        exact = [r for r in rows if norm_id(r["id"]) == wanted]
        rows = exact or [r for r in rows if norm_id(r["id"]).startswith(wanted)]
    if type:
        rows = [r for r in rows if fold(r["type"] or "") == fold(type)]
    rows = rows[:limit]
    for row in rows:
        cited = db.execute(
            "SELECT DISTINCT a.source, a.published FROM citations c JOIN articles a ON a.id = c.article_id "
            "WHERE c.id = ? ORDER BY a.published, a.source", (row["id"],)).fetchall()
        row["articles"] = "; ".join(f"{s} ({p})" if p else s for s, p in cited)
    return rows
