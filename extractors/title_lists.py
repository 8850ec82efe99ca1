"""Titles that govern a list of people, a part of `ArticleTitles` (`extractors/title_finder.py`).

`các đồng chí Phó Trưởng Ban ...: A, ...; B, ...; C` gives each item the title before the colon; a
numbered list (`gồm: 1. Ông A (...) 2. Bà B`), a list after an election verb, and a bare list of names
that a `;` ends (`nguyên Tổng Bí thư Lê Khả Phiêu, Nông Đức Mạnh;`) too. Data: `gazetteer/titles.yaml`.
"""
from __future__ import annotations

import bisect
import collections

import regex

from extractors.text.stdre import std_compile
from extractors.names import NameSpan

# what opens a list governed by the title before it: `Phó Trưởng Ban ...: A, B`, `thành viên HĐQT gồm ông A, bà B`
LIST_OPEN_RE = regex.compile(r":|(?<=\s)gồm(?: có)?(?:\s*:)?(?=\s)")
TERM_END_RE = std_compile(r"\s+(?:nhiệm kỳ|khóa|khoá)\s+(?:\d{4}\s*[-–]\s*\d{4}|[IVXL]+)(?:\s*\(\d{4}\s*[-–]\s*\d{4}\))?$")
NUMBERED_END_RE = std_compile(r"(?:^|(?<=[\s:;,)]))\d{1,3}[.)]\s*$")  # `gồm: 1. Ông A (...) 2. Ông B`
NUMBERED_START_RE = std_compile(r"\s*1[.)]\s")
ONLY_JOINERS_RE = std_compile(r"[\s,]*(?:(?:và|ông|bà|Ông|Bà)[\s,]+)*")
NAME_JOIN_RE = std_compile(r"\s*,\s*|\s+và\s+")


class ListTitles:
    """The list methods of `ArticleTitles` (which gives `text`, `td`, `sentence`, `role_title_ending`,
    `pre_titles`, `post_titles`, `skip_space`).

    Example: `ArticleTitles(doc, lexicon).with_names(spans).list_titles(spans)` -> {name start: [title spans]}
    """

    def list_titles(self, spans: list[NameSpan]) -> dict[int, list[tuple[int, int]]]:
        """`các đồng chí Phó Trưởng Ban ...: A, ...; B, ...; C`: the title before the colon for each item."""
        text = self.text
        out: dict[int, list[tuple[int, int]]] = collections.defaultdict(list)
        starts = sorted(s.start for s in spans)
        for colon in LIST_OPEN_RE.finditer(text):
            c = colon.start()
            s_start, s_end = self.sentence(c)
            j = c
            while j > s_start and text[j - 1] == " ":
                j -= 1
            verb = self.td.list_verb_end_re.search(text, max(s_start, j - 30), j)
            if verb:  # `17 thành viên ban chấp hành được đại hội bầu: A, B`
                j = verb.start()
                while j > s_start and text[j - 1] == " ":
                    j -= 1
            term = TERM_END_RE.search(text, max(s_start, j - 30), j)
            r = self.role_title_ending(term.start() if term else j, s_start)  # (`thành viên HĐQT nhiệm kỳ ...`)
            if not r or (colon.group() != ":" and self._apposed(r, spans, s_start)):
                continue  # `Ban lễ tang ông A, nguyên Trưởng Ban X gồm có ông B, ...`: that title is A's
            c_end = colon.end() - 1
            # the list ends where the next list opens (`... Nguyễn Thế Kỷ.Các Ủy viên Ban Tổ chức gồm: ...`)
            numbered_list = NUMBERED_START_RE.match(text, colon.end())  # `gồm: 1. Ông A (...) 2. Bà B`
            if numbered_list:  # its items may read as sentences of their own: the list runs to the paragraph end
                s_end = text.find("\n", colon.end()) % (len(text) + 1)
            nxt = LIST_OPEN_RE.search(text, colon.end(), s_end)
            l_end = nxt.start() if nxt else s_end
            rest = text[c_end + 1:l_end]
            seps = ";" if ";" in rest else ",;"
            if seps == ";" and self._only_names(c_end + 1, c_end + 1 + rest.find(";"), spans):
                l_end, seps = c_end + 1 + rest.find(";"), ",;"  # `nguyên Tổng Bí thư: A, B; Chủ tịch nước C`
            i = bisect.bisect_left(starts, c)
            while i < len(starts) and starts[i] < l_end:
                st = starts[i]
                i += 1
                h = self.td.list_honorific_end_re.search(text, max(c_end + 1, st - 12), st)
                k = h.start() if h else st  # `gồm ông A, bà B và ông C`
                while k > c_end + 1 and text[k - 1] == " ":
                    k -= 1
                prev = text[k - 1] if k > 0 else ""
                numbered = NUMBERED_END_RE.search(text, max(c_end + 1, k - 6), k)
                if numbered_list:
                    if numbered:
                        out[st].append(r)
                elif k == c_end + 1 or prev in seps or text[max(0, k - 3):k] == " và" or numbered:
                    out[st].append(r)
                elif seps == ";" and self._item_of_titles(c_end + 1, st):
                    out[st].append(r)  # `gồm: Ủy viên BCH Trung ương Đảng, Bộ trưởng Bộ X Hoàng Tuấn Anh; ...`
        return out


    def _apposed(self, r: tuple[int, int], spans: list[NameSpan], lo: int) -> bool:
        """True when the title r is in the chain after a name before it in the sentence (a person's own)."""
        before = [s for s in spans if lo <= s.start and s.end <= r[0]]
        return bool(before) and any(b >= r[1] > a for a, b in self.post_titles(before[-1])[0])

    def _only_names(self, lo: int, hi: int, spans: list[NameSpan]) -> bool:
        """True when text[lo:hi] is names (and `ông`/`bà`) joined by commas or `và`, nothing else."""
        inside = [s for s in spans if lo <= s.start and s.end <= hi]
        if not inside:
            return False
        rest, k = [], lo
        for s in inside:
            rest.append(self.text[k:s.start])
            k = s.end
        rest.append(self.text[k:hi])
        return all(ONLY_JOINERS_RE.fullmatch(r) for r in rest)

    def shared_title(self, prev: NameSpan, span: NameSpan, spans: list[NameSpan]) -> bool:
        """True when the name at span continues a list of bare names after prev that a `;` ends, so prev's
        title before it governs it too (`nguyên Tổng Bí thư Lê Khả Phiêu, Nông Đức Mạnh; Chủ tịch nước ...`)."""
        text = self.text
        if not NAME_JOIN_RE.fullmatch(text, prev.end, span.start):
            return False
        _, s_end = self.sentence(span.start)
        semi = text.find(";", span.end, s_end)
        return semi > 0 and self._only_names(span.start, semi, spans)

    def _item_of_titles(self, lo: int, name: int) -> bool:
        """True when the `;` list item holding the name at `name` is only titles before it."""
        text = self.text
        item = max(text.rfind(";", lo, name), lo - 1) + 1
        item = self.skip_space(item, name)
        pre = self.pre_titles(name)
        return bool(pre) and min(a for a, _ in pre) == item
