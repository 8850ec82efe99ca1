"""Who is who across articles: entity resolution over every person mention.

Blocking: only mentions with the same folded name (`name_key`) are compared; blocks are streamed
from SQLite one at a time, so memory holds one name's mentions. Within a block each pair of
mentions gets a match weight in log2 odds (Fellegi-Sunter, the model splink fits): a prior from
how rare the name is in the collection (`NameStats`), plus evidence from their offices (same
organisation, same office, a known career step, same family; incompatible families), provinces
(shared or conflicting), the time between the articles and other rare names both articles
mention. Weights are data (`gazetteer/identity.yaml`). Mentions with offices are clustered
first (a merge needs one pair at or above the threshold and no pair of the two clusters in strong
conflict); a mention without any office then joins the one cluster its evidence points to, or
stays apart; those left are grouped by shared names, ranks and professions, and a lone one joins
the one such group its evidence points to.

Example:
    >>> stats = NameStats.from_keys(["nguyễn văn hùng", "donald trump"])
    >>> stats.prior("donald trump") > 0 > stats.prior("nguyễn văn hùng")
    True
"""
from __future__ import annotations

import collections
import functools
import hashlib
import math
from dataclasses import dataclass, field
from typing import Iterable

from extractors.text.textnorm import fold
from gazetteer import load_gazetteer
from pipeline.store.positions import Office, compatible, is_step
from extractors.text.provinces import slug

VETO = -4.0  # a pair this much against keeps two clusters apart whatever else agrees


@functools.cache
def config() -> dict:
    """`gazetteer/identity.yaml`, with Vietnamese surnames from `names.yaml`."""
    gaz = load_gazetteer()
    cfg = dict(gaz.load("identity"))
    cfg["surnames"] = frozenset(fold(s) for s in gaz.load("names")["surnames"])
    return cfg


class NameStats:
    """How rare a name is: syllable frequencies by place (surname, middle, given) over the distinct
    names of the collection, smoothed towards national shares."""

    def __init__(self) -> None:
        self.places = {"surname": collections.Counter(), "middle": collections.Counter(),
                       "given": collections.Counter()}
        self.n = 0

    @classmethod
    def from_keys(cls, keys: Iterable[str]) -> "NameStats":
        stats = cls()
        for key in keys:
            stats.add(key)
        return stats

    def add(self, key: str) -> None:
        """Count a Vietnamese name's syllables (foreign names would dilute the given-name shares)."""
        words = key.split()
        if len(words) < 2 or self.is_foreign(key):
            return
        self.n += 1
        self.places["surname"][words[0]] += 1
        self.places["given"][words[-1]] += 1
        for w in words[1:-1]:
            self.places["middle"][w] += 1

    def share(self, place: str, word: str) -> float:
        cfg = config()
        alpha = cfg["smoothing_names"]
        base = (cfg.get(f"{place}_share") or {}).get(word, cfg["default_share"][place])
        return (self.places[place][word] + alpha * base) / (self.n + alpha)

    def is_foreign(self, key: str) -> bool:
        words = key.split()
        return bool(words) and words[0] not in config()["surnames"]

    def bits(self, key: str) -> float:
        """-log2 of the chance that a random name has these syllables at these places."""
        words = key.split()
        if not words:
            return 0.0
        total = -math.log2(self.share("surname", words[0]))
        if len(words) > 1:
            total -= math.log2(self.share("given", words[-1]))
        for w in words[1:-1]:
            total -= math.log2(self.share("middle", w))
        if len(words) <= 2 and not self.is_foreign(key):
            total = min(total, config()["two_syllable_cap_bits"])
        return total

    def prior(self, key: str) -> float:
        """Log2 odds that two mentions of this name are one person, before any evidence."""
        cfg = config()
        return self.bits(key) - cfg["population_bits"] + (cfg["foreign_bonus"] if self.is_foreign(key) else 0)


@dataclass
class Mention:
    """One stored person mention with what identity compares."""
    rowid: int
    article_id: int
    article_hash: str
    source: str
    published: str | None
    name: str
    start: int
    offices: list[Office]
    ranks: list[str]
    details: list[dict]
    aliases: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        offices = [o for o in self.offices if o.is_office]
        self.provinces = frozenset(o.province.key for o in offices if o.province)
        self.orgs = frozenset(o.org_key for o in offices if o.org_key)
        self.roles = frozenset(o.role_key for o in offices)
        self.office_keys = frozenset(o.key for o in offices)
        self.groups = frozenset(o.group for o in offices if o.group)
        self.families = frozenset(o.family for o in offices if o.family)
        # ranks, degrees and professions by part (`GS.TSKH` -> gs, tskh; `HLV` -> hlv)
        self.rank_parts = frozenset(p for r in self.ranks for p in fold(r).split(".") if p)
        self.year = int(self.published[:4]) if self.published and self.published[:4].isdigit() else None
        self.anchor = (self.article_hash, self.start)

    @property
    def has_context(self) -> bool:
        return bool(self.office_keys or self.provinces)

    def signature(self) -> tuple:
        return (self.office_keys, self.provinces)


