"""Numbered party and state documents (`Kết luận số 120-KL/TW`, `Quyết định số 248/QĐ-UBND`).

Three passes over the article text, every pattern built once from
`gazetteer/document_codes.yaml`:
1. full numbers: party `120-KL/TW`, state `248/QĐ-UBND`, `59/2023/NĐ-CP`, `10/2022/QH15`;
2. type words (`Nghị quyết`, `Kết luận`, ...) followed by `số`, a full number or a short one
   (`Kết luận số 120`), the type checked against the code;
3. short mentions resolved to the full number the article gives elsewhere, else to the number
   the issuer makes certain (`Kết luận 120 của Bộ Chính trị` -> `120-KL/TW`), else `<type> <number>`.
Issuer, term, issue date and subject are read from the words around the mention.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, replace

import regex

from extractors.text.stdre import std_compile
from extractors.facts import Document, to_dict
from extractors.registry import Kind, register
from extractors.text.lexicon import alternation
from extractors.text.textnorm import fold

KIND = "documents"
TABLE = "citations"

# How far after a mention its issuer, date, term and subject may be (characters).
WINDOW = 220
YEAR_AFTER_RE = std_compile(r"\s*\(\s*năm\s+(?:19|20)\d\d\s*\)")  # `quyết định 3800 (năm 2018)`
# How near a company body (`HĐQT`) makes a codeless number a company's paper (characters).
COMPANY_WINDOW = 150


@dataclass(frozen=True)
class Rules:
    """The compiled form of `gazetteer/document_codes.yaml`."""
    full: regex.Pattern
    typed: regex.Pattern
    short: regex.Pattern
    named: regex.Pattern
    after: regex.Pattern
    before_issuer: regex.Pattern
    subject: regex.Pattern
    types: dict            # type name -> its gazetteer record
    alias_type: dict       # folded type word -> type name
    code_type: dict        # (numbering, folded code) -> type name
    code_spelling: dict    # folded code -> canonical spelling
    issuer_codes: dict     # folded issuer code -> issuer name
    issuers: dict          # folded issuer name -> record
    state_codes: set       # folded state type codes
    company: regex.Pattern  # a company body (`HĐQT`, `cổ đông`)
    plenum: regex.Pattern   # `Nghị quyết T.Ư 4`: a resolution named by its plenum
    plenum_rec: dict        # its gazetteer record (type, id prefix, issuer)
    numbered: regex.Pattern  # `số ` right before a bare number (`phê duyệt số 504/D-UB`)
    bare_type: str          # the type of a bare `số <number>/<code>-<issuer>` paper
    state_since: int        # the first year of today's state numbering (`367/TTg` in 1996, not `367/QĐ-TTg`)
    sent: regex.Pattern     # `gửi`, `vào ngày` after a bare number (`capitalised_bare` types)


def _alt(words) -> str:
    """Literal words, longest first, spaces literal (`Nghị quyết` does not span a line break)."""
    return alternation(words, spaces=r"\ ", group=False)


def build_rules(gaz) -> Rules:
    data = gaz.load("document_codes")
    types = {t["name"]: t for t in data["types"]}
    alias_type = {fold(k): v for k, v in data["type_aliases"].items()}
    code_type, code_spelling = {}, {}
    for t in data["types"]:
        for code in t.get("codes") or []:
            code_spelling.setdefault(fold(code), code)
            for numbering in ("party", "state"):
                if t.get("numbering", numbering) == numbering:
                    code_type.setdefault((numbering, fold(code)), t["name"])
    for code in list(data["issuer_codes"]) + data["state_codes"]:
        code_spelling.setdefault(fold(code), code)
    issuers = {fold(i["name"]): i for i in data["issuers"]}
    issuer_alt = _alt(i["name"] for i in data["issuers"])
    # A place name completes only a local body: `Tỉnh ủy Lào Cai`, `UBND tỉnh Hà Nam`.
    place = r"(?:(?<=ủy|tỉnh|phố|huyện|quận|xã)(?:\s+(?!Về\b|Khóa\b|Khoá\b)\p{Lu}\p{Ll}*){1,3})?"
    # A code is upper case, with the lower-case last letter of `QĐi`, `CTr`, `TTg`, `TTr`.
    code = r"\p{Lu}[\p{Lu}&]{0,7}(?:r\p{Lu}{1,2})?[irg]?\d{0,2}"  # and `GDTrH` (Giáo dục Trung học)
    full = std_compile(
        r"(?<![\p{L}\d/.-])(?:"
        # party: 120-KL/TW, 08-QĐi/TW, 729-CV/BTGTU
        rf"(?P<pnum>\d{{1,5}}[a-z]?)\s?[-–]\s?(?P<pcode>{code})\s?/\s?(?P<piss>{code})"
        r"|"
        # state: 248/QĐ-UBND, 59/2023/NĐ-CP, 10/2022/QH15
        rf"(?P<snum>\d{{1,5}}[a-z]?)\s?/\s?(?:(?P<syear>(?:19|20)\d\d)\s?/\s?)?"
        rf"(?P<scode>{code}(?:\s?-\s?{code}){{0,5}})"
        r")(?![\p{Lu}\d&])")
    types_alt = _alt(data["type_aliases"])
    modifiers = rf"(?:[ \t]+(?:{_alt(data['type_modifiers'])}))?"
    typed = std_compile(rf"(?<![\p{{L}}])(?P<type>{types_alt}){modifiers}(?P<so>[ \t]+số)?[ \t]*(?=\d)",
                          regex.IGNORECASE)
    # `Luật Giáo dục đại học số 34/2018/QH14`: the type word, a name, `số`, then the number
    named = std_compile(rf"(?<![\p{{L}}])(?P<type>{types_alt})[ \t]+\p{{Lu}}[^\n,.;:()“”\"]{{0,60}}?[ \t]+số[ \t]*\Z")
    short = std_compile(r"(?P<num>\d{1,5})(?!\d)(?:\s?[/-]\s?(?P<year>(?:19|20)\d\d)(?!\d))?"
                          r"(?![.,]\d|\s?[-–/]\s?[\p{L}\d]|\p{L})")
    after = std_compile(
        r"\A\s*,?\s*(?:(?:được\s+)?ban hành\s+)?(?:ngày\s+(?P<d>\d{1,2})\s?[/-]\s?(?P<m>\d{1,2})\s?[/-]\s?"
        r"(?P<y>(?:19|20)\d\d)\s*,?\s*)?"
        rf"(?:(?:của|do)\s+(?P<issuer>{issuer_alt}){place})?"
        r"(?:\s+(?i:năm)\s+(?P<ay>(?:19|20)\d\d)(?!\d))?"  # `Quyết định 367 của Thủ tướng năm 1996`
        r"\s*(?:\(?\s*(?i:khóa|khoá)\s+(?P<term>[IVXL]+)\s*\)?)?")
    before_issuer = std_compile(
        r"(?:(?i:ngày)\s+(?P<d>\d{1,2})\s?[/-]\s?(?P<m>\d{1,2})\s?[/-]\s?(?P<y>(?:19|20)\d\d)\s*,?\s*)?"
        rf"(?P<issuer>(?:{issuer_alt}){place})\s+(?:(?:đã|vừa|mới)\s+)?(?:ban hành|ra|có|ký)\s+\Z")
    subject = std_compile(
        r"\A\s*,?\s*(?:về\s+(?:việc\s+)?)?(?:[“\"](?P<q>[^”\"\n]{3,200})[”\"]"
        r"|(?<=về\s+(?:việc\s+)?)(?P<w>[^,;.()\n“”\"]{3,160}))")
    plenum_rec = data["plenum_resolutions"]
    plenum = std_compile(rf"(?<![\p{{L}}])(?:{_alt(plenum_rec['type_words'])})[ \t]+(?:(?i:hội nghị)[ \t]+)?"
                           rf"(?:{_alt(plenum_rec['plenum_words'])})[ \t]?(?P<num>\d{{1,2}})"
                           r"(?![\d\p{L}]|\s?[-–/]\s?[\p{L}\d])")
    return Rules(full=full, typed=typed, named=named, short=short, after=after, before_issuer=before_issuer,
                 plenum=plenum, plenum_rec=plenum_rec, numbered=std_compile(r"(?<![\p{L}])(?i:số)[ \t]*\Z"),
                 bare_type=data["bare_number_type"], state_since=data["state_numbering_since"],
                 sent=std_compile(data["sent_after"]),
                 subject=subject, types=types, alias_type=alias_type, code_type=code_type,
                 code_spelling=code_spelling,
                 issuer_codes={fold(k): v for k, v in data["issuer_codes"].items()}, issuers=issuers,
                 state_codes={fold(c) for c in data["state_codes"]},
                 company=std_compile(rf"(?<!\p{{L}})(?:{_alt(data['company_bodies'])})(?!\p{{L}})", regex.IGNORECASE))


def _rules(gaz) -> Rules:
    return gaz.derived("documents.rules", build_rules)


def _spell(rules: Rules, code: str) -> str:
    """A code as the standard spells it (`qđ` -> `QĐ`, `ttg` -> `TTg`); unknown codes upper-cased."""
    code = regex.sub(r"\s+", "", code)
    return rules.code_spelling.get(fold(code), code.upper())


def _full_number(rules: Rules, m: regex.Match, typed: bool = False) -> dict | None:
    """The parts of a full number match, or None when it only looks like one.

    After a type word and `số` any code counts (`Công văn số 235/SNV-CCVC`); alone, the type code
    must be known (`248/QĐ-UBND`), so that `A/B` strings that are not documents stay out."""
    if m.group("pnum"):
        code = _spell(rules, m.group("pcode"))
        doc_type = rules.code_type.get(("party", fold(code)))
        if doc_type is None and not typed:
            return None
        issuer_code = _spell(rules, m.group("piss"))
        if not issuer_code[:1].isupper():
            return None
        return {"id": f"{m.group('pnum')}-{code}/{issuer_code}", "number": m.group("pnum"), "code": code,
                "type": doc_type, "issuer_code": issuer_code, "year": None}
    parts = [_spell(rules, p) for p in regex.split(r"\s?-\s?", m.group("scode"))]
    year = m.group("syear")
    head = parts[0]
    if regex.fullmatch(r"QH\d{1,2}", head) and year:
        doc_type = None
    elif (fold(head) in rules.state_codes or typed) and (len(parts) > 1 or year):
        doc_type = rules.code_type.get(("state", fold(head)))
    else:
        return None
    code = "-".join(parts)
    number = m.group("snum")
    doc_id = f"{number}/{year}/{code}" if year else f"{number}/{code}"
    return {"id": doc_id, "number": number, "code": code, "type": doc_type,
            "issuer_code": parts[-1] if len(parts) > 1 else None, "year": int(year) if year else None}


def _context(rules: Rules, text: str, start: int, end: int) -> dict:
    """Issue date, issuer, term and subject from the words around a mention."""
    out: dict = {}
    stop = text.find("\n", end)
    tail = text[end:min(end + WINDOW, stop if stop != -1 else len(text))]
    m = rules.after.match(tail)
    consumed = 0
    if m:
        if date := _iso(m):
            out["date"] = date
        if m.group("issuer"):
            out["issuer"] = tail[m.start("issuer"):m.end(0)].strip(" ,()").split(" (")[0].strip()
            out["issuer"] = regex.sub(r"\s*\(?\s*(?:khóa|khoá)\s+[IVXL]+\s*\)?\s*$", "", out["issuer"],
                                      flags=regex.IGNORECASE).strip()
            out["issuer"] = regex.sub(r"\s+(?i:năm)\s+(?:19|20)\d\d$", "", out["issuer"])
        if m.group("term"):
            out["term"] = m.group("term").upper()
        if m.group("ay") and m.group("issuer"):
            out["issued_year"] = int(m.group("ay"))
        consumed = m.end(0)
    s = rules.subject.match(tail[consumed:])
    if s and (s.group("q") or s.group("w")):
        out["subject"] = (s.group("q") or s.group("w")).strip()
    if "issuer" not in out:
        line_start = text.rfind("\n", 0, start) + 1
        head = text[max(line_start, start - 120):start]
        b = rules.before_issuer.search(head)
        if b:
            out["issuer"] = b.group("issuer")
            if "date" not in out and (date := _iso(b)):
                out["date"] = date
    return out


def _iso(m: regex.Match) -> str | None:
    """The ISO date of a match's `d`, `m`, `y` groups, or None."""
    if not m.group("y"):
        return None
    try:
        return datetime.date(int(m.group("y")), int(m.group("m")), int(m.group("d"))).isoformat()
    except ValueError:
        return None


