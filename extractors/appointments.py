"""Appointment events: who was elected, appointed, moved, reassigned, retired, dismissed, resigned or made
acting, from which office to which, by which body and decision, from when.

A trigger verb (`gazetteer/appointments.yaml: events`) gives an appointment only with a person of the
article (`people`): the object after it (`bổ nhiệm ông A`, `miễn nhiệm chức vụ X đối với ông A`), or,
passive or intransitive, the subject before it (`ông A được bầu`, `ông A từ chức`). The office taken follows
a link (`giữ chức`, `làm`, `vào vị trí`) as a title of that person; the office left is the apposed title the
new one supersedes (`person_merge.superseded`: `Thành viên HĐQT, Phó Tổng Giám đốc - giữ chức vụ Tổng Giám
đốc` leaves `Phó Tổng Giám đốc`), or, for retired/dismissed/resigned, the office named with the verb.
A plan (`đề nghị`, `dự kiến`, `sẽ` unless announced: `CLB thông báo HLV A sẽ đảm nhiệm`), a career list
(`từng`, `trước đó`) or a trigger without a person
gives nothing. The decision is a cited document of the sentence (`documents`), the effective date a date
after `kể từ ngày` (`dates`); `public` is false for a company, club or league appointing its officers.

Example: `HĐQT Tập đoàn Hòa Phát ban hành Nghị quyết bổ nhiệm ông Nguyễn Việt Thắng - Thành viên HĐQT, Phó
Tổng Giám đốc - giữ chức vụ Tổng Giám đốc` -> Appointment(`Nguyễn Việt Thắng`, `appointed`, office_left
`Phó Tổng Giám đốc`, office_taken `Tổng Giám đốc`, public False)
"""
from __future__ import annotations

import bisect

import regex

from extractors.appointment_rules import Appointment, AppointmentData, Office, appointment_data, phrase_key
from extractors.appointment_context import (LEAVING, announced, antecedent, one_label, portfolio_change, replaced,
                                            task_office)
from extractors.appointment_subjects import is_agent, name_before
from extractors.names import name_data
from extractors.person_merge import make_title, superseded
from extractors.registry import Kind, register
from extractors.text.lexicon import Lexicon
from extractors.titles import Words, title_data, title_end

KIND = "appointments"
TABLE = "appointments"
STOPS = set(";:\n\"“”")
SEP_RE = regex.compile(r"[\s,\-–—]*")
LIST_SEP_RE = regex.compile(r"\s*(?:,|và|;)\s*(?:(?:ông|bà|đồng chí|Ông|Bà)\s+)?")
# `được`/`bị` before the verb, with an agent between or not (`được Quốc hội bầu`, `được đại hội bầu`)
# (`được` opens a syllable, so one glued to the name before is still the passive: `ông Bùi Xuân Khuđược bổ nhiệm`)
PASSIVE_RE = regex.compile(r"(?:được|(?<!\p{L})bị)(?:\s+[^\s.;:!?]+){0,8}?\s+$")
# `được CLB thông báo sẽ ...`: the announcement of a passive is no clause of its own
ANNOUNCED_BY_RE = regex.compile(r"(?<!\p{L})được(?:\s+\S+){0,4}?\s+(?:thông báo|công bố|xác nhận)(?!\p{L})")


