"""People named in an article, once each, with every title the article gives them.

Titles are found in five forms (FACTS.md): before the name (`Bí thư Tỉnh ủy
Lê Trường Lưu`, `GS.TS Nguyễn Thị Doan`), after it as a comma/dash chain
(`Trần Tiến Dũng, Phó Bí thư, Chủ tịch UBND tỉnh`), after a predicate
(`được bầu làm Chủ tịch Hội`, `từng là Bộ trưởng`), governing a list
(`các đồng chí Phó Trưởng Ban ...: A, ...; B, ...; C`) and through a pronoun
opening the next sentence (`Ông cũng từng giữ chức ...`). Short references
(`ông Thọ`, `Thái Ly`, `Lương Cường`) merge into the full name. Data:
`gazetteer/titles.yaml`, `gazetteer/names.yaml`, `gazetteer/provinces.yaml`.
"""
from __future__ import annotations

import bisect
import collections

import regex

from extractors.facts import Person
from extractors.names import NameSpan, find_names, list_context, name_data
from extractors.person_merge import article_province, group_names, make_title, merge_titles
from extractors.person_merge import group_names as _group_names, is_alias as _is_alias  # noqa: F401 (tests)
from extractors.titles import expand, find_roles, strong_cue_ends, title_data, title_end, trim_title

KIND = "people"
TABLE = "person_mentions"

SPACE_RE = regex.compile(r"[ \t]*")
FORMER_START_RE = regex.compile(r"(?:nguyên|Nguyên|cựu|Cựu|tân|Tân)\s+")
APPOSITIVE_RE = regex.compile(r"\p{Lu}\p{Ll}*\s*[-–,]\s*$")
TAIL_RE = regex.compile(r"\p{Ll}+(?: \p{Ll}+){0,2}(?=,)")
PRONOUN_RE = regex.compile(r"(?<!\p{L})(?:Ông|Bà|ông|bà)\s+(?!(?:con|bà|cha|mẹ|nội|ngoại|cháu|già|lão|ấy)\b)(?=\p{Ll})")
HARD_STOP = set(";:(\"“”\n")
WINDOW = 160  # characters searched before a name for its title