def _same_office(a: Mention, b: Mention) -> bool:
    """The same role, at the same organisation or at one left unnamed on one side (`Thủ tướng` and
    `Thủ tướng Chính phủ`); two bare roles (`Giám đốc`, `Giám đốc`) are not enough."""
    for oa in a.offices:
        for ob in b.offices:
            if (oa.is_office and ob.is_office and oa.role_key == ob.role_key and (oa.org_key or ob.org_key)
                    and (not oa.org_key or not ob.org_key or oa.org_key == ob.org_key)):
                return True
    return False


def _orgs_meet(a: frozenset, b: frozenset) -> bool:
    """The same organisation, or one named with its parent body after it (`vụ giáo dục trung học` and
    `vụ giáo dục trung học bộ gd&đt`; the parents are `identity.yaml: parent_bodies`)."""
    if a & b:
        return True
    parents = config().get("parent_bodies") or ()
    for x in a:
        for y in b:
            short, long_ = (x, y) if len(x) < len(y) else (y, x)
            if long_.startswith(short + " ") and long_[len(short) + 1:].startswith(tuple(p + " " for p in parents)):
                return True
    return False


def evidence(a: Mention, b: Mention) -> float:
    """Log2 odds from two mentions' offices, provinces and dates (no prior, no co-occurrence)."""
    w = config()["weights"]
    score = 0.0
    if _orgs_meet(a.orgs, b.orgs):
        score += w["same_organisation"]
    elif _same_office(a, b):
        score += w["same_office"]
    if a.provinces and b.provinces:
        score += w["same_province"] if a.provinces & b.provinces else w["other_province"]
    if any(is_step(ra, rb) for ra in a.roles for rb in b.roles):
        score += w["career_step"]
    related = score > 0 or bool(a.roles & b.roles) or any(is_step(ra, rb) for ra in a.roles for rb in b.roles)
    if a.families & b.families:
        score += w["same_family"]
        related = True
    elif a.groups and b.groups and not any(compatible(ga, gb) for ga in a.groups for gb in b.groups):
        score += w["incompatible_families"]
    if a.roles and b.roles and not related:  # two offices with nothing in common: likely two people
        score += w["unrelated_offices"]
    if a.year and b.year and abs(a.year - b.year) > config()["max_gap_years"]:
        score += w["time_gap"]
    return score


class CoNames:
    """Other distinctive names each article mentions (looked up lazily, a bounded cache)."""

    def __init__(self, conn, stats: NameStats):
        self.conn, self.stats = conn, stats
        self.lookup = functools.lru_cache(maxsize=4096)(self._names)

    def _names(self, article_id: int) -> frozenset:
        rows = self.conn.execute("SELECT DISTINCT name_key FROM person_mentions WHERE article_id = ?", (article_id,))
        least = config()["co_name_min_bits"]
        return frozenset(k for (k,) in rows if k and self.stats.bits(k) >= least)

    def shared(self, key: str, a_ids: Iterable[int], b_ids: Iterable[int]) -> int:
        a = frozenset().union(*(self.lookup(i) for i in list(a_ids)[:50])) - {key}
        b = frozenset().union(*(self.lookup(i) for i in list(b_ids)[:50])) - {key}
        return len(a & b)