class _Article:
    """The article's people, documents and dates, as the trigger search asks for them."""

    def __init__(self, doc, lexicon, found, data: AppointmentData):
        self.doc, self.text, self.data = doc, doc.text, data
        self.td = title_data(lexicon)
        self.nd = name_data(lexicon)
        self.sents = [(s.start, s.end) for s in doc.sentences] or [(0, len(doc.text))]
        self.sent_starts = [s for s, _ in self.sents]
        people = found.get("people", [])
        self.mentions = sorted((a, b, p.name) for p in people for a, b in p.mentions)
        self.mention_starts = [m[0] for m in self.mentions]
        self.name_starts = {m[0] for m in self.mentions}
        self.titles = {p.name: sorted(p.titles, key=lambda t: t.start) for p in people}
        self.documents = found.get("documents", [])
        self.dates = [d for d in found.get("dates", []) if d.kind == "date"]
        self.province = Lexicon.of(lexicon).article_province(doc)
        self.words = Words(doc)
        self.published = (doc.meta or {}).get("published")

    def sentence(self, pos: int) -> tuple[int, int]:
        return self.sents[max(0, bisect.bisect_right(self.sent_starts, pos) - 1)]

    def mentions_in(self, lo: int, hi: int) -> list[tuple[int, int, str]]:
        i = bisect.bisect_left(self.mention_starts, lo)
        out = []
        while i < len(self.mentions) and self.mentions[i][0] < hi:
            out.append(self.mentions[i])
            i += 1
        return out

    def chain(self, end: int, limit: int) -> list:
        """The titles apposed after a mention ending at `end` (`A - Thành viên HĐQT, Phó Tổng Giám đốc -`,
        `A (Tổng Giám đốc)`), segmented here (the person's merged titles keep one form per office)."""
        return self._chain(end, limit)[0]

    def _chain(self, end: int, limit: int) -> tuple[list, int]:
        out = []
        while end < limit:
            if (age := AGE_RE.match(self.text, end, limit)) is not None:
                end = age.end()  # `ông Miguel Diaz-Canel, 60 tuổi, làm ...`
            q = CHAIN_SEP_RE.match(self.text, end, limit).end()
            if not self.text[end:q].strip():
                break  # an apposed title follows a comma, a dash or a bracket
            t = self.title_at(q, limit, rank_ok=True)
            if t is None:
                break
            out.append(t)
            end = t.end
        return out, end

    def chain_end(self, end: int, limit: int) -> int:
        """Where the apposed titles (and an age: `A, 60 tuổi,`) after a mention end."""
        _, end = self._chain(end, limit)
        close = regex.match(r"\s*\)", self.text[end:min(limit, end + 3)])
        return end + close.end() if close else end

    def title_at(self, pos: int, limit: int, org_ok: bool = False, rank_ok: bool = False):
        """The title starting at pos, segmented as titles are; with `org_ok` a body too (`vào HĐQT`), with
        `rank_ok` a rank too (`TS`); `tân` (new) is not part of it, `nguyên` (former) is."""
        text, td = self.text, self.td
        pos += len(f.group()) if (f := NEW_HEAD_RE.match(text, pos, limit)) else 0
        q = pos + (len(f.group()) if (f := ACTING_HEAD_RE.match(text, pos, limit)) else 0)
        q = q + (len(f.group()) if (f := self.data.former_head_re.match(text, q, limit)) else 0)
        r = td.role_re.match(text, q, limit) or (rank_ok and td.prefix_re.match(text, q, limit)) \
            or self.data.extra_role_re.match(text, q, limit) or (org_ok and self.data.body_office_re.match(text, q, limit))
        if not r or self.data.not_office_re.match(text, q, limit):
            return None
        e = title_end(text, r.end(), limit, td, self.name_starts, text[r.start()].isupper(), self.words)
        return make_title(text, pos, max(e, r.end()), td, self.province)

    def pre_titles(self, person: str, a: int) -> list:
        """The person's titles written right before the mention at a (`Tổng thư ký Quốc hội Bùi Văn Cường`),
        found by their text: the person's merged titles may keep another occurrence's offsets."""
        out = []
        for t in self.titles.get(person, ()):
            for gap in (1, 0, 2, 3):
                s = a - gap - len(t.text)
                if s >= 0 and self.text.startswith(t.text, s) and not self.text[s + len(t.text):a].strip():
                    out.append(make_title(self.text, s, s + len(t.text), self.td, self.province))
                    break
        return sorted(out, key=lambda t: t.start)

    def own_office_end(self, end: int, limit: int) -> int:
        """After a listed person: the end of the apposed titles and of an office linked to them
        (`ông A giữ chức X` in `bầu ông A giữ chức X và ông B giữ chức Y`)."""
        end = self.chain_end(end, limit)
        q = SEP_RE.match(self.text, end).end()
        link = self.data.link_re.match(self.text, q)
        if link is None:
            return end
        q = w.end() if (w := self.data.office_word_re.match(self.text, link.end())) else link.end()
        t = self.title_at(q, limit)
        while t is not None and (k := self.data.also_re.match(self.text, t.end, limit)) is not None:
            t = self.title_at(k.end(), limit) or t  # `giữ chức Phó Chủ tịch HĐQT kiêm thành viên HĐQT độc lập`
            if t.end <= k.start():
                break
        return t.end if t is not None else end

    def object_link(self, gap: str) -> bool:
        """A link to an office stands between a trigger and a later name (`bổ nhiệm làm X, ông A ...`)."""
        return bool(self.data.link_re.search(gap)) and not self.data.office_word_re.search(gap)


