"""Word boundaries that underthesea's dictionary settles without running its CRF.

underthesea's word segmenter (a CRF over syllables, `word_tokenize`) joins two
neighbouring syllables into one word only when it has seen them together: in its
own word dictionary (72,547 entries, `dictionary.bin` beside the model) or as a
proper name (two capitalised syllables). So the space between two syllables
`x y` is a certain word boundary when no dictionary word holds the pair `x y`
and the two are not both capitalised; a sentence or line edge, or a
punctuation mark after a word, is one too. Everything else ("maybe a word") is
left to the CRF. `tests/test_boundaries.py` checks the claim against the CRF at
every position the extractors ask about in the seeds and unc-dev articles.
"""
from __future__ import annotations

import functools
from pathlib import Path

import regex

# marks underthesea's regex tokenizer always cuts off a word: before it, and after it
OPENING_MARKS = " (\"“‘["
CLOSING_MARKS = " ,;:!?)\"”’]"


def _syllable_before(text: str, end: int, lo: int) -> str | None:
    """The letters-only syllable (or plain number) ending at `end`, when a space or opening mark (or the
    sentence start) is before it."""
    i = end
    while i > lo and (text[i - 1].isalpha() or text[i - 1].isdigit() or text[i - 1] in ".,"):
        i -= 1
    word = text[i:end]
    if not word or (i > lo and text[i - 1] not in OPENING_MARKS):
        return None
    if word.isalpha() or (word[0].isdigit() and word[-1].isdigit() and word.replace(".", "").replace(",", "").isdigit()):
        return word
    return None


def _syllable_after(text: str, start: int, hi: int) -> str | None:
    """The letters-only syllable starting at `start`, when a space or closing mark (or the sentence end)
    is after it."""
    j = start
    while j < hi and text[j].isalpha():
        j += 1
    if j == start or (j < hi and text[j] not in CLOSING_MARKS and not (text[j] == "." and text[start:j].islower())):
        return None
    return text[start:j]


MODEL = "ws_crf_vlsp2013_20230727"
# the model's pair features: `T[-1,0].lower=người dân` and the like, NUL-terminated in models.bin
PAIR_FEATURE_RE = regex.compile(rb"T\[(?:-1,0|0,1|-2,-1|1,2)\](?:\.lower)?=([^\x00 ]+ [^\x00 ]+)\x00")


@functools.lru_cache(maxsize=1)
def dictionary_pairs() -> frozenset[tuple[str, str]]:
    """Every pair of neighbouring syllables the CRF knows as (part of) a word, lowercased: inside a
    word of underthesea's dictionary, or named by one of the model's syllable-pair features."""
    import joblib
    import underthesea.pipeline.word_tokenize as wt

    folder = Path(wt.__file__).parent / "models" / MODEL
    pairs = set()
    for word in joblib.load(folder / "dictionary.bin"):
        syllables = [_normal(syllable) for syllable in word.split()]
        pairs.update(zip(syllables, syllables[1:]))
    for m in PAIR_FEATURE_RE.finditer((folder / "models.bin").read_bytes()):
        left, right = m.group(1).decode("utf-8", "replace").split(" ")
        pairs.add((_normal(left), _normal(right)))
    return frozenset(pairs)


@functools.lru_cache(maxsize=65536)
def _normal(syllable: str) -> str:
    """The syllable as the CRF looks it up (underthesea's tone-mark normalisation, lowercased)."""
    from underthesea.pipeline.text_normalize import token_normalize

    return token_normalize(syllable).lower()


@functools.lru_cache(maxsize=1)
def function_words() -> frozenset[str]:
    """The function words of `gazetteer/word_boundaries.yaml` (`của`, `và`, `đã`, `là`, ...)."""
    from gazetteer import load_gazetteer

    return frozenset(_normal(w) for w in load_gazetteer().load("word_boundaries")["function_words"])


def pair_splits(left: str, right: str) -> bool:
    """Whether the CRF certainly puts a word boundary between syllables `left` and `right`: `right` is a
    function word that the CRF knows with `left` in no word and no pair feature.

    Example: `pair_splits("người", "và")` is True; `pair_splits("nông", "dân")` (a dictionary word),
    `pair_splits("Đồng", "cùng")` (the CRF glues unknown names to the next word) and `pair_splits("Lai",
    "Châu")` are False ("not certain").
    """
    if not right.islower() or not left.islower():
        return False  # the CRF glues an unknown name to the next word, even `của` (`Đậu Tĩnh Đồng cùng`)
    right = _normal(right)
    return right in function_words() and (_normal(left), right) not in dictionary_pairs()


def splits(text: str, offset: int, lo: int, hi: int) -> bool:
    """Whether no word of the sentence text[lo:hi] certainly crosses `offset` (False = ask the CRF).

    `offset` is the start of a syllable after one space or the end of a syllable (before a space
    or a closing mark). Example: `splits("5 lượt của", 7, 0, 10)` is True.
    """
    if offset <= lo or offset >= hi:
        return True
    if text[offset] == " ":
        left_end, right_start = offset, offset + 1
    elif text[offset - 1] == " ":
        left_end, right_start = offset - 1, offset
    elif text[offset - 1].isalpha() and (text[offset] in CLOSING_MARKS or text[offset] == "."):
        left = _syllable_before(text, offset, lo)
        return left is not None and (text[offset] != "." or left.islower())
    else:
        return False
    if right_start >= hi:
        return True
    if text[right_start] == " " or left_end <= lo:
        return False
    left = _syllable_before(text, left_end, lo)
    right = _syllable_after(text, right_start, hi)
    if left is None or right is None:
        return False
    return pair_splits(left, right)
