"""People named in an article, once each, with every title the article gives them.

Titles are found in five forms (FACTS.md): before the name (`Bí thư Tỉnh ủy
Lê Trường Lưu`, `GS.TS Nguyễn Thị Doan`), after it as a comma/dash chain
(`Trần Tiến Dũng, Phó Bí thư, Chủ tịch UBND tỉnh`), after a predicate
(`được bầu làm Chủ tịch Hội`, `từng là Bộ trưởng`), governing a list
(`các đồng chí Phó Trưởng Ban ...: A, ...; B, ...; C`) and through `ông`/`bà` as a
later subject (`Hiện tại, ông là ...`), and named for a person (`miễn nhiệm chức vụ X đối với ông A`). A name after
`được`/`kế nhiệm`/`thay` is an object: a predicate after it belongs to the subject before
(`ông A được Chủ tịch B cất nhắc làm ...`). Short references (`ông Thọ`, `Thái Ly`,
`Lương Cường`) merge into the full name; a title used alone after an honorific
(`đồng chí Phó Bí thư Thường trực Tỉnh ủy`) or opening a sentence (`Tân Phó Trưởng Ban ... là ...`)
is a mention of its one holder. Without any title, the speaker of a quote and the other side of `và`
beside a person are people (`extractors/name_cues.py`). Title
finding lives in `extractors/title_finder.py`, merging in `extractors/person_merge.py`.
Data: `gazetteer/titles.yaml`, `gazetteer/names.yaml`, `gazetteer/provinces.yaml`.
"""
from __future__ import annotations

import bisect
import collections
import dataclasses

import regex

from extractors.text.stdre import std_compile
from extractors.career import career_titles
from extractors.facts import Person
from extractors.tables import member_rows
from extractors.name_cues import sentence_names
from extractors.names import NameSpan, find_names, list_context
from extractors.person_merge import group_names, make_title, merge_titles, superseded
from extractors.person_merge import group_names as _group_names, is_alias as _is_alias  # noqa: F401 (tests)
from extractors.title_finder import ArticleTitles
from extractors.registry import Kind, register
from extractors.text.lexicon import Lexicon, alternation
from extractors.text.textnorm import fold

KIND = "people"
TABLE = "person_mentions"

APPOSITIVE_RE = std_compile(r"\p{Lu}\p{Ll}*\s*[-–,]\s*$")
WINDOW = 160  # characters after a name searched for a predicate cue


def _pronoun_patterns(gaz) -> tuple[regex.Pattern, regex.Pattern]:
    """`ông`/`bà` as a subject (not `ông bà`, `bà con`, `ông ấy`), and `và ông ` between two people."""
    pronouns = alternation(Lexicon.of(gaz).pronouns)
    return (std_compile(rf"(?<!\p{{L}}){pronouns}\s+(?!(?:con|bà|cha|mẹ|nội|ngoại|cháu|già|lão|ấy)\b)(?=\p{{Ll}})"),
            std_compile(rf"\s+(?:và|,)\s+(?:{pronouns}\s+)?"))


def _named_as_place(doc, name: str, nd, cued=frozenset()) -> bool:
    """True when some occurrence of `name` follows a place-word token (`đảo Cù Lao Chàm`; the token
    `Gia đình` is no `đình`; not one that ends an honour at `cued`: `tuyển thủ quốc gia Hà Đức Chinh`)."""
    text = doc.text
    words = tuple(nd.place_words)  # (for `str.endswith`)
    i = text.find(name)
    while i >= 0:
        j = i
        while j > 0 and text[j - 1].isspace():
            j -= 1
        # (the token is a place word only where the text before ends with one: only there is the CRF asked)
        if i not in cued and text.endswith(words, 0, j):
            tok = doc.token_before(i)
            if tok is not None and tok.text in nd.place_words:
                return True
        i = text.find(name, i + 1)
    return False


TABLE_NAME_RE = std_compile(r"^(?:(?:Ông|Bà|Đồng chí|Đ/c|ông|bà|đồng chí)\.?\s+)?(?P<name>\p{Lu}[\p{L}\p{M}]*(?:\s+\p{Lu}[\p{L}\p{M}]*){1,4})$")
PIECE_RE = std_compile(r"[^,;]+")


LETTER_RE = std_compile(r"\p{L}")
LETTER_OR_DIGIT_RE = std_compile(r"[\p{L}\p{N}]")
HONORIFIC_RE = std_compile(r"(?<!\p{L})(?:[Ôô]ng|[Bb]à)\s+")  # `ông ` before a given name (`ông Khu`)


