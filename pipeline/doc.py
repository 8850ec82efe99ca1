"""The tokenised article every extractor reads: text, sentences and tokens with offsets.

The text is tokenised once (underthesea `sent_tokenize` + `word_tokenize`) and
the tokens are shared by all extractors. Offsets always point into `Doc.text`;
underthesea's output is only used to find token boundaries, never as text.
"""
from __future__ import annotations

import bisect
import logging
import time
from dataclasses import dataclass, field

import regex

log = logging.getLogger(__name__)

# Work per sentence is bounded: longer "sentences" (tables, run-on dumps) are
# cut at whitespace into pieces of at most this many characters.
MAX_SENTENCE_CHARS = 1500
PARAGRAPH_RE = regex.compile(r"[^\n]+")
WORD_RE = regex.compile(r"\S+")


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int
    end: int
    sent: int


@dataclass(frozen=True, slots=True)
class Sentence:
    index: int
    start: int
    end: int


@dataclass(slots=True)
class Doc:
    """An article's cleaned text with sentences and tokens.

    `meta` holds what cleaning found (`published`, `title`, `source`, ...), which
    extractors may use for context (e.g. the publication year for `ngày 9/8`).
    """
    text: str
    sentences: list[Sentence] = field(default_factory=list)
    tokens: list[Token] = field(default_factory=list)
    meta: dict = field(default_factory=dict)
    _sent_starts: list[int] = field(default_factory=list)
    _token_starts: list[int] = field(default_factory=list)

    def sentence_index(self, offset: int) -> int | None:
        """Index of the sentence that contains `offset`, or None."""
        if not self._sent_starts:
            self._sent_starts = [s.start for s in self.sentences]
        i = bisect.bisect_right(self._sent_starts, offset) - 1
        if i >= 0 and offset < self.sentences[i].end:
            return i
        return None

    def sentence_text(self, index: int) -> str:
        s = self.sentences[index]
        return self.text[s.start:s.end]

    def token_starts(self) -> list[int]:
        """Start offsets of the tokens, in order (built once, shared by every caller)."""
        if len(self._token_starts) != len(self.tokens):
            self._token_starts = [t.start for t in self.tokens]
        return self._token_starts

    def sentence_tokens(self, index: int) -> list[Token]:
        """Tokens of one sentence."""
        s = self.sentences[index]
        lo = bisect.bisect_left(self.token_starts(), s.start)
        out = []
        for tok in self.tokens[lo:]:
            if tok.start >= s.end:
                break
            out.append(tok)
        return out


def _split_long(start: int, end: int, text: str) -> list[tuple[int, int]]:
    """Cut a span longer than MAX_SENTENCE_CHARS at whitespace."""
    pieces = []
    while end - start > MAX_SENTENCE_CHARS:
        cut = text.rfind(" ", start + MAX_SENTENCE_CHARS // 2, start + MAX_SENTENCE_CHARS)
        if cut <= start:
            cut = start + MAX_SENTENCE_CHARS
        pieces.append((start, cut))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if start < end:
        pieces.append((start, end))
    return pieces


def _locate(text: str, pieces: list[str], lo: int, hi: int) -> list[tuple[int, int]]:
    """Find each piece of `pieces` in text[lo:hi] in order; pieces not found are skipped."""
    spans = []
    cur = lo
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        i = text.find(piece, cur, hi)
        if i < 0 or i - cur > 200:
            continue
        spans.append((i, i + len(piece)))
        cur = i + len(piece)
    return spans


def split_sentences(text: str) -> list[Sentence]:
    """Paragraphs (lines), then underthesea's sentence splitter inside each."""
    from underthesea import sent_tokenize

    sentences: list[Sentence] = []
    for para in PARAGRAPH_RE.finditer(text):
        p_start, p_end = para.span()
        if not para.group().strip():
            continue
        for s_start, s_end in _split_long(p_start, p_end, text) if p_end - p_start > MAX_SENTENCE_CHARS * 4 else [(p_start, p_end)]:
            chunk = text[s_start:s_end]
            try:
                parts = sent_tokenize(chunk)
            except Exception:  # underthesea on odd input: keep the chunk whole
                parts = [chunk]
            for a, b in _locate(text, parts, s_start, s_end) or [(s_start, s_end)]:
                for a2, b2 in _split_long(a, b, text):
                    sentences.append(Sentence(len(sentences), a2, b2))
    return sentences


def tokenize_sentence(text: str, sent: Sentence) -> list[Token]:
    """underthesea word segmentation of one sentence, mapped back to offsets."""
    from underthesea import word_tokenize

    chunk = text[sent.start:sent.end]
    try:
        words = word_tokenize(chunk)
    except Exception:
        words = chunk.split()
    tokens = []
    cur = sent.start
    for word in words:
        syllables = word.split()
        if not syllables:
            continue
        first = text.find(syllables[0], cur, sent.end)
        if first < 0 or first - cur > 50:
            continue
        end = first + len(syllables[0])
        ok = True
        for syl in syllables[1:]:
            j = text.find(syl, end, sent.end)
            if j < 0 or j - end > 3:
                ok = False
                break
            end = j + len(syl)
        if not ok:
            end = first + len(syllables[0])
        tokens.append(Token(text[first:end], first, end, sent.index))
        cur = end
    return tokens


def make_doc(text: str, meta: dict | None = None, timings: dict | None = None) -> Doc:
    """Split and tokenise `text` once; `timings` (if given) gets the seconds of "split" and "tokenize".

    Example: `make_doc("Sáng 21-12, đồng chí Lê Văn Lương phát biểu.").tokens[0].text == "Sáng"`
    """
    t = time.perf_counter()
    sentences = split_sentences(text)
    t1 = time.perf_counter()
    tokens: list[Token] = []
    for sent in sentences:
        tokens.extend(tokenize_sentence(text, sent))
    if timings is not None:
        timings["split"], timings["tokenize"] = t1 - t, time.perf_counter() - t1
    return Doc(text=text, sentences=sentences, tokens=tokens, meta=dict(meta or {}))
