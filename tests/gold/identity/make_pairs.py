#!/usr/bin/env python3
"""Generate the pair files of the identity gold set from the cluster files.

people_clusters.yaml   -> people_pairs.jsonl
document_clusters.yaml -> document_pairs.jsonl

Deterministic: fixed seed, sorted inputs. Both mentions of a pair are always in
different articles. Run from anywhere: python3 tests/gold/identity/make_pairs.py
"""
import itertools
import json
import random
import re
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
SEED = 20261203
CAP = 15          # max positive pairs per cluster, max negatives per cluster pair
CAREER_FIRST = 8  # career pairs taken first in a career cluster
CONFUSABLE_PER_PAIR = 2
DOC_CAP = 25

ROLE_KEYS = ["chủ tịch nước", "tổng bí thư", "phó thủ tướng", "thủ tướng", "phó tổng thống", "cựu tổng thống",
             "cựu phó", "ứng cử viên", "ứng viên", "tổng thống", "bộ trưởng", "thứ trưởng", "quyền vụ trưởng",
             "vụ trưởng", "phó chủ tịch", "chủ tịch", "tổng giám đốc", "giám đốc kỹ thuật", "giám đốc", "phó trưởng",
             "trưởng ban", "hlv", "nguyên bộ trưởng"]


def role(title):
    if not title:
        return None
    t = title.lower().replace("ứng cử viên", "ứng viên")
    if t.startswith("nguyên ") or t.startswith("cựu "):
        return "former:" + (role(title.split(" ", 1)[1]) or "")
    for k in ROLE_KEYS:
        if k in t:
            return k
    return None


def mention(o, key):
    return {"article": o["article"], key: o[key]}


def cross(a, b):
    return [(x, y) for x in a for y in b if x["article"] != y["article"]]


def people(rng):
    doc = yaml.safe_load((HERE / "people_clusters.yaml").read_text(encoding="utf-8"))
    pairs = []
    first_cluster = {}
    for entry in doc["names"]:
        name = entry["name"]
        clusters = entry["clusters"]
        first_cluster[name] = clusters[0]["occurrences"]
        for c in clusters:
            occ = c["occurrences"]
            cand = [(x, y) for x, y in itertools.combinations(occ, 2) if x["article"] != y["article"]]
            career, other = [], []
            for x, y in cand:
                rx, ry = role(x["title"]), role(y["title"])
                if entry.get("career") and rx and ry and rx != ry:
                    career.append((x, y))
                else:
                    other.append((x, y))
            rng.shuffle(career)
            rng.shuffle(other)
            chosen = [(p, "career") for p in career[:CAREER_FIRST]]
            rest = career[CAREER_FIRST:] + other
            rng.shuffle(rest)
            for p in rest[: max(0, CAP - len(chosen))]:
                chosen.append((p, "career" if p in career else ("foreign" if entry.get("foreign") else "split")))
            for (x, y), kind in chosen:
                pairs.append({"a": mention(x, "name"), "b": mention(y, "name"), "same": True, "kind": kind})
        for c1, c2 in itertools.combinations(clusters, 2):
            cand = cross(c1["occurrences"], c2["occurrences"])
            rng.shuffle(cand)
            for x, y in cand[:CAP]:
                kind = "stranger" if (x["title"] or y["title"]) else "common"
                pairs.append({"a": mention(x, "name"), "b": mention(y, "name"), "same": False, "kind": kind})
    for n1, n2 in doc.get("confusable_name_pairs", []):
        cand = cross(first_cluster[n1], first_cluster[n2])
        rng.shuffle(cand)
        for x, y in cand[:CONFUSABLE_PER_PAIR]:
            pairs.append({"a": mention(x, "name"), "b": mention(y, "name"), "same": False, "kind": "other"})
    return pairs


def documents(rng):
    doc = yaml.safe_load((HERE / "document_clusters.yaml").read_text(encoding="utf-8"))
    clusters = {c["id"]: c for c in doc["documents"]}
    pairs = []
    for c in doc["documents"]:
        cand = [(x, y) for x, y in itertools.combinations(c["occurrences"], 2) if x["article"] != y["article"]]
        rng.shuffle(cand)
        for x, y in cand[:DOC_CAP]:
            pairs.append({"a": mention(x, "mention"), "b": mention(y, "mention"), "same": True,
                          "canonical": c["id"], "kind": "short_form" if _short(x, y) else "same_document"})
    # negatives: same number, different type / issuer / year
    by_num = {}
    for c in doc["documents"]:
        by_num.setdefault(c["number"].lstrip("0") or "0", []).append(c)
    for num, cs in sorted(by_num.items()):
        for c1, c2 in itertools.combinations(cs, 2):
            cand = cross(c1["occurrences"], c2["occurrences"])
            rng.shuffle(cand)
            for x, y in cand[:CAP]:
                pairs.append({"a": mention(x, "mention"), "b": mention(y, "mention"), "same": False,
                              "canonical": [c1["id"], c2["id"]], "kind": "same_number"})
    for id1, id2, k in doc.get("extra_negative_cluster_pairs", []):
        cand = cross(clusters[id1]["occurrences"], clusters[id2]["occurrences"])
        rng.shuffle(cand)
        for x, y in cand[:k]:
            pairs.append({"a": mention(x, "mention"), "b": mention(y, "mention"), "same": False,
                          "canonical": [id1, id2], "kind": "different_number"})
    return pairs


def _short(x, y):
    """True if at least one mention lacks the '/' part of the id (bare number)."""
    return not ("/" in x["mention"] and "/" in y["mention"])


def write(path, pairs):
    with open(path, "w", encoding="utf-8") as fh:
        for p in pairs:
            fh.write(json.dumps(p, ensure_ascii=False) + "\n")


def main():
    rng = random.Random(SEED)
    pp = people(rng)
    dp = documents(rng)
    write(HERE / "people_pairs.jsonl", pp)
    write(HERE / "document_pairs.jsonl", dp)
    pos = sum(p["same"] for p in pp)
    kinds = {}
    for p in pp:
        kinds[p["kind"]] = kinds.get(p["kind"], 0) + 1
    print(f"people pairs: {len(pp)} (positive {pos}, negative {len(pp) - pos}) kinds {kinds}")
    dpos = sum(p["same"] for p in dp)
    print(f"document pairs: {len(dp)} (positive {dpos}, negative {len(dp) - dpos})")


if __name__ == "__main__":
    main()