def occurrences(text: str, word: str) -> list[tuple[int, int]]:
    r"""Spans of `word` in `text` with no letter right before or after, left to right without overlaps: the
    matches of `(?<!\p{L})word(?!\p{L})`, found without compiling a pattern per name.

    Example: `occurrences("Tố Hữu, Tố Hữuu", "Tố Hữu")` -> `[(0, 6)]`
    """
    out, i = [], text.find(word)
    while i >= 0:
        j = i + len(word)
        if (i == 0 or not LETTER_RE.match(text, i - 1)) and not LETTER_RE.match(text, j):
            out.append((i, j))
            i = text.find(word, j)
        else:
            i = text.find(word, i + 1)
    return out


def table_name_spans(text: str, rows, spans) -> list[NameSpan]:
    """A name cell of a member table that no other rule read as a name is one (`Bà Giàng Thị Hoa`)."""
    out = []
    for (a, b), _ in rows:
        if any(a <= s.start < b for s in spans):
            continue
        m = TABLE_NAME_RE.match(text, a, b)
        if m and m.end() == b:
            out.append(NameSpan(m.start("name"), m.end("name"), m["name"], True))
    return out


def table_titles(text: str, rows, spans, owner) -> list[tuple[str, tuple[int, int]]]:
    """(person, title span) for each post of each table row, one title per comma piece."""
    out = []
    for (a, b), posts in rows:
        span = next((s for s in spans if a <= s.start < b and s.name in owner), None)
        if span is None:
            continue
        for pa, pb in posts:
            for piece in PIECE_RE.finditer(text, pa, pb):
                x, y = piece.span()
                while x < y and text[x] == " ":
                    x += 1
                while y > x and text[y - 1] == " ":
                    y -= 1
                if y > x:
                    out.append((owner[span.name], (x, y)))
    return out