ACTING_HEAD_RE = regex.compile(r"(?:tạm thời|lâm thời)\s+")
NEW_HEAD_RE = regex.compile(r"(?:tân|Tân)\s+")
JUST_RE = regex.compile(r"(?<!\p{L})(?:mới|vừa)\s+(?:được\s+)?$")
CHAIN_SEP_RE = regex.compile(r"[ \t]*(?:[,\-–(][ \t]*)?")
ASIDE_RE = regex.compile(r"\([^()]{0,80}\)|[,\-–]\s*người\s[^,\-–]{0,120}[,\-–]")
LIST_SEP_BACK_RE = regex.compile(r"\s*(?:,|và)\s*$")
JOIN_RE = regex.compile(r"\s*(?:,|và)?\s*")
AND_BEFORE_RE = regex.compile(r"(?:\s|,)(?:và|,)\s*$")
HANDOVER_RE = regex.compile(r"\s+(?:cho|tới)\s+(?:\S+\s+){0,2}")  # `trao quyết định cho ông A`
AGE_RE = regex.compile(r"[ \t]*[,(][ \t]*\d{1,3}[ \t]+tuổi[ \t]*\)?(?=[ \t]*[,\-–]?)")
BRACKET_RE = regex.compile(r"\s*\(\p{Lu}[\p{Lu}\p{N}&.-]{1,9}\)(?=\s+\p{Lu})")


def _blocked(text: str, start: int, end: int, sents: list[tuple[int, int]], k: int, data: AppointmentData) -> bool:
    """A plan, a denial, a career list or another word (`bầu chọn`), not an event."""
    s_start, s_end = sents[k]
    if data.not_before_re.match(text, end) or data.not_after_re.search(text, max(s_start, start - 10), start):
        return True
    window = text[max(s_start, start - 70):start]
    window = window[max(window.rfind(ch) for ch in ',;:"“”') + 1:]  # the verb's own clause
    if data.plan_re.search(window) or data.career_re.search(window) or data.opener_re.match(text, s_start, start):
        return True
    if data.described_re.search(window):
        return True  # `Frans Wuwung, một thủy thủ đã nghỉ hưu`
    decided = None
    for modal in data.modal_re.finditer(text, max(s_start, start - 25), start):
        if modal.group().lower() != "sẽ":
            return True
        decided = announced(text, start, end, sents, k, data) if decided is None else decided
        if not decided:
            return True  # `Ông A sẽ từ chức vào cuối năm`: a plan
    return bool(data.plan_after_re.search(text, end, min(s_end, end + 120)) or data.career_after_re.search(text, end, s_end)
                or data.career_range_re.search(text, end, min(s_end, end + 160)))


