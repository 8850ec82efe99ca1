"""Terminal queries over the database: full-text search and counts (`vnfacts search`, `vnfacts stats`)."""
from __future__ import annotations

import collections
import logging
import unicodedata

import regex

from extractors import kinds
from extractors.text.provinces import register_sql_functions
from extractors.text.textnorm import fold, fold_chars, is_unaccented, unaccent as ascii_key
from pipeline.interfaces.articles import headline
from pipeline.store.search_index import fold_query_d, has_plain_index

log = logging.getLogger(__name__)

PHRASE_RE = regex.compile(r'"([^"]*)"|(\S+)')


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
    """Articles matching `query`, the whole phrase first, then every word anywhere, each with its
    headline (or first sentence), URL and a snippet.

    A query with diacritics searches `articles_fts` (exact words) and then the unaccented index; one
    typed without (`thu tuong`) searches `articles_fts_plain` (see `pipeline.store.search_index`),
    where articles with the phrase's most frequent written form (`Thủ tướng`) come first.
    Example: `search_articles(db, "Trương Thị Mai")[0]["source"] == "000_635af670fab18767.txt"`
    """
    if "articles_fts" not in db.table_names():
        return []
    plain = has_plain_index(db)
    accented = not is_unaccented(query)
    plans: list[tuple[str, str, bool]] = []  # (fts table, MATCH expression, is the whole phrase)
    if accented:
        plans += [("articles_fts", expr, i == 0 and '"' not in query) for i, expr in enumerate(fts_queries(query))]
    if plain:
        plans += [("articles_fts_plain", expr, i == 0 and '"' not in query)
                  for i, expr in enumerate(fts_queries(fold_query_d(query)))]
    elif not accented and (expr := unaccented_query(db, query)):
        plans.append(("articles_fts", expr, False))
    rows: list[dict] = []
    seen: set[int] = set()
    words = [fold_chars(w) for w in PLAIN_WORD_RE.findall(fold_query_d(unicodedata.normalize("NFC", query)))]
    for table, expr, whole in plans:
        if len(rows) >= limit:
            break
        window = RERANK_WINDOW if whole and table == "articles_fts_plain" else limit
        ids = [r[0] for r in db.execute(f"SELECT rowid FROM [{table}] WHERE [{table}] MATCH ? ORDER BY rank LIMIT ?",
                                        [expr, window]).fetchall()]
        hits = [h for h in _load(db, [i for i in ids if i not in seen])]
        if whole and table == "articles_fts_plain":
            hits = _rerank(hits, words)
        for hit in hits:
            if len(rows) >= limit:
                break
            seen.add(hit["id"])
            rows.append({"source": hit["source"], "published": hit["published"],
                         "title": headline(hit["title"], hit["text"]), "url": hit["url"],
                         "snippet": snippet(hit["text"] or "", words, hit.get("variant"))})
    return rows


PLAIN_WORD_RE = regex.compile(r"[\p{L}\p{N}]+")
RERANK_WINDOW = 200
SNIPPET_CHARS = 70


def _load(db, ids: list[int]) -> list[dict]:
    """The articles with these ids, in this order."""
    if not ids:
        return []
    got = {r["id"]: r for r in db.query(
        f"SELECT id, source, published, title, url, text FROM articles WHERE id IN ({','.join('?' * len(ids))})", ids)}
    return [dict(got[i]) for i in ids if i in got]


def _phrase_re(words: list[str]) -> regex.Pattern:
    return regex.compile(r"(?<![\p{L}\p{N}])" + r"[^\p{L}\p{N}]+".join(map(regex.escape, words))
                         + r"(?![\p{L}\p{N}])")


def _rerank(hits: list[dict], words: list[str]) -> list[dict]:
    """Hits holding the phrase's most frequent written form first (`Thủ tướng` before `thu Tường`),
    in index order otherwise; each hit gets the form it shows in its snippet."""
    if not words:
        return hits
    pattern = _phrase_re(words)
    forms = collections.Counter()
    per_hit = []
    for hit in hits:
        text = f"{hit['title'] or ''}\n{hit['text'] or ''}"
        found = {fold(text[m.start():m.end()]) for m in pattern.finditer(fold_chars(text))}
        per_hit.append(found)
        forms.update(found)
    if not forms:
        return hits
    top = forms.most_common(1)[0][0]
    for hit, found in zip(hits, per_hit):
        hit["variant"] = top if top in found else None
    return sorted(hits, key=lambda h: h.get("variant") is None)


