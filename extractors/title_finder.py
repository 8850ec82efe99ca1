"""Titles around the names of one article: before a name, after it, after a predicate, over a list,
and a title used alone. `ArticleTitles` holds the article's text, sentences, role matches
(`titles.find_roles`, one automaton pass), strong cue ends and name starts.

Used by `extractors/people.py`; the list titles live in `extractors/title_lists.py`; data from
`gazetteer/titles.yaml`.
"""
from __future__ import annotations

import bisect
import collections
import copy

import regex

from extractors.text.stdre import std_compile
from extractors.names import NameSpan, name_data
from extractors.title_lists import ListTitles
from extractors.titles import Words, expand, find_roles, strong_cue_ends, title_data, title_end, trim_title

SPACE_RE = std_compile(r"[ \t]*")
TAIL_RE = std_compile(r"\p{Ll}+(?: \p{Ll}+){0,2}(?=[,;])")
COUNT_RE = std_compile(r"(?<![\p{L}\p{N}])\p{N}+\s+\p{Ll}[^,;:]*$")  # `8 biên chế là`, not `1970, là`
APPOSED_RE = std_compile(r"\s*[-–,]\s*$")
# an acronym or a Latin-script name in brackets between a title and its name
# (`Chủ tịch Ủy ban châu Âu (EC) Von der Leyen`, `Công ty Viễn thông Hà Nội (Hanoi Telecom) Nguyễn Hiền Phương`)
ACRONYM_END_RE = std_compile(r"\s*\((?:\p{Lu}[\p{Lu}\p{N}&.-]{1,9}|[A-Z][A-Za-z]+(?: [A-Z][A-Za-z]+){0,2})\)$")
ITEM_END_RE = std_compile(r"[ \t]*(?:[,;.]|kiêm\s|$)")
NAMED_BODY_RE = std_compile(r"(?<![\p{L}\p{N}])\p{Lu}")  # a capitalised word: the body is named
OPEN_BRACKET_END_RE = std_compile(r"\s*\(\s*$")
BRACKET_NAME_RE = std_compile(r"\p{Lu}[\p{L} .'-]{1,40}\)")  # the name alone closes the bracket
FIELD_LIST_RE = std_compile(r"(?:\s*,\s*\p{Ll}+(?: \p{Ll}+){0,6})+")  # `, môi trường và công trình ngầm`
BRACKET_JOIN_RE = std_compile(r"\s*(?:[-–&]|và)\s*")
BRACKET_REST_STOP_RE = std_compile(r"[,;:/]|\s(?:và|hoặc|là|cho|đã|sẽ|đang|bị|được|nói|cho biết|tại|ở)\s")
OF_RE = std_compile(r"\sc[ủu]a\s+")
OF_END_RE = std_compile(r"\sc[ủu]a\s+$")
AGE_RE = std_compile(r"\d{1,3}\s+tuổi\s*[,;]\s*")
TERM_AFTER_RE = std_compile(r"\s+(?:nhiệm kỳ|khóa|khoá)\s+(?:\d{4}\s*[-–]\s*\d{4}|[IVXL]+)(?=\s*[,;])")
GIVEN_TO_RE = std_compile(r"\s+cho\s+(?:ông|bà|đồng chí|anh|chị)\s")
HARD_STOP = set(";:(\"“”\n")
WINDOW = 160  # characters searched before a name for its title


