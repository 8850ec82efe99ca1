"""The two phases after extraction: one resolver for overlaps between kinds, then the declared links.

1. every kind's `extract(doc, lexicon)` runs on its own (`extract_kind`);
2. `resolve` drops each fact that conflicts with a kept fact of a kind it yields to (`Kind.yield_to`,
   `Kind.conflicts`); kinds are resolved by rank, so the precedence is the registry's data, as in
   spaCy's `filter_spans` or Duckling's resolution (a date inside `10/2022/QH15` yields to the document);
3. `link_kind` runs each kind's link step with the resolved facts of the kinds it requires (an indicator's
   period from the dates of its sentence, its measure cut where a date or document begins).

`pipeline.core.orchestration.extract_facts` runs the three, timing each kind.

Example: `link_kind(get("indicators"), resolved["indicators"], doc, lexicon, resolved)[0].period`
"""
from __future__ import annotations

import bisect
import itertools

from extractors.registry import Kind, kinds


def by_offset(facts) -> list:
    return sorted(facts, key=lambda f: (f.start, f.end))


def extract_kind(kind: Kind, doc, lexicon) -> list:
    """Phase 1 for one kind: its facts, sorted by offset."""
    return by_offset(kind.extract(doc, lexicon))


class Spans:
    """Facts by start offset: `overlapping(start, end)` in O(log n + k), `overlaps`, `next_start` in O(log n)."""

    def __init__(self, facts):
        self.facts = by_offset(facts)
        self.starts = [f.start for f in self.facts]
        self.max_end = list(itertools.accumulate((f.end for f in self.facts), max))

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self.starts, end)  # facts[:i] start before `end`
        return i > 0 and self.max_end[i - 1] > start

    def next_start(self, pos: int, default: int) -> int:
        """The start of the first fact at or after `pos`, else `default` (whichever is smaller)."""
        i = bisect.bisect_left(self.starts, pos)
        return min(self.starts[i], default) if i < len(self.starts) else default

    def overlapping(self, start: int, end: int) -> list:
        i = bisect.bisect_left(self.starts, end)  # facts[:i] start before `end`
        out = []
        while i > 0 and self.max_end[i - 1] > start:
            i -= 1
            if self.facts[i].end > start:
                out.append(self.facts[i])
        return out


def resolve(raw: dict[str, list]) -> dict[str, list]:
    """Phase 2: every kind's facts without those that conflict with a kept fact of a kind they yield to."""
    kept: dict[str, list] = {}
    for kind in kinds():
        facts = raw.get(kind.name, [])
        winners = [Spans(kept.get(other, raw.get(other, []))) for other in kind.yield_to]
        if winners:
            facts = [f for f in facts
                     if not any(kind.conflicts(f, w) for spans in winners for w in spans.overlapping(f.start, f.end))]
        kept[kind.name] = facts
    return kept


def link_kind(kind: Kind, facts: list, doc, lexicon, resolved: dict[str, list]) -> list:
    """Phase 3 for one kind: its link step over the resolved facts of the kinds it requires."""
    if kind.link is None:
        return facts
    return by_offset(kind.link(facts, doc, lexicon, {name: resolved.get(name, []) for name in kind.requires}))


__all__ = ["extract_kind", "link_kind", "resolve", "Spans"]
