"""Sanity check for the appointment gold set (not a pytest module).

Usage: python tests/gold/appointments/check_gold.py [CORPUS_DIR]
CORPUS_DIR defaults to <repo>/../shared/corpus/unc.
Checks: valid JSON per line; every `sentence` occurs literally in its article;
every `person` occurs in the article; labels/fields are from the allowed sets;
`published` matches the article's `# date =` header; negatives have no records.
"""
import json
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parents[2]
CORPUS = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else REPO.parent / "shared" / "corpus" / "unc"
EVENTS = {"elected", "appointed", "moved", "reassigned", "retired", "dismissed", "resigned", "acting"}
NEGS = {None, "plan", "career", "rule", "title-only", "other"}
KEYS = {"person", "event", "office_left", "office_taken", "body", "decision", "effective", "public"}


def main() -> int:
    errors = []
    lines = (HERE / "appointments.jsonl").read_text(encoding="utf-8").splitlines()
    for n, line in enumerate(lines, 1):
        rec = json.loads(line)
        text = (CORPUS / rec["article"]).read_text(encoding="utf-8")
        date = next(l.split("=", 1)[1].strip() for l in text.splitlines() if l.startswith("# date ="))
        if rec["published"] != f"{date[:4]}-{date[4:6]}-{date[6:]}":
            errors.append(f"{n}: published {rec['published']} != header {date}")
        if rec["sentence"] not in text:
            errors.append(f"{n}: sentence not found in {rec['article']}")
        if rec["negative"] not in NEGS:
            errors.append(f"{n}: bad negative {rec['negative']!r}")
        if bool(rec["appointments"]) == (rec["negative"] is not None):
            errors.append(f"{n}: appointments/negative mismatch")
        for a in rec["appointments"]:
            if set(a) != KEYS:
                errors.append(f"{n}: keys {sorted(a)}")
            if a["event"] not in EVENTS:
                errors.append(f"{n}: bad event {a['event']!r}")
            if a["person"] not in text:
                errors.append(f"{n}: person {a['person']!r} not in {rec['article']}")
            if not isinstance(a["public"], bool):
                errors.append(f"{n}: public not bool")
            if a["event"] in {"retired", "dismissed", "resigned"} and a["office_taken"] is not None:
                errors.append(f"{n}: office_taken must be null for {a['event']}")
    for e in errors:
        print(e)
    print(f"{len(lines)} sentences checked, {len(errors)} problems")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