def _objects(art: _Article, end: int, s_end: int) -> list[tuple[int, int, str]]:
    """The people named as the trigger's object: the first within 100 characters, and those listed after it
    (`bổ nhiệm ông A và bà B`)."""
    text = art.text
    first = next(iter(art.mentions_in(end, min(s_end, end + 100))), None)
    if first is None:
        return []
    gap = text[end:first[0]]
    if any(ch in STOPS for ch in gap) or art.object_link(gap) or art.data.trigger_re.search(gap):
        return []
    if len(gap) > 30 and not art.data.object_link_re.search(gap):
        return []  # a far name is the object only after `đối với`, `cho`: `điều động khí tài ...", ông A nói`
    found = [first]
    stop = art.own_office_end(first[1], s_end)
    for a, b, p in art.mentions_in(stop, s_end):
        if p in {f[2] for f in found} or not LIST_SEP_RE.fullmatch(text, stop, a):
            break
        found.append((a, b, p))  # `bầu ông A giữ chức X và ông B giữ chức Y`
        stop = art.own_office_end(b, s_end)
    return found


def _subject(art: _Article, start: int, s_start: int) -> list[tuple[int, int, str]]:
    """The person named last before the trigger in its sentence, within 80 characters of it after that
    person's titles and with no other clause between (`clause_breaks`); people listed with `và` before it
    (`Ông A và ông B được bầu`); or the one person of the sentence before that a leading `Ông`/`Bà` stands for."""
    text = art.text
    before = art.mentions_in(s_start, start)
    while before and _agent(art, before[-1]):
        before = before[:-1]  # `ông A được Thủ tướng B bổ nhiệm`: B decides, A is appointed
    missed = name_before(text, start, s_start, art.nd, art.td, art.data, set(art.titles))
    if missed is not None and (not before or missed[0] >= before[-1][1]):
        return [missed]  # `Phó Chủ tịch Man Utd, Ed Woodward đã từ chức`: a name `people` did not read
    if before:
        a, b, p = before[-1]
        gap_start = art.chain_end(b, start)
        gap = ASIDE_RE.sub(" ", text[gap_start:start])  # `A (người Brazil) tuyên bố từ chức`, `A, người ..., được`
        gap = art.data.trust_re.sub(" ", ANNOUNCED_BY_RE.sub(" ", gap))  # `được CLB thông báo sẽ`, `tin tưởng`
        if len(gap) > 80 or art.data.clause_break_re.search(gap):
            return []
        found = [before[-1]]
        if "(" in text[gap_start:start]:
            return found  # `Perez và Andrea Agnelli (Agnelli đã từ chức ...)`: only the one in brackets
        rest = list(before[:-1])
        while True:  # `Ông A và ông B được bầu`; `cùng các cộng sự C, D và ông B`: names `people` missed too
            if rest and rest[-1][2] not in {f[2] for f in found} \
                    and LIST_SEP_RE.fullmatch(text, art.chain_end(rest[-1][1], found[-1][0]), found[-1][0]):
                found.append(rest.pop())
                continue
            sep = LIST_SEP_BACK_RE.search(text, max(s_start, found[-1][0] - 12), found[-1][0])
            missed = name_before(text, sep.start(), s_start, art.nd, art.td, art.data, set(art.titles)) if sep else None
            if missed is None or missed[2] in {f[2] for f in found} or rest and missed[0] < rest[-1][1]:
                break
            found.append(missed)
        return found[::-1]
    pro = art.data.pronoun_re.match(text, s_start, start)
    if pro is not None and start - pro.end() <= 80 and not art.data.clause_break_re.search(
            art.data.trust_re.sub(" ", text[pro.end():start])):
        # `Ông nghỉ hưu từ năm 2007`, `Từ tháng 8/2020 ông được ... giao`: a person named before
        return antecedent(art, s_start, pro.group("pro"))
    return []


def _leave_then_take(data: AppointmentData, m, nxt) -> bool:
    return data.event_of[phrase_key(m.group())] in LEAVING and data.event_of[phrase_key(nxt.group())] not in LEAVING


def _agent(art: _Article, mention: tuple[int, int, str]) -> bool:
    """The person is named right after `được`/`bị` (or after a title right after it): the agent."""
    return is_agent(art.text, mention[0], art.sentence(mention[0])[0], art.td)


