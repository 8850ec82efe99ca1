"""Which document each citation is, across articles.

A citation keeps the id its article gives it (`116/NĐ-CP`, `Nghị định 100`, `116/2020/NĐ-CP`).
A short or year-less form is the same document as a full id only where the evidence is certain:
  - `same article`: the citing article also gives exactly one full id it fits;
  - `inferred`: exactly one document of that type, number and issuer exists in the whole
    collection (the issuer stated, named by the code, or implied by the type: a Nghị định is the
    Chính phủ's); a short form whose issuer is unknown is never linked across articles.
A short form with no issuer at all is linked across articles only when its type is one that only
the party or the state issues (`public` in document_codes.yaml: Chỉ thị, Nghị định, ...) and the
collection holds exactly one document of that type and number. Otherwise a year-less form stays
a document of its own, and a short form (`Nghị quyết 08`) is a document of its own article
(`Nghị quyết 08 [3fa2b1c0]`, with the article hash): two articles' `Nghị quyết 08` are not known
to be one. Citations are streamed one number at a time.

Example: in a collection whose only Nghị định 116 is `116/2020/NĐ-CP`, a citation `116/NĐ-CP`
in another article gets `document_id = 116/2020/NĐ-CP`, `link = inferred`.
"""
from __future__ import annotations

import functools
import itertools
from collections import Counter, defaultdict
from typing import Callable

import regex

from extractors.text.textnorm import fold
from gazetteer import load_gazetteer

FULL_STATE_RE = regex.compile(r"^(?P<number>[^/\s]+)/(?P<year>\d{4})/(?P<code>.+)$")
YEARLESS_RE = regex.compile(r"^(?P<number>[^/\s]+)/(?P<code>[^/]+-[^/]+)$")
AS_CITED, SAME_ARTICLE, INFERRED = "as cited", "same article", "inferred"


@functools.cache
def _issuer_tokens() -> tuple[dict, frozenset]:
    """Issuer name (folded) -> the code its documents carry (`quốc hội` -> `qh`), and the types with a year."""
    data = load_gazetteer().load("document_codes")
    tokens = {fold(name): fold(code) for code, name in data["issuer_codes"].items()}
    for rec in data["issuers"]:
        code = rec.get("party") or rec.get("state")
        if code:
            tokens[fold(rec["name"])] = fold(code)
    with_year = frozenset(t["name"] for t in data["types"] if t.get("year_in_id"))
    public = frozenset(t["name"] for t in data["types"] if t.get("public"))
    return tokens, with_year, public


def issuer_token(issuer: str | None) -> str | None:
    """A comparable issuer: its code where one is known (`Bộ Chính trị` and `Trung ương` -> `tw`)."""
    if not issuer:
        return None
    tokens, _, _ = _issuer_tokens()
    return tokens.get(fold(issuer), fold(issuer))


def parse_id(doc_id: str) -> dict:
    """What a canonical id says by itself: `116/2020/NĐ-CP` -> number 116, year 2020, code NĐ-CP."""
    m = FULL_STATE_RE.match(doc_id)
    if m:
        return {"number": m["number"], "year": int(m["year"]), "code": m["code"], "resolved": 1}
    m = YEARLESS_RE.match(doc_id)
    if m:
        return {"number": m["number"], "code": m["code"], "resolved": 1}
    return {}


def _kind(doc_id: str, type_: str | None, resolved) -> str:
    if not resolved:
        return "short"
    _, with_year, _ = _issuer_tokens()
    if type_ in with_year and YEARLESS_RE.match(doc_id) and not FULL_STATE_RE.match(doc_id):
        return "yearless"
    return "full"


