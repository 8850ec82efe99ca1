"""One view of who is who, for the FtM export and the archivist's corrections.

The identity step (`pipeline.store.officials`) stores persons (`people`, with a stable `key`), their
offices (`positions`) and each mention's person (`person_mentions.person_id`); this module reads
them back as persons with their mentions, names and articles, and writes a person's rows with the
identity step's own function. It is the only place that knows those internals.

Example: `[p["key"] for p in persons(db)][:1]` -> `['truong-thi-mai-3f2a9c1b']`
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Iterator

from pipeline.store import officials


@dataclass
class PersonRecord:
    """A person as the identity step stored it: its row id, folded name and mentions (`identity.Mention`)."""
    id: int
    name_key: str
    mentions: list = field(default_factory=list)


def _hashes(db) -> dict[int, str]:
    return dict(db.conn.execute("SELECT id, hash FROM articles").fetchall())


def clusters(db) -> list[PersonRecord]:
    """Every person of `people` (in id order) with its mentions, as the identity step linked them
    (`person_mentions.person_id`); reflects the facts as they stand in this transaction.

    Example: `clusters(db)[0].mentions[0].article_hash`
    """
    if "people" not in db.table_names() or "person_id" not in db["person_mentions"].columns_dict:
        return []
    out: dict[int, PersonRecord] = {pid: PersonRecord(pid, key) for pid, key in
                                    db.conn.execute("SELECT id, name_fold FROM people ORDER BY id")}
    rows = db.conn.execute(
        "SELECT pm.person_id, pm.rowid, pm.article_id, pm.data, a.published, a.source, a.hash "
        "FROM person_mentions pm JOIN articles a ON a.id = pm.article_id "
        "WHERE pm.person_id IS NOT NULL ORDER BY pm.person_id, pm.rowid")
    for pid, *row in rows:
        mention = officials._mention(*row)
        if mention is not None and pid in out:
            out[pid].mentions.append(mention)
    return list(out.values())


def person_rows(key: str, cluster: list, person_id: int, next_position: int, db=None) -> tuple[dict, list, list]:
    """`people`, `positions` and `position_articles` rows of one person, as `officials.rebuild` writes them."""
    stats = officials.name_stats(db)
    counts = {"people": person_id - 1, "positions": next_position - 1}
    return officials._person(db, key, cluster, stats.prior(key), stats, counts)


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
    """Person id -> its mentions (name, aliases, article hash), as `person_mentions.person_id` links them."""
    out: dict[int, list[dict]] = {}
    if "person_id" not in db["person_mentions"].columns_dict:
        return out
    rows = db.conn.execute("SELECT pm.person_id, pm.data, a.hash FROM person_mentions pm "
                           "JOIN articles a ON a.id = pm.article_id WHERE pm.person_id IS NOT NULL").fetchall()
    for person_id, data, digest in rows:
        fact = json.loads(data or "{}")
        out.setdefault(person_id, []).append({"name": fact.get("name"), "aliases": fact.get("aliases") or [],
                                              "hash": digest})
    return out


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