def extract(doc, lexicon) -> list[Appointment]:
    """Phase 1: the article's trigger verbs (`bổ nhiệm`, `điều động, bổ nhiệm`), as appointments without a
    person yet, without those that report a plan, a denial or a career (`_blocked`); `link` names the people.

    Example: `extract(make_doc("Bộ Nội vụ đề nghị bổ nhiệm ông A."), lexicon)` -> `[]`
    """
    text = doc.text
    data = appointment_data(lexicon)
    nouns = [m.span() for m in data.not_trigger_re.finditer(text)]  # `người kế nhiệm`: a noun
    triggers = [m for m in data.trigger_re.finditer(text) if not any(a <= m.start() < b for a, b in nouns)]
    sents = [(s.start, s.end) for s in doc.sentences] or [(0, len(text))]
    starts = [a for a, _ in sents]
    out: list[Appointment] = []
    for i, m in enumerate(triggers):
        k = max(0, bisect.bisect_right(starts, m.start()) - 1)
        s_start, s_end = sents[k]
        nxt = triggers[i + 1] if i + 1 < len(triggers) else None
        if nxt is not None and nxt.start() < s_end and JOIN_RE.fullmatch(text, m.end(), nxt.start()) \
                and phrase_key(m.group()) not in data.generic and not _leave_then_take(data, m, nxt):
            # `điều động, bổ nhiệm ông A`: one event, named by the first verb; `link` skips the second
            # (not `bị giáng chức và điều xuống làm X`: leaving one office, then taking another, two events)
            candidate = (m.start(), nxt.end())
        else:
            candidate = (m.start(), m.end())
        if phrase_key(m.group()) in data.announced and not announced(text, *candidate, sents, k, data):
            continue  # `trở thành người đầu tiên`, `đảm nhiệm nhiều chức vụ`: no change announced
        if not _blocked(text, *candidate, sents, k, data):
            out.append(Appointment("", data.event_of[phrase_key(m.group())], *candidate, text[slice(*candidate)], -1, -1))
    return out


def link(facts: list[Appointment], doc, lexicon, resolved: dict[str, list]) -> list[Appointment]:
    """Phase 3: each trigger with the people it names (`people`), its offices, the decision cited in its
    sentence (`documents`) and the date it takes effect (`dates`); a trigger naming nobody is dropped.

    Example: `Bộ Tài chính điều động ông Trần Văn Bình, Phó Cục trưởng Cục Hải quan Hà Nội, giữ chức Cục trưởng
    Cục Hải quan TP.HCM` -> one `moved` appointment, office_left `Phó Cục trưởng Cục Hải quan Hà Nội`.
    """
    text = doc.text
    if not facts:
        return []  # (an article without `people` may still name a subject they missed: `appointment_subjects`)
    data = appointment_data(lexicon)
    art = _Article(doc, lexicon, resolved, data)
    facts = sorted((f for f in facts if not f.person), key=lambda f: (f.start, -f.end))
    out: list[Appointment] = []
    covered = -1
    for i, f in enumerate(facts):
        if f.start < covered:
            continue  # the second verb of `điều động, bổ nhiệm`
        covered = f.end
        key = phrase_key(data.trigger_re.match(text, f.start).group())  # the first verb of `điều động, bổ nhiệm`
        s_start, s_end = art.sentence(f.start)
        start, end = f.start, f.end
        nxt = facts[i + 1] if i + 1 < len(facts) else None
        if key in data.generic and nxt is not None and nxt.start < s_end and nxt.start - end <= 80 and not any(
                ch in STOPS for ch in text[end:nxt.start]) and not art.mentions_in(end, nxt.start):
            continue  # `trao quyết định (số ...) bổ nhiệm`: the next verb names the event
        passive = key.startswith("được") or PASSIVE_RE.search(data.trust_re.sub(" ", text[max(s_start, start - 60):start]))
        by_form = data.subject_before_re.search(text, max(s_start, start - 20), start)
        persons = [] if passive or key in data.subject_only or by_form else _objects(art, end, s_end)
        if not persons and (passive or key in data.subject_only or by_form):
            persons = _subject(art, start, s_start)
        for a, b, person in persons:
            app = _appointment(art, start, end, key, person, a, b, s_start, s_end)
            if app is not None:
                out.append(app)
    return _dedupe(one_label(replaced(out, art), art), art)


