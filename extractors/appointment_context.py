"""What the article around a trigger tells the appointments kind (`extractors.appointments`): whether a change
said with `sẽ` is decided (`announced`), whom a pronoun subject stands for (`antecedent`), an office worded as a
task (`task_office`), the office a replaced person leaves and a portfolio change (`replaced`,
`portfolio_change`), and one label per change in an article (`one_label`). `art` is the appointments kind's
view of an article (text, sentences, people's mentions, compiled `appointments.yaml` data).

Example: `portfolio_change(Title("Bộ trưởng Công thương", 0, 21, role="Bộ trưởng", organisation="Công thương"),
Title("Bộ trưởng Giáo dục", 30, 48, role="Bộ trưởng", organisation="Giáo dục"))` -> True
"""
from __future__ import annotations

import dataclasses

from extractors.appointment_rules import Appointment, phrase_key
from extractors.person_merge import make_title
from extractors.text.textnorm import fold

LEAVING = {"retired", "dismissed", "resigned"}


def announced(text: str, start: int, end: int, sents: list[tuple[int, int]], k: int, data) -> bool:
    """A change said with `sẽ` that is decided, not planned (sentence k holds the verb): an announcement before
    the verb (`Bayern thông báo HLV A sẽ đảm nhiệm`; `Theo đó, ...` after a sentence announcing), an interim
    post (`sẽ tạm thời nắm quyền`), or the date it takes effect after it (`có hiệu lực từ ngày 15/5`)."""
    s_start, s_end = sents[k]
    if data.announce_re.search(text, s_start, start) or data.interim_re.search(text, s_start, end):
        return True
    if k > 0 and data.announce_opener_re.match(text, s_start) and data.announce_re.search(text, *sents[k - 1]) \
            and not data.plan_re.search(text, *sents[k - 1]):
        return True
    return bool(data.announce_after_re.search(text, end, sents[min(k + 1, len(sents) - 1)][1]))


def antecedent(art, s_start: int, pronoun: str) -> list[tuple[int, int, str]]:
    """The person a pronoun opening a sentence stands for: in the nearest of the 6 sentences before that names
    anyone, the one person named, or the one named with the pronoun's own word (`ông Đạo` for `ông`), or the
    one who opens that sentence (`Phạm Tuân cùng với nhà du hành X được phóng`); else nobody."""
    pos = s_start
    for _ in range(6):
        if pos <= 0:
            return []
        p_start, p_end = art.sentence(pos - 1)
        pos = p_start
        named = art.mentions_in(p_start, p_end)
        if not named:
            continue
        cue = pronoun.lower() if pronoun.lower() in ("ông", "bà") else None

        def said(m, word):  # the mention is written with that word before it (`ông Đạo`)
            return art.text[max(p_start, m[0] - 4):m[0]].strip().lower() == word
        other = {"ông": "bà", "bà": "ông"}.get(cue)
        if len({p for _, _, p in named}) == 1:
            return [] if other and any(said(m, other) for m in named) else [named[-1]]
        if cue is None:
            return []
        cued = {m[2]: m for m in named if said(m, cue)}
        if len(cued) == 1:
            return list(cued.values())
        first = named[0]
        opener = art.text[p_start:first[0]]
        if not cued and len(opener) <= 30 and "," not in opener and not said(first, other):
            return [first]
        return []
    return []


def portfolio_change(left, taken) -> bool:
    """The same role in another body (`Bộ trưởng Công thương` -> `Bộ trưởng Giáo dục`, `Bộ trưởng Tài chính`,
    a role of its own): a reassignment."""
    if left is None or taken is None or not left.role or not taken.role:
        return False
    lr, tr = fold(left.role), fold(taken.role)
    head = min(lr, tr, key=len)
    if not (lr == head or lr.startswith(head + " ")) or not (tr == head or tr.startswith(head + " ")):
        return False
    lo = " ".join(f"{lr[len(head):]} {fold(left.organisation or '')}".split())
    to = " ".join(f"{tr[len(head):]} {fold(taken.organisation or '')}".split())
    return bool(lo and to) and lo != to


def task_office(art, start: int, end: int, q: int, s_end: int):
    """An office worded as a task, after the verb or ending it, up to the end of its clause (`giao quản lý và
    điều hành Trường ĐH X trong thời gian ...` -> `quản lý và điều hành Trường ĐH X`), or None."""
    text, data = art.text, art.data
    task = data.task_re.match(text, q, s_end) if q < s_end else None
    task = task or next((m for m in data.task_re.finditer(text, start, end) if m.end() == end), None)
    if task is None:
        return None
    stop = data.task_stop_re.search(text, task.end(), min(s_end, task.end() + 100))
    e = stop.start() if stop is not None else min(s_end, task.end() + 100)
    e = task.start() + len(text[task.start():e].rstrip())
    return make_title(text, task.start(), e, art.td, art.province) if e > task.end() else None


def replaced(items: list[Appointment], art) -> list[Appointment]:
    """A person named after `thay cho` leaves the office the one named before takes (`A sẽ trở thành Bộ trưởng
    Y tế thay cho ông B - người được bổ nhiệm làm Bộ trưởng Công thương`: B leaves `Bộ trưởng Y tế`), and
    between two offices of one role changes portfolio (`reassigned`)."""
    out = []
    for a in items:
        s = art.sentence(a.person_start)
        prior = [b for b in items if b.person != a.person and b.office_taken is not None and s[0] <= b.person_start
                 < a.person_start and b.start < a.person_start]
        if a.office_left is None and a.event not in LEAVING and prior \
                and art.data.replaced_re.search(art.text, max(s[0], a.person_start - 25), a.person_start):
            left = prior[-1].office_taken
            event = "reassigned" if a.event == "appointed" and portfolio_change(left, a.office_taken) else a.event
            a = dataclasses.replace(a, office_left=left, event=event)
        if phrase_key(a.text) in art.data.replacement:
            gone = [b for b in items if b.event in LEAVING and b.office_left is not None and s[0] <= b.start < a.start]
            if not gone or a.office_taken is not None:
                continue  # `thay bằng` names a successor only after someone left an office
            a = dataclasses.replace(a, office_taken=gone[-1].office_left)
        out.append(a)
    return out


def one_label(items: list[Appointment], art) -> list[Appointment]:
    """A `miễn nhiệm` the article shows was asked for in one sentence (`... đối với ông A theo Đơn từ nhiệm`) is
    a resignation in its other sentences too (`HĐQT thông qua việc miễn nhiệm ... đối với ông A`)."""
    asked = {a.person for a in items if a.event == "resigned" and phrase_key(a.text) == "miễn nhiệm"}
    return [dataclasses.replace(a, event="resigned") if a.person in asked and a.event == "dismissed"
            and phrase_key(a.text) == "miễn nhiệm" else a for a in items]
