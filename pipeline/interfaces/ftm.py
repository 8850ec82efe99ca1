"""`vnfacts export --format ftm`: officials, offices, bodies, articles and cited documents as
FollowTheMoney entities (one JSON object per line), built and validated with the `followthemoney` model.

| vnfacts | FtM |
|---|---|
| person (identity tables) | `Person`: name, aliases, `country: vn` when an office makes it certain |
| office (`positions`, one per title across holders) | `Position`: name, organization, subnationalArea, country |
| person holds office | `Occupancy`: holder, post, `date` = first and last report (never a term start/end) |
| organisation of an office | `PublicBody` (party and state) or `Organization` (`gazetteer/ftm.yaml`) |
| article | `Article`: title, author, publishedAt, sourceUrl, fileName |
| article names a person / cites a document | `Documentation` (role `named` / `cited`) |
| cited document (`documents`) | `Document`: name = the document's id, title, publisher = issuer, date |

Ids come from canonical keys through `EntityProxy.make_id` (article SHA-256, folded name + first
article, folded office name, document id), so the same collection always gives the same ids.
Facts an archivist corrected carry the correction ids in `notes`.

Example: `write_ftm(open_db("outputs/facts.db"), open("officials.ftm.json", "w"))`
"""
from __future__ import annotations

import json
from typing import IO, Iterable, Iterator

import regex
import sqlite_utils
from followthemoney import model
from followthemoney.proxy import EntityProxy

from extractors.text.textnorm import fold
from gazetteer import load_gazetteer
from pipeline.interfaces.export import article_filter
from pipeline.store import identity_view

NS = "vnfacts"


class FtmError(ValueError):
    """An entity the FtM model rejects (a bug: every entity is validated before it is written)."""


def _patterns(name: str) -> regex.Pattern:
    rules = load_gazetteer().load("ftm")[name]
    return regex.compile("|".join(f"(?:{r['pattern']})" for r in rules))


def body_kind(organisation: str) -> dict:
    """How an organisation maps to FtM: schema, whether it is certainly Vietnamese, whether it is generic.

    Example: `body_kind("Tỉnh ủy Lai Châu")` -> `{"schema": "PublicBody", "vietnamese": True, "generic": False}`
    """
    gaz = load_gazetteer()
    vn, foreign, companies, generic = gaz.derived("ftm_patterns", lambda g: tuple(
        _patterns(n) for n in ("vietnamese_bodies", "foreign", "companies", "generic")))
    key = fold(organisation)
    is_company = bool(companies.search(key))
    vietnamese = bool(vn.search(key)) and not foreign.search(key) and not is_company
    return {"schema": "PublicBody" if vietnamese else "Organization", "vietnamese": vietnamese,
            "generic": bool(generic.search(key))}


def _entity(schema: str, *key: str) -> EntityProxy:
    proxy = model.make_entity(schema)
    proxy.make_id(NS, schema.lower(), *key)
    return proxy


def _notes(proxy: EntityProxy, corrections: str | None) -> None:
    cids = json.loads(corrections) if corrections else []
    if cids:
        prop = "notes" if proxy.schema.get("notes") else "summary"
        proxy.add(prop, f"corrected by an archivist (vnfacts corrections {', '.join(cids)})")


class _Collection:
    """Entities by id; a second fragment of the same entity is merged into the first."""

    def __init__(self):
        self.entities: dict[str, EntityProxy] = {}

    def add(self, proxy: EntityProxy) -> str:
        if proxy.id in self.entities:
            self.entities[proxy.id].merge(proxy)
        else:
            self.entities[proxy.id] = proxy
        return proxy.id


def _articles(db: sqlite_utils.Database, out: _Collection, filters: dict) -> dict[str, str]:
    """Article entities of the exported articles; hash -> entity id."""
    where, params = article_filter(db, **filters)
    ids = {}
    for digest, source, title, published, author, url in db.execute(
            f"SELECT a.hash, a.source, a.title, a.published, a.author, a.url FROM articles a WHERE {where} "
            f"ORDER BY a.hash", params).fetchall():
        art = _entity("Article", digest)
        art.add("title", title or source)
        art.add("fileName", source)
        art.add("publishedAt", published)
        art.add("author", author)
        art.add("sourceUrl", url)
        art.add("language", "vie")
        if url and "//" in url:
            art.add("publisher", url.split("//", 1)[1].split("/", 1)[0])
        ids[digest] = out.add(art)
    return ids


def _body(out: _Collection, organisation: str | None, province: str | None) -> tuple[str | None, bool]:
    """The body of an office (None when it is generic and no province places it); its Vietnamese-ness."""
    if not organisation:
        return None, bool(province)
    kind = body_kind(organisation)
    name = organisation
    if kind["generic"]:
        if not province:
            return None, kind["vietnamese"]
        name = f"{organisation} {province}"
    body = _entity(kind["schema"], fold(name))
    body.add("name", name)
    if kind["vietnamese"] or province:
        body.add("country", "vn")
        body.add("jurisdiction", "vn")
    return out.add(body), kind["vietnamese"] or bool(province)