class ArticleTitles(ListTitles):
    """Per-article title finding: text, sentences, role matches, and the names found so far
    (`name_starts`/`name_ends`, empty until `with_names` gives them: a title stops before a name).

    Example: `ArticleTitles(doc, lexicon).with_names(spans).pre_titles(spans[0].start)`
    """

    def __init__(self, doc, gaz):
        self.text = doc.text
        self.td = title_data(gaz)
        self.nd = name_data(gaz)
        sents = [(s.start, s.end) for s in doc.sentences] or [(0, len(doc.text))]
        self.sent_starts = [s for s, _ in sents]
        self.sents = sents
        self.roles = find_roles(self.text, self.td)
        self.role_starts = [a for a, _ in self.roles]
        self.strong_ends = strong_cue_ends(self.text, self.td)
        self.name_starts: frozenset[int] = frozenset()
        self.name_ends: frozenset[int] = frozenset()
        self.words = Words(doc)  # word-token questions, each sentence tokenised when first asked

    def with_names(self, spans: list[NameSpan]) -> "ArticleTitles":
        """The same article's title finder, knowing where the names are (a copy; this one is unchanged)."""
        other = copy.copy(self)
        other.name_starts = frozenset(s.start for s in spans)
        other.name_ends = frozenset(s.end for s in spans)
        return other

    def sentence(self, pos: int) -> tuple[int, int]:
        i = max(0, bisect.bisect_right(self.sent_starts, pos) - 1)
        return self.sents[i]

    def skip_space(self, pos: int, limit: int) -> int:
        return min(SPACE_RE.match(self.text, pos).end(), limit)

    # ---- titles before a position -------------------------------------------------------
    def role_title_ending(self, j: int, lo: int) -> tuple[int, int] | None:
        """A title (role + organisation) that ends exactly at j, starting after lo."""
        text, td = self.text, self.td
        lo = max(lo, j - WINDOW)
        # the title starts after the last hard stop, or comma outside a comma name (`phòng, chống`), before j
        stop = max(text.rfind(ch, lo, j) for ch in HARD_STOP)
        k = text.rfind(",", max(lo, stop + 1), j)
        if k >= 0:
            inside = self.words.comma_names(text, td, lo, j)
            while k >= 0 and any(a < k < b for a, b in inside):
                k = text.rfind(",", max(lo, stop + 1), k)
        if max(stop, k) >= 0:
            lo = max(stop, k) + 1
        target = trim_title(text, lo, j, td.trailing_words)
        if any(ch.isalpha() for ch in text[target:j]):
            return None  # `tổng lãnh sự quán Nga ở New York`: a connector stands between title and run
        i = bisect.bisect_left(self.role_starts, lo)
        while i < len(self.roles) and self.roles[i][0] < j:
            start, r_end = self.roles[i]
            i += 1
            if r_end > j:
                break
            e = title_end(text, r_end, j, td, self.name_starts, text[start].isupper(), self.words)
            if e >= target and any(r_end <= a < j and b == target and OF_END_RE.search(text, max(r_end, a - 6), a)
                                   for a, b in self.roles[i:i + 4]):
                continue  # `Đặc phái viên của Tổng Bí thư Tô Lâm`: the name holds the office after `của`
                # (not `đặc phái viên của Tổng thống Mỹ về khí hậu John Kerry`: the office there is the envoy's)
            if e >= target and text[start:r_end].lower() in td.bare_not_titles \
                    and not NAMED_BODY_RE.search(text, r_end, target):
                continue  # `trên cương vị là người đứng đầu, ông A`: no body, no title
            if e >= target:
                f = td.former_re.search(text, max(lo, start - 8), start)
                if f:
                    start = f.start()
                return start, target
        return None

    def pre_titles(self, pos: int) -> list[tuple[int, int]]:
        """Titles written before the name at pos (`Bí thư Tỉnh ủy`, `GS.TS`, chains)."""
        text, td = self.text, self.td
        s_start, _ = self.sentence(pos)
        if s_start > 0 and not text[s_start:pos].strip() and td.prefix_end_re.search(text, max(0, s_start - 12), s_start):
            s_start, _ = self.sentence(s_start - 1)  # `PGS.TS. Hoàng Minh Sơn`: the splitter cut after the rank's dot
        out: list[tuple[int, int]] = []
        cur = pos
        seen_any = after_honorific = after_sep = crossed = False
        while cur > s_start:
            j = cur
            while j > s_start and text[j - 1] == " ":
                j -= 1
            a = ACRONYM_END_RE.search(text, max(s_start, j - 40), j) if cur == pos else None
            if a:  # `Chủ tịch Ủy ban châu Âu (EC) Von der Leyen`
                j = a.start()
            lo = max(s_start, j - 90)
            seg = text[lo:j]
            m = td.honorific_end_re.search(seg)
            if m:
                h = lo + m.start()
                if m.group().split()[0] in td.breakers and text[s_start:h].strip() and text[h - 1:h] == " " \
                        and text[:h].rstrip()[-1:].isalnum():
                    break  # `... Trung ương Ông Phạm Minh Chính`: a capitalised `Ông` mid-sentence opens a new one
                if cur == pos and (b := OPEN_BRACKET_END_RE.search(text, max(s_start, h - 4), h)) \
                        and BRACKET_NAME_RE.match(text, pos):
                    r = self.bracketed_owner_title(b.start(), s_start)
                    return [r] if r else out  # `giám đốc Sở Xây dựng Hà Nội (ông Lê Văn Dục)`
                cur, seen_any, after_honorific = h, True, True
                continue
            m = td.prefix_end_re.search(seg)
            if m:  # (the rank without its closing dot: `GS.TS.` -> `GS.TS`)
                out.append((lo + m.start(), lo + m.start() + len(m.group().rstrip().rstrip("."))))
                cur, seen_any = lo + m.start(), True
                continue
            m = td.honour_end_re.search(seg)
            if m:
                cur, seen_any = lo + m.start(), True
                continue
            r = self.role_title_ending(j, s_start)
            if r and crossed and APPOSED_RE.search(text, max(s_start, r[0] - 6), r[0]) \
                    and APPOSED_RE.search(text, max(s_start, r[0] - 6), r[0]).start() in self.name_ends:
                del out[1:]  # `A - Giám đốc X, đại biểu Y, Trưởng ban Z B`: only the title next to B is B's
                break  # `A - Giám đốc Sở X, anh B`: that title is A's
            if r and crossed and td.addressee_before_re.search(text, max(s_start, r[0] - 12), r[0]):
                break  # `báo cáo với Thủ tướng, Bộ trưởng Y tế A`: the Prime Minister is not A
            if r and r[1] > r[0] and not (after_sep and text[r[0]].islower()):
                out.append(r)
                cur, seen_any = r[0], True
                continue
            if r and r[1] > r[0]:
                break  # `trao đổi với phóng viên, ông X`: a lower-case title before `, ông` is another phrase
            if seen_any and j > s_start and text[j - 1] in ",-–":
                after_sep = after_honorific and text[j - 1] == ","
                crossed = True
                cur = j - 1
                seen_any = False  # a separator must be followed (leftwards) by another title
                continue
            if seen_any and text[max(s_start, j - 4):j] == "kiêm":
                cur, seen_any = j - 4, False
                continue
            break
        return out

    def bracketed_owner_title(self, j: int, s_start: int) -> tuple[int, int] | None:
        """The title ending at j before `(ông NAME)`; its body may be a lower-case list of fields with commas
        (`trưởng phòng quản lý hạ tầng, môi trường và công trình ngầm (ông Trần Trọng Hiếu)`)."""
        r = self.role_title_ending(j, s_start)
        if r:
            return r
        text, td = self.text, self.td
        lo = max(s_start, j - WINDOW)
        lo = max(lo, max(text.rfind(ch, lo, j) for ch in HARD_STOP) + 1)  # after the last hard stop
        for start, r_end in self.roles:
            if not lo <= start < j or r_end > j:
                continue
            comma = text.find(",", r_end, j)
            if comma < 0 or not FIELD_LIST_RE.fullmatch(text, comma, j) \
                    or any(m.group() != "và" and m.start() not in self.words
                           for m in td.stop_re.finditer(text, comma, j)):
                continue
            if title_end(text, r_end, comma, td, self.name_starts, text[start].isupper(), self.words) >= comma:
                return start, j
        return None

    # ---- titles after a position --------------------------------------------------------
    def segment_title(self, q: int, limit: int) -> tuple[int, int] | None:
        """A title starting at q (`nguyên Phó Chủ tịch nước`, `Đại tá`)."""
        text, td = self.text, self.td
        start = q
        f = td.former_start_re.match(text, q)
        if f:
            q = f.end()
        r = td.role_re.match(text, q) or td.prefix_re.match(text, q)
        if not r:
            return None
        verb = next((v for v in td.verb_roles if r.group().startswith(v)), None)
        if verb and f and f.group().strip().lower() in td.former_words:
            verb = None  # `cựu chỉ huy lực lượng xe tăng`: after `cựu`/`nguyên` the word is an office
        if verb and (r.group() != verb or not text[self.skip_space(r.end(), limit):][:1].isupper()):
            return None  # `phụ trách hoạt động ...`, `phụ trách nhân sự` are verbs
        e = title_end(text, r.end(), limit, td, self.name_starts, text[r.start()].isupper(), self.words)
        if r.group().lower() in td.bare_not_titles and not NAMED_BODY_RE.search(text, r.end(), e):
            return None  # `là người đứng đầu đối với ...`, `một quan chức do A đóng`: no named body, no title
        return start, max(e, r.end())

    def chain_after(self, p: int, limit: int, first_sep_optional: bool, allow_dash: bool,
                    cue_ok: bool = False) -> list[tuple[int, int]]:
        """Titles in a comma chain starting at p: `, Phó Bí thư, Chủ tịch UBND tỉnh`."""
        text, td = self.text, self.td
        out = []
        n = 0
        item_start = None  # where the titles after the last `;` begin in `out`
        while p < limit:
            if term := TERM_AFTER_RE.match(text, p, limit):
                p = term.end()  # `Bí thư Thành ủy nhiệm kỳ 2015-2020, Trưởng Đoàn ĐBQH`: the term, then on
            q = self.skip_space(p, limit)
            ch = text[q] if q < limit else ""
            if ch == "(" and (n > 0 or cue_ok) and 0 < (close := text.find(")", q, min(limit, q + 40))):
                p = close + 1  # `Trưởng phòng thí nghiệm Trí tuệ Nhân tạo (AILab), Giám đốc ...`
                continue
            semi = ch == ";" and (cue_ok or n > 0 or first_sep_optional)  # `là Ủy viên ... khóa XI; Ủy viên ... khóa XII, ...`
            if semi:
                item_start = len(out)
            if ch == "," or semi:
                q += 1
            elif ch in "-–" and n == 0 and allow_dash:
                q += 1
            elif n > 0 and text.startswith("rồi ", q):
                q += 4  # `Giám đốc Công ty X rồi Phó Chủ tịch HĐQT ...`: a career list
            elif text.startswith("kiêm ", q):
                q += 5  # `Chủ tịch HĐQT kiêm Giám đốc Hợp tác xã Củ Chi`: two offices
            elif n > 0 and (tail := TAIL_RE.match(text, q, limit)) and not td.stop_re.search(tail.group()):
                q = tail.end() + 1  # `Bác sĩ y khoa, Phó giám đốc ...`: a short lower-case tail, then on
            elif not (n == 0 and first_sep_optional):
                break
            q = self.skip_space(q, limit)
            c = td.cue_re.match(text, q)
            if c and (n > 0 or cue_ok):
                q2 = self.skip_space(c.end(), limit)
                if td.role_re.match(text, q2) or td.prefix_re.match(text, q2) or td.former_start_re.match(text, q2):
                    q = q2
            t = self.segment_title(q, limit)
            if t and semi and not ITEM_END_RE.match(text, t[1], limit):
                break  # after `;` only a list item (`; B, C.`), not a new clause (`; Phó Chủ tịch là ...`)
            nxt = self.skip_space(t[1], limit) if t else -1
            if t and nxt in self.name_starts and (first := text[nxt:text.find(" ", nxt, limit)]) and (
                    first in self.nd.surnames or first in self.nd.foreign_given):
                if item_start is not None:
                    del out[item_start:]  # `A (...); Ủy viên X, Thứ trưởng Y Trần Văn B`: that item is B's
                of = OF_RE.search(text, t[0], t[1])
                if of and (r2 := td.role_re.match(text, of.end())) and r2.end() == t[1]:
                    out.append((t[0], of.start()))  # `A, Đặc phái viên của Tổng Bí thư B`: A is the envoy
                break  # `A, Phó Trưởng ban X Trần Văn B`: the title before a name is that name's
            if t:
                out.append(t)
                p, n = t[1], n + 1
                continue
            h = td.honour_re.match(text, q)
            if h:
                p, n = h.end(), n + 1
                continue
            if ch == "," and n > 0 and td.org_head_re.match(text, q):
                e = title_end(text, q, limit, td, self.name_starts, text[q].isupper(), self.words)
                if e <= q:
                    break
                p = e
                continue
            break
        return out

    def post_titles(self, span: NameSpan) -> tuple[list[tuple[int, int]], int, str | None]:
        """Titles after the name (appositive chain, or one in brackets: `Phạm Doãn Sơn (Tổng Giám đốc)`),
        where they end, and an alias in brackets (`(Tư Sang)`)."""
        text = self.text
        _, s_end = self.sentence(span.start)
        p = self.skip_space(span.end, s_end)
        alias = None
        out: list[tuple[int, int]] = []
        if p < s_end and text[p] == "(":
            close = text.find(")", p, min(s_end, p + 160))
            if close > 0:
                q = self.skip_space(p + 1, close)
                age = AGE_RE.match(text, q, close)  # `(31 tuổi, Phó chủ tịch HĐND phường)`
                q = age.end() if age else q
                c = self.td.cue_re.match(text, q)  # `(cùng là cựu Phó Tổng giám đốc VNCC)`
                t = self.segment_title(self.skip_space(c.end(), close) if c else q, close)
                m = regex.match(r"\(\s*(\p{Lu}\p{Ll}*(?:\s\p{Lu}\p{Ll}*)+)", text[p:close])
                rest = text[t[1]:close] if t else ""
                chain = self.chain_after(t[1], close, first_sep_optional=False, allow_dash=False) if rest.strip() else []
                if t and not rest.strip():
                    out.append(t)
                elif t and chain:  # `(Phó bí thư Đảng ủy, Ủy viên HĐQT X)`, `(Chủ tịch HĐQT kiêm Giám đốc Y)`
                    out += [t, *chain]
                elif t and (j := BRACKET_JOIN_RE.match(text, t[1], close)) \
                        and (t2 := self.segment_title(j.end(), close)) and not text[t2[1]:close].strip():
                    out += [t, t2]  # `(Phó Chủ Tịch HĐQT & Co-CEO)`, `(Phó Tổng Giám Đốc - CTO)`: two offices
                elif t and not BRACKET_REST_STOP_RE.search(rest) and len(text[t[0]:close].split()) <= 14:
                    out.append((t[0], close - len(text[t[0]:close]) + len(text[t[0]:close].rstrip())))
                    # `(cựu Giám đốc Ban quản lý dự án Vicem)`: a bracket that opens with a title is one title
                elif t and rest.lstrip()[:1] in (",", ";"):
                    out.append(t)  # `(Phó trưởng phòng Kế hoạch, Ban Quản lý dự án Vicem)`: the title, then its body
                elif m:
                    alias = m.group(1)
                p = close + 1
        out += self.chain_after(p, s_end, first_sep_optional=True, allow_dash=True)
        end = out[-1][1] if out else p
        return out, max(end, p), alias

    def predicate_titles(self, p: int, limit: int, cue_limit: int | None = None) -> list[tuple[int, int]]:
        """Titles after a predicate cue (`được bầu làm Chủ tịch Hội`, `từng là Bộ trưởng`)."""
        text, td = self.text, self.td
        out: list[tuple[int, int]] = []
        done = p
        stop = min(limit, cue_limit or limit)
        cues = sorted([*td.cue_re.finditer(text, p, stop), *td.career_re.finditer(text, p, stop)],
                      key=lambda c: c.start())
        for c in cues:
            if any(ch in HARD_STOP for ch in text[p:c.start()]):
                break
            if c.start() < done or td.kin_end_re.search(text, p, c.start()) or td.modal_end_re.search(
                    text, max(p, c.start() - 12), c.start()) or (
                    c.group() in ("là", "làm") and COUNT_RE.search(text, p, c.start())):
                continue  # `có cha mẹ là giáo viên`, `8 biên chế là giáo viên`: about others; `sẽ trở thành`: not yet
            q = self.skip_space(c.end(), limit)
            t = self.segment_title(q, limit)
            if t and self.skip_space(t[1], limit) in self.name_starts:
                done = t[1]  # `con trai của ông A là Tướng B`: the title before a name is that name's
                continue
            if t and GIVEN_TO_RE.match(text, t[1]):
                done = t[1]  # `trao quyết định phân công làm Bí thư Thành ủy cho ông B`: B's office
                continue
            if t:  # `từng là giảng viên ..., sau đó giữ chức phó trưởng khoa ...`: every cue
                out += [t] + self.chain_after(t[1], limit, first_sep_optional=False, allow_dash=False, cue_ok=True)
                done = out[-1][1]
        return out

    def for_titles(self, head: int) -> list[tuple[int, int]]:
        """`miễn nhiệm chức vụ thành viên HĐQT đối với ông A`: the title named for the person at head."""
        text, td = self.text, self.td
        m = td.for_before_re.search(text, max(0, head - 40), head)
        if not m:
            return []
        s_start, _ = self.sentence(head)
        j = m.start()
        while j > s_start and text[j - 1] == " ":
            j -= 1
        r = self.role_title_ending(j, s_start)
        if not r or not td.office_word_end_re.search(text, max(s_start, r[0] - 16), r[0]):
            return []
        return [r]

    def title_references(self, titles_of: dict[str, list[tuple[int, int]]]) -> list[tuple[str, int, int]]:
        """A title used alone after an honorific (`đồng chí Phó Bí thư Thường trực Tỉnh ủy phát biểu`),
        as (person, start, end), where exactly one person of the article holds it."""
        text, td = self.text, self.td
        held: dict[str, set[str]] = collections.defaultdict(set)
        used = set()
        for person, spans in titles_of.items():
            for a, b in spans:
                held[self.title_key(a, b)].add(person)
                used.add(a)
        out = []
        for start, r_end in self.roles:
            if start in used:
                continue
            s_start, s_end = self.sentence(start)
            if start not in self.strong_ends and not (  # `Tân Phó Trưởng Ban X là ...` opening a sentence
                    text[start].isupper() and td.sent_head_re.fullmatch(text, s_start, start)):
                continue
            e = title_end(text, r_end, s_end, td, self.name_starts, text[start].isupper(), self.words)
            if self.skip_space(e, s_end) in self.name_starts:
                continue  # a title before a name, already read
            key = self.title_key(start, e)
            holders = {p for k, ps in held.items() if k == key or k.startswith(key + " ") for p in ps}
            if len(holders) == 1:
                out.append((holders.pop(), start, e))
        return out

    def title_key(self, a: int, b: int) -> str:
        """Folded, abbreviations spelled out, without `nguyên`/`tân`: `nguyên Chủ tịch UBND tỉnh` ->
        `chủ tịch ủy ban nhân dân tỉnh`."""
        words = expand(self.text[a:b], self.td.abbreviations).split()
        while words and words[0] in self.td.office_qualifiers:
            words = words[1:]
        return " ".join(words)