class _Article:
    """Per-article working state: text, sentences, role matches and name starts."""

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
        self.name_starts: set[int] = set()
        # starts of the second and later syllables of word tokens (`dân` of `Nông dân`)
        self.inner: set[int] = set()
        for t in doc.tokens:
            i = t.text.find(" ")
            while i >= 0:
                self.inner.add(t.start + i + 1)
                i = t.text.find(" ", i + 1)

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
        for k in range(j - 1, lo - 1, -1):
            if text[k] in HARD_STOP or text[k] == ",":
                lo = k + 1
                break
        target = trim_title(text, lo, j)
        i = bisect.bisect_left(self.role_starts, lo)
        while i < len(self.roles) and self.roles[i][0] < j:
            start, r_end = self.roles[i]
            i += 1
            if r_end > j:
                break
            e = title_end(text, r_end, j, td, self.name_starts, text[start].isupper(), self.inner)
            if e >= target:
                f = td.former_re.search(text[max(lo, start - 8):start])
                if f:
                    start = max(lo, start - 8) + f.start()
                return start, target
        return None

    def pre_titles(self, pos: int) -> list[tuple[int, int]]:
        """Titles written before the name at pos (`Bí thư Tỉnh ủy`, `GS.TS`, chains)."""
        text, td = self.text, self.td
        s_start, _ = self.sentence(pos)
        out: list[tuple[int, int]] = []
        cur = pos
        seen_any = False
        while cur > s_start:
            j = cur
            while j > s_start and text[j - 1] == " ":
                j -= 1
            lo = max(s_start, j - 90)
            seg = text[lo:j]
            m = td.honorific_end_re.search(seg)
            if m:
                cur, seen_any = lo + m.start(), True
                continue
            m = td.prefix_end_re.search(seg)
            if m:
                out.append((lo + m.start(), lo + len(seg.rstrip())))
                cur, seen_any = lo + m.start(), True
                continue
            m = td.honour_end_re.search(seg)
            if m:
                cur, seen_any = lo + m.start(), True
                continue
            r = self.role_title_ending(j, s_start)
            if r and r[1] > r[0]:
                out.append(r)
                cur, seen_any = r[0], True
                continue
            if seen_any and j > s_start and text[j - 1] in ",-–":
                cur = j - 1
                seen_any = False  # a separator must be followed (leftwards) by another title
                continue
            if seen_any and text[max(s_start, j - 4):j] == "kiêm":
                cur, seen_any = j - 4, False
                continue
            break
        return out

    # ---- titles after a position --------------------------------------------------------
    def segment_title(self, q: int, limit: int) -> tuple[int, int] | None:
        """A title starting at q (`nguyên Phó Chủ tịch nước`, `Đại tá`)."""
        text, td = self.text, self.td
        start = q
        f = FORMER_START_RE.match(text, q)
        if f:
            q = f.end()
        r = td.role_re.match(text, q) or td.prefix_re.match(text, q)
        if not r:
            return None
        e = title_end(text, r.end(), limit, td, self.name_starts, text[r.start()].isupper(), self.inner)
        return start, max(e, r.end())

    def chain_after(self, p: int, limit: int, first_sep_optional: bool, allow_dash: bool,
                    cue_ok: bool = False) -> list[tuple[int, int]]:
        """Titles in a comma chain starting at p: `, Phó Bí thư, Chủ tịch UBND tỉnh`."""
        text, td = self.text, self.td
        out = []
        n = 0
        while p < limit:
            q = self.skip_space(p, limit)
            ch = text[q] if q < limit else ""
            if ch == ",":
                q += 1
            elif ch in "-–" and n == 0 and allow_dash:
                q += 1
            elif n > 0 and (tail := TAIL_RE.match(text, q, limit)) and not td.stop_re.search(tail.group()):
                q = tail.end() + 1  # `Bác sĩ y khoa, Phó giám đốc ...`: a short lower-case tail, then on
            elif not (n == 0 and first_sep_optional):
                break
            q = self.skip_space(q, limit)
            c = td.cue_re.match(text, q)
            if c and (n > 0 or cue_ok):
                q2 = self.skip_space(c.end(), limit)
                if td.role_re.match(text, q2) or td.prefix_re.match(text, q2) or FORMER_START_RE.match(text, q2):
                    q = q2
            t = self.segment_title(q, limit)
            if t:
                out.append(t)
                p, n = t[1], n + 1
                continue
            h = td.honour_re.match(text, q)
            if h:
                p, n = h.end(), n + 1
                continue
            if ch == "," and n > 0 and td.org_head_re.match(text, q):
                e = title_end(text, q, limit, td, self.name_starts, text[q].isupper(), self.inner)
                if e <= q:
                    break
                p = e
                continue
            break
        return out

    def post_titles(self, span: NameSpan) -> tuple[list[tuple[int, int]], int, str | None]:
        """Titles after the name (appositive chain), where they end, and an alias in brackets."""
        text = self.text
        _, s_end = self.sentence(span.start)
        p = self.skip_space(span.end, s_end)
        alias = None
        if p < s_end and text[p] == "(":
            close = text.find(")", p, min(s_end, p + 80))
            if close > 0:
                m = regex.match(r"\(\s*(\p{Lu}\p{Ll}*(?:\s\p{Lu}\p{Ll}*)+)", text[p:close])
                if m:
                    alias = m.group(1)
                p = close + 1
        out = self.chain_after(p, s_end, first_sep_optional=True, allow_dash=True)
        end = out[-1][1] if out else p
        return out, end, alias

    def predicate_titles(self, p: int, limit: int) -> list[tuple[int, int]]:
        """Titles after a predicate cue (`được bầu làm Chủ tịch Hội`, `từng là Bộ trưởng`)."""
        text, td = self.text, self.td
        out: list[tuple[int, int]] = []
        done = p
        for c in td.cue_re.finditer(text, p, limit):
            if any(ch in HARD_STOP for ch in text[p:c.start()]):
                break
            if c.start() < done:
                continue
            q = self.skip_space(c.end(), limit)
            t = self.segment_title(q, limit)
            if t:  # `từng là giảng viên ..., sau đó giữ chức phó trưởng khoa ...`: every cue
                out += [t] + self.chain_after(t[1], limit, first_sep_optional=False, allow_dash=False, cue_ok=True)
                done = out[-1][1]
        return out

    def list_titles(self, spans: list[NameSpan]) -> dict[int, list[tuple[int, int]]]:
        """`các đồng chí Phó Trưởng Ban ...: A, ...; B, ...; C`: the title before the colon for each item."""
        text = self.text
        out: dict[int, list[tuple[int, int]]] = collections.defaultdict(list)
        starts = sorted(s.start for s in spans)
        for colon in regex.finditer(r":", text):
            c = colon.start()
            s_start, s_end = self.sentence(c)
            j = c
            while j > s_start and text[j - 1] == " ":
                j -= 1
            r = self.role_title_ending(j, s_start)
            if not r:
                continue
            rest = text[c + 1:s_end]
            seps = ";" if ";" in rest else ",;"
            i = bisect.bisect_left(starts, c)
            while i < len(starts) and starts[i] < s_end:
                st = starts[i]
                i += 1
                k = st
                while k > c + 1 and text[k - 1] == " ":
                    k -= 1
                prev = text[k - 1] if k > 0 else ""
                if k == c + 1 or prev in seps or text[max(0, k - 3):k] == " và":
                    out[st].append(r)
        return out


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
            if start in used or start not in self.strong_ends:
                continue
            _, s_end = self.sentence(start)
            e = title_end(text, r_end, s_end, td, self.name_starts, text[start].isupper(), self.inner)
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
        while words and words[0] in ("nguyên", "tân", "cựu", "quyền"):
            words = words[1:]
        return " ".join(words)


