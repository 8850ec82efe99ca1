"""The prefix-factored alternation matches exactly what the flat `longest|...|shortest` one matches."""
import pytest
import regex

from extractors.text.wordtrie import factored
from gazetteer import load_gazetteer
from tests.conftest import CORPUS


def flat(words, spaces=r"\s+"):
    words = sorted({w.strip() for w in words if w and w.strip()}, key=len, reverse=True)
    return "|".join(regex.escape(w).replace(r"\ ", spaces) for w in words)


TEXT = ("Ông A được bổ nhiệm giữ chức Phó Chủ tịch; công bố Quyết định, công bố quyết định số 5 và CÔNG BỐ "
        "QUYẾT ĐỊNH. Bổ  sung bổ nhiệmx bổ, nghìn tỷ đồng, nghìn  tỷ, tỷ. Thành phố Hồ Chí Minh, thành phố Huế.")


def _same(words, text, template="(?<!\\p{{L}})(?:{})(?!\\p{{L}})", flags=regex.IGNORECASE):
    a = regex.compile(template.format(flat(words)), flags)
    b = regex.compile(template.format(factored(words)), flags)
    assert [(m.span(), m.group()) for m in a.finditer(text)] == [(m.span(), m.group()) for m in b.finditer(text)]
    return [m.group() for m in b.finditer(text)]


def test_prefix_chains_and_case_variants_match_as_the_flat_alternation():
    words = ["bổ nhiệm", "bổ sung", "bổ", "công bố Quyết định", "công bố quyết định", "công bố", "nghìn tỷ", "tỷ"]
    for flags in (0, regex.IGNORECASE):
        found = _same(words, TEXT, flags=flags)
        assert "công bố Quyết định" in found and "bổ nhiệm" in found
    # a longer word whose continuation fails gives way to its prefix, as in the flat pattern
    assert _same(words, TEXT, template="(?:{}),") == ["công bố Quyết định,", "bổ,", "nghìn  tỷ,"]
    assert _same(words, TEXT, template="(?:{})\\s+sung") == ["Bổ  sung"]  # `bổ sung` fails, then `bổ` + `sung`


def _word_lists(node):
    """Every list of strings in a loaded YAML file."""
    if isinstance(node, dict):
        for v in node.values():
            yield from _word_lists(v)
    elif isinstance(node, list):
        if node and all(isinstance(x, str) for x in node):
            yield node
        for v in node:
            yield from _word_lists(v)


def _gazetteer_lists_match_as_flat(files, least_lists, least_found):
    gaz = load_gazetteer()
    text = "\n".join(p.read_text() for p in sorted(CORPUS.glob("*.txt")))
    lists = [words for name in files for words in _word_lists(gaz.load(name)) if len(words) >= 3]
    assert len(lists) > least_lists
    found = sum(len(_same(words, text)) for words in lists)
    assert found > least_found  # the lists do match the articles


def test_the_appointment_word_lists_match_as_the_flat_alternation():
    _gazetteer_lists_match_as_flat(("appointments",), 10, 20)


@pytest.mark.slow
def test_every_gazetteer_word_list_matches_as_the_flat_alternation():
    _gazetteer_lists_match_as_flat(("appointments", "titles", "names", "dates", "units", "career"), 40, 200)


def test_the_standard_re_reads_score_words_and_spaces_as_regex_does():
    """legacy_vn scores with `re` where RARE_RE finds nothing, textnorm cleans spaces with `re`: the same
    answers as `regex` on every other character (checked here on this Python's Unicode tables)."""
    import re
    import sys

    from extractors.text import textnorm
    from pipeline.core import legacy_vn

    rare = legacy_vn.RARE_RE
    every = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c < 0xE000 and not rare.match(chr(c)))
    assert legacy_vn.WORD_FAST_RE.findall(every) == legacy_vn.WORD_RE.findall(every)
    assert legacy_vn.WORD_FAST_RE.findall("a\x1cb") != legacy_vn.WORD_RE.findall("a\x1cb")  # why RARE_RE is needed
    for name in ("INVISIBLE_RE", "CONTROL_RE", "SPACES_RE", "TRAILING_RE", "BLANK_LINES_RE"):
        fast = getattr(textnorm, name)
        assert isinstance(fast, re.Pattern)
        slow = regex.compile(fast.pattern)
        spaced = every.replace("\n", " \n\n\n")
        assert fast.sub("#", spaced) == slow.sub("#", spaced), name


def test_a_pattern_tried_only_where_its_first_words_stand_finds_what_finditer_finds():
    from extractors.name_cues import _patterns
    from extractors.text.wordtrie import finditer_from, first_words

    role_re, starts = load_gazetteer().derived("people.name_cues", _patterns)[4::2]
    texts = [p.read_text() for p in sorted(CORPUS.glob("*.txt"))]
    texts.append("Theo chuyên gia Tamas Varga thuộc PVM Oil, và Nhà đầu tư Warren Buffett, cựu thượng nghị sĩ John "
                 "McCain, nhà báoX Ann Lee, nhà báo Ann Lee thuộc ABC.")
    found = [[m.group() for m in finditer_from(role_re, starts, t)] for t in texts]
    assert found == [[m.group() for m in role_re.finditer(t)] for t in texts]
    assert found[-1] == ["chuyên gia Tamas Varga", "Nhà đầu tư Warren Buffett", "thượng nghị sĩ John McCain",
                         "nhà báo Ann Lee"]
    # the look-behind still sees the letter before a first word (`tờbáo` starts no match)
    word = regex.compile(r"(?<!\p{L})báo")
    assert [m.start() for m in finditer_from(word, first_words(["báo chí"]), "nhà báo, tờbáo, báo")] == [4, 16]
