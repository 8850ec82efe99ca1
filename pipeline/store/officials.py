"""People and the offices they are reported in, across articles.

`rebuild(db)` streams the `person_mentions` fact table once in name order
(joined to `articles.published`) and writes `people`, `positions` and
`position_articles` in one transaction, one name at a time, so memory does
not grow with the corpus. Two mentions are the same person only when the folded
name agrees AND the context agrees: they share a province or an organisation
in their titles, and their articles are at most `MAX_GAP_YEARS` apart; a
mention whose titles name no province joins the one person whose same title
does (`Bí thư Tỉnh ủy` -> `Bí thư Tỉnh ủy Lai Châu`), and that short title
then counts as the provincial position. A mention without any title context joins the person of that name only when
there is exactly one; otherwise it stays a person of its own (same-name
strangers stay apart).
"""
from __future__ import annotations

import collections
import functools
import itertools
import json
import logging
import unicodedata
from typing import Iterator

from pipeline.store.storage import DerivedTable, add_column, rebuilding
from extractors.text.provinces import province_key, register_sql_functions
from extractors.text.lexicon import Lexicon
from extractors.text.textnorm import fold

log = logging.getLogger(__name__)

MAX_GAP_YEARS = 15


@functools.cache
def _former_words() -> tuple[str, ...]:
    """`nguyên `, `cựu `, `tân `, `quyền `: the office qualifiers of the lexicon, folded, with their space."""
    return tuple(f"{fold(w)} " for w in sorted(Lexicon.of().office_qualifiers))


def _strip_former(text: str) -> str:
    t = fold(text)
    for w in _former_words():
        if t.startswith(w):
            return t[len(w):]
    return t


def ascii_key(text: str | None) -> str:
    """Folded text without diacritics, for queries typed without them: `Lai Châu` -> `lai chau`."""
    t = unicodedata.normalize("NFD", fold(text or "")).replace("đ", "d")
    return "".join(ch for ch in t if not unicodedata.combining(ch))


def _completions(keys: set[str], provinces: set[str]) -> dict[str, str]:
    """A person's title key without a province -> the one key that adds the province he is reported in.

    Example: {`bí thư tỉnh ủy`, `bí thư tỉnh ủy lai châu`} with {`lai châu`} maps the first to the second.
    """
    out = {}
    for k in keys:
        longer = [k2 for k2 in keys if k2.startswith(k + " ")
                  and any(k2.endswith(" " + p) and len(k2) - len(k) <= len(p) + 12 for p in provinces)]
        if len(longer) == 1:
            out[k] = longer[0]
    return out


def _year(date: str | None) -> int | None:
    return int(date[:4]) if date and date[:4].isdigit() else None


class _Union:
    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        self.parent[self.find(a)] = self.find(b)


def _mention(article_id: int, data: str | None, published: str | None, source: str) -> dict | None:
    """One stored person mention with its article's date and source, or None without a name."""
    fact = json.loads(data or "{}")
    if not fact.get("name"):
        return None
    details = fact.get("title_details") or [{"text": t} for t in fact.get("titles") or []]
    provinces = {fold(d["province"]) for d in details if d.get("province")}
    orgs = {fold(d["organisation"]) for d in details if d.get("organisation")}
    tkeys = {_strip_former(d.get("completed") or d["text"]) for d in details if d.get("text")}
    return {"article_id": article_id, "name": fact["name"], "key": fold(fact["name"]), "tkeys": tkeys,
            "published": published, "source": source, "details": details, "provinces": provinces, "orgs": orgs}


def _backfill_keys(db) -> None:
    """Give every mention its `name_key` (the folded name; mentions stored by older versions lack it)."""
    columns = db["person_mentions"].columns_dict
    if "name_key" not in columns:
        add_column(db, "person_mentions", "name_key", str)
    if "name" not in columns:  # no person was ever stored
        return
    missing = db.execute("SELECT rowid, name FROM person_mentions WHERE name_key IS NULL").fetchall()
    if missing:
        with db.conn:
            db.conn.executemany("UPDATE person_mentions SET name_key = ? WHERE rowid = ?",
                                [(fold(name or ""), rowid) for rowid, name in missing])
    db["person_mentions"].create_index(["name_key"], if_not_exists=True)


def _name_groups(db) -> Iterator[tuple[str, list[dict]]]:
    """The mentions of each folded name, one name at a time (streamed in `name_key` order, so memory
    holds one name's mentions, not the corpus's)."""
    rows = db.conn.execute(
        "SELECT pm.name_key, pm.article_id, pm.data, a.published, a.source FROM person_mentions pm "
        "JOIN articles a ON a.id = pm.article_id ORDER BY pm.name_key")
    for key, items in itertools.groupby(rows, key=lambda row: row[0]):
        group = [m for m in (_mention(*row[1:]) for row in items) if m]
        if group:
            yield key, group