def _appointment(art: _Article, start: int, end: int, key: str, person: str, a: int, b: int,
                 s_start: int, s_end: int) -> Appointment | None:
    text, data = art.text, art.data
    event = data.event_of[key]
    if key in data.end_of_post:  # `sa thải HLV A: "... A cùng các cộng sự B, C sẽ kết thúc nhiệm vụ"`
        leaving = [data.event_of[phrase_key(m.group())] for m in data.trigger_re.finditer(text, s_start, start)
                   if data.event_of.get(phrase_key(m.group())) in LEAVING and phrase_key(m.group()) not in data.end_of_post]
        if not leaving:
            return None
        event = leaving[0]
    after = a >= end  # the person is the object, named after the verb
    anchor = max(end, art.chain_end(b, s_end)) if after else end
    if not after and (other := next(iter(art.mentions_in(end, min(s_end, end + 12))), None)) is not None:
        anchor = art.chain_end(other[1], s_end)  # `A kế nhiệm ông B làm X`: the office follows the one replaced
    # the office named with the verb: `giữ chức X`, `làm X`, `từ chức X`, `miễn nhiệm chức vụ X đối với ông A`;
    # a former office on the way is passed (`bầu bà A nguyên Phó Hiệu trưởng trở thành Hiệu trưởng`)
    while True:
        q = SEP_RE.match(text, anchor).end()
        q += len(f.group()) if (f := ACTING_HEAD_RE.match(text, q)) else 0  # `bầu ông A tạm thời giữ chức X`
        q = link.end() if (link := data.link_re.match(text, q)) else q
        q = w.end() if (w := data.office_word_re.match(text, q)) else q
        passed = art.title_at(q, s_end) if q < s_end and not link and not w else None
        if passed is None or not passed.former:
            break
        anchor = passed.end
    q2 = SEP_RE.match(text, end).end()
    q2 = w2.end() if (w2 := data.office_word_re.match(text, q2)) else q2
    before = art.title_at(q2, a) if after and q2 < a else None  # `công nhận quyền Hiệu trưởng ... cho ông A`
    if event in LEAVING and after:
        named = before or (art.title_at(q, s_end) if w is not None and w.group().startswith("khỏi") else None)
    else:
        # (a body after a link is an office taken, `vào HĐQT`; never one left: `gửi đơn từ chức lên HĐQT`)
        named = art.title_at(q, s_end, org_ok=bool(link) and event not in LEAVING) if q < s_end else None
        if named is None and before is not None and before.end < a and not data.kept_re.match(before.text):
            named = before
    if named is None and data.not_office_re.match(text, q):
        return None  # `bổ nhiệm Hoa hậu A làm Đại sứ thương hiệu`
    if named is None and not after and event in ("appointed", "elected") and (
            JUST_RE.search(text, max(s_start, start - 12), start) or text.startswith(" mới", end)):
        own = [t for t in art.pre_titles(person, a) + art.chain(b, start) if not art.td.prefix_re.fullmatch(t.text)]
        named = own[-1] if own else None  # `Tổng thư ký Quốc hội A ... vừa được bầu`: the title is the new office
        # (a rank is no office: `trung úy A ... vừa được công nhận liệt sĩ`)
    if named is None and after and event in ("moved", "appointed"):
        named = _second_office(art, anchor, s_end)
    if named is None and event in ("acting", "appointed", "reassigned"):
        named = task_office(art, start, end, q, s_end)  # `giao quản lý và điều hành Trường X`
    if key in data.need_office and named is None and not (link and w) \
            and not (key in data.generic and after and HANDOVER_RE.fullmatch(text, end, a)):
        return None  # (`được Quốc hội bầu vào cương vị mới` names no office, but is one; so is the
        # decision handed to a person, `trao quyết định cho ông A`, its office said in another sentence)
    if named is not None and event in ("appointed", "elected", "moved") and data.acting_re.search(named.text):
        event = "acting"  # `được bổ nhiệm làm Quyền Giám đốc`, `HLV tạm quyền` (not `bầu ... tạm thời giữ chức`)
    if key in data.announced and data.interim_re.search(text, s_start, end):
        event = "acting"  # `Tạm thời, trợ lý A sẽ đảm nhiệm công tác tập luyện`
    if key == "miễn nhiệm" and data.resign_re.search(text, end, s_end):
        event = "resigned"  # `miễn nhiệm ... theo Đơn từ nhiệm`
    chain = [t for t in art.pre_titles(person, a) if s_start <= t.start] + art.chain(b, s_end)
    chain = [t for t in chain if named is None or t.start < named.start]
    movable = [t for t in chain if not t.former and not data.kept_re.match(t.text)]
    if event in LEAVING:
        taken, left = None, named or (movable[-1] if movable else None)
    else:
        taken, left = named, None
        if taken is not None:
            alone = len(movable) == 1 and not art.td.concurrent_re.match(movable[0].text)
            left = next((t for t in movable if superseded(t, taken, alone, event == "elected")), None)
            if event == "appointed" and portfolio_change(left, taken):
                event = "reassigned"  # `Bộ trưởng Công thương A sẽ trở thành Bộ trưởng Giáo dục`
    decision = _decision(art, start, s_start, s_end)
    # the body is named before the verb and its object, never in the person's own titles
    body_end = start if after else (start if not chain else min(start, min(t.start for t in chain)))
    body_start = s_start if after else max(s_start, b)
    body = (decision.issuer if decision is not None else None) or _body(art, body_start, body_end)
    return Appointment(person, event, start, end, text[start:end], a, b, left, taken, body,
                       decision.id if decision is not None else None, _effective(art, end, s_end), art.published,
                       not data.private_re.search(text, s_start, s_end))


