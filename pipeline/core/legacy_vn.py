"""Legacy Vietnamese encodings (TCVN3/ABC, VNI-Windows, Windows-1258) and mojibake.

No well-kept converter for TCVN3/VNI exists on PyPI, so the conversion is a
small table-driven one: the tables are data in `gazetteer/legacy_encodings/`.
Which reading of a file is right is decided by `vietnamese_score`: the share of
its accented words that are well-formed Vietnamese syllables.
"""
from __future__ import annotations

import codecs
import functools
import itertools
import re
import unicodedata

import regex

LEGACY = ("TCVN3", "VNI")
TONES = "\u0300\u0301\u0303\u0309\u0323"
ONSET = r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?"
# Vowel clusters of a Vietnamese syllable (tone marks removed), by what may follow them:
# OPEN ones end the syllable, CLOSED ones need a final consonant, EITHER may have one;
# `ch`/`nh` follow only CH_NH clusters; a stop final (c, ch, p, t) takes only the
# acute or dot-below tone.
OPEN = ("iêu|yêu|oai|oao|oay|oeo|uây|uôi|ươi|ươu|uya|uyu|"
        "ai|ao|au|ay|âu|ây|eo|êu|ia|iu|oi|ôi|ơi|ua|ui|ưa|ưi|ưu|uơ")
CLOSED = "uyê|iê|yê|uô|ươ|oă|uâ|oo|ă|â"
EITHER = "oa|oe|uê|uy|a|e|ê|i|o|ô|ơ|u|ư|y"
CH_NH = "oa|uê|uy|a|ê|i"
SYLLABLE_RE = regex.compile(rf"""{ONSET}(?:
    (?:{OPEN})
  | (?:{CH_NH})(?P<coda>ch|nh)
  | (?:{CLOSED}|{EITHER})(?P<coda>ng|[cmnpt])
  | (?:{EITHER}))""", regex.VERBOSE)
ABBREVIATION_RE = regex.compile(r"[BCDĐGHKLMNPQRSTVX]{2,6}")
STOPS = {"c", "ch", "p", "t"}
STOP_TONES = {"\u0301", "\u0323"}
# a "word" for scoring: split on whitespace and ASCII punctuation only, so that
# stray symbols (µ, ¸, ¶ of a misread file) stay inside the word and spoil it
WORD_RE = regex.compile(r"[^\s!-/:-@\[-`{-~\d]+")
# the same pattern in the standard `re` (3x faster); `re` and `regex` differ on \s and \d only for the
# characters of RARE_RE (U+001C-U+001F, digits of newer scripts), so it serves text without them
WORD_FAST_RE = re.compile(WORD_RE.pattern)
RARE_RE = re.compile("[\x1c-\x1f\U00010000-\U0010ffff]")
SCORE_SAMPLE = 20000
MIN_WORDS = 3


@functools.cache
def _table(name: str) -> dict:
    from gazetteer import load_gazetteer

    return load_gazetteer().load(f"legacy_encodings/{name.lower()}")


def _latin1_fallback(err: UnicodeDecodeError) -> tuple[str, int]:
    return err.object[err.start:err.end].decode("latin-1"), err.end


codecs.register_error("vnfacts-latin1", _latin1_fallback)


def _cp1252(raw: bytes) -> str:
    """Bytes read as Windows-1252 (its five undefined bytes as Latin-1)."""
    return raw.decode("cp1252", errors="vnfacts-latin1")


def fix_mojibake(text: str) -> str:
    """UTF-8 text that was once decoded as Latin-1/cp1252, repaired (ftfy).

    Example: `fix_mojibake("Ä‘áº¡i há»™i") == "đại hội"`
    """
    if not any(sign in text for sign in ("Ã", "Ä", "Æ", "á»", "áº")):
        return text
    import ftfy

    return ftfy.fix_encoding(text)


@functools.lru_cache(maxsize=1 << 16)
def _syllable_ok(word: str) -> bool:
    """A well-formed Vietnamese syllable (onset, vowel cluster, final, at most one tone that fits
    the final), or an all-capital abbreviation without vowels (`HĐND`, `QĐ`)."""
    if word.isalpha() and word.isupper() and ABBREVIATION_RE.fullmatch(word):
        return True
    nfd = unicodedata.normalize("NFD", word.lower())
    tones = [ch for ch in nfd if ch in TONES]
    if len(tones) > 1:
        return False
    match = SYLLABLE_RE.fullmatch(unicodedata.normalize("NFC", "".join(ch for ch in nfd if ch not in TONES)))
    if match is None:
        return False
    return match.group("coda") not in STOPS or (bool(tones) and tones[0] in STOP_TONES)


