"""A rule compiled by the standard `re` (`std_compile`) matches exactly what its `regex` reading matches."""
import re

import regex

from extractors.text.stdre import TRANSLATED, std_compile
from pipeline.core.orchestration import prepare_text, warm_up
from tests.conftest import CORPUS

# boundary cases of "a letter or a digit": other scripts, numbers that are not decimal digits (², Ⅻ, ①),
# `_`, a combining mark, a no-break space and the text's own punctuation
EDGES = ("bổ nhiệm ²bổ nhiệm Ⅻbổ nhiệm ①bổ nhiệm _bổ nhiệm bổ nhiệm_ bổ nhiệm\u0301 Мbổ nhiệm 名bổ nhiệm "
         "١bổ nhiệm (bổ\u00a0nhiệm) “Bổ   nhiệm” BỔ NHIỆM; bổ nhiệmx xbổ nhiệm 5bổ nhiệm bổ nhiệm5")


def _matches(pattern, text: str) -> list:
    return [(m.span(), m.groupdict()) for m in pattern.finditer(text)]


def test_a_bounded_word_rule_goes_to_re_and_regex_only_rules_stay():
    bounded = r"(?<![\p{L}\p{N}])(?:bổ\s+nhiệm)(?![\p{L}\p{N}])"
    assert isinstance(std_compile(bounded, regex.IGNORECASE), re.Pattern)
    for rule in (r"\p{Lu}\p{Ll}+", r"\bngày\b", r"(?<=[,:]\s*)ông", r"(?P<a>x)|(?P<a>y)", r"[\p{L}\p{M}]+", r"\w+"):
        assert isinstance(std_compile(rule), regex.Pattern), rule
    assert isinstance(std_compile(bounded, regex.IGNORECASE | regex.BESTMATCH), regex.Pattern)  # a flag re lacks


def test_both_readings_agree_at_the_edges_of_a_word():
    for flags in (0, regex.IGNORECASE):
        rule = r"(?<![\p{L}\p{N}])(?:bổ\s+nhiệm)(?![\p{L}\p{N}])"
        found = _matches(std_compile(rule, flags), EDGES)
        assert found == _matches(regex.compile(rule, flags), EDGES)
        # `_`, a combining mark and a no-break space are no letters; ², Ⅻ, ①, М, 名, ١ are; case aside: 2 more
        assert len(found) == (7 if flags else 5)


def test_every_translated_rule_matches_as_its_regex_reading_on_the_seed_articles():
    warm_up()
    assert len(TRANSLATED) > 50  # the rules of titles, appointments, documents, dates, ... (not one or two)
    texts = [prepare_text(p.read_text(encoding="utf-8"), p.name)[0].text for p in sorted(CORPUS.glob("*.txt"))]
    texts.append(EDGES)
    for (pattern, flags) in TRANSLATED:
        ours, theirs = std_compile(pattern, flags), regex.compile(pattern, flags)
        for text in texts:
            assert _matches(ours, text) == _matches(theirs, text), pattern[:80]