def extract(doc, lexicon) -> list[Person]:
    """People of one article, with their titles (see module doc).

    Example: `Giàng Páo Mỷ, Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy Lai Châu` -> Person(`Giàng Páo Mỷ`,
    titles `Ủy viên Trung ương Đảng`, `Bí thư Tỉnh ủy Lai Châu`)
    """
    text = doc.text
    if not text.strip():
        return []
    art = ArticleTitles(doc, lexicon)
    pronoun_re, and_before_re = lexicon.derived("people.pronouns", _pronoun_patterns)
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
        # `Phạm Thanh Hưng - Phó Chủ tịch HĐQT Cen Land`: a title after a name is no cue for the next run;
        # after a comma it is one only for a run that does not end the phrase (`..., Bộ trưởng Mỹ Merrick Garland và`)
        m = APPOSITIVE_RE.search(text, max(s_start, r[0] - 40), r[0])
        return "title" if not m else ("title-after-comma" if m.group().rstrip().endswith(",") else "appositive")

    crosses_token, in_longer_token = doc.crossed, doc.in_longer_token
    role_starts = set(art.role_starts)
    spans = find_names(text, art.nd, cue_before, crosses_token, role_starts.__contains__, art.strong_ends.__contains__)
    drop, add = list_context(text, spans, art.nd)
    spans = [s for s in spans if s.start not in drop] + add
    cued = sentence_names(text, spans, art.nd, lexicon)  # `"...", Trấn Thành chia sẻ`, `Klopp và Pep Guardiola`
    spans, add = spans + cued, add + cued
    rows = member_rows(text, lexicon)  # `| 1 | Ông Lò Văn Hùng | Bí thư Huyện ủy |`, or one cell per line
    spans += table_name_spans(text, rows, spans)
    # every other occurrence of a name accepted only through its context (`Tố Hữu`, `Alexander Ceferin`)
    known = {s.start for s in spans}
    for extra in {s.name for s in add} | {s.name for s in spans if s.by_cue}:
        for a, b in occurrences(text, extra):
            if a not in known and not (" " not in extra and in_longer_token(a, b)):
                # (a one-word name inside a longer word is no mention: `Cấp` of `Cấp cứu`)
                spans.append(NameSpan(a, b, extra, False))
    spans.sort(key=lambda s: s.start)
    owner = group_names([s.name for s in spans], {s.name for s in spans if s.by_cue and not s.short})
    spans = [s for s in spans if s.name in owner]
    # `ông Khu` for `Bùi Xuân Khu`: a given name that is also a common word, after `ông`/`bà`
    lasts = collections.Counter(n.split()[-1] for n in set(owner.values()) if " " in n)
    known = {s.start for s in spans}
    fulls = {n for n in owner.values() if " " in n and lasts[n.split()[-1]] == 1 and n.split()[-1] in art.nd.never_first}
    after_honorific = [m.end() for m in HONORIFIC_RE.finditer(text)] if fulls else []
    for full in fulls:
        last = full.split()[-1]
        for a in after_honorific:
            if text.startswith(last, a) and not LETTER_OR_DIGIT_RE.match(text, a + len(last)) and a not in known:
                spans.append(NameSpan(a, a + len(last), last, True, True))
                owner[last] = full
    spans.sort(key=lambda s: s.start)
    art = art.with_names(spans)

    titles_of: dict[str, list[tuple[int, int]]] = collections.defaultdict(list)
    mentions: dict[str, list[tuple[int, int]]] = collections.defaultdict(list)
    aliases: dict[str, set[str]] = collections.defaultdict(set)
    listed = art.list_titles(spans)
    last_person: list[tuple[int, str]] = []  # (start, person) in text order
    changes: list = []  # (apposed titles, their end, a new title after them) for `superseded`
    prev_for = None
    prev_bare = None  # (span, its titles before) of the last name that had no title after it
    for span in spans:
        person = owner[span.name]
        mentions[person].append((span.start, span.end))
        if span.name != person:
            aliases[person].add(span.name)
        pre = art.pre_titles(span.start)
        if not pre and prev_bare and prev_bare[1] and art.shared_title(prev_bare[0], span, spans):
            pre = prev_bare[1]  # `nguyên Tổng Bí thư Lê Khả Phiêu, Nông Đức Mạnh;`: one title over the list
        titles_of[person].extend(pre)
        given = art.for_titles(min([a for a, _ in pre] + [span.start]))
        if not given and prev_for and and_before_re.fullmatch(text, prev_for[0], span.start):
            given = prev_for[1]  # `... đối với ông A và bà B`
        titles_of[person].extend(given)
        prev_for = (span.end, given) if given else None
        # `ông A được Chủ tịch B cất nhắc làm ...`, `ông kế nhiệm ông B trở thành ...`: B is an object here,
        # the predicate's titles belong to the last subject named before
        head = min([a for a, _ in pre] + [span.start])
        subject = person
        if td.object_before_re.search(text, max(0, head - 40), head):
            i = bisect.bisect_left(last_person, (span.start, "")) - 1
            s_start, _ = art.sentence(span.start)
            # the subject is named in this sentence, or is `ông`/`bà` there standing for the last one named
            near = i >= 0 and (last_person[i][0] >= s_start or (
                span.start - last_person[i][0] <= 600 and pronoun_re.search(text, s_start, head)))
            subject = last_person[i][1] if near else person  # no subject before: the name is one
        if subject == person:
            last_person.append((span.start, person))
        post, end, alias = art.post_titles(span)
        titles_of[person].extend(post)
        prev_bare = (span, pre) if not post else None
        if alias and alias in owner and owner[alias] == person:
            aliases[person].add(alias)
        _, s_end = art.sentence(span.start)
        nxt = min((s for s in art.name_starts if s > span.end), default=s_end)
        predicated = art.predicate_titles(end, min(s_end, nxt), end + WINDOW)
        titles_of[subject].extend(predicated)
        if subject == person and len(pre) + len(post) + len(predicated) > 1:
            changes.append(sorted(pre + post + predicated))
        titles_of[person].extend(listed.get(span.start, []))
    # `ông`/`bà` as a subject (`Hiện tại, ông là ...`) continues about the last person named
    for m in pronoun_re.finditer(text):
        i = bisect.bisect_left(last_person, (m.start(), "")) - 1
        if i < 0 or m.start() - last_person[i][0] > 600:
            continue
        _, s_end = art.sentence(m.start())
        nxt = min((s for s in art.name_starts if s > m.end()), default=s_end)
        titles_of[last_person[i][1]].extend(art.predicate_titles(m.end(), min(s_end, nxt)))

    # `với vai trò là Trưởng khoa Cấp cứu, ..., bác sĩ Cấp đã ...`: a fronted role is the next person's
    span_starts = [sp.start for sp in spans]
    fronted = td.fronted_re.finditer(text) if any(k in text for k in td.fronted_keys) else ()
    for m in fronted:
        _, s_end = art.sentence(m.start())
        t = art.segment_title(m.end(), s_end)
        # (`Trong thời gian giữ chức Tỉnh ủy viên, Bí thư Đảng ủy, ..., ông Cường`: a chain of them)
        chain = [t, *art.chain_after(t[1], s_end, first_sep_optional=False, allow_dash=False)] if t else []
        i = bisect.bisect_left(span_starts, chain[-1][1]) if t else len(spans)
        if i < len(spans) and spans[i].start < s_end and "," in text[chain[-1][1]:spans[i].start]:
            titles_of[owner[spans[i].name]].extend(chain)
    for person, a, b in art.title_references(titles_of):
        mentions[person].append((a, b))
        _, s_end = art.sentence(a)
        nxt = min((s for s in art.name_starts if s > b), default=s_end)
        titles_of[person].extend(art.predicate_titles(b, min(s_end, nxt), b + WINDOW))

    for person, t in table_titles(text, rows, spans, owner):
        titles_of[person].append(t)
    for person, t in career_titles(art, spans, owner, lexicon):  # `Từ năm 1965 đến năm 1974: ..., Bí thư Chi bộ`
        titles_of[person].append(t)

    province = Lexicon.of(lexicon).article_province(doc)
    left = _left_titles(text, changes, td, province)
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
            title = make_title(text, a, b, td, province)
            titles.append(dataclasses.replace(title, former=True) if (a, b) in left else title)
        titles = merge_titles(titles, td.merge_abbreviations, td.prefix_re, td.office_qualifiers)
        if not titles and _named_as_place(doc, person, art.nd, art.strong_ends):
            continue  # `Cù Lao Chàm` after `- `, where the article also writes `đảo Cù Lao Chàm`
        people.append(Person(person, first[0], first[1], text[first[0]:first[1]], tuple(titles),
                             tuple(sorted(set(spans_))), tuple(sorted(aliases[person])),
                             _professions(text, spans_, td)))
    return sorted(people, key=lambda p: (p.start, p.end))


