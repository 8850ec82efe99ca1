"""Score vnfacts appointments against the blind gold set (`appointments.jsonl`, see MANIFEST.md).

Usage: python tests/gold/appointments/score_appointments.py [--corpus DIR] [--export X.jsonl] [--misses]

Without `--export`, runs vnfacts (`pipeline.engines.runner.run`, one worker) over the gold's articles, read
by path from the corpus (default `<repo>/../shared/corpus/unc`), into a temporary database and reads its
JSONL export (`pipeline.interfaces.export.iter_articles`), so the figures are those of `vnfacts run` +
`vnfacts export`. With `--export`, scores an existing JSONL export instead.

What is scored: (person, event, office taken) triples, only in the gold's sentences.
- A prediction belongs to the gold sentence that contains its trigger (the sentence is found in the
  article's cleaned text after the pipeline's own Unicode normalisation, spaces ignored). Predictions outside the gold's sentences are not scored.
- A prediction in an annotated sentence that matches no gold record is a false positive; every prediction
  in a negative sentence is one; a gold record nothing matches is a false negative. Matching is one to one.
- person: names equal after folding case, tone-mark placement and diacritics (`ascii_key`).
- event: equal.
- office taken: both null, or both given and the same office: the roles (parsed as titles are, `Phó`
  kept, abbreviations such as `UBND`, `HĐQT`, `TGĐ` spelled out, diacritics folded) are equal and one
  organisation contains the other, or either has none (`Tổng Giám đốc` = `Tổng Giám đốc tập đoàn`; `Giám
  đốc` is not `Phó Giám đốc Sở Y tế`). An office whose role is not a known title (`HLV`) is compared as
  text: one must contain the other.
Also printed: the same with (person, event) pairs only, and per event.
"""
from __future__ import annotations

import argparse
import collections
import json
import sys
import tempfile
from pathlib import Path

import regex

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
sys.path.insert(0, str(REPO))

from gazetteer import load_gazetteer  # noqa: E402
from extractors.text.textnorm import normalize_text  # noqa: E402
from extractors.titles import parse_title, title_data  # noqa: E402
from pipeline.store.officials import ascii_key  # noqa: E402

CORPUS = REPO.parent / "shared" / "corpus" / "unc"


def load_gold(path: Path = HERE / "appointments.jsonl") -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def predict(articles: list[str], corpus: Path) -> dict[str, tuple[str, list[dict]]]:
    """source -> (cleaned text, appointments JSON), by running vnfacts over the articles into a temp database."""
    from pipeline.engines.runner import run
    from pipeline.interfaces.export import iter_articles
    from pipeline.store.storage import open_db

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "articles"
        folder.mkdir()
        for name in articles:
            (folder / name).write_bytes((corpus / name).read_bytes())  # a copy: links leaving the input are refused
        db_path = Path(tmp) / "gold.db"
        run([folder], db_path, workers=1, progress=False)
        db = open_db(db_path)
        texts = dict(db.execute("SELECT source, text FROM articles").fetchall())
        out = {a["source"]: (texts.get(a["source"], ""), a.get("appointments") or []) for a in iter_articles(db)}
        db.conn.close()
    return out


def read_export(path: Path, corpus: Path) -> dict[str, tuple[str, list[dict]]]:
    """source -> (text, appointments) from a JSONL export; offsets are placed in the cleaned text when the
    export carries none, so the raw article is searched instead (its header lines only shift positions)."""
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        a = json.loads(line)
        out[a["source"]] = (a.get("text") or (corpus / a["source"]).read_text(encoding="utf-8"),
                            a.get("appointments") or [])
    return out


