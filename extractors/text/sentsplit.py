"""underthesea's sentence splitter (`sent_tokenize`), the same rules, without a Python step per character.

underthesea's (9.5) `PunktSentenceTokenizer.sentences_from_text` walks a paragraph one character at a time
looking for `.`, `?` and `!`; here `str` searches jump from one to the next, and the rules at each
(ellipsis, digit.digit, a known abbreviation before the dot) are underthesea's, line by line, with its
abbreviation list. The answers are compared with underthesea's on every paragraph of the sample corpus
(tests/test_sentsplit.py) and of unc (slow).

Example: `sent_tokenize("Xin chào. Tôi là TS. Lan...")` -> `["Xin chào.", "Tôi là TS. Lan..."]`
"""
from __future__ import annotations

import functools
import re

ENDS = ".?!"
END_RE = re.compile(r"[.?!]")


@functools.lru_cache(maxsize=1)
def abbreviations() -> frozenset:
    """underthesea's own abbreviation list (its parameters file and the ones it adds)."""
    from underthesea.pipeline import sent_tokenize as st

    st._load_model()
    return frozenset(st.sentence_tokenizer.abbrev_types)


def sent_tokenize(text: str) -> list[str]:
    """The sentences of one paragraph, as `underthesea.sent_tokenize` gives them."""
    if not text or not text.strip():
        return []
    abbrev = abbreviations()
    sentences = []
    start = 0
    n = len(text)
    m = END_RE.search(text)
    while m:
        i = m.start()
        if text[i] == ".":
            dot_end = i
            while dot_end < n and text[dot_end] == ".":
                dot_end += 1
            if dot_end - i >= 3:  # an ellipsis ends a sentence at the end or before a capital
                after = dot_end
                while after < n and text[after] in " \t":
                    after += 1
                if after >= n or text[after].isupper():
                    start = dot_end = _close(text, start, dot_end, sentences)
                m = END_RE.search(text, dot_end)
                continue
        if _boundary(text, i, abbrev):
            end = i + 1
            while end < n and text[end] in ENDS:
                end += 1
            start = end = _close(text, start, end, sentences)
            m = END_RE.search(text, end)
            continue
        m = END_RE.search(text, i + 1)
    final = text[start:].strip()
    if final:
        sentences.append(final)
    return sentences


def _close(text: str, start: int, end: int, sentences: list[str]) -> int:
    """Add the sentence text[start:end] (stripped, if not empty); return where the next one starts."""
    sentence = text[start:end].strip()
    if sentence:
        sentences.append(sentence)
    n = len(text)
    while end < n and text[end] in " \t\n\r":
        end += 1
    return end


def _boundary(text: str, pos: int, abbrev: frozenset) -> bool:
    """Whether the mark at pos ends a sentence: not a dot between digits (`1.500`), nor after an abbreviation."""
    if text[pos] != ".":
        return True
    if pos > 0 and text[pos - 1].isdigit() and pos + 1 < len(text) and text[pos + 1].isdigit():
        return False
    start = pos - 1
    while start >= 0 and (text[start].isalnum() or text[start] == "."):
        start -= 1
    word = text[start + 1:pos]
    return not (word and word.lower() in abbrev)
