"""The rules of the indicators kind, compiled from `gazetteer/units.yaml`: the amount, unit and
context patterns and the word sets that `extractors/indicators.py` and `indicator_units.py` consult.

Example: `lexicon.derived("indicators.patterns", build_rules)["unit"].match(" buổi tiếp xúc")`
"""
from __future__ import annotations

import unicodedata

import regex

from extractors.text.stdre import std_compile
from extractors.numbers import NUM_END, NUM_START, NUM_VI
from extractors.text.lexicon import alternation


def fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def build_rules(gaz) -> dict:
    """Compiled patterns and word sets of `units.yaml` (cached per gazetteer)."""
    u = gaz.load("units")
    mags = alternation(u["magnitudes"])
    money_default = {fold(k) for k, v in u["magnitudes"].items() if v.get("money")}
    end = r"(?![\p{L}\p{M}\d])"
    number = rf"{NUM_START}(?P<num>{NUM_VI}){NUM_END}"
    mag_end = rf"(?:{end}|(?={alternation(u['money'])}{end}))"  # `192tỷđồng`
    amount = rf"{number}(?P<mags>[ \t]*{mags}{mag_end}(?:[ \t]+(?:{NUM_VI})[ \t]*{mags}{mag_end})*)?"
    unit = (rf"[ \t]*(?:(?P<pct>%|phần\s+trăm{end})"
            rf"|(?P<nd>{alternation(u['counted_compounds'])}){end}"
            rf"|(?P<money>{alternation(u['money'])}){end}"
            rf"|(?P<measure>{alternation(u['measures'])}){end}"
            rf"|(?P<time>{alternation(u['time_units'])}){end}"
            rf"|(?P<word>[\p{{L}}][\p{{L}}\p{{M}}]*))")
    words = sorted(set(u["number_words"]) | set(u["number_multipliers"]), key=len, reverse=True)
    word_number = (rf"(?<![\p{{L}}\p{{M}}])(?P<words>{alternation(u['number_word_heads'])}(?:\s+{alternation(words)})*)\s+"
                   rf"(?P<noun>{alternation(u['word_number_nouns'])}){end}")
    return {
        "amount": regex.compile(amount, regex.VERBOSE),  # (regex: its leading `(?=\d)` makes it skip ahead fast)
        "mag_word": std_compile(mags, regex.IGNORECASE),
        "unit": std_compile(unit, regex.IGNORECASE),
        "word_number": std_compile(word_number, regex.IGNORECASE),
        "qualifier": std_compile(rf"(?<![\p{{L}}\p{{M}}])(?P<q>{alternation(u['qualifiers'])})\s*$", regex.IGNORECASE),
        "name_before": std_compile(rf"(?<![\p{{L}}\p{{M}}]){alternation(u['name_nouns'])}\s*$", regex.IGNORECASE),
        # `khóa 13, 14`, `lớp 10 và 11`: the next number of a list after a name noun is a name too
        "name_list": std_compile(rf"(?<![\p{{L}}\p{{M}}]){alternation(u['name_nouns'])}"
                                   r"(?:\s*\d{1,3}\s*(?:,|và))*\s*(?P<last>\d{1,3})\s*(?:,|và)\s*$", regex.IGNORECASE),
        "money": {fold(k): v for k, v in u["money"].items()},
        "money_lowercase_only": {fold(w) for w in u["money_lowercase_only"]},
        "money_default": money_default,
        "not_units": {fold(w) for w in u["not_units"]},
        "upper_measures": {w for w in u["measures"] if w.isupper()},
        "idiom": std_compile(rf"{alternation(u['word_number_idioms'])}{end}", regex.IGNORECASE),
        "stop": {fold(w) for w in u["measure_trailing"]} | {fold(w) for w in u["qualifiers"]},
        "baseline": std_compile(rf"(?<![\p{{L}}\p{{M}}]){alternation(u['baseline_cues'])}\s+(?:\p{{L}}+\s+)?$", regex.IGNORECASE),
        "compound": std_compile(rf"{alternation(u['compound_units'])}{end}", regex.IGNORECASE),
        "range": regex.compile(rf"{NUM_START}(?P<num>{NUM_VI})[ \t]*(?:{alternation(u['range_joiners'])})[ \t]*(?=\d)",
                               regex.IGNORECASE | regex.VERBOSE),
        "change": std_compile(rf"(?<![\p{{L}}\p{{M}}])từ[ \t]+{NUM_START}(?P<num>{NUM_VI})[ \t]+"
                                rf"(?P<j>{alternation(u['change_joiners'])})[ \t]+(?=\d)", regex.IGNORECASE | regex.VERBOSE),
        "subject_head": std_compile(rf"(?<![\p{{L}}\p{{M}}])(?:{alternation(u['subject_heads'])})[ \t]", regex.IGNORECASE),
        "subject": std_compile(rf"(?:{alternation(u['subject_heads'])})[ \t]+(?P<noun>\p{{Ll}}[\p{{L}}\p{{M}}]*)"
                                 rf"[^;!?\n]{{0,100}}?[ \t](?:{alternation(u['subject_links'])})[ \t]*$", regex.IGNORECASE),
        "clause_end": std_compile(r"[ \t]*(?:[,.;!?)\n]|$)"),
        "name_nouns": {fold(w) for w in u["name_nouns"]},
        "money_cues": {fold(w) for w in u["money_cues"]},
        "time_units": {fold(w) for w in u["time_units"]},
        "change_way": {fold(k): v for k, v in u["change_joiners"].items()},
        **_context_rules(u),
    }


def _context_rules(u: dict) -> dict:
    """Patterns of the words around a number that decide money, counts, names and addresses."""
    before = r"(?<![\p{L}\p{M}])"
    cues = {**{fold(w): None for w in u["neutral_cues"]}, **{fold(w): "money" for w in u["money_cues"]},
            **{fold(w): "count" for w in u["count_cues"]}}
    counted = [*u["count_nouns"], *u["compound_units"], *u["word_number_nouns"]]
    return {
        "cue": std_compile(rf"{before}{alternation([*u['neutral_cues'], *u['money_cues'], *u['count_cues']])}"
                             r"(?![\p{L}\p{M}])", regex.IGNORECASE),
        "cues": cues,
        "count_nouns": {fold(w) for w in counted},
        "soft_name": std_compile(rf"{before}{alternation(u['soft_name_nouns'])}\s*$", regex.IGNORECASE),
        "not_name": std_compile(rf"{before}{alternation(u['not_name_phrases'])}\s*$", regex.IGNORECASE),
        "models": {fold(w) for w in u["model_suffixes"]},
        "links": {fold(w) for w in u["coordination_links"]},
        "address": std_compile(rf"{before}{alternation(u['address_cues'])}\s*$", regex.IGNORECASE),
    }