def _cluster(group: list[dict]) -> list[list[dict]]:
    """Split the mentions of one name into persons (see module doc)."""
    n = len(group)
    uf = _Union(n)
    ctx = [i for i in range(n) if group[i]["provinces"] or group[i]["orgs"]]
    by_feature: dict[str, list[int]] = collections.defaultdict(list)
    for i in ctx:
        for p in group[i]["provinces"]:
            by_feature["p:" + p].append(i)
        for o in group[i]["orgs"]:
            by_feature["o:" + o].append(i)
    for members in by_feature.values():
        members = sorted(members, key=lambda i: group[i]["published"] or "")
        for a, b in zip(members, members[1:]):
            ya, yb = _year(group[a]["published"]), _year(group[b]["published"])
            if ya is None or yb is None or abs(ya - yb) <= MAX_GAP_YEARS:
                uf.union(a, b)
    # a mention placed nowhere (`Bí thư Tỉnh ủy`) joins the one person whose same title names a province
    placed = [j for j in ctx if group[j]["provinces"]]
    for i in ctx:
        if group[i]["provinces"]:
            continue
        homes = {uf.find(j) for j in placed
                 if any(k2.startswith(k + " ") for k in group[i]["tkeys"] for k2 in group[j]["tkeys"])}
        if len(homes) == 1:
            uf.union(i, homes.pop())
    roots = {uf.find(i) for i in ctx}
    bare = [i for i in range(n) if i not in set(ctx)]
    if len(roots) == 1:
        root = next(iter(roots))
        for i in bare:
            uf.union(i, root)
    clusters: dict[int, list[dict]] = collections.defaultdict(list)
    for i in range(n):
        clusters[uf.find(i)].append(group[i])
    if not roots:  # nobody placed: one person per article
        per_article: dict[int, list[dict]] = collections.defaultdict(list)
        for m in group:
            per_article[m["article_id"]].append(m)
        return list(per_article.values())
    return list(clusters.values())


PEOPLE = DerivedTable("people", {"id": int, "name": str, "name_fold": str, "province": str, "first_seen": str,
                                 "last_seen": str, "n_articles": int},
                      pk="id", indexes=[["name_fold"], ["province"]])
POSITIONS = DerivedTable("positions", {"id": int, "person_id": int, "name": str, "title": str, "role": str,
                                       "organisation": str, "province": str, "completed": str, "former": int,
                                       "first_seen": str, "last_seen": str, "n_articles": int, "articles": str,
                                       "name_fold": str, "title_fold": str, "role_fold": str,
                                       "province_fold": str, "name_ascii": str, "title_ascii": str,
                                       "province_ascii": str},
                         pk="id", foreign_keys=[("person_id", "people", "id")],
                         indexes=[["name_fold"], ["role_fold"], ["province_fold"], ["person_id"], ["title_fold"]])
# no foreign key to articles: re-running an article deletes it before the next rebuild
POSITION_ARTICLES = DerivedTable("position_articles", {"position_id": int, "article_id": int},
                                 pk=("position_id", "article_id"),
                                 foreign_keys=[("position_id", "positions", "id")], indexes=[["article_id"]])


def rebuild(db) -> None:
    """Recompute `people`, `positions` and `position_articles` from `person_mentions`, in one
    transaction, one name at a time.

    Example: `rebuild(open_db("outputs/facts.db")); db["positions"].count`
    """
    ids = {"people": 0, "positions": 0, "mentions": 0}
    has_mentions = "person_mentions" in db.table_names()
    if has_mentions:
        _backfill_keys(db)  # before the transaction: sqlite-utils' schema changes commit on their own
    with rebuilding(db, [PEOPLE, POSITIONS, POSITION_ARTICLES]) as insert:
        for key, group in _name_groups(db) if has_mentions else ():
            ids["mentions"] += len(group)
            for cluster in _cluster(group):
                person, positions, links = _person(key, cluster, ids)
                insert("people", [person])
                insert("positions", positions)
                insert("position_articles", links)
    log.info("officials: %d people, %d positions from %d mentions", ids["people"], ids["positions"], ids["mentions"])


