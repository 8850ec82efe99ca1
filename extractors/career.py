"""Career lists: `Từ năm 1965 đến năm 1974: ..., Bí thư Chi bộ, ...; + Tháng 7.1994 – 12.2005: Ủy viên ...`.

Each entry opens with a period and a colon (patterns in `gazetteer/career.yaml`); the offices
after it are titles of the person the list is about, the last one named before the first entry.
A single such line in prose (`Năm 2020: ...`) is no list (`min_entries`).
"""
from __future__ import annotations

import bisect

import regex

from extractors.text.stdre import std_compile

SEP_RE = regex.compile(r"[,;]")
SUBJECT_END_RE = regex.compile(r"(?<!\p{L})(?:[Ôô]ng|[Bb]à|[Đđ]ồng chí)\s+$")


def _head_re(gaz) -> regex.Pattern:
    def build(g):
        data = g.load("career")
        return std_compile(data["head"].replace("{point}", data["point"]), regex.IGNORECASE), data
    return gaz.derived("career/head", build)


def career_titles(art, spans, owner, gaz) -> list[tuple[str, tuple[int, int]]]:
    """(person, title span) for every office in the article's career lists.

    Example: `Ông Hồ Đức Việt, ... Từ năm 1965 đến năm 1974: Ông học ..., Bí thư Chi bộ, ... Từ năm 1980
    đến năm 1981: Ông là Phó Bí thư Thành đoàn Hà Nội.` gives Hồ Đức Việt both offices.
    """
    text = art.text
    head_re, data = _head_re(gaz)
    heads = list(head_re.finditer(text)) if ":" in text else []
    if len(heads) < data["min_entries"]:
        return []
    runs: list[list] = [[heads[0]]]
    for h in heads[1:]:
        if h.start() - runs[-1][-1].end() <= data["max_gap"]:
            runs[-1].append(h)
        else:
            runs.append([h])
    starts = [s.start for s in spans]
    out = []
    for run in runs:
        if len(run) < data["min_entries"]:
            continue
        i = bisect.bisect_left(starts, run[0].start()) - 1
        # the subject: the last name after `ông`/`bà`/`đồng chí` (not a street `... Đặng Thai Mai` named since)
        subj = next((j for j in range(i, -1, -1) if SUBJECT_END_RE.search(text, max(0, starts[j] - 12), starts[j])), i)
        if subj < 0:
            continue
        person = owner[spans[subj].name]
        for k, h in enumerate(run):
            _, s_end = art.sentence(h.end())
            limit = min(run[k + 1].start() if k + 1 < len(run) else len(text), s_end, text.find("\n", h.end()) % (len(text) + 1))
            out += [(person, t) for t in _entry_titles(art, h.end(), limit)]
    return out


def _entry_titles(art, p: int, limit: int) -> list[tuple[int, int]]:
    """Offices in one entry: each comma/semicolon piece that is a title or holds one after a cue."""
    text = art.text
    out = []
    while p < limit:
        q = art.skip_space(p, limit)
        m = SEP_RE.search(text, q, limit)
        piece_end = m.start() if m else limit
        t = art.segment_title(q, limit)
        found = [t] if t else art.predicate_titles(q, piece_end if not t else limit)
        if found:
            out += found
            p = max(found[-1][1], q + 1)
        else:
            p = piece_end
        nxt = SEP_RE.search(text, p, limit)
        if not nxt:
            break
        p = nxt.end()
    return out
