#!/usr/bin/env python3
"""Check the identity gold set against the raw corpus (default ../shared/corpus/unc relative to the repo parent)."""
import json
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
CORPUS = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/work/shared/corpus/unc")
KINDS = {"split", "stranger", "career", "foreign", "common", "other"}


def text(a):
    return (CORPUS / a).read_text(encoding="utf-8")


def main():
    errors = []
    cache = {}

    def check(article, s):
        if article not in cache:
            p = CORPUS / article
            cache[article] = p.read_text(encoding="utf-8") if p.exists() else None
        if cache[article] is None:
            errors.append(f"missing article {article}")
        elif s not in cache[article]:
            errors.append(f"{s!r} not in {article}")

    people = yaml.safe_load((HERE / "people_clusters.yaml").read_text(encoding="utf-8"))
    seen = {}
    for e in people["names"]:
        for c in e["clusters"]:
            for o in c["occurrences"]:
                check(o["article"], o["name"])
                key = (o["article"], o["name"])
                if key in seen and seen[key] != c["id"]:
                    errors.append(f"{key} in two clusters")
                seen[key] = c["id"]
    docs = yaml.safe_load((HERE / "document_clusters.yaml").read_text(encoding="utf-8"))
    for c in docs["documents"]:
        for o in c["occurrences"]:
            check(o["article"], o["mention"])
    for fn, key in (("people_pairs.jsonl", "name"), ("document_pairs.jsonl", "mention")):
        n = 0
        for line in (HERE / fn).read_text(encoding="utf-8").splitlines():
            p = json.loads(line)
            n += 1
            assert p["a"]["article"] != p["b"]["article"], p
            assert isinstance(p["same"], bool)
            if key == "name":
                assert p["kind"] in KINDS, p
            for side in ("a", "b"):
                check(p[side]["article"], p[side][key])
        print(f"{fn}: {n} pairs parsed")
    if errors:
        print("\n".join(errors))
        sys.exit(1)
    print("OK")


if __name__ == "__main__":
    main()