def _second_office(art: _Article, pos: int, s_end: int):
    """The office of a second `bổ nhiệm` that names nobody, after the person's transfer (`điều động ông A
    ... về công tác tại Thanh tra và bổ nhiệm chức vụ Phó Chánh Thanh tra`), or None."""
    text, data = art.text, art.data
    m = data.trigger_re.search(text, pos, min(s_end, pos + 160))
    if m is None or data.event_of[phrase_key(m.group())] != "appointed" or art.mentions_in(pos, m.end()) \
            or not AND_BEFORE_RE.search(text, pos, m.start()):
        return None
    q = SEP_RE.match(text, m.end()).end()
    q = link.end() if (link := data.link_re.match(text, q)) else q
    q = w.end() if (w := data.office_word_re.match(text, q)) else q
    t = art.title_at(q, s_end) if q < s_end else None
    return t if t is not None and not art.mentions_in(m.end(), t.end) else None


def _decision(art: _Article, pos: int, s_start: int, s_end: int):
    """The document cited in the sentence nearest the trigger (`Quyết định số 1234/QĐ-TCHQ`), or None."""
    docs = [d for d in art.documents if s_start <= d.start < s_end]
    return min(docs, key=lambda d: abs(d.start - pos), default=None)


def _body(art: _Article, lo: int, pos: int) -> str | None:
    """The deciding body: the first body named in [lo, pos), at most 160 characters before the verb
    (`Hội đồng quản trị (HĐQT) Tập đoàn Hòa Phát ... ban hành Nghị quyết bổ nhiệm`; `ông A được Quốc hội
    bầu`), with an acronym in brackets kept (`(HĐQT)`)."""
    text = art.text
    h = art.data.body_re.search(text, max(lo, pos - 160), pos)
    if h is None:
        return None
    e = max(title_end(text, h.end(), pos, art.td, art.name_starts, True, art.words), h.end())
    if (acr := BRACKET_RE.match(text, e, pos)) is not None:
        e = max(title_end(text, acr.end(), pos, art.td, art.name_starts, True, art.words), acr.end())
    return text[h.start():e].strip(" ,-–") or None


