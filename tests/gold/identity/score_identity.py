"""Pairwise precision and recall of the cross-article identity against the identity gold.

For each gold pair of mentions (`people_pairs.jsonl`: `{"a": {"article", "name"}, "b": {...}, "same"}`;
`document_pairs.jsonl`: `{"a": {"article", "mention"}, ...}`), are both mentions assigned the
same person (`person_mentions.person_key`) or document (`citations.document_id`) in a database
built from the articles? A pair predicted the same and marked the same is a true positive; a
mention the database does not hold (the extractor missed the name) counts as a different record (a
miss, listed); the recall over the pairs whose both mentions are held is printed as well, to tell
identity errors from extraction misses.

Usage: `python tests/gold/identity/score_identity.py --db unc.db [--gold tests/gold/identity] [--misses]`
"""
from __future__ import annotations

import argparse
import json
import re
import sqlite3
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent


def fold(text: str) -> str:
    text = unicodedata.normalize("NFC", text or "").casefold()
    for old, new in (("oà", "òa"), ("oá", "óa"), ("oả", "ỏa"), ("oã", "õa"), ("oạ", "ọa"), ("uỳ", "ùy"),
                     ("uý", "úy"), ("uỷ", "ủy"), ("uỹ", "ũy"), ("uỵ", "ụy")):
        text = re.sub(rf"{old}(?!\w)", new, text)
    return " ".join(text.replace("–", "-").split())


def norm_doc(text: str) -> str:
    return re.sub(r"\s+", "", fold(text)).replace("số", "")


def _article_ids(conn) -> dict[str, int]:
    out = {}
    for aid, source, path in conn.execute("SELECT id, source, path FROM articles"):
        for form in (source, Path(source).stem, path, Path(path).name, Path(path).stem):
            out.setdefault(form, aid)
    return out


class Lookup:
    """Mention -> record key in the database."""

    def __init__(self, conn):
        self.conn = conn
        self.articles = _article_ids(conn)

    def article(self, ref: str) -> int | None:
        return self.articles.get(ref) or self.articles.get(Path(ref).name) or self.articles.get(Path(ref).stem)

    def person(self, ref: dict) -> str | None:
        aid = self.article(ref["article"])
        if aid is None:
            return None
        want = fold(ref["name"])
        rows = self.conn.execute("SELECT name_key, data, person_key FROM person_mentions WHERE article_id = ?",
                                 (aid,)).fetchall()
        for key, _, pkey in rows:
            if key == want:
                return pkey
        for _, data, pkey in rows:  # a short form the article gives for a person (`ông Thưởng`)
            if want in {fold(a) for a in json.loads(data or "{}").get("aliases") or []}:
                return pkey
        return None

    def document(self, ref: dict) -> str | None:
        aid = self.article(ref["article"])
        if aid is None:
            return None
        want = norm_doc(ref["mention"])
        rows = self.conn.execute("SELECT id, text, document_id FROM citations WHERE article_id = ?", (aid,)).fetchall()
        for doc_id, text, dkey in rows:
            if norm_doc(doc_id) == want or norm_doc(text or "") == want:
                return dkey
        for doc_id, text, dkey in rows:  # the mention written with more words around it
            if want and (want in norm_doc(text or "") or norm_doc(doc_id) in want):
                return dkey
        # a mention the extractor read in other words (`Luật sửa đổi số 34` of `Luật ... số 34/2018/QH14`):
        # the article's one document of that type and number
        number = re.search(r"(\d+)(?:/|$|\s)", ref["mention"])
        if number:
            found = {dkey for dkey, type_, num in self.conn.execute(
                "SELECT document_id, type, number FROM citations WHERE article_id = ?", (aid,))
                if num == number.group(1) and type_ and fold(ref["mention"]).startswith(fold(type_))}
            if len(found) == 1:
                return found.pop()
        return None


def score_pairs(pairs: list[dict], resolve) -> dict:
    """Pairwise figures of gold pairs whose mentions `resolve` maps to record keys."""
    tp = fp = fn = tn = 0
    misses: list[str] = []
    unfound = unfound_same = 0
    for pair in pairs:
        ka, kb = resolve(pair["a"]), resolve(pair["b"])
        if ka is None or kb is None:
            unfound += 1
            unfound_same += bool(pair["same"])
        predicted = ka is not None and ka == kb
        if predicted and pair["same"]:
            tp += 1
        elif predicted:
            fp += 1
            misses.append(f"FALSE MERGE {json.dumps(pair, ensure_ascii=False)}")
        elif pair["same"]:
            fn += 1
            why = "not found" if ka is None or kb is None else f"{ka} != {kb}"
            misses.append(f"SPLIT ({why}) {json.dumps(pair, ensure_ascii=False)}")
        else:
            tn += 1
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    found_recall = tp / (tp + fn - unfound_same) if tp + fn - unfound_same else 1.0
    return {"pairs": len(pairs), "same": tp + fn, "different": fp + tn, "tp": tp, "fp": fp, "fn": fn, "tn": tn,
            "precision": round(precision, 3), "recall": round(recall, 3), "unfound": unfound,
            "recall_found": round(found_recall, 3), "misses": misses}


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def score(db_path: str | Path, gold: str | Path = HERE) -> dict[str, dict]:
    """{"people": figures, "documents": figures} of the database against the gold folder."""
    conn = sqlite3.connect(str(db_path))
    lookup = Lookup(conn)
    gold = Path(gold)
    out = {}
    if (gold / "people_pairs.jsonl").exists():
        out["people"] = score_pairs(read_jsonl(gold / "people_pairs.jsonl"), lookup.person)
    if (gold / "document_pairs.jsonl").exists():
        out["documents"] = score_pairs(read_jsonl(gold / "document_pairs.jsonl"), lookup.document)
    conn.close()
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--gold", default=str(HERE))
    ap.add_argument("--misses", action="store_true")
    args = ap.parse_args(argv)
    for kind, fig in score(args.db, args.gold).items():
        print(f"{kind:10} pairs {fig['pairs']} (same {fig['same']}, different {fig['different']}): "
              f"precision {fig['precision']:.3f} recall {fig['recall']:.3f} "
              f"(tp {fig['tp']} fp {fig['fp']} fn {fig['fn']} tn {fig['tn']}); {fig['unfound']} pairs name a mention "
              f"the database does not hold; over the pairs it holds, recall {fig['recall_found']:.3f}")
        if args.misses:
            for line in fig["misses"]:
                print("  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