def _professions(text: str, spans_, td) -> tuple[str, ...]:
    """The honours written right before a person's mentions (`HLV Hoàng Văn Phúc` -> `HLV`), lower case unless
    an abbreviation; evidence of identity across articles, not titles."""
    out = set()
    for a, _ in spans_:
        m = td.honour_end_re.search(text, max(0, a - 30), a)
        if m:
            word = m.group().strip()
            out.add(word if word.isupper() else word.lower())
    return tuple(sorted(out))


def _left_titles(text: str, changes: list, td, province: str | None) -> set[tuple[int, int]]:
    """The titles of a person's chain that a new office ends (`X, Vụ trưởng Vụ A, giữ chức Cục trưởng Cục B`:
    `Vụ trưởng Vụ A` is former): those before a title that only a change of office (`td.change_re`: `, giữ
    chức`, `được bổ nhiệm làm`) separates from them, when it supersedes them (`superseded`)."""
    out = set()
    for chain in changes:
        for k in range(1, len(chain)):
            (a, b), end = chain[k], chain[k - 1][1]
            m = td.change_re.fullmatch(text, end, a) if end < a else None
            if not m or not (m.group("verb") or (m.group("link") or "").startswith("giữ")):
                continue
            elected = bool(m.group("verb")) and fold(" ".join(m.group("verb").split())) in td.elect_verbs
            new = make_title(text, a, b, td, province)
            old = [make_title(text, s, e, td, province) for s, e in chain[:k]]
            movable = [t for t in old if not td.kept_re.match(t.text)]
            alone = len(movable) == 1 and not td.concurrent_re.match(movable[0].text)
            out |= {(t.start, t.end) for t in movable if superseded(t, new, alone, elected)}
    return out


def to_json(person: Person) -> dict:
    """FACTS.md shape: name, titles (as the text words them), aliases, plus offsets and title details."""
    return {
        "name": person.name,
        "name_key": fold(person.name),  # groups a name's mentions across articles (pipeline/officials.py)
        "titles": [t.text for t in person.titles],
        "aliases": list(person.aliases),
        "professions": list(person.professions),
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


def spans(start: int, end: int, data: dict, fact=None) -> list[tuple[int, int, str]]:
    """A person's spans beyond the first name: its other mentions (PERSON) and its titles (TITLE).

    Taken from the fact object when given (the spaCy component), else from its JSON (the review
    page: `mention_spans` pairs, `title_details` items with `start`/`end`).
    """
    if fact is not None:
        mentions, titles = fact.mentions, fact.titles
        title_spans = [(t.start, t.end) for t in titles]
    else:
        mentions = [m for m in data.get("mention_spans") or [] if isinstance(m, list) and len(m) == 2]
        title_spans = [(t.get("start"), t.get("end")) for t in data.get("title_details") or [] if isinstance(t, dict)]
    out = [(a, b, "PERSON") for a, b in mentions if (a, b) != (start, end)]
    out += [(a, b, "TITLE") for a, b in title_spans if isinstance(a, int) and isinstance(b, int) and b > a]
    return out


register(Kind(name=KIND, table=TABLE, fact=Person, extract=extract, to_json=to_json, rank=30,
              label="PERSON", color="#aa9cfc", labels={"TITLE": "#7aecec"}, spans=spans,
              rebuild="pipeline.store.officials:rebuild", examples="people.examples.yaml"))
