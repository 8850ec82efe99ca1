"""Terminal queries over the database: full-text search and counts (`vnfacts search`, `vnfacts stats`)."""
from __future__ import annotations

import logging
import unicodedata

import regex

from extractors import EXTRACTORS
from pipeline.store.officials import ascii_key
from extractors.text.textnorm import fold

log = logging.getLogger(__name__)

PHRASE_RE = regex.compile(r'"([^"]*)"|(\S+)')
SNIPPET_TOKENS = 16


def _quote(term: str) -> str:
    """One FTS5 string: every character literal (operators, `*`, `-`, `:` lose their meaning)."""
    return '"' + term.replace('"', '""') + '"'


def fts_queries(text: str) -> list[str]:
    """FTS5 MATCH expressions for a user's query, strictest first: the whole text as one phrase,
    then every term (a `"quoted phrase"` stays one term) required anywhere in the article.

    Example: `fts_queries('Kết luận 120')` == `['"Kết luận 120"', '"Kết" "luận" "120"']`
    """
    text = unicodedata.normalize("NFC", text).strip()
    terms = [m.group(1) if m.group(1) is not None else m.group(2) for m in PHRASE_RE.finditer(text)]
    terms = [t.strip() for t in terms if t.strip()]
    if not terms:
        return []
    out = []
    if '"' not in text:
        out.append(_quote(" ".join(terms)))
    every = " ".join(_quote(t) for t in terms)
    if every not in out:
        out.append(every)
    return out


def search_articles(db, query: str, limit: int = 20) -> list[dict]:
    """Articles matching `query` (FTS5 over title and text), phrase hits first, each with a snippet.

    A query typed without diacritics (`Truong Thi Mai`) also finds the words written with them.
    Example: `search_articles(db, "Trương Thị Mai")[0]["source"] == "000_635af670fab18767.txt"`
    """
    if "articles_fts" not in db.table_names():
        return []
    rows: list[dict] = []
    seen: set[int] = set()
    sql = f"""SELECT articles.id, articles.source, articles.published, articles.title,
                     replace(snippet(articles_fts, 1, '«', '»', '…', {SNIPPET_TOKENS}), char(10), ' ') AS snippet
              FROM articles_fts JOIN articles ON articles.rowid = articles_fts.rowid
              WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?"""

    def add(found) -> None:
        for row in found:
            if row["id"] not in seen and len(rows) < limit:
                seen.add(row["id"])
                rows.append({k: row[k] for k in ("source", "published", "title", "snippet")})

    for expr in fts_queries(query):
        add(db.query(sql, [expr, limit]))
    if len(rows) < limit and ascii_key(query) == fold(query) and (expr := unaccented_query(db, query)):
        found = list(db.query(sql.replace("articles.title,", "articles.title, articles.text,"), [expr, 500]))
        phrase = ascii_key(query)
        found.sort(key=lambda r: phrase not in ascii_key(f"{r['title'] or ''} {r['text'] or ''}"))  # phrase first
        add(found)
    return rows


def unaccented_query(db, text: str, per_word: int = 40) -> str | None:
    """An FTS5 expression for a query typed without diacritics: every word must match one of the
    indexed words that read the same without them (`truong` -> `trương` OR `trường` OR ...).

    The index keeps diacritics (`ma`, `mà`, `má` are different words); the alternatives come from
    its own vocabulary (fts5vocab), so nothing is stored twice.
    """
    words = [ascii_key(w) for w in text.replace('"', " ").split()]
    if not words:
        return None
    db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.articles_fts_vocab USING fts5vocab(main, articles_fts, row)")
    variants: dict[str, list[str]] = {w: [] for w in words}
    for (term,) in db.execute("SELECT term FROM temp.articles_fts_vocab ORDER BY doc DESC"):
        group = variants.get(ascii_key(term))
        if group is not None and len(group) < per_word:
            group.append(term)
    if not all(variants.values()):
        return None
    return " AND ".join("(" + " OR ".join(_quote(v) for v in variants[w]) + ")" for w in words)


def _columns(db, table: str) -> set[str]:
    return set(db[table].columns_dict) if table in db.table_names() else set()


def kind_counts(db) -> list[dict]:
    """Per fact kind: its table, rows and the articles that have at least one."""
    rows = []
    for module in EXTRACTORS:
        if not _columns(db, module.TABLE):
            continue
        n, arts = next(db.query(f"SELECT count(*) AS n, count(DISTINCT article_id) AS a FROM [{module.TABLE}]")).values()
        rows.append({"kind": module.KIND, "table": module.TABLE, "rows": n, "articles": arts})
    for table in ("people", "positions", "documents"):
        if _columns(db, table):
            rows.append({"kind": f"{table} (across articles)", "table": table, "rows": db[table].count, "articles": ""})
    return rows


def province_counts(db) -> list[dict]:
    """Per province, once whatever the spelling (`Huế` and `Thừa Thiên Huế` are one; keyed to the
    official list): offices held there (positions), persons, and indicators placed there."""
    from pipeline.store.provinces import province

    parts = []
    if {"province", "person_id"} <= _columns(db, "positions"):
        parts.append("SELECT province AS p, 1 AS pos, person_id AS person, 0 AS ind FROM positions")
    elif "province" in _columns(db, "positions"):
        parts.append("SELECT province AS p, 1 AS pos, NULL AS person, 0 AS ind FROM positions")
    if "place" in _columns(db, "indicators"):
        parts.append("SELECT place AS p, 0 AS pos, NULL AS person, 1 AS ind FROM indicators")
    if not parts:
        return []
    sql = f"""SELECT p, pos, person, ind FROM ({' UNION ALL '.join(parts)}) WHERE p IS NOT NULL AND trim(p) != ''"""
    totals: dict[str, dict] = {}
    people: dict[str, set] = {}
    for name, pos, person, ind in db.execute(sql):
        rec = province(name)
        label = rec.name if rec else name
        row = totals.setdefault(label, {"province": label, "positions": 0, "people": 0, "indicators": 0})
        row["positions"] += pos
        row["indicators"] += ind
        if person is not None:
            people.setdefault(label, set()).add(person)
    for label, persons in people.items():
        totals[label]["people"] = len(persons)
    return sorted(totals.values(), key=lambda r: (-(r["positions"] + r["indicators"]), r["province"]))


def year_counts(db) -> list[dict]:
    """Per year of publication: articles and the facts of each kind in them."""
    if not _columns(db, "articles"):
        return []
    selects = ["count(DISTINCT a.id) AS articles"]
    joins = []
    for i, module in enumerate(EXTRACTORS):
        if _columns(db, module.TABLE):
            joins.append(f"LEFT JOIN (SELECT article_id, count(*) AS n FROM [{module.TABLE}] GROUP BY article_id) t{i} "
                         f"ON t{i}.article_id = a.id")
            selects.append(f"coalesce(sum(t{i}.n), 0) AS [{module.KIND}]")
    sql = f"""SELECT coalesce(substr(a.published, 1, 4), '(none)') AS year, {', '.join(selects)}
              FROM articles a {' '.join(joins)} GROUP BY 1 ORDER BY 1"""
    return list(db.query(sql))


def stats(db) -> list[tuple[str, list[dict]]]:
    """Titled tables of counts: per fact kind, per province, per year of publication.

    Example: `dict(stats(db))["Facts per kind"][0]["kind"] == "documents"`
    """
    return [("Facts per kind", kind_counts(db)),
            ("Per province", province_counts(db)),
            ("Per year of publication", year_counts(db))]