def extract(doc, gaz, found=None) -> list[Person]:
    """People of one article, with their titles (see module doc).

    Example: `Giàng Páo Mỷ, Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy Lai Châu` -> Person(`Giàng Páo Mỷ`,
    titles `Ủy viên Trung ương Đảng`, `Bí thư Tỉnh ủy Lai Châu`)
    """
    text = doc.text
    if not text.strip():
        return []
    art = _Article(doc, gaz)
    td = art.td

    def cue_before(pos: int) -> str | None:
        if pos in art.strong_ends:
            return "strong"
        s_start, _ = art.sentence(pos)
        j = pos
        while j > s_start and text[j - 1] == " ":
            j -= 1
        r = art.role_title_ending(j, s_start)
        if r is None:
            return None
        # `Phạm Thanh Hưng - Phó Chủ tịch HĐQT Cen Land`: a title after a name is no cue for the next run
        return "appositive" if APPOSITIVE_RE.search(text, max(s_start, r[0] - 40), r[0]) else "title"

    tok_starts = [t.start for t in doc.tokens]

    def crosses_token(start: int, end: int) -> bool:
        i = bisect.bisect_right(tok_starts, end - 1) - 1
        return i >= 0 and doc.tokens[i].end > end and start < doc.tokens[i].start < end

    spans = find_names(text, art.nd, cue_before, crosses_token)
    drop, add = list_context(text, spans, art.nd)
    spans = [s for s in spans if s.start not in drop] + add
    # every other occurrence of a name accepted only through its context (`Tố Hữu`, `Alexander Ceferin`)
    known = {s.start for s in spans}
    for extra in {s.name for s in add} | {s.name for s in spans if s.by_cue}:
        for m in regex.finditer(rf"(?<!\p{{L}}){regex.escape(extra)}(?!\p{{L}})", text):
            if m.start() not in known:
                spans.append(NameSpan(m.start(), m.end(), extra, False))
    spans.sort(key=lambda s: s.start)
    art.name_starts = {s.start for s in spans}
    owner = group_names([s.name for s in spans], {s.name for s in spans if s.by_cue and not s.short})
    spans = [s for s in spans if s.name in owner]
    art.name_starts = {s.start for s in spans}

    titles_of: dict[str, list[tuple[int, int]]] = collections.defaultdict(list)
    mentions: dict[str, list[tuple[int, int]]] = collections.defaultdict(list)
    aliases: dict[str, set[str]] = collections.defaultdict(set)
    listed = art.list_titles(spans)
    last_person: list[tuple[int, str]] = []  # (start, person) in text order
    for span in spans:
        person = owner[span.name]
        mentions[person].append((span.start, span.end))
        last_person.append((span.start, person))
        if span.name != person:
            aliases[person].add(span.name)
        titles_of[person].extend(art.pre_titles(span.start))
        post, end, alias = art.post_titles(span)
        titles_of[person].extend(post)
        if alias and alias in owner and owner[alias] == person:
            aliases[person].add(alias)
        _, s_end = art.sentence(span.start)
        nxt = min((s for s in art.name_starts if s > span.end), default=s_end)
        titles_of[person].extend(art.predicate_titles(end, min(s_end, nxt, end + WINDOW)))
        titles_of[person].extend(listed.get(span.start, []))
    # `ông`/`bà` as a subject (`Hiện tại, ông là ...`) continues about the last person named
    for m in PRONOUN_RE.finditer(text):
        i = bisect.bisect_left(last_person, (m.start(), "")) - 1
        if i < 0 or m.start() - last_person[i][0] > 600:
            continue
        _, s_end = art.sentence(m.start())
        nxt = min((s for s in art.name_starts if s > m.end()), default=s_end)
        titles_of[last_person[i][1]].extend(art.predicate_titles(m.end(), min(s_end, nxt)))

    for person, a, b in art.title_references(titles_of):
        mentions[person].append((a, b))

    province = article_province(doc, td)
    people = []
    for person, spans_ in mentions.items():
        full = [sp for sp in spans_ if text[sp[0]:sp[1]] == person]
        first = min(full or spans_)
        seen = set()
        titles = []
        for a, b in sorted(titles_of[person]):
            if (a, b) in seen or b <= a:
                continue
            seen.add((a, b))
            titles.append(make_title(text, a, b, td, province))
        titles = merge_titles(titles, td.abbreviations)
        people.append(Person(person, first[0], first[1], text[first[0]:first[1]], tuple(titles),
                             tuple(sorted(set(spans_))), tuple(sorted(aliases[person]))))
    return sorted(people, key=lambda p: (p.start, p.end))


def to_json(person: Person) -> dict:
    """FACTS.md shape: name, titles (as the text words them), aliases, plus offsets and title details."""
    return {
        "name": person.name,
        "titles": [t.text for t in person.titles],
        "aliases": list(person.aliases),
        "start": person.start,
        "end": person.end,
        "text": person.text,
        "mentions": len(person.mentions),
        "mention_spans": [list(m) for m in person.mentions],  # offsets, for the review page
        "title_details": [{"text": t.text, "role": t.role, "organisation": t.organisation,
                           "province": t.province, "completed": t.completed, "former": t.former,
                           "start": t.start, "end": t.end}
                          for t in person.titles],
    }