def _mentions(rules: Rules, text: str) -> list[dict]:
    """Every document mention: typed or bare, full or short, with its span."""
    fulls = {m.start(): m for m in rules.full.finditer(text)}
    mentions, claimed = [], set()
    for t in rules.typed.finditer(text):
        type_name = rules.alias_type[fold(t.group("type"))]
        pos = t.end()
        parts = _full_number(rules, fulls[pos], typed=True) if pos in fulls else None
        if parts:
            m = fulls[pos]
            claimed.add(pos)
            record = dict(parts)
            if fold(type_name) != fold(parts["type"] or "") and parts["type"] is not None:
                by_word = rules.types.get(type_name, {})
                if fold(parts["code"].split("-")[0]) in {fold(c) for c in by_word.get("codes") or []}:
                    record["type"] = type_name
            elif parts["type"] is None:
                record["type"] = type_name
            record.update(start=t.start(), end=m.end(), full=True)
            mentions.append(record)
            continue
        s = rules.short.match(text, pos)
        if not s:
            continue
        lower = not t.group("so") and t.group("type").islower()  # the verb `quyết định 2 kế hoạch`?
        if not t.group("so") and (regex.fullmatch(r"(?:19|20)\d\d", s.group("num")) or (
                rules.types.get(type_name, {}).get("needs_so") and not _capitalised_bare(rules, text, t, s, type_name))):
            continue  # `Kế hoạch 5 năm`, `Quy chế 2019`
        if lower and not _document_context(rules, text, s.end()):
            continue  # a lower-case type word counts only with an issuer, date, year or subject after it
        if regex.match(r"\s+(?:năm|tháng|ngày|tuần|quý|giờ|phút|lần|người|%)\b(?!\s*\d)", text[s.end():s.end() + 12]):
            continue  # `Nghị quyết 2 năm qua`, but `Thông báo số 125 ngày 25/3/2020` is a document
        year = s.group("year")
        mentions.append({"id": None, "number": s.group("num"), "code": None, "type": type_name,
                         "issuer_code": None, "year": int(year) if year else None,
                         "start": t.start(), "end": s.end(), "full": False})
    for pos, m in fulls.items():
        if pos not in claimed and (parts := _full_number(rules, m) or _numbered_paper(rules, text, m)):
            record = dict(parts)
            record.update(start=m.start(), end=m.end(), full=True)
            line_start = text.rfind("\n", 0, pos) + 1
            named = rules.named.search(text, max(line_start, pos - 90), pos)
            if named and parts["type"] in (None, rules.alias_type[fold(named.group("type"))]):
                record.update(type=rules.alias_type[fold(named.group("type"))], start=named.start())
            mentions.append(record)
    for p in rules.plenum.finditer(text):
        rec = rules.plenum_rec
        mentions.append({"id": f"{rec['id_prefix']} {p.group('num')}", "number": p.group("num"), "code": None,
                         "type": rec["type"], "issuer_code": None, "year": None, "start": p.start(),
                         "end": p.end(), "full": True, "plenum": True, "issuer": rec["issuer"]})
    return sorted(mentions, key=lambda r: r["start"])