def _effective(art: _Article, pos: int, s_end: int) -> str | None:
    """The date after `kể từ ngày`, `có hiệu lực từ` in the trigger's sentence or the next one."""
    limit = art.sentence(s_end)[1] if s_end < len(art.text) else s_end
    for d in art.dates:
        if pos <= d.start < limit:
            lead = regex.match(r"(?i)ngày\s+", d.text)
            before = art.text[max(0, d.start - 30):d.start] + (lead.group().rstrip() if lead else "")
            if art.data.effective_re.search(before):
                return d.value
    return None


def _dedupe(items: list[Appointment], art: _Article) -> list[Appointment]:
    """One appointment per person, event and office taken in a sentence (the first said); an article
    may report one change in several sentences, each kept with its own provenance."""
    reported = {(art.sentence(a.start), a.person) for a in items if phrase_key(a.text) not in art.data.succession}
    items = [a for a in items if phrase_key(a.text) not in art.data.succession or (art.sentence(a.start), a.person)
             not in reported]  # `bầu ông A làm X, kế nhiệm ông B`: one event
    seen, out = set(), []
    for a in sorted(items, key=lambda x: (x.start, x.person_start)):
        key = (art.sentence(a.start), a.person, a.event, a.office_taken.text if a.office_taken else None)
        if key not in seen:
            seen.add(key)
            out.append(a)
    return out


def _office_json(o: Office | None) -> dict | None:
    if o is None:
        return None
    return {"text": o.text, "role": o.role, "organisation": o.organisation, "province": o.province,
            "start": o.start, "end": o.end}


def to_json(a: Appointment) -> dict:
    """The JSONL shape proposed in docs/FACTS-appointments.md."""
    return {"person": a.person, "event": a.event, "office_left": _office_json(a.office_left),
            "office_taken": _office_json(a.office_taken), "body": a.body, "decision": a.decision,
            "effective": a.effective, "reported": a.reported, "public": a.public,
            "text": a.text, "start": a.start, "end": a.end,
            "person_start": a.person_start, "person_end": a.person_end}


def occupancy_dates(item: dict) -> dict:
    """The dates an appointment (its JSON) sets on the offices it touches, for FtM Occupancies: the
    effective date starts the office taken and ends the office left; nothing when no date is stated.

    Example: `occupancy_dates({"effective": "2020-10-01", "office_taken": {...}, "office_left": None})`
    -> `{"taken": {"startDate": "2020-10-01"}, "left": {}}`
    """
    eff = item.get("effective")
    return {"taken": {"startDate": eff} if eff and item.get("office_taken") else {},
            "left": {"endDate": eff} if eff and item.get("office_left") else {}}


register(Kind(name=KIND, table=TABLE, fact=Appointment, extract=extract, to_json=to_json, rank=50,
              label="APPOINTMENT", color="#f7a8c8", requires=("people", "documents", "dates"),
              assigns=("person", "office_left", "office_taken", "body", "decision", "effective", "public"),
              link=link, examples="appointments.yaml",
              title="Bổ nhiệm, bầu, điều động, nghỉ hưu / Appointments",
              description="Mỗi sự kiện thay đổi chức vụ của một người: sự kiện, chức vụ rời, chức vụ nhận, cơ quan "
                          "quyết định, văn bản, ngày hiệu lực; span là động từ (bổ nhiệm). / Every change of office "
                          "of one person: event, office left, office taken, deciding body, decision, effective date; "
                          "the span is the verb.",
              facets=("event", "public", "decision"),
              columns={"person": "Người / Person", "event": "Sự kiện / Event",
                       "office_left": "Chức vụ rời / Office left (JSON)",
                       "office_taken": "Chức vụ nhận / Office taken (JSON)",
                       "body": "Cơ quan quyết định / Deciding body", "decision": "Văn bản / Decision (documents id)",
                       "effective": "Ngày hiệu lực / Effective date", "reported": "Ngày đăng / Reported",
                       "public": "Nhà nước, Đảng (1) hay doanh nghiệp, CLB (0) / Public (1) or company, club (0)"}))