def _position(out: _Collection, person: dict, pos: dict) -> tuple[str, bool]:
    """The office entity (shared by every holder of the same office); its id and whether it is Vietnamese."""
    name, org = pos.get("completed") or pos["title"], pos.get("organisation")
    if org and pos.get("role") and fold(org) not in fold(name):  # `Phó Bí thư` of `Tỉnh ủy Bình Định`
        name = f"{pos['role']} {org}"
    body_id, vietnamese = _body(out, org, pos.get("province"))
    office = pos["key"].split("/", 1)[1] if "/" in (pos.get("key") or "") else fold(name)  # identity's office key
    key = f"{office}|{fold(org or '')}"
    # an office without its body (`Phó Bí thư`) or placed nowhere (`Chủ tịch UBND tỉnh`) is this holder's own
    generic = not pos.get("organisation") or (body_kind(pos["organisation"])["generic"] and not pos.get("province"))
    post = _entity("Position", key, person["key"]) if generic else _entity("Position", key)
    post.add("name", name)
    post.add("organization", body_id)
    post.add("subnationalArea", pos.get("province"))
    if vietnamese:
        post.add("country", "vn")
    return out.add(post), vietnamese


def _people(db, out: _Collection, articles: dict[str, str]) -> None:
    for person in identity_view.persons(db):
        named_in = [h for h in person["hashes"] if h in articles]
        if not named_in:
            continue
        ent = _entity("Person", person["key"])
        ent.add("name", person["name"])
        for other in person["names"]:
            if other != person["name"]:
                ent.add("alias", other)
        for alias in person["aliases"]:
            ent.add("weakAlias" if len(alias.split()) == 1 else "alias", alias)
        _notes(ent, person.get("corrections"))
        certain = False
        for pos in person["positions"]:
            proof = [articles[h] for h in pos["hashes"] if h in articles]
            if not proof:
                continue
            post_id, vietnamese = _position(out, person, pos)
            certain |= vietnamese
            ent.add("position", pos["title"])
            occ = _entity("Occupancy", person["key"], post_id)
            occ.add("holder", ent.id)
            occ.add("post", post_id)
            occ.add("date", [pos.get("first_seen"), pos.get("last_seen")])
            occ.add("description", _reported(pos))
            if pos.get("former"):
                occ.add("status", "ended")
            occ.add("proof", proof)
            _notes(occ, pos.get("corrections"))
            out.add(occ)
        if certain:
            ent.add("country", "vn")
        out.add(ent)
        for digest in named_in:
            link = _entity("Documentation", digest, person["key"])
            link.add("document", articles[digest])
            link.add("entity", ent.id)
            link.add("role", "named")
            out.add(link)


def _reported(pos: dict) -> str:
    """What the dates of an occupancy mean: reports, not the term (vnfacts never invents a term)."""
    first, last = pos.get("first_seen"), pos.get("last_seen")
    span = f"from {first} to {last}" if first and last and first != last else f"on {first}" if first else "undated"
    former = " The article calls the office former (nguyên/cựu)." if pos.get("former") else ""
    return (f"Reported as {pos['title']} in {pos.get('n_articles') or 0} article(s) published {span}; "
            f"the start and end of the term are not stated.{former}")


def _documents(db, out: _Collection, articles: dict[str, str]) -> None:
    for doc in identity_view.documents(db):
        cited_in = [h for h in doc["hashes"] if h in articles]
        if not cited_in:
            continue
        # an unresolved short form (`Nghị quyết 25`) is one document per article, never merged across them
        scopes = [[h] for h in cited_in] if doc.get("resolved") == 0 else [cited_in]
        for scope in scopes:
            ent = _entity("Document", doc["id"], *(scope if doc.get("resolved") == 0 else []))
            ent.add("name", doc["id"])
            ent.add("title", " ".join(x for x in (doc.get("type"), doc["id"]) if x and x not in doc["id"])
                    or doc["id"])
            ent.add("publisher", doc.get("issuer"))
            ent.add("date", doc.get("date"))
            ent.add("summary", doc.get("subject"))
            if doc.get("term"):
                ent.add("description", f"khóa {doc['term']}")
            _notes(ent, doc.get("corrections"))
            out.add(ent)
            for digest in scope:
                link = _entity("Documentation", digest, "cites", ent.id)
                link.add("document", articles[digest])
                link.add("entity", ent.id)
                link.add("role", "cited")
                out.add(link)


def entities(db: sqlite_utils.Database, **filters) -> Iterator[EntityProxy]:
    """Every FtM entity of the database (articles within the filters, and what they name), by id,
    each validated by the model. Raises FtmError for an entity the model rejects."""
    out = _Collection()
    articles = _articles(db, out, filters)
    _people(db, out, articles)
    _documents(db, out, articles)
    for entity_id in sorted(out.entities):
        proxy = out.entities[entity_id]
        problem = proxy.schema.validate(proxy.to_dict())
        if problem:
            raise FtmError(f"{proxy.schema.name} {entity_id}: {problem}")
        yield proxy


def write_ftm(db: sqlite_utils.Database, fh: IO[str], **filters) -> int:
    """Write the entities as FtM JSON lines (sorted keys, so one collection gives one byte string)."""
    n = 0
    for proxy in entities(db, **filters):
        fh.write(json.dumps(proxy.to_dict(), ensure_ascii=False, sort_keys=True) + "\n")
        n += 1
    return n


def read_ftm(lines: Iterable[str]) -> list[EntityProxy]:
    """Entities read back with the model (strictly: an unknown schema or property raises)."""
    return [model.get_proxy(json.loads(line), cleaned=False) for line in lines if line.strip()]