def cluster(key: str, mentions: list[Mention], prior: float, co: CoNames | None) -> list[list[Mention]]:
    """Split one name's mentions into persons (see the module doc); deterministic for a given set."""
    cfg = config()
    w, threshold = cfg["weights"], cfg["threshold"]
    mentions = sorted(mentions, key=lambda m: m.anchor)

    def cooc(a_ids, b_ids) -> float:
        if co is None:
            return 0.0
        return w["co_occurring_person"] * min(cfg["co_occurrence_max"], co.shared(key, a_ids, b_ids))

    def same_rank(m: Mention, c: list[Mention]) -> float:
        """A rank, degree or profession the mention shares with the cluster (`GS`, `HLV`)."""
        return w.get("same_rank", 0) if any(m.rank_parts & x.rank_parts for x in c) else 0.0

    def popularity(c: list[Mention]) -> float:
        """A name reported in many articles is mostly one person's: log2 of the articles, weighted."""
        return w["popularity"] * math.log2(len({m.article_id for m in c}))

    def pull(m: Mention, c: list[Mention]) -> float:
        """How strongly a mention without an office belongs to cluster `c`."""
        return prior + cooc([m.article_id], [x.article_id for x in c]) + popularity(c) + same_rank(m, c)

    def winner(scores: list[float]) -> int | None:
        """The one cluster the evidence points to: over the threshold and ahead of the next by a margin."""
        order = sorted(range(len(scores)), key=lambda i: -scores[i])
        if not order or scores[order[0]] < threshold:
            return None
        if len(order) > 1 and scores[order[0]] - scores[order[1]] < w["co_occurring_person"]:
            return None
        return order[0]

    # nodes: mentions with context; identical signatures are one node when they match each other
    nodes: list[list[Mention]] = []
    by_sig: dict[tuple, int] = {}
    for m in (m for m in mentions if m.has_context):
        sig = m.signature()
        if sig in by_sig and prior + evidence(m, nodes[by_sig[sig]][0]) >= threshold:
            nodes[by_sig[sig]].append(m)
        else:
            by_sig.setdefault(sig, len(nodes))
            nodes.append([m])
    n = len(nodes)
    score: dict[tuple[int, int], float] = {}
    for i in range(n):
        for j in range(i + 1, n):
            s = prior + evidence(nodes[i][0], nodes[j][0])
            if threshold - 2 * w["co_occurring_person"] <= s < threshold:
                s += cooc([m.article_id for m in nodes[i]], [m.article_id for m in nodes[j]])
            score[i, j] = s
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    members = {i: [i] for i in range(n)}
    for (i, j), s in sorted(score.items(), key=lambda kv: (-kv[1], kv[0])):
        if s < threshold:
            break
        ri, rj = find(i), find(j)
        if ri == rj:
            continue
        if any(score[min(x, y), max(x, y)] < VETO for x in members[ri] for y in members[rj]):
            continue
        parent[rj] = ri
        members[ri] += members.pop(rj)
    clusters = [[m for i in sorted(ids) for m in nodes[i]] for ids in members.values()]
    # mentions without context: join the one cluster the evidence points to
    loose: list[Mention] = []
    for m in (m for m in mentions if not m.has_context):
        scores = []
        for c in clusters:
            years = [x.year for x in c if x.year]
            far = m.year and years and min(abs(m.year - y) for y in years) > cfg["max_gap_years"]
            scores.append(pull(m, c) + (w["time_gap"] if far else 0.0))
        best = winner(scores)
        if best is not None:
            clusters[best].append(m)
        else:
            loose.append(m)
    if loose:
        if not clusters and prior >= threshold:
            clusters.append(loose)
        else:
            groups = _group_loose(loose, lambda a, b: prior + cooc([a.article_id], [b.article_id])
                                  + same_rank(a, [b]) >= threshold)
            # a lone mention joins the one group its evidence points to, as above (`Nguyễn Văn Toàn` sharing a
            # teammate with one of the three articles of the player's group)
            big = [g for g in groups if len(g) > 1]
            for g in [g for g in groups if len(g) == 1]:
                best = winner([pull(g[0], c) for c in big])
                if best is not None:
                    big[best].append(g.pop())
            clusters.extend(g for g in groups if g)
    return sorted(clusters, key=lambda c: min(m.anchor for m in c))


LOOSE_PAIRS_MAX = 400  # mentions without office compared pairwise up to this many, else each to the groups so far


def _group_loose(loose: list[Mention], same) -> list[list[Mention]]:
    """Mentions without office, grouped by the pairs `same` accepts (single linkage: two articles that
    share a teammate and a coach are one person with the third that shares either)."""
    parent = list(range(len(loose)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i
    if len(loose) <= LOOSE_PAIRS_MAX:
        for i in range(len(loose)):
            for j in range(i + 1, len(loose)):
                if find(i) != find(j) and same(loose[i], loose[j]):
                    parent[find(j)] = find(i)
    else:  # a very common name: compare with the first mention of each group so far
        heads: list[int] = []
        for i in range(len(loose)):
            for h in heads:
                if same(loose[h], loose[i]):
                    parent[i] = h
                    break
            else:
                heads.append(i)
    groups: dict[int, list[Mention]] = {}
    for i, m in enumerate(loose):
        groups.setdefault(find(i), []).append(m)
    return list(groups.values())


def person_key(name_key: str, cluster: list[Mention]) -> str:
    """A stable key: the name's slug and a digest of the cluster's first mention (article hash and
    offset), the same on every run over the same articles. Example: `nguyen-xuan-phuc-3f2a9c1b`."""
    h, start = min(m.anchor for m in cluster)
    digest = hashlib.sha1(f"{name_key}|{h}|{start}".encode()).hexdigest()[:8]
    return f"{slug(name_key) or 'person'}-{digest}"
