"""One read-only view of who is who, for the FtM export and the archivist's corrections.

The identity tables (`people`, `positions`, `position_articles`, `documents`) say which persons and
offices there are; this module adds what they do not store: which person mentions (article + name)
make up each person, and a stable canonical key per person. It is the only place that knows how
`pipeline.store.officials` numbers its persons, so a change there is a change here only.

Example: `[p.key for p in persons(db)][:1]` -> `['trương thị mai|0f3a...']`
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Iterator

from pipeline.store import officials


@dataclass
class PersonRecord:
    """A person as the identity step groups it: its row id, folded name, mentions and canonical key."""
    id: int
    name_key: str
    mentions: list[dict] = field(default_factory=list)  # officials' mention dicts + `hash`

    @property
    def hashes(self) -> set[str]:
        return {m["hash"] for m in self.mentions}

    @property
    def key(self) -> str:
        """Canonical key, stable across re-runs of the same articles: folded name + first article hash."""
        return f"{self.name_key}|{min(self.hashes)}"


def _hashes(db) -> dict[int, str]:
    return dict(db.conn.execute("SELECT id, hash FROM articles").fetchall())


def clusters(db) -> list[PersonRecord]:
    """Every person of the mention table, in the order (and so with the ids) `officials.rebuild` gives.

    Computed from `person_mentions`, so it reflects the facts as they stand in this transaction.
    """
    if "person_mentions" not in db.table_names() or "name_key" not in db["person_mentions"].columns_dict:
        return []
    hashes = _hashes(db)
    out: list[PersonRecord] = []
    for key, group in officials._name_groups(db):
        for cluster in officials._cluster(group):
            for m in cluster:
                m["hash"] = hashes.get(m["article_id"])
            out.append(PersonRecord(len(out) + 1, key, cluster))
    return out


def person_rows(key: str, cluster: list[dict], person_id: int, next_position: int) -> tuple[dict, list, list]:
    """`people`, `positions` and `position_articles` rows of one person, as `officials.rebuild` writes them."""
    ids = {"people": person_id - 1, "positions": next_position - 1}
    return officials._person(key, cluster, ids)


def persons(db) -> Iterator[dict]:
    """Each stored person with its canonical key, names, article hashes and positions (identity tables).

    Example: `next(persons(db))["positions"][0]["title"]`
    """
    if "people" not in db.table_names():
        return
    members = _members(db)
    stored_keys = _stored_keys(db)
    positions: dict[int, list[dict]] = {}
    cur = db.conn.execute("SELECT * FROM positions ORDER BY person_id, id")
    cols = [c[0] for c in cur.description]
    for row in cur.fetchall():
        rec = dict(zip(cols, row))
        positions.setdefault(rec["person_id"], []).append(rec)
    links: dict[int, list[int]] = {}
    for pos_id, art_id in db.conn.execute("SELECT position_id, article_id FROM position_articles ORDER BY 1, 2"):
        links.setdefault(pos_id, []).append(art_id)
    hashes = _hashes(db)
    cur = db.conn.execute("SELECT * FROM people ORDER BY id")
    cols = [c[0] for c in cur.description]
    for row in cur.fetchall():
        person = dict(zip(cols, row))
        mentions = members.get(person["id"], [])
        person["key"] = stored_keys.get(person["id"]) or _key(person, mentions)
        person["names"] = sorted({m["name"] for m in mentions if m.get("name")} | {person["name"]})
        person["aliases"] = sorted({a for m in mentions for a in m.get("aliases") or []})
        person["hashes"] = sorted({m["hash"] for m in mentions if m.get("hash")})
        person["positions"] = positions.get(person["id"], [])
        for pos in person["positions"]:
            pos["hashes"] = sorted({hashes[a] for a in links.get(pos["id"], []) if a in hashes})
        yield person


def _stored_keys(db) -> dict[int, str]:
    """Canonical keys the identity step stores itself (a `key` column of `people`), when it does."""
    if "key" not in db["people"].columns_dict:
        return {}
    return {i: k for i, k in db.conn.execute("SELECT id, key FROM people") if k}


def _key(person: dict, mentions: list[dict]) -> str:
    hashes = sorted(m["hash"] for m in mentions if m.get("hash"))
    return f"{person['name_fold']}|{hashes[0] if hashes else person['id']}"


def _members(db) -> dict[int, list[dict]]:
    """Person id -> its mentions (name, aliases, article hash): from `person_members`, which the
    corrections step writes when it merges or splits people, else from the identity step's grouping."""
    out: dict[int, list[dict]] = {}
    if "person_members" not in db.table_names():
        aliases = _aliases(db)
        for rec in clusters(db):
            out[rec.id] = [{"name": m["name"], "aliases": aliases.get((m["article_id"], m["key"]), []),
                            "hash": m["hash"]} for m in rec.mentions]
        return out
    rows = db.conn.execute(
        "SELECT x.person_id, pm.data, a.hash FROM person_members x JOIN articles a ON a.hash = x.hash "
        "JOIN person_mentions pm ON pm.article_id = a.id AND pm.name_key = x.name_key").fetchall()
    for person_id, data, digest in rows:
        fact = json.loads(data or "{}")
        out.setdefault(person_id, []).append({"name": fact.get("name"), "aliases": fact.get("aliases") or [],
                                              "hash": digest})
    return out


def _aliases(db) -> dict[tuple[int, str], list[str]]:
    """(article id, folded name) -> the other forms of the name that article uses (`ông Thọ`)."""
    if "aliases" not in db["person_mentions"].columns_dict:
        return {}
    rows = db.conn.execute("SELECT article_id, name_key, aliases FROM person_mentions "
                           "WHERE aliases IS NOT NULL AND aliases != '[]'").fetchall()
    return {(a, k): json.loads(v) for a, k, v in rows}


def documents(db) -> Iterator[dict]:
    """Each canonical document with the hashes of the articles citing it."""
    if "documents" not in db.table_names():
        return
    cur = db.conn.execute("SELECT * FROM documents ORDER BY id")
    cols = [c[0] for c in cur.description]
    cited: dict[str, list[str]] = {}
    for doc_id, digest in db.conn.execute("SELECT DISTINCT c.id, a.hash FROM citations c JOIN articles a "
                                          "ON a.id = c.article_id WHERE c.id IS NOT NULL ORDER BY 1, 2"):
        cited.setdefault(doc_id, []).append(digest)
    for row in cur.fetchall():
        doc = dict(zip(cols, row))
        doc["hashes"] = cited.get(doc["id"], [])
        yield doc