def _numbered_paper(rules: Rules, text: str, m: regex.Match) -> dict | None:
    """A bare state number after `số` whose issuer part is a known issuer (`phê duyệt số 504/D-UB`):
    a paper of `bare_number_type` even though its type code is not a known one."""
    if m.group("pnum") or not rules.numbered.search(text, max(0, m.start() - 6), m.start()):
        return None
    parts = _full_number(rules, m, typed=True)
    if parts is None or "-" not in parts["code"] or fold(parts["code"].split("-")[-1]) not in rules.issuer_codes:
        return None
    return {**parts, "type": parts["type"] or rules.bare_type}


def _capitalised_bare(rules: Rules, text: str, t: regex.Match, s: regex.Match, type_name: str) -> bool:
    """`có Thông báo 368 ngày 2/12`, `có Văn bản 7709 gửi Bộ`: a `capitalised_bare` type word, capitalised
    after a lower-case word of the same sentence, with a date, issuer, subject or sending after the number."""
    if not rules.types.get(type_name, {}).get("capitalised_bare") or not t.group("type")[0].isupper():
        return False
    before = regex.search(r"(\S+)\s+$", text[max(0, t.start() - 30):t.start()])
    if not before or not before.group(1)[-1].islower():
        return False
    return bool(rules.sent.match(text, s.end())) or _document_context(rules, text, s.end())


