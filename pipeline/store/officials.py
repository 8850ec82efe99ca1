"""People and the offices they are reported in, across articles.

`rebuild(db)` streams `person_mentions` once in name order (joined to its article), resolves
who is who within each folded name (`pipeline.store.identity`), reads every title as a normalised
office (`pipeline.store.positions`) and writes, in one transaction, `people` (one row per person,
with a stable `key`), `positions` (one row per person and office: role in its one spelling,
organisation completed with its province, canonical province key, first/last seen, one citing
sentence), `position_articles`, and each mention's `person_id`/`person_key`. Memory holds one
name's mentions. A rebuild over the same articles, rules and code is skipped (`fingerprint`).
"""
from __future__ import annotations

import collections
import functools
import itertools
import json
import logging
import unicodedata
from typing import Iterator

from extractors.text.textnorm import fold
from pipeline.store import fingerprint as fp
from pipeline.store import identity, positions
from pipeline.store.identity import CoNames, Mention, NameStats
from pipeline.store.storage import DerivedTable, add_column, rebuilding

log = logging.getLogger(__name__)

GAZETTEER_FILES = ["identity", "positions", "titles", "names", "provinces", "province_aliases"]
CODE_FILES = [__file__, identity.__file__, positions.__file__]


def ascii_key(text: str | None) -> str:
    """Folded text without diacritics, for queries typed without them: `Lai Châu` -> `lai chau`."""
    t = unicodedata.normalize("NFD", fold(text or "")).replace("đ", "d")
    return "".join(ch for ch in t if not unicodedata.combining(ch))


def _mention(rowid: int, article_id: int, data: str | None, published: str | None, source: str,
             digest: str) -> Mention | None:
    """One stored person mention with its article's date, source and hash, or None without a name."""
    fact = json.loads(data or "{}")
    if not fact.get("name"):
        return None
    details = fact.get("title_details") or [{"text": t} for t in fact.get("titles") or []]
    offices = [positions.office(d) for d in details if d.get("text")]
    ranks = [o.text for o in offices if not o.is_office] + list(fact.get("professions") or [])
    return Mention(rowid=rowid, article_id=article_id, article_hash=digest, source=source, published=published,
                   name=fact["name"], start=fact.get("start") or 0, offices=offices, ranks=ranks, details=details,
                   aliases=list(fact.get("aliases") or []))


def _prepare(db) -> None:
    """Give every mention its `name_key` (older versions lack it) and the identity columns."""
    columns = db["person_mentions"].columns_dict
    for col, typ in (("name_key", str), ("person_id", int), ("person_key", str)):
        if col not in columns:
            add_column(db, "person_mentions", col, typ)
    if "name" not in columns:  # no person was ever stored
        return
    missing = db.execute("SELECT rowid, name FROM person_mentions WHERE name_key IS NULL AND name IS NOT NULL").fetchall()
    if missing:
        with db.conn:
            db.conn.executemany("UPDATE person_mentions SET name_key = ? WHERE rowid = ?",
                                [(fold(name or ""), rowid) for rowid, name in missing])
    db["person_mentions"].create_index(["name_key"], if_not_exists=True)


def name_stats(db) -> NameStats:
    """Syllable frequencies over the distinct names of the collection (streamed)."""
    rows = db.conn.execute("SELECT DISTINCT name_key FROM person_mentions WHERE name_key IS NOT NULL")
    return NameStats.from_keys(k for (k,) in rows)


def _name_groups(db) -> Iterator[tuple[str, list[Mention]]]:
    """The mentions of each folded name, one name at a time (streamed in `name_key` order, so memory
    holds one name's mentions, not the corpus's). Within a name, mentions come in an order set by the
    articles' content (date, path, the mention itself), not by article ids, so ties (`Tỉnh ủy` / `tỉnh ủy` once
    each) go the same way whatever order a resumed run stored the articles in."""
    rows = db.conn.execute(
        "SELECT pm.name_key, pm.rowid, pm.article_id, pm.data, a.published, a.source, a.hash "
        "FROM person_mentions pm JOIN articles a ON a.id = pm.article_id "
        "WHERE pm.name_key IS NOT NULL ORDER BY pm.name_key, a.published, a.path, a.hash, pm.data")
    for key, items in itertools.groupby(rows, key=lambda row: row[0]):
        group = [m for m in (_mention(*row[1:]) for row in items) if m]
        if group:
            yield key, group