def snippet(text: str, words: list[str], variant: str | None = None) -> str:
    """About 140 characters of `text` around the query: the phrase (its `variant` form when given) or
    else each word marked «»; the text's start when neither is in it.

    Example: `snippet("... Thủ tướng Phạm Minh Chính ...", ["thu", "tuong"])` contains `«Thủ tướng»`
    """
    folded = fold_chars(text)
    spans = []
    if words:
        matches = list(_phrase_re(words).finditer(folded))
        if variant:
            matches = [m for m in matches if fold(text[m.start():m.end()]) == variant] or matches
        if matches:
            spans = [matches[0].span()]
        else:
            for w in words:
                if m := _phrase_re([w]).search(folded):
                    spans.append(m.span())
            spans.sort()
    a = max(0, (spans[0][0] if spans else 0) - SNIPPET_CHARS)
    b = min(len(text), (spans[-1][1] if spans else 0) + SNIPPET_CHARS)
    if spans and b - a > 3 * SNIPPET_CHARS:  # words far apart: around the first one
        spans = spans[:1]
        b = min(len(text), spans[0][1] + SNIPPET_CHARS)
    a = text.rfind(" ", 0, a) + 1 if a > 0 else 0
    b = (text.find(" ", b) if text.find(" ", b) != -1 else len(text)) if b < len(text) else b
    out, pos = [], a
    for s, e in spans:
        if s >= pos and e <= b:
            out += [text[pos:s], "«", text[s:e], "»"]
            pos = e
    out.append(text[pos:b])
    body = " ".join("".join(out).split())
    return ("…" if a > 0 else "") + body + ("…" if b < len(text) else "")


def unaccented_query(db, text: str, per_word: int = 40) -> str | None:
    """For a database without `articles_fts_plain` (written before it existed, opened read-only): an
    FTS5 expression over `articles_fts` where every word may be any indexed word that reads the same
    without diacritics (`truong` -> `trương` OR `trường` OR ...), from the index's own vocabulary.
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
    for kind in kinds():
        if not _columns(db, kind.table):
            continue
        n, arts = next(db.query(f"SELECT count(*) AS n, count(DISTINCT article_id) AS a FROM [{kind.table}]")).values()
        rows.append({"kind": kind.name, "table": kind.table, "rows": n, "articles": arts})
    for table in ("people", "positions", "documents"):
        if _columns(db, table):
            rows.append({"kind": f"{table} (across articles)", "table": table, "rows": db[table].count, "articles": ""})
    return rows


def province_counts(db) -> list[dict]:
    """Per province, once whatever the spelling (`Huế` and `Thừa Thiên Huế` are one; keyed to the
    official list): offices held there (positions), persons, and indicators placed there."""
    from extractors.text.provinces import province

    parts = []
    if {"province", "person_id"} <= _columns(db, "positions"):
        parts.append("SELECT province AS p, 1 AS pos, person_id AS person, 0 AS ind FROM positions")
    elif "province" in _columns(db, "positions"):
        parts.append("SELECT province AS p, 1 AS pos, NULL AS person, 0 AS ind FROM positions")
    if "place" in _columns(db, "indicators"):
        parts.append("SELECT place AS p, 0 AS pos, NULL AS person, 1 AS ind FROM indicators")
    if not parts:
        return []
    register_sql_functions(db.conn)  # one row per province key: `Huế` and `Thừa Thiên Huế` together
    sql = f"""SELECT coalesce(vnfacts_province_key(p), p) AS province, sum(pos) AS positions,
                     count(DISTINCT person) AS people, sum(ind) AS indicators
              FROM ({' UNION ALL '.join(parts)}) WHERE p IS NOT NULL AND trim(p) != ''
              GROUP BY 1 ORDER BY sum(pos) + sum(ind) DESC, 1"""
    return list(db.query(sql))


def year_counts(db) -> list[dict]:
    """Per year of publication: articles and the facts of each kind in them."""
    if not _columns(db, "articles"):
        return []
    selects = ["count(DISTINCT a.id) AS articles"]
    joins = []
    for i, kind in enumerate(kinds()):
        if _columns(db, kind.table):
            joins.append(f"LEFT JOIN (SELECT article_id, count(*) AS n FROM [{kind.table}] GROUP BY article_id) t{i} "
                         f"ON t{i}.article_id = a.id")
            selects.append(f"coalesce(sum(t{i}.n), 0) AS [{kind.name}]")
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


def plain_match(query: str | None, phrase: bool = True) -> str | None:
    """The MATCH expression of `query` over `articles_fts_plain`: the whole phrase, or every word
    anywhere (`vnfacts_fts_phrase(:q)` / `vnfacts_fts_terms(:q)` in Datasette's `search` query).

    Example: `plain_match("Chỉ thị 16") == '"Chỉ thị 16"'`; `plain_match("a b", phrase=False) == '"a" "b"'`
    """
    exprs = fts_queries(fold_query_d(query or ""))
    if not exprs:
        return '""'
    return exprs[0] if phrase else exprs[-1]