def _document_context(rules: Rules, text: str, end: int) -> bool:
    """Whether the words after a number say it is a document: `quyết định 3800 (năm 2018) về ...`,
    `quyết định 13 của Thủ tướng`, `quyết định 153 ngày 5/4` (not `quyết định 2 kế hoạch`)."""
    if YEAR_AFTER_RE.match(text, end):
        return True
    found = _context(rules, text, end, end)
    return bool(found.get("issuer") or found.get("date") or found.get("subject"))


def _inferred_id(rules: Rules, mention: dict, issuer: str | None) -> str | None:
    """The full number an issuer makes certain (`Kết luận 120 của Bộ Chính trị` -> `120-KL/TW`)."""
    record = rules.issuers.get(fold(issuer or ""))
    type_rec = rules.types.get(mention["type"], {})
    codes = type_rec.get("codes") or []
    if not record or not codes:
        return None
    number, code = mention["number"], codes[0]
    if record.get("party") and type_rec.get("numbering", "party") == "party":
        return f"{number}-{code}/{record['party']}"
    issued = mention.get("issued_year") or (int(mention["date"][:4]) if mention.get("date") else None)
    code = type_rec.get("state_code", code)  # `QyĐ`; None: no type code in state numbering (`7424/VPCP-CN`)
    if record.get("state") and type_rec.get("numbering", "state") == "state" and code \
            and not (issued and issued < rules.state_since):  # older papers were numbered otherwise
        if type_rec.get("year_in_id"):
            return f"{number}/{mention['year']}/{code}-{record['state']}" if mention["year"] else None
        return f"{number}/{code}-{record['state']}"
    return None


