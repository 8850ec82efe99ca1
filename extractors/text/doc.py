"""The tokenised article every extractor reads: text, sentences and tokens with offsets.

Sentences come from underthesea `sent_tokenize` (its rules, run faster: `sentsplit`); each sentence is
word-segmented (`word_tokenize`) at most once, when an extractor first asks about it, and its
tokens are shared by all extractors. Offsets always point into `Doc.text`;
underthesea's output is only used to find token boundaries, never as text.
"""
from __future__ import annotations

import bisect
import logging
import time
from dataclasses import dataclass

import regex

from extractors.text.boundaries import splits
from extractors.text.crf_window import SentenceWindow
from extractors.text.sentsplit import sent_tokenize

log = logging.getLogger(__name__)

# Work per sentence is bounded: longer "sentences" (tables, run-on dumps) are
# cut at whitespace into pieces of at most this many characters.
MAX_SENTENCE_CHARS = 1500
PARAGRAPH_RE = regex.compile(r"[^\n]+")
WORD_RE = regex.compile(r"\S+")
ABBREV_END_RE = regex.compile(r"(?<![\p{L}\p{N}])(?:\p{Lu}{1,5}|ThS|Th)\.$")  # `TS.`, `TP.`, `ThS.`
# an academic title before a name ends no sentence, even with a space after it (`PGS.TS. Hoàng Minh Sơn`)
TITLE_ABBREV_END_RE = regex.compile(r"(?<![\p{L}\p{N}])(?:GS|PGS|TS|ThS|BS|PGS\.TS|GS\.TS|TS\.BS|ThS\.BS)\.$")


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