def _targets(ids: dict, issuer_of: Callable) -> dict[str, tuple[list[str], list[str]]]:
    """Per short or year-less id: (candidates anywhere, candidates that qualify across articles)."""
    out: dict[str, tuple[list[str], list[str]]] = {}
    full = sorted(i for i, rec in ids.items() if rec["kind"] == "full")
    for i, rec in sorted(ids.items()):
        if rec["kind"] == "yearless":
            code = fold(parse_id(i)["code"])
            cands = [f for f in full if fold(parse_id(f).get("code") or "") == code]
            out[i] = (cands, cands)
    for i, rec in sorted(ids.items()):
        if rec["kind"] != "short":
            continue
        # a year-less id that is one full id counts as that full id; else as itself
        cands = sorted({(out[c][1][0] if c in out and len(out[c][1]) == 1 else c)
                        for c, r in ids.items() if r["kind"] != "short" and r["type"] == rec["type"]})
        wanted = issuer_token(rec["issuer"] or issuer_of(i, rec["type"]))
        if wanted:
            across = [c for c in cands if issuer_token(issuer_of(c, ids.get(c, rec)["type"])) == wanted]
        else:  # no issuer: only a type that only the party or state issues, with one such document at all
            across = cands if rec["type"] in _issuer_tokens()[2] else []
        out[i] = (cands, across)
    return out


def _block(rows: list[tuple], issuer_of: Callable) -> list[tuple[str, str, int]]:
    """(document_id, link, rowid) for the citations of one number (rows: rowid, id, type, issuer,
    resolved, article id, article hash). A short form linked nowhere is a document of its own article."""
    ids: dict[str, dict] = {}
    hashes = {}
    for rowid, doc_id, type_, issuer, resolved, article_id, digest in rows:
        hashes[article_id] = digest
        rec = ids.setdefault(doc_id, {"type": type_, "issuers": Counter(), "articles": set(),
                                      "kind": _kind(doc_id, type_, resolved)})
        rec["articles"].add(article_id)
        if issuer:
            rec["issuers"][issuer] += 1
    for rec in ids.values():
        rec["issuer"] = sorted(rec["issuers"].items(), key=lambda kv: (-kv[1], kv[0]))[0][0] if rec["issuers"] else None
    targets = _targets(ids, issuer_of)
    by_article: dict[int, set[str]] = defaultdict(set)
    for doc_id, rec in ids.items():
        for a in rec["articles"]:
            by_article[a].add(doc_id)
    out = []
    for rowid, doc_id, _, _, _, article_id, _ in rows:
        link, target = AS_CITED, doc_id
        if doc_id in targets:
            cands, across = targets[doc_id]
            here = [c for c in cands if c in by_article[article_id]]
            if len(here) == 1:
                link, target = SAME_ARTICLE, here[0]
            elif len(across) == 1:
                link, target = INFERRED, across[0]
            elif ids[doc_id]["kind"] == "short":  # `Nghị quyết 08` here and there: not known to be one document
                target = f"{doc_id} [{hashes[article_id][:8]}]"
        out.append((target, link, rowid))
    return out


def assign(db, issuer_of: Callable[[str, str | None], str | None]) -> int:
    """Set `document_id` and `link` of every citation (inside the caller's transaction), one number
    at a time; returns the number of citations linked to another form."""
    db.conn.execute("CREATE INDEX IF NOT EXISTS idx_citations_number ON citations (number)")
    rows = db.conn.execute("SELECT c.rowid, c.id, c.type, c.issuer, c.resolved, c.article_id, a.hash, c.number "
                           "FROM citations c JOIN articles a ON a.id = c.article_id "
                           "WHERE c.id IS NOT NULL ORDER BY c.number")
    linked = 0
    for _, block in itertools.groupby(rows, key=lambda r: r[7]):
        block = sorted((r[:7] for r in block), key=lambda r: (r[1], r[6], r[0]))
        updates = _block(block, issuer_of)
        linked += sum(link != AS_CITED for _, link, _ in updates)
        db.conn.executemany("UPDATE citations SET document_id = ?, link = ? WHERE rowid = ?", updates)
    return linked