def _resolve(rules: Rules, mentions: list[dict]) -> None:
    """Give each short mention an id: a full number of the same type and number in the article,
    else one its issuer makes certain (here or at another mention of it), else `<type> <number>`."""
    known: dict = {}
    for mention in mentions:
        mention["resolved"] = True
        if mention["full"]:
            known.setdefault((mention["type"], mention["number"]), mention)
    for mention in mentions:
        if not mention["full"] and (mention["type"], mention["number"]) not in known:
            sole = rules.types.get(mention["type"], {}).get("issuer") if mention["year"] else None
            if inferred := (_inferred_id(rules, mention, mention.get("issuer"))
                            or (sole and _inferred_id(rules, mention, sole))):
                mention["id"] = inferred
                known[(mention["type"], mention["number"])] = mention
    for mention in mentions:
        if mention["full"]:
            continue
        target = known.get((mention["type"], mention["number"]))
        if target is None:
            mention["resolved"] = False
            suffix = f"/{mention['year']}" if mention["year"] else ""
            mention["id"] = f"{mention['type']} {mention['number']}{suffix}"
        elif target is not mention:
            mention["id"], mention["code"] = target["id"], target["code"]
            mention["year"] = mention["year"] or target["year"]


def extract(doc, lexicon) -> list[Document]:
    """Every document the article cites, once per mention, completed from its other mentions.

    Example: `extract(make_doc("Kết luận số 120-KL/TW của Bộ Chính trị"), lexicon)[0].id == "120-KL/TW"`
    """
    rules = _rules(lexicon)
    text = doc.text
    mentions = _mentions(rules, text)
    for mention in mentions:
        mention.update(_context(rules, text, mention["start"], mention["end"]))
    _resolve(rules, mentions)
    company = _company_papers(rules, text, mentions)
    facts = []
    for mention in mentions:
        if mention["id"] in company:
            continue
        year = mention["year"] or (int(mention["date"][:4]) if mention.get("date") else None)
        facts.append(Document(
            id=mention["id"], type=mention["type"], number=mention["number"], start=mention["start"],
            end=mention["end"], text=text[mention["start"]:mention["end"]], code=mention["code"], year=year,
            issuer=mention.get("issuer"), term=mention.get("term"), date=mention.get("date"),
            subject=mention.get("subject"), resolved=mention["resolved"]))
    return _complete(rules, facts)