def vietnamese_score(text: str) -> tuple[float, int]:
    """(share of well-formed syllables, number scored) among the words with non-ASCII letters.

    Example: `vietnamese_score("Đảng bộ tỉnh")[0] == 1.0`; `vietnamese_score("§¶ng bé tØnh")[0] == 0.0`
    """
    sample = unicodedata.normalize("NFC", text[:SCORE_SAMPLE])
    found = (WORD_RE if RARE_RE.search(sample) else WORD_FAST_RE).findall(sample)
    words = list(itertools.filterfalse(str.isascii, found))  # (the test in C, not a Python loop per word)
    if not words:
        return 0.0, 0
    return sum(map(_syllable_ok, words)) / len(words), len(words)


def convert_text(text: str, encoding: str) -> str:
    """Text whose characters are a legacy encoding's bytes read as cp1252, as NFC Unicode.

    Example: `convert_text("Xin chaøo", "VNI") == "Xin chào"`
    """
    if encoding == "TCVN3":
        table = {chr(b): u for b, u in _table("tcvn3")["bytes"].items()}
        return unicodedata.normalize("NFC", "".join(table.get(ch, ch) for ch in text))
    if encoding == "VNI":
        data = _table("vni")
        letters, marks, bases = data["letters"], data["marks"], data["bases"]
        out: list[str] = []
        for ch in text:
            if ch in marks and out and out[-1] in bases:
                out[-1] += marks[ch]
            else:
                out.append(letters.get(ch, ch))
        return unicodedata.normalize("NFC", "".join(out))
    raise ValueError(f"unknown legacy encoding {encoding!r}")


def convert(raw: bytes, encoding: str) -> str:
    """A legacy-encoded file's bytes as NFC Unicode text.

    Example: `convert("hép møt tÕt".encode("cp1252"), "TCVN3") == "hộp mứt tết"`
    """
    return convert_text(_cp1252(raw), encoding)


def encode(text: str, encoding: str, errors: str = "replace") -> bytes:
    """Unicode text in a legacy encoding (the inverse of `convert`; for tests and fixtures).

    Characters the encoding cannot hold become `?` (errors="replace").

    Example: `encode("hộp mứt tết", "TCVN3") == "hép møt tÕt".encode("cp1252")`
    """
    text = unicodedata.normalize("NFC", text)
    if encoding == "cp1258":
        return "".join(_cp1258_char(ch) for ch in text).encode("cp1258", errors)
    return _encoding_map(encoding)(text).encode("cp1252", errors)


def _cp1258_char(ch: str) -> str:
    """One character as Windows-1258 writes it: base letter plus a combining tone mark where needed."""
    try:
        ch.encode("cp1258")
        return ch
    except UnicodeEncodeError:
        nfd = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in nfd if c not in TONES))
        return base + "".join(c for c in nfd if c in TONES)


def _encoding_map(encoding: str):
    if encoding == "TCVN3":
        back = {u: chr(b) for b, u in _table("tcvn3")["bytes"].items()}
        return lambda text: "".join(back.get(ch, back.get(ch.lower(), ch)) for ch in text)
    data = _table("vni")
    back = {u: ch for ch, u in data["letters"].items()}
    for mark, combining in data["marks"].items():
        for base in data["bases"]:
            if mark.isupper() != base.isupper():
                continue
            composed = unicodedata.normalize("NFC", base + combining)
            if len(composed) == 1 and composed not in back:
                back[composed] = back.get(base, base) + mark
    return lambda text: "".join(back.get(ch, ch) for ch in text)


def best_reading(raw: bytes) -> tuple[str, str, float] | None:
    """The most Vietnamese reading of non-UTF-8 bytes: (text, encoding, score), or None.

    Candidates: Windows-1258, TCVN3, VNI, Windows-1252 (ties go to the first).
    None when no reading has a single accented word.
    """
    candidates = {"cp1258": lambda: unicodedata.normalize("NFC", raw.decode("cp1258", errors="replace")),
                  "TCVN3": lambda: convert(raw, "TCVN3"), "VNI": lambda: convert(raw, "VNI"),
                  "cp1252": lambda: _cp1252(raw)}
    best = None
    for name, read in candidates.items():
        text = read()
        score, n = vietnamese_score(text)
        if n and (best is None or score > best[2]):
            best = (text, name, score)
    return best


def detect_legacy_bytes(raw: bytes) -> str | None:
    """"TCVN3" or "VNI" when non-UTF-8 bytes read best in that legacy encoding, else None."""
    best = best_reading(raw)
    return best[1] if best and best[1] in LEGACY and best[2] >= 0.6 else None


def detect_legacy_text(text: str) -> str | None:
    """"TCVN3" or "VNI" when decoded text is really legacy bytes read as cp1252 (saved as UTF-8 later)."""
    score, n = vietnamese_score(text)
    if n < MIN_WORDS or score >= 0.6:
        return None
    sample = text[:SCORE_SAMPLE]
    best = max(LEGACY, key=lambda enc: vietnamese_score(convert_text(sample, enc))[0])
    new_score, _ = vietnamese_score(convert_text(sample, best))
    return best if new_score >= 0.6 and new_score > score + 0.3 else None