def _person(key: str, cluster: list[dict], ids: dict) -> tuple[dict, list[dict], list[dict]]:
    """One person's row, positions and position-article links; `ids` numbers them."""
    ids["people"] += 1
    pid = ids["people"]
    dates = sorted(m["published"] for m in cluster if m["published"])
    provs = collections.Counter(d["province"] for m in cluster for d in m["details"] if d.get("province"))
    person = {"id": pid, "name": collections.Counter(m["name"] for m in cluster).most_common(1)[0][0],
              "name_fold": key, "province": provs.most_common(1)[0][0] if provs else None,
              "first_seen": dates[0] if dates else None, "last_seen": dates[-1] if dates else None,
              "n_articles": len({m["article_id"] for m in cluster})}
    by_title: dict[str, list[tuple[dict, dict]]] = collections.defaultdict(list)
    for m in cluster:
        for d in m["details"]:
            if d.get("text"):
                by_title[_strip_former(d.get("completed") or d["text"])].append((m, d))
    # `Bí thư Tỉnh ủy` (one article) and `Bí thư Tỉnh ủy Lai Châu` (another) are one position
    for short, full in _completions(set(by_title), {fold(p) for p in provs}).items():
        by_title[full].extend(by_title.pop(short))
    positions, links = [], []
    for tkey, items in sorted(by_title.items()):
        ids["positions"] += 1
        posid = ids["positions"]
        texts = collections.Counter(d["text"] for _, d in items)
        first = max(items, key=lambda it: len(it[1]["text"]))[1]
        arts = sorted({(m["published"] or "", m["source"], m["article_id"]) for m, _ in items})
        pdates = [a[0] for a in arts if a[0]]
        positions.append({
            "id": posid, "person_id": pid, "name": person["name"],
            "title": texts.most_common(1)[0][0], "role": first.get("role"),
            "organisation": first.get("organisation"), "province": first.get("province"),
            "completed": first.get("completed"), "former": int(bool(first.get("former"))),
            "first_seen": pdates[0] if pdates else None, "last_seen": pdates[-1] if pdates else None,
            "n_articles": len(arts), "articles": ",".join(a[1] for a in arts),
            "name_fold": key, "title_fold": tkey, "role_fold": fold(first.get("role") or ""),
            "province_fold": fold(first.get("province") or ""),
            "name_ascii": ascii_key(key), "title_ascii": ascii_key(tkey),
            "province_ascii": ascii_key(first.get("province")),
        })
        links.extend({"position_id": posid, "article_id": a[2]} for a in arts)
    return person, positions, links


def query_officials(db, name: str | None = None, role: str | None = None, province: str | None = None,
                    year: int | None = None) -> list[dict]:
    """Positions matching every given filter (case and tone-mark placement ignored; a filter typed
    without diacritics, `lai chau`, matches without them).

    `role` matches the start of the title (`Bí thư Tỉnh ủy` finds `Bí thư Tỉnh ủy Lai Châu`, not
    `Phó Bí thư ...`) or the role exactly; `year` keeps positions whose first..last seen covers it.
    Example: `query_officials(db, role="Bí thư Tỉnh ủy", province="Lai Châu", year=2024)`
    """
    if "positions" not in db.table_names():
        return []
    where, params = ["1=1"], []

    def col(name: str, value: str) -> tuple[str, str]:
        """The column and key to compare: without diacritics when the query has none (`lai chau`)."""
        plain = ascii_key(value)
        return (f"p.{name}_ascii", plain) if plain == fold(value) else (f"p.{name}_fold", fold(value))
    if name:
        c, v = col("name", name)
        where.append(f"({c} = ? OR {c} LIKE ?)")
        params += [v, f"%{v}%"]
    if role:
        c, r = col("title", _strip_former(role))
        where.append(f"({c} LIKE ? OR p.role_fold = ? OR lower(p.title) LIKE ?)")
        params += [f"{r}%", r, f"{r}%"]
    if province:  # its canonical key (`Huế` = `Thừa Thiên Huế`), never a substring (`Cục Thuế`)
        key = province_key(province)
        register_sql_functions(db.conn)
        where.append("(vnfacts_province_key(p.province) = ? OR "
                     "(p.province IS NULL AND vnfacts_names_province(p.title, ?)))")
        params += [key, key]
    if year:
        where.append("(substr(p.first_seen, 1, 4) <= ? AND substr(p.last_seen, 1, 4) >= ?)")
        params += [str(year), str(year)]
    rows = db.execute(
        f"SELECT p.name, p.title, p.role, p.organisation, p.province, p.first_seen, p.last_seen, p.articles "
        f"FROM positions p WHERE {' AND '.join(where)} ORDER BY p.name_fold, p.first_seen, p.title", params)
    cols = ["name", "title", "role", "organisation", "province", "first_seen", "last_seen", "articles"]
    return [dict(zip(cols, row)) for row in rows.fetchall()]