class Offices:
    """Office comparison (see module doc)."""

    def __init__(self):
        self.td = title_data(load_gazetteer())
        self.abbr = {**self.td.abbreviations, **self.td.merge_abbreviations}

    def key(self, text: str | None) -> str:
        words = [self.abbr.get(w, w) for w in (text or "").replace("(", " ").replace(")", " ").split()]
        return " ".join(ascii_key(" ".join(words)).replace(",", " ").replace("-", " ").split())

    def same(self, gold: str | None, pred: str | None) -> bool:
        if not gold or not pred:
            return not gold and not pred
        g_role, g_org, _ = parse_title(gold, self.td)
        p_role, p_org, _ = parse_title(pred, self.td)
        if not g_role or not p_role:
            g, p = self.key(gold), self.key(pred)
            return bool(g and p) and (g in p or p in g)
        if self.key(g_role) != self.key(p_role):
            return False
        go, po = self.key(g_org), self.key(p_org)
        return not go or not po or go in po or po in go


def _office_text(item) -> str | None:
    if isinstance(item, dict):
        return item.get("text")
    return item


def score(gold: list[dict], predicted: dict[str, tuple[str, list[dict]]], misses: list[str] | None = None) -> dict:
    """Tallies {"triples": (tp, fp, fn), "pairs": ..., per event "event:X": ...}."""
    offices = Offices()
    tallies: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0, 0])
    misses = misses if misses is not None else []
    for rec in gold:
        text, items = predicted.get(rec["article"], ("", []))
        words = [regex.escape(w) for w in normalize_text(rec["sentence"]).split()]
        spans = [m.span() for m in regex.finditer(r"\s*".join(words), text)] if words else []
        if not spans:
            misses.append(f"{rec['article']}: gold sentence not in the cleaned text: {rec['sentence'][:80]}")
        preds = [p for p in items if any(a <= p.get("start", -1) < b for a, b in spans)]
        for level in ("triples", "pairs"):
            left = list(preds)
            for g in rec["appointments"]:
                def ok(p):
                    same = ascii_key(p["person"]) == ascii_key(g["person"]) and p["event"] == g["event"]
                    return same and (level == "pairs" or offices.same(g["office_taken"], _office_text(p.get("office_taken"))))
                hit = next((p for p in left if ok(p)), None)
                if hit is not None:
                    left.remove(hit)
                    tallies[level][0] += 1
                    if level == "triples":
                        tallies["event:" + g["event"]][0] += 1
                else:
                    tallies[level][2] += 1
                    if level == "triples":
                        tallies["event:" + g["event"]][2] += 1
                        misses.append(f"MISS {rec['article']}: {g['person']} {g['event']} -> {g['office_taken']}"
                                      f" | {rec['sentence'][:100]}")
            for p in left:
                tallies[level][1] += 1
                if level == "triples":
                    tallies["event:" + p["event"]][1] += 1
                    why = f"negative {rec['negative']}" if rec["negative"] else "extra"
                    misses.append(f"FP ({why}) {rec['article']}: {p['person']} {p['event']} -> "
                                  f"{_office_text(p.get('office_taken'))} | {rec['sentence'][:100]}")
    return dict(tallies)


def figures(t: list[int]) -> tuple[float, float, float]:
    tp, fp, fn = t
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--export", type=Path, default=None, help="score this JSONL export instead of running vnfacts")
    ap.add_argument("--misses", action="store_true")
    args = ap.parse_args(argv)
    gold = load_gold()
    articles = sorted({r["article"] for r in gold})
    predicted = read_export(args.export, args.corpus) if args.export else predict(articles, args.corpus)
    misses: list[str] = []
    tallies = score(gold, predicted, misses)
    print(f"{'':24} {'tp':>4} {'fp':>4} {'fn':>4} {'P':>6} {'R':>6} {'F1':>6}")
    for name in ["triples", "pairs"] + sorted(k for k in tallies if k.startswith("event:")):
        p, r, f = figures(tallies[name])
        tp, fp, fn = tallies[name]
        print(f"{name:24} {tp:4} {fp:4} {fn:4} {p:6.3f} {r:6.3f} {f:6.3f}")
    if args.misses:
        print("\n".join(misses))
    return 0


if __name__ == "__main__":
    sys.exit(main())