PEOPLE = DerivedTable("people", {"id": int, "key": str, "name": str, "name_fold": str, "aliases": str,
                                 "province": str, "province_key": str, "first_seen": str, "last_seen": str,
                                 "n_articles": int, "n_mentions": int, "n_positions": int, "ranks": str,
                                 "is_foreign": int, "name_prior": float,
                                 "corrections": str},  # the archivist's ids; in the schema so it never flaps
                      pk="id", indexes=[["name_fold"], ["province_key"], ["key"]])
POSITIONS = DerivedTable("positions", {"id": int, "key": str, "person_id": int, "person_key": str, "name": str,
                                       "title": str, "role": str, "organisation": str, "province": str,
                                       "province_key": str, "province_2025": str, "family": str,
                                       "completed": str, "former": int,
                                       "first_seen": str, "last_seen": str, "n_articles": int, "articles": str,
                                       "sentence": str, "sentence_source": str,
                                       "name_fold": str, "title_fold": str, "role_fold": str, "org_fold": str,
                                       "province_fold": str, "name_ascii": str, "title_ascii": str,
                                       "province_ascii": str, "corrections": str},
                         pk="id", foreign_keys=[("person_id", "people", "id")],
                         indexes=[["name_fold"], ["role_fold"], ["province_key"], ["person_id"], ["title_fold"],
                                  ["key"]])
# no foreign key to articles: re-running an article deletes it before the next rebuild
POSITION_ARTICLES = DerivedTable("position_articles", {"position_id": int, "article_id": int},
                                 pk=("position_id", "article_id"),
                                 foreign_keys=[("position_id", "positions", "id")], indexes=[["article_id"]])
TABLES = [PEOPLE, POSITIONS, POSITION_ARTICLES]


def rebuild(db, force: bool = False) -> bool:
    """Recompute `people`, `positions`, `position_articles` and each mention's person, in one
    transaction, one name at a time; skipped when articles, rules and code are as last time.
    Returns whether it rebuilt.

    Example: `rebuild(open_db("outputs/facts.db")); db["positions"].count`
    """
    has_mentions = "person_mentions" in db.table_names()
    if has_mentions:
        _prepare(db)  # before the transaction: sqlite-utils' schema changes commit on their own
    print_ = fp.fingerprint(db, GAZETTEER_FILES, CODE_FILES, ("person_mentions",))
    if not force and fp.is_current(db, "officials", print_, [t.name for t in TABLES]):
        log.info("officials: articles unchanged since the last rebuild, skipped")
        return False
    counts = {"people": 0, "positions": 0, "mentions": 0}
    has_names = has_mentions and "name_key" in db["person_mentions"].columns_dict
    stats = name_stats(db) if has_names else NameStats()
    co = CoNames(db.conn, stats)
    with rebuilding(db, TABLES) as insert:
        if has_names:
            db.conn.execute("UPDATE person_mentions SET person_id = NULL, person_key = NULL")
        for key, group in _name_groups(db) if has_names else ():
            counts["mentions"] += len(group)
            prior = stats.prior(key)
            for cluster in identity.cluster(key, group, prior, co):
                person, rows, links = _person(db, key, cluster, prior, stats, counts)
                insert("people", [person])
                insert("positions", rows)
                insert("position_articles", links)
                db.conn.executemany("UPDATE person_mentions SET person_id = ?, person_key = ? WHERE rowid = ?",
                                    [(person["id"], person["key"], m.rowid) for m in cluster])
    fp.record(db, "officials", print_)
    log.info("officials: %d people, %d positions from %d mentions", counts["people"], counts["positions"],
             counts["mentions"])
    return True


