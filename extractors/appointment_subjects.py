"""A trigger's subject that the people extractor did not read: the name written right before the verb,
with only adverbs between (`gazetteer/appointments.yaml: subject_adverbs`), as foreign names and names
after a club's title often are (`Phó Chủ tịch Man Utd, Ed Woodward đã từ chức`). A single word is a short
reference to the one person of the article whose name ends with it (`Lampard bị sa thải` -> `Frank
Lampard`). Never a body (`được Quốc hội bầu`), a place, a role, or an agent after `được`/`bị`.

Example: `name_before(text, text.index("đã từ chức"), 0, ...)` on `Phó Chủ tịch Man Utd, Ed Woodward đã từ
chức` -> `(22, 33, "Ed Woodward")`
"""
from __future__ import annotations

import regex

from extractors.names import HEAD_HONORIFICS, RUN_RE, SYL_RE, is_place

AGENT_BEFORE_RE = regex.compile(r"(?<!\p{L})(?:được|bị)\s+((?:\S+\s+){0,4}?)$")


def is_agent(text: str, pos: int, lo: int, td) -> bool:
    """A name at pos is the agent of a passive: `được`/`bị` right before it, or before a title written
    before it (`ông A được Thủ tướng B bổ nhiệm`: B decides)."""
    m = AGENT_BEFORE_RE.search(text, max(lo, pos - 50), pos)
    if m is None:
        return False
    between = m.group(1)
    return not between or bool(td.role_re.match(between) or td.prefix_re.match(between))


def _headed(before: str, heads) -> bool:
    """A head word ends the text before a name (`các cộng sự` before `Joao Sacramento`)."""
    return any(regex.search(rf"(?<!\p{{L}}){regex.escape(h)}\s*$", before, regex.IGNORECASE) for h in heads)


def _named_after(text: str, pos: int, lo: int, td, heads=()) -> bool:
    """What stands before a name: the sentence start, punctuation, an honorific, a title, a capitalised
    word (`Chủ tịch CLB Nguyễn Hồng Thanh`) or a head word (`cộng sự Joao Sacramento`); not a common word
    (`tàu`, `đội`)."""
    before = text[lo:pos].rstrip()
    if not before or before[-1] in ",-–:(\"“'‘":
        return True
    tail = before[-30:]
    if _headed(tail, heads):
        return True
    return tail.split()[-1][0].isupper() or any(m.end() == len(tail) for m in td.role_re.finditer(tail))


def name_before(text: str, pos: int, lo: int, nd, td, data, people: set[str]) -> tuple[int, int, str] | None:
    """(start, end, person) of the name ending right before the trigger at pos, or None."""
    gap = data.subject_gap_re.search(text, lo, pos)
    end = gap.start() if gap is not None else pos
    run = next((m for m in RUN_RE.finditer(text, lo, end) if m.end() == end), None)
    if run is None or is_agent(text, run.start(), lo, td):
        return None
    syls = [(s.group(), s.start()) for s in SYL_RE.finditer(text, run.start(), run.end())]
    while syls and (syls[0][0] in HEAD_HONORIFICS or syls[0][0] in data.subject_heads or td.role_re.match(text, syls[0][1], end)
                    or td.prefix_re.match(text, syls[0][1], end)):
        syls = syls[1:]  # `Tướng Mahamat Kaka`, `HLV` is no syllable
    words = [w for w, _ in syls]
    if not words or len(words) > 4:
        return None
    start = syls[0][1]
    name = text[start:end]
    if data.body_re.search(name) or data.private_re.search(name):
        return None  # `được Chính phủ bổ nhiệm`, `Tập đoàn X`
    if len(words) == 1:
        owners = [p for p in people if p.split()[-1] == words[0] and " " in p]
        return (start, end, owners[0]) if len(owners) == 1 else None
    if start == run.start() and not _named_after(text, start, lo, td, data.subject_heads) \
            or data.clause_break_re.search(text, max(lo, run.start() - 20), run.start()) \
            and not _headed(text[max(lo, run.start() - 30):run.start()], data.subject_heads):
        return None  # `tàu MV Swift Rescue đã được điều động`: a ship; `đội X` is no person
    if is_place(words, nd) or name in nd.places or words[0] in nd.never_first \
            or any(w in nd.never_in_name or w in nd.org_words or w in nd.countries for w in words):
        return None
    return start, end, name
