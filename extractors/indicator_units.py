"""What follows a number: its unit (`%`, a money word, a measure, a counted noun the tokenizer
joins: `6.218 buổi`), the measured phrase after it (`tiếp xúc, đối thoại với nhân dân`), and the counted
noun of a clause's subject for a bare number that closes the clause (`Số đơn ... là 286.000` -> `đơn`).

Example: `unit_after(rules, doc, doc.text, pos, len(doc.text))` -> `("buổi", end, "word")`
"""
from __future__ import annotations

import regex

from extractors.indicator_rules import fold
from extractors.numbers import parse_number

MEASURE_MAX_WORDS = 8
MEASURE_STOP_RE = regex.compile(r"[,;:.!?()\[\]\"“”‘’…\n\d]|\s[-–—]\s")
WORD_RE = regex.compile(r"[\p{L}\p{M}][\p{L}\p{M}\-]*")
CAPITAL_AFTER_RE = regex.compile(r"[ \t]+\p{Lu}")                                  # `lớp 8 trường TH&THCS`


def unit_after(t, doc, text: str, pos: int, limit: int):
    """(unit, end, kind) of what follows a number at `pos`; kind: pct, money, measure, word, time."""
    m = t["unit"].match(text, pos, limit)
    if m is None:
        return None, pos, None
    if m.group("pct"):
        return "%", m.end(), "pct"
    if m.group("nd"):
        return m.group("nd"), m.end(), "word"
    if m.group("money"):
        word = m.group("money")
        if word[0].isupper() and fold(word) in t["money_lowercase_only"]:
            return None, pos, None  # `thôn 5 Đồng Yên`: a capitalised `Đồng` opens a place name
        return t["money"].get(fold(word), word), m.end(), "money"
    if m.group("measure"):
        if m.group("measure").isupper() and m.group("measure") not in t["upper_measures"] \
                and (len(m.group("measure")) == 1 or CAPITAL_AFTER_RE.match(text, m.end())):
            return None, pos, None  # `4G`, `3M`, `1MG Housing`: a name, not grams, metres or milligrams
        return regex.sub(r"\s+", "", m.group("measure")), m.end(), "measure"  # `m 2` -> `m2`
    if m.group("time"):
        return m.group("time"), m.end(), "time"
    word_start, word_end = m.start("word"), m.end("word")
    compound = t["compound"].match(text, word_start, limit)
    if compound is None and fold(text[word_start:m.end("word")]) in t["not_units"]:
        return None, pos, None  # `5 và`, `3 lần thứ`: no unit, whatever word the CRF would make (not asked)
    if compound is not None:
        word_end = compound.end()
    elif (longer := doc.longer_word_end(word_start, word_end)) is not None and longer <= limit:
        word_end = longer
    unit = text[word_start:word_end]
    if fold(unit) in t["not_units"]:
        return None, pos, None
    return unit, word_end, "word"


def measure_after(t, doc, text: str, pos: int, limit: int) -> tuple[str | None, int]:
    """The words after the unit up to a clause boundary, and where they end.

    A one-word phrase goes on over a comma into a coordinated word that shares its
    complement: `6.218 buổi tiếp xúc, đối thoại với nhân dân` -> `tiếp xúc, đối thoại với nhân dân`.
    """
    words = _stretch(t, text, pos, limit)
    if not words or words[0].start() - pos > 2:
        return None, pos
    after = words[-1].end()
    if text.startswith(", ", after) and one_word(doc, words[0].start(), after):
        more = _stretch(t, text, after + 2, limit)
        word = doc.token_at(after + 2)
        link = WORD_RE.match(text, word.end + 1) if word is not None else None
        if more and more[0].start() == after + 2 and more[0].group()[0].islower() \
                and fold(text[word.start:word.end]) not in t["not_units"] and link is not None \
                and fold(link.group()) in t["links"] and len(words) + len(more) <= MEASURE_MAX_WORDS:
            words += more
    return text[words[0].start():words[-1].end()], words[-1].end()


def one_word(doc, start: int, end: int) -> bool:
    """Whether text[start:end] is one word of the tokenizer (`tiếp xúc`)."""
    tok = doc.token_at(start)
    return tok is not None and tok.end == end


def _stretch(t, text: str, pos: int, limit: int) -> list:
    """The words from `pos` to the next clause boundary, without trailing function words."""
    stop = MEASURE_STOP_RE.search(text, pos, limit)
    words = list(WORD_RE.finditer(text, pos, stop.start() if stop else limit))[:MEASURE_MAX_WORDS]
    while words:
        if len(words) > 1 and fold(f"{words[-2].group()} {words[-1].group()}") in t["stop"]:
            del words[-2:]  # `trở lên`
        elif fold(words[-1].group()) in t["stop"]:
            words.pop()  # `với`
        else:
            break
    if words and fold(words[0].group()) in t["stop"]:
        return []
    return words


def subject_unit(t, doc, text: str, lo: int, start: int, end: int, hi: int) -> str | None:
    """The counted noun of a clause's subject, for a bare number that closes the clause after a linking word.

    Example: `Số đơn xin trợ cấp thất nghiệp lần đầu trong tuần là 286.000, mức cao nhất` -> `đơn`.
    """
    value = parse_number(text[start:end])
    if not t["clause_end"].match(text, end, hi + 1) or regex.fullmatch(r"(?:19|20)\d\d", text[start:end]) \
            or not isinstance(value, int):
        return None  # a count is whole (`hệ số bàn thắng ... là 0,04` is a rate)
    heads = list(t["subject_head"].finditer(text, max(lo, start - 160), start))
    m = next((m for h in reversed(heads) if (m := t["subject"].match(text, h.start(), start))), None)
    if m is None:  # (the nearest subject: `số ca ... là 15,9 triệu người và số người tử vong là 184.657`)
        return None
    compound = t["compound"].match(text, m.start("noun"))
    longer = doc.longer_word_end(m.start("noun"), m.end("noun"))
    noun = compound.group() if compound else text[m.start("noun"):longer or m.end("noun")]  # `thí sinh`
    first = fold(m.group("noun"))
    if first in t["not_units"] or first in t["name_nouns"] or first in t["money_cues"] or first in t["time_units"]:
        return None
    return noun