class Doc:
    """An article's cleaned text with sentences, and tokens made on demand per sentence.

    Word segmentation is the pipeline's dearest step, and most sentences hold no
    name and no number, so a sentence is tokenised the first time an extractor
    asks about a position in it (`token_at`, `token_before`, `sentence_tokens`)
    and never again. `tokens` tokenises every sentence (spaCy, review).
    `meta` holds what cleaning found (`published`, `title`, `source`, ...), which
    extractors may use for context (e.g. the publication year for `ngày 9/8`).
    """
    __slots__ = ("text", "sentences", "meta", "tokenize_seconds", "_sent_starts", "_sent_tokens", "_tok_starts",
                 "dictionary_answers", "claims", "_windows")

    def __init__(self, text: str, sentences: list[Sentence] | None = None, meta: dict | None = None):
        self.text = text
        self.sentences = sentences or []
        self.meta = meta or {}
        self.tokenize_seconds = 0.0  # time spent in word segmentation so far
        self._sent_starts = [s.start for s in self.sentences]
        self._sent_tokens: dict[int, list[Token]] = {}
        self._tok_starts: dict[int, list[int]] = {}
        self.dictionary_answers = 0  # questions answered by the dictionary without the CRF
        self._windows: dict[int, SentenceWindow | None] = {}  # sentences asked about through CRF windows
        self.claims: list[int] | None = None  # set to [] to record the offsets the dictionary settled (tests)

    @property
    def tokens(self) -> list[Token]:
        """Every token of the article, in order (tokenises the sentences not yet done)."""
        return [tok for i in range(len(self.sentences)) for tok in self.sentence_tokens(i)]

    @property
    def tokenized_sentences(self) -> int:
        """How many sentences have been tokenised whole (`word_tokenize`) so far."""
        return len(self._sent_tokens)

    @property
    def crf_sentences(self) -> int:
        """How many sentences the CRF has seen so far, whole or through a window."""
        return len(self._sent_tokens.keys() | {i for i, w in self._windows.items() if w is not None})

    def sentence_index(self, offset: int) -> int | None:
        """Index of the sentence that contains `offset`, or None."""
        i = bisect.bisect_right(self._sent_starts, offset) - 1
        if i >= 0 and offset < self.sentences[i].end:
            return i
        return None

    def sentence_text(self, index: int) -> str:
        s = self.sentences[index]
        return self.text[s.start:s.end]

    def sentence_tokens(self, index: int) -> list[Token]:
        """Tokens of one sentence, tokenised on first use."""
        toks = self._sent_tokens.get(index)
        if toks is None:
            t = time.perf_counter()
            toks = self._sent_tokens[index] = tokenize_sentence(self.text, self.sentences[index])
            self._tok_starts[index] = [tok.start for tok in toks]
            self.tokenize_seconds += time.perf_counter() - t
        return toks

    def _windowed(self, i: int, offset: int, strict: bool) -> Token | None | bool:
        """`_last_starting_at_or_before` within sentence i from a CRF window around `offset` (exact, see
        crf_window): the token, None when no token of the sentence starts there (the window's first
        syllable starts its first word), or False when the sentence must be segmented whole."""
        window = self._windows.get(i, 0)
        if window == 0:
            s = self.sentences[i]
            window = self._windows[i] = SentenceWindow.of(self.text[s.start:s.end])
        if window is None:
            return False
        rel = offset - self.sentences[i].start
        k = (bisect.bisect_left(window.starts, rel) if strict else bisect.bisect_right(window.starts, rel)) - 1
        if k < 0:
            return None  # no token of sentence i starts there: the answer lies in an earlier sentence
        a, b = window.word_at(k)
        base = self.sentences[i].start
        start, end = base + window.starts[a], base + window.ends[b]
        return Token(self.text[start:end], start, end, i)

    def _last_starting_at_or_before(self, offset: int, strict: bool = False) -> Token | None:
        """The last token whose start is <= offset (< offset when `strict`), searching back by sentence."""
        i = bisect.bisect_right(self._sent_starts, offset) - 1
        while i >= 0:
            if i not in self._sent_tokens:
                t = time.perf_counter()
                tok = self._windowed(i, offset, strict)
                self.tokenize_seconds += time.perf_counter() - t
                if tok is None:  # (a name opening a sentence: the previous sentence's last word, windowed too)
                    i -= 1
                    continue
                if tok is not False:
                    return tok
            toks = self.sentence_tokens(i)
            starts = self._tok_starts[i]
            k = (bisect.bisect_left(starts, offset) if strict else bisect.bisect_right(starts, offset)) - 1
            if k >= 0:
                return toks[k]
            i -= 1
        return None

    def splits(self, offset: int) -> bool:
        """Whether no word token certainly crosses `offset` (the dictionary says so; False = unknown).

        `offset` is a syllable's start after a space, or its end before a space or closing mark.
        """
        i = self.sentence_index(offset - 1) if offset > 0 else None
        if i is None:
            j = self.sentence_index(offset)
            return j is not None and self.sentences[j].start == offset
        s = self.sentences[i]
        if offset >= s.end:
            return True
        return splits(self.text, offset, s.start, s.end)

    def _syllable_token(self, start: int, end: int) -> Token | None:
        """text[start:end] as a one-syllable token when the dictionary is certain it is one, else None."""
        i = self.sentence_index(start)
        if i is None or i in self._sent_tokens or not self.text[start:end].isalpha():
            return None
        if self.splits(start) and self.splits(end):
            self.dictionary_answers += 1
            if self.claims is not None:
                self.claims += [start, end]
            return Token(self.text[start:end], start, end, i)
        return None

    def _syllable_end(self, start: int) -> int:
        j = start
        while j < len(self.text) and self.text[j].isalpha():
            j += 1
        return j

    def longer_word_end(self, start: int, end: int) -> int | None:
        """Where the token starting at `start` ends when it goes on past `end` (`đơn thư` from `đơn`), else None."""
        if self._certain(end):
            return None
        tok = self.token_at(start)
        return tok.end if tok is not None and tok.end > end else None

    def token_at(self, offset: int) -> Token | None:
        """The token that starts exactly at `offset`, or None."""
        tok = self._last_starting_at_or_before(offset) if self.sentence_index(offset) is not None else None
        return tok if tok is not None and tok.start == offset else None

    def crossed(self, start: int, end: int) -> bool:
        """Whether a token starting inside text[start:end] goes on past `end` (a name cut through a word)."""
        if self._certain(end):
            return False
        tok = self._last_starting_at_or_before(end - 1)
        return tok is not None and tok.end > end and start < tok.start < end

    def in_longer_token(self, start: int, end: int) -> bool:
        """Whether the token covering `start` goes on past `end` (`Cấp` of `Cấp cứu`)."""
        if self._certain(end):
            return False
        tok = self._last_starting_at_or_before(start)
        return tok is not None and tok.end > end

    def _certain(self, offset: int) -> bool:
        """`splits(offset)`, counted as a dictionary answer, and only for sentences not yet segmented."""
        i = self.sentence_index(offset - 1 if offset > 0 else 0)
        if i in self._sent_tokens or not self.splits(offset):
            return False
        self.dictionary_answers += 1
        if self.claims is not None:
            self.claims.append(offset)
        return True

    def token_covering(self, offset: int) -> Token | None:
        """The last token starting at or before `offset` (it covers `offset` when its end is past it)."""
        return self._last_starting_at_or_before(offset)

    def token_before(self, offset: int) -> Token | None:
        """The last token that starts before `offset`."""
        if offset >= 2 and self.text[offset - 1] == " " and self.text[offset - 2].isalpha() \
                and self.sentence_index(offset) is not None and self._certain(offset):
            j = offset - 1
            while j > 0 and self.text[j - 1].isalpha():
                j -= 1
            tok = self._syllable_token(j, offset - 1)
            if tok is not None:
                return tok
        return self._last_starting_at_or_before(offset, strict=True)

    def inside_word(self, offset: int) -> bool:
        """Whether `offset` starts the second or a later syllable of a word token (`dân` of `Nông dân`)."""
        if offset <= 0 or self.text[offset - 1] != " " or self.sentence_index(offset) is None:
            return False
        if self._certain(offset):
            return False
        tok = self._last_starting_at_or_before(offset)
        return tok is not None and tok.start < offset < tok.end


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


def _glue(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join a sentence to the one before when no space parts them and that one ends in an
    abbreviation: underthesea cuts `PGS.TS.BS` after `TS.` (but `Trung Quốc.Trong` is two); or when
    that one ends in an academic title and a name follows (`PGS.TS. Huỳnh Văn Chương`); or when the next
    one opens in lower case right after it (`Saigon Co.op` cut after `Co.`)."""
    out: list[tuple[int, int]] = []
    for a, b in spans:
        if out and ((out[-1][1] == a and (ABBREV_END_RE.search(text, out[-1][0], a) or text[a:a + 1].islower())) or (
                not text[out[-1][1]:a].strip() and TITLE_ABBREV_END_RE.search(text, out[-1][0], out[-1][1])
                and text[a:a + 1].isupper())):
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def split_sentences(text: str) -> list[Sentence]:
    """Paragraphs (lines), then underthesea's sentence splitter inside each (its rules, `sentsplit`)."""
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
            for a, b in _glue(text, _locate(text, parts, s_start, s_end)) or [(s_start, s_end)]:
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
    """Split `text` into sentences (tokens come on demand); `timings` (if given) gets the seconds of "split".

    Example: `make_doc("Sáng 21-12, đồng chí Lê Văn Lương phát biểu.").tokens[0].text == "Sáng"`
    """
    t = time.perf_counter()
    sentences = split_sentences(text)
    if timings is not None:
        timings["split"] = time.perf_counter() - t
    return Doc(text, sentences, dict(meta or {}))