def _company_papers(rules: Rules, text: str, mentions: list[dict]) -> set[str]:
    """Ids of codeless numbers that a company body stands near and no issuer claims
    (`Nghị quyết số 156, HĐQT Eximbank đã thông qua ...`)."""
    near, issued = set(), set()
    for m in mentions:
        if m["resolved"] or rules.types.get(m["type"], {}).get("public"):
            continue
        if m.get("issuer"):
            issued.add(m["id"])
        if rules.company.search(text, max(0, m["start"] - COMPANY_WINDOW), m["end"] + COMPANY_WINDOW):
            near.add(m["id"])
    return near - issued


def _code_issuer(rules: Rules, doc_id: str) -> str | None:
    """What the issuer part of a number says (`120-KL/TW` -> `Trung ương`, `248/QĐ-UBND` -> `UBND`)."""
    m = regex.search(r"-\d*[^-/\d][^-/]*/([^/]+)$|/[^/]*-([^-/]+)$|/([^-/\d]+)\d*$", doc_id)
    code = m and (m.group(1) or m.group(2) or m.group(3))  # the third: `34/2018/QH14` (QH, term 14)
    return rules.issuer_codes.get(fold(code)) if code else None


def _complete(rules: Rules, facts: list[Document]) -> list[Document]:
    """Give every mention of a document the issuer, term and date another mention of it states;
    where none does, the issuer its number's issuer part names."""
    best: dict[str, dict] = {}
    for fact in facts:
        known = best.setdefault(fact.id, {})
        for key in ("issuer", "term", "date", "subject", "type"):
            value = getattr(fact, key)
            if value and key not in known:
                known[key] = value
    for doc_id, known in best.items():
        if "issuer" not in known and (issuer := _code_issuer(rules, doc_id)):
            known["issuer"] = issuer
    return [replace(f, **{k: v for k, v in best[f.id].items() if not getattr(f, k)}) for f in facts]


def to_json(fact: Document) -> dict:
    return to_dict(fact)


def once_per_article(items: list[dict]) -> list[dict]:
    """The export's documents: once per article, the first mention completed by later mentions' non-null fields."""
    by_id: dict[str, dict] = {}
    for item in items:
        key = item.get("id")
        if key not in by_id:
            by_id[key] = dict(item)
        else:
            for k, v in item.items():
                if by_id[key].get(k) in (None, "", []) and v not in (None, "", []):
                    by_id[key][k] = v
    return list(by_id.values())


register(Kind(name=KIND, table=TABLE, fact=Document, extract=extract, to_json=to_json, rank=10,
              label="DOCUMENT", color="#feca74", export=once_per_article,
              rebuild="pipeline.store.catalog:rebuild", examples="documents.examples.yaml"))