def _merge_short_offices(by_key: dict[str, list]) -> None:
    """`Bí thư Tỉnh ủy` (no province) and `Thủ tướng` (no body) join the person's one office of
    the same role that names them (`Bí thư Tỉnh ủy Hà Nam`, `Thủ tướng Chính phủ`)."""
    for k in sorted(by_key, key=len):
        role, org = k.split("|", 1)
        longer = [k2 for k2 in by_key if k2 != k and k2.startswith(f"{role}|{org}") and
                  (not org or k2[len(role) + 1 + len(org):].startswith(" "))]
        if len(longer) == 1:
            by_key[longer[0]].extend(by_key.pop(k))


def _sentence(db, article_id: int, offset: int) -> str | None:
    if "sentences" not in db.table_names():
        return None
    row = db.conn.execute("SELECT text FROM sentences WHERE article_id = ? AND start <= ? AND [end] > ? LIMIT 1",
                          (article_id, offset, offset)).fetchone()
    return row[0] if row else None


def _person(db, key: str, cluster: list[Mention], prior: float, stats: NameStats,
            counts: dict) -> tuple[dict, list[dict], list[dict]]:
    """One person's row, positions and position-article links; `counts` numbers them."""
    counts["people"] += 1
    pid = counts["people"]
    pkey = identity.person_key(key, cluster)
    dates = sorted(m.published for m in cluster if m.published)
    names = collections.Counter(m.name for m in cluster)
    name = sorted(names.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    provs = collections.Counter(o.province for m in cluster for o in m.offices if o.is_office and o.province)
    top = sorted(provs.items(), key=lambda kv: (-kv[1], kv[0].key))[0][0] if provs else None
    by_key: dict[str, list[tuple[Mention, positions.Office, dict]]] = collections.defaultdict(list)
    for m in cluster:
        for o, d in zip(m.offices, [d for d in m.details if d.get("text")]):
            if o.is_office:
                by_key[o.key].append((m, o, d))
    _merge_short_offices(by_key)
    rows, links = [], []
    for okey, items in sorted(by_key.items()):
        counts["positions"] += 1
        posid = counts["positions"]
        full = max((o for _, o, _ in items), key=lambda o: (bool(o.province), len(o.organisation or ""), o.text))
        texts = collections.Counter(o.text for _, o, _ in items)
        arts = sorted({(m.published or "", m.source, m.article_id) for m, _, _ in items})
        pdates = [a[0] for a in arts if a[0]]
        first_m, _, first_d = min(items, key=lambda it: (it[0].published or "9999", it[0].anchor))
        title = max(texts, key=lambda t: (t == full.text, texts[t], len(t), t))
        prov = full.province
        rows.append({
            "id": posid, "key": f"{pkey}/{okey}", "person_id": pid, "person_key": pkey, "name": name,
            "title": title, "role": full.role, "organisation": full.organisation,
            "province": prov.name if prov else None, "province_key": prov.key if prov else None,
            "province_2025": prov.merged_into if prov else None, "family": full.family,
            "completed": first_d.get("completed"), "former": int(all(o.former for _, o, _ in items)),
            "first_seen": pdates[0] if pdates else None, "last_seen": pdates[-1] if pdates else None,
            "n_articles": len(arts), "articles": ",".join(a[1] for a in arts),
            "sentence": _sentence(db, first_m.article_id, first_d.get("start", first_m.start)),
            "sentence_source": first_m.source,
            "name_fold": key, "title_fold": fold(title), "role_fold": full.role_key, "org_fold": full.org_key,
            "province_fold": fold(prov.name) if prov else "", "name_ascii": ascii_key(key),
            "title_ascii": ascii_key(title), "province_ascii": ascii_key(prov.name) if prov else "",
        })
        links.extend({"position_id": posid, "article_id": a[2]} for a in arts)
    aliases = sorted((set(names) | {a for m in cluster for a in m.aliases}) - {name})
    ranks = sorted({r for m in cluster for r in m.ranks})
    person = {"id": pid, "key": pkey, "name": name, "name_fold": key,
              "aliases": json.dumps(aliases, ensure_ascii=False), "province": top.name if top else None,
              "province_key": top.key if top else None,
              "first_seen": dates[0] if dates else None, "last_seen": dates[-1] if dates else None,
              "n_articles": len({m.article_id for m in cluster}), "n_mentions": len(cluster),
              "n_positions": len(rows), "ranks": json.dumps(ranks, ensure_ascii=False),
              "is_foreign": int(stats.is_foreign(key)), "name_prior": round(prior, 2)}
    return person, rows, links


def query_officials(db, name: str | None = None, role: str | None = None, province: str | None = None,
                    year: int | None = None, merged: bool = False) -> list[dict]:
    """Positions matching every given filter (case and tone-mark placement ignored; a filter typed
    without diacritics, `lai chau`, matches without them).

    `role` matches the start of the title (`Bí thư Tỉnh ủy` finds `Bí thư Tỉnh ủy Lai Châu`, not
    `Phó Bí thư ...`) or the role exactly; `province` is matched on the canonical province key,
    never a substring (`Huế` is not `Thuế`); with `merged`, a 2025 province also selects those
    merged into it (`Ninh Bình` with Hà Nam); `year` keeps positions whose first..last seen covers it.
    A person the name filter finds without any office is listed once, with no title.
    Example: `query_officials(db, role="Bí thư Tỉnh ủy", province="Lai Châu", year=2024)`
    """
    from extractors.text.provinces import keys_for

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
        r = positions.role_key(role)
        c, rt = col("title", " ".join(w for w in fold(role).split() if w not in positions.former_words()))
        where.append(f"({c} LIKE ? OR p.role_fold = ? OR p.role_fold || ' ' || p.org_fold LIKE ?)")
        params += [f"{rt}%", r, f"{r}%"]
    if province:
        keys = sorted(keys_for(province, merged=merged))
        where.append(f"p.province_key IN ({', '.join('?' for _ in keys) or 'NULL'})")
        params += keys
    if year:
        where.append("(substr(p.first_seen, 1, 4) <= ? AND substr(p.last_seen, 1, 4) >= ?)")
        params += [str(year), str(year)]
    cols = ["person", "name", "title", "role", "organisation", "province", "first_seen", "last_seen", "articles"]
    cols += ["corrections"]  # the archivist's (vnfacts correct); a database from before the column: NULL
    fixed = "p.corrections" if "corrections" in db["positions"].columns_dict else "NULL"
    rows = db.execute(
        f"SELECT p.person_key, p.name, p.title, p.role, p.organisation, p.province, p.first_seen, p.last_seen, "
        f"p.articles, {fixed} FROM positions p WHERE {' AND '.join(where)} "
        f"ORDER BY p.name_fold, p.person_id, p.first_seen, p.title", params).fetchall()
    out = [dict(zip(cols, row)) for row in rows]
    if name and not (role or province or year):  # people of that name reported without any office
        plain = ascii_key(name) == fold(name)
        wanted = ascii_key(name) if plain else fold(name)
        bare = [r for r in db.execute("SELECT key, name, first_seen, last_seen, name_fold FROM people "
                                      "WHERE n_positions = 0 ORDER BY name_fold, id").fetchall()
                if wanted in (ascii_key(r[4]) if plain else r[4])]
        for r in bare:
            out.append({"person": r[0], "name": r[1], "title": None, "role": None, "organisation": None,
                        "province": None, "first_seen": r[2], "last_seen": r[3],
                        "articles": _person_articles(db, r[0]), "corrections": None})
    return out


def _person_articles(db, person_key: str) -> str:
    rows = db.execute("SELECT DISTINCT a.source FROM person_mentions pm JOIN articles a ON a.id = pm.article_id "
                      "WHERE pm.person_key = ? ORDER BY a.published, a.source", (person_key,)).fetchall()
    return ",".join(r[0] for r in rows)
