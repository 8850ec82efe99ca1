"""underthesea's word-segmentation CRF, decoded over a window of a sentence with a certificate.

`word_tokenize` featurises and decodes a whole sentence to answer a question about
one position. The CRF is a linear chain over two labels (B-W, I-W) whose features
look two syllables either way, so the labels inside a window [a, b) depend on the
rest of the sentence only through the label at a and the label at b-1. Decoding
the window once for each of those (at most four) end conditions gives every
label the whole-sentence decoding can give there; where all agree, the answer is
the CRF's own, exactly. Where they do not, the window grows (at last to the whole
sentence). The weights are read from the model file underthesea ships (crfsuite
format: a features chunk and two string tables).
"""
from __future__ import annotations

import functools
import re
import struct
from pathlib import Path

MODEL = "ws_crf_vlsp2013_20230727"
B, I = 0, 1
TEMPLATES = ("T[-2]", "T[-1]", "T[0]", "T[1]", "T[2]", "T[-2,-1]", "T[-1,0]", "T[0,1]", "T[1,2]", "T[-2,0]", "T[-1,1]",
             "T[0,2]", "T[-2].lower", "T[-1].lower", "T[0].lower", "T[1].lower", "T[2].lower", "T[-2,-1].lower",
             "T[-1,0].lower", "T[0,1].lower", "T[1,2].lower", "T[-1].isdigit", "T[0].isdigit", "T[1].isdigit",
             "T[-2].istitle", "T[-1].istitle", "T[0].istitle", "T[1].istitle", "T[2].istitle", "T[0,1].istitle",
             "T[0,2].istitle", "T[-2].is_in_dict", "T[-1].is_in_dict", "T[0].is_in_dict", "T[1].is_in_dict",
             "T[2].is_in_dict", "T[-2,-1].is_in_dict", "T[-1,0].is_in_dict", "T[0,1].is_in_dict",
             "T[1,2].is_in_dict", "T[-2,0].is_in_dict", "T[-1,1].is_in_dict", "T[0,2].is_in_dict")


class Model:
    """State weights (B-W, I-W) by feature template and value, and the 2x2 transition weights."""

    def __init__(self, folder: Path):
        import joblib

        data = (folder / "models.bin").read_bytes()
        (_, _, _, _, _, _, _, off_features, off_labels, off_attrs, _, _) = struct.unpack_from("<4sI4sIIIIIIIII", data, 0)
        labels = _strings(data, off_labels)
        if labels != ["B-W", "I-W"]:
            raise ValueError(f"unexpected CRF labels {labels}")
        attrs = _strings(data, off_attrs)
        _, _, count = struct.unpack_from("<4sII", data, off_features)
        self.trans = [[0.0, 0.0], [0.0, 0.0]]
        state: dict[str, list[float]] = {}
        for kind, src, dst, weight in struct.iter_unpack("<IIId", data[off_features + 12:off_features + 12 + 20 * count]):
            if kind == 0:
                state.setdefault(attrs[src], [0.0, 0.0])[dst] += weight
            else:
                self.trans[src][dst] = weight
        self.templates = joblib.load(folder / "features.bin")
        self.dictionary = joblib.load(folder / "dictionary.bin")
        self._parsed = [_parse(t) for t in self.templates]
        # the weights by template, then by value: `scores` looks values up without building strings
        by_name: dict[str, dict[str, tuple[float, float]]] = {}
        for attr, (wb, wi) in state.items():
            name, _, value = attr.partition("=")
            by_name.setdefault(name, {})[value] = (wb, wi)
        self._by_template = [(a, b, test, by_name.get(name, {})) for name, a, b, test in self._parsed]
        # `_interior_score`'s tables, in template order, with True/False for the tests' "True"/"False"
        self._interior = None
        if tuple(self.templates) == TEMPLATES:
            self._interior = [table if test in (None, "lower") else {v == "True": w for v, w in table.items()
                                                                            if v in ("True", "False")}
                              for _, _, test, table in self._by_template]

    @functools.cached_property
    def featurizer(self):
        """underthesea_core's own featurizer, the reference `features` is tested against."""
        from underthesea_core import CRFFeaturizer

        return CRFFeaturizer(self.templates, self.dictionary)

    def features(self, tokens: list[str], i: int) -> list[str]:
        """The attributes of position i, as underthesea_core's CRFFeaturizer makes them (checked equal on
        corpus sentences by tests/test_crf_window.py); in Python because the featurizer's per-call cost is that
        of a whole sentence."""
        n = len(tokens)
        out = []
        for name, a, b, test in self._parsed:
            if i + a < 0:
                value = "BOS"
            elif i + b >= n:
                value = "EOS"
            else:
                words = tokens[i + a:i + b + 1]
                if test is None:
                    value = " ".join(words)
                elif test == "lower":
                    value = " ".join(words).lower()
                elif test == "isdigit":
                    value = str(all(w.isascii() and w.isdigit() for w in words))
                elif test == "istitle":
                    value = str(all(not w[:1].islower() for w in words))
                else:
                    value = str(" ".join(words).lower() in self.dictionary)
            out.append(f"{name}={value}")
        return out

    def scores(self, tokens: list[str], lo: int, hi: int, cache: dict | None = None) -> list[tuple[float, float]]:
        """(B, I) state scores of tokens[lo:hi], their features seeing two tokens either side (the weights
        of `features(tokens, i)`, summed in template order, as crfsuite sums them)."""
        cache = {} if cache is None else cache
        n = len(tokens)
        out = []
        lower = None
        for i in range(lo, hi):
            if i in cache:
                out.append(cache[i])
                continue
            if lower is None:
                a0 = max(0, lo - 2)
                lower = dict(zip(range(a0, min(n, hi + 2)), [t.lower() for t in tokens[a0:hi + 2]]))
            if self._interior is not None and 2 <= i < n - 2:
                score = self._interior_score(tokens, lower, i)
            else:
                score = self._score(tokens, lower, i)
            out.append(cache.setdefault(i, score))
        return out

    def _score(self, tokens: list[str], lower: dict[int, str], i: int) -> tuple[float, float]:
        """The state scores of position i, any template set (BOS and EOS included)."""
        n = len(tokens)
        sb = si = 0.0
        for a, b, test, table in self._by_template:
            if i + a < 0:
                value = "BOS"
            elif i + b >= n:
                value = "EOS"
            elif test is None:
                value = tokens[i + a] if a == b else " ".join(tokens[i + a:i + b + 1])
            elif test == "lower":
                value = lower[i + a] if a == b else " ".join([lower[j] for j in range(i + a, i + b + 1)])
            elif test == "isdigit":
                value = "True" if all(_digit(tokens[j]) for j in range(i + a, i + b + 1)) else "False"
            elif test == "istitle":
                value = "True" if all(_title(tokens[j]) for j in range(i + a, i + b + 1)) else "False"
            else:
                key = lower[i + a] if a == b else " ".join([lower[j] for j in range(i + a, i + b + 1)])
                value = "True" if key in self.dictionary else "False"
            w = table.get(value)
            if w is not None:
                sb += w[0]
                si += w[1]
        return sb, si

    def _interior_score(self, tokens: list[str], lower: dict[int, str], i: int) -> tuple[float, float]:
        """`_score` of a position two tokens from either end of the sentence, for underthesea's template set
        (`TEMPLATES`): the 43 values built at once, then looked up and summed in the same order, so the floats
        are the same."""
        a, b, c, d, e = tokens[i - 2:i + 3]
        la, lb, lc, ld, le = lower[i - 2], lower[i - 1], lower[i], lower[i + 1], lower[i + 2]
        ab, bc, cd, de = f"{a} {b}", f"{b} {c}", f"{c} {d}", f"{d} {e}"
        lab, lbc, lcd, lde = f"{la} {lb}", f"{lb} {lc}", f"{lc} {ld}", f"{ld} {le}"
        ta, tb, tc, td, te = _title(a), _title(b), _title(c), _title(d), _title(e)
        dic = self.dictionary
        values = (a, b, c, d, e, ab, bc, cd, de, f"{ab} {c}", f"{bc} {d}", f"{cd} {e}",
                  la, lb, lc, ld, le, lab, lbc, lcd, lde,
                  _digit(b), _digit(c), _digit(d),
                  ta, tb, tc, td, te, tc and td, tc and td and te,
                  la in dic, lb in dic, lc in dic, ld in dic, le in dic, lab in dic, lbc in dic, lcd in dic, lde in dic,
                  f"{lab} {lc}" in dic, f"{lbc} {ld}" in dic, f"{lcd} {le}" in dic)
        sb = si = 0.0
        for wb, wi in map(dict.get, self._interior, values, _ZEROS):  # an absent weight adds 0.0: x + 0.0 == x
            sb += wb
            si += wi
        return sb, si

    def decode(self, scores: list[tuple[float, float]], first: int | None, last: int | None) -> list[int]:
        """Viterbi labels with the first (last) label fixed, or free when None."""
        return self._backtrack(*self._forward(scores, first), last)

    def _forward(self, scores: list[tuple[float, float]], first: int | None) -> tuple[list[float], list]:
        """The Viterbi forward pass: the last position's scores and the back pointers."""
        t = self.trans
        delta = [scores[0][0] if first in (None, B) else float("-inf"),
                 scores[0][1] if first in (None, I) else float("-inf")]
        back = []
        for sb, si in scores[1:]:
            from_b = (delta[0] + t[0][0], 0) if delta[0] + t[0][0] >= delta[1] + t[1][0] else (delta[1] + t[1][0], 1)
            from_i = (delta[0] + t[0][1], 0) if delta[0] + t[0][1] >= delta[1] + t[1][1] else (delta[1] + t[1][1], 1)
            back.append((from_b[1], from_i[1]))
            delta = [from_b[0] + sb, from_i[0] + si]
        return delta, back

    @staticmethod
    def _backtrack(delta: list[float], back: list, last: int | None) -> list[int]:
        if last is None:
            y = B if delta[0] >= delta[1] else I
        else:
            y = last
            if delta[y] == float("-inf"):
                return []
        path = [y]
        for ptr in reversed(back):
            y = ptr[y]
            path.append(y)
        path.reverse()
        return path

    def labels(self, tokens: list[str], want_lo: int, want_hi: int, margin: int = 1,
               cache: dict | None = None) -> list[int]:
        """The whole-sentence Viterbi labels of tokens[want_lo:want_hi], decoding as small a window as
        certifies them (`cache`: the sentence's scores so far, by position)."""
        n = len(tokens)
        while True:
            lo, hi = max(0, want_lo - margin), min(n, want_hi + margin)
            scores = self.scores(tokens, lo, hi, cache)
            firsts = [None] if lo == 0 else [B, I]
            lasts = [None] if hi == n else [B, I]
            passes = [self._forward(scores, f) for f in firsts]  # one forward pass per first label
            answers = {tuple(p[want_lo - lo:want_hi - lo]) for delta, back in passes for z in lasts
                       if (p := self._backtrack(delta, back, z))}
            if len(answers) == 1:
                return list(answers.pop())
            margin *= 2


_ZEROS = ((0.0, 0.0),) * len(TEMPLATES)


def _digit(token: str) -> bool:
    return token.isascii() and token.isdigit()


def _title(token: str) -> bool:
    return not token[:1].islower()


def _parse(template: str) -> tuple[str, int, int, str | None]:
    """`T[-1,0].lower` -> ("T[-1,0].lower", -1, 0, "lower")."""
    span, _, test = template[2:].partition("]")
    a, _, b = span.partition(",")
    return template, int(a), int(b or a), test.lstrip(".") or None


def _strings(data: bytes, offset: int) -> list[str]:
    """The id -> string table of a crfsuite CQDB chunk (its backward array)."""
    _, _, _, _, size, back = struct.unpack_from("<4sIIIII", data, offset)
    out = []
    for (record,) in struct.iter_unpack("<I", data[offset + back:offset + back + 4 * size]):
        _, length = struct.unpack_from("<II", data, offset + record)
        out.append(data[offset + record + 8:offset + record + 7 + length].decode("utf-8"))
    return out


@functools.lru_cache(maxsize=1)
def model() -> Model:
    """The model `underthesea.word_tokenize` uses (one per process)."""
    import underthesea.pipeline.word_tokenize as wt

    return Model(Path(wt.__file__).parent / "models" / MODEL)


@functools.lru_cache(maxsize=100000)
def _token_normal(token: str) -> str:
    from underthesea.pipeline.text_normalize import token_normalize

    return token_normalize(token)


_RUN_RE = re.compile(r"\S+")  # `\s` as underthesea's patterns (also `re`) read it
_ACROSS = ((-1, -1),)  # `_run_tokens`: a token runs past the run (`Th S`)


@functools.lru_cache(maxsize=1 << 16)
def _run_tokens(key: str, end: int) -> tuple[tuple[int, int], ...] | None:
    """(start, end) of underthesea's regex tokens of `key[:end]`, a run of non-space characters (`key` holds
    what the patterns see after it: nothing at the end of the sentence, else a space, or after `Th` the next
    two characters); None when token normalisation changes a token, `_ACROSS` when a token runs past `end`.

    Example: `_run_tokens("UBND, ", 5)` -> ((0, 4), (4, 5))
    """
    from underthesea.pipeline.word_tokenize.regex_tokenize import patterns

    out = []
    for m in patterns.finditer(key):
        x, y = m.span()
        if x >= end:
            break
        if y > end:
            return _ACROSS
        tok = m.group()
        if not tok.strip() or _token_normal(tok) != tok:
            return None
        out.append((x, y))
    return tuple(out)


def _runs(chunk: str) -> list[tuple[int, str, str]]:
    """(start, run, what the patterns see after it) of each run of non-space characters: nothing at the
    end of the sentence or before a line break (`$`), else a space, or after `Th` the space and the next
    character (`Th.S` across a space). Split on spaces when one space separates the runs (the usual
    sentence), else found by a regex."""
    words = chunk.split(" ")
    if words == chunk.split():  # one space between runs and none around them: offsets by counting
        out, a, last = [], 0, len(words) - 1
        for n, w in enumerate(words):
            out.append((a, w, "" if n == last else " " + words[n + 1][0] if w.endswith("Th") else " "))
            a += len(w) + 1
        return out
    out = []
    for m in _RUN_RE.finditer(chunk):
        a, b = m.span()
        rest = chunk[b:b + 2]
        if rest and rest != "\n":  # not at the end (`$`): the look-aheads see a space, `Th.S` the next letter
            rest = rest if chunk.endswith("Th", a, b) else " "
        out.append((a, m.group(), rest))
    return out


class SentenceWindow:
    """One sentence's syllable tokens (underthesea's regex tokenizer) with offsets, for window questions.

    `SentenceWindow.of(chunk)` is None when underthesea would not see the text as written (its character
    or token normalisation changes something, or tokens lie far apart); then the caller segments the
    whole sentence. Example: `SentenceWindow.of("Nông dân Hà Nội").word_at(1)` -> (0, 1), `Nông dân`.
    """
    __slots__ = ("tokens", "starts", "ends", "labels", "scores")

    def __init__(self, tokens: list[str], starts: list[int], ends: list[int]):
        self.tokens, self.starts, self.ends = tokens, starts, ends
        self.labels: dict[int, int] = {}
        self.scores: dict[int, tuple[float, float]] = {}

    @classmethod
    def of(cls, chunk: str) -> "SentenceWindow | None":
        """The window of one sentence, or None (see the class doc).

        The regex tokens are found run by run of non-space characters (each run's tokens cached, `_run_tokens`):
        no token of underthesea's patterns holds a space except `Th.S`/`Th.s` across one (`Th S`), and past
        its run a pattern sees only whether a space follows (`\\b`, `(?=\\s)`, `(?!@)`), whether the sentence ends
        (`$`) and, after `Th`, the next two characters; so the runs' tokens are the sentence's (checked on corpus
        sentences by tests/test_crf_window.py). A sentence with a token across a space is read whole.
        """
        from underthesea.pipeline.text_normalize.character_normalize import normalize_characters_in_text

        if normalize_characters_in_text(chunk) != chunk:
            return None
        tokens, starts, ends = [], [], []
        for a, run, rest in _runs(chunk):
            if ends and a - ends[-1] > 3:
                return None
            pieces = _run_tokens(run + rest, len(run))
            if pieces is None:
                return None
            if pieces is _ACROSS:
                return cls._whole(chunk)
            if len(pieces) == 1 and pieces[0][1] == len(run):  # (most runs: one token, the run itself)
                tokens.append(run)
                starts.append(a)
                ends.append(a + len(run))
                continue
            for x, y in pieces:
                tokens.append(chunk[a + x:a + y])
                starts.append(a + x)
                ends.append(a + y)
        return cls(tokens, starts, ends) if tokens else None

    @classmethod
    def _whole(cls, chunk: str) -> "SentenceWindow | None":
        """`of` with the patterns run over the whole sentence (the reference `of` is tested against)."""
        from underthesea.pipeline.text_normalize.character_normalize import normalize_characters_in_text
        from underthesea.pipeline.word_tokenize.regex_tokenize import patterns

        if normalize_characters_in_text(chunk) != chunk:
            return None
        tokens, starts, ends = [], [], []
        for m in patterns.finditer(chunk):
            tok = m.group()
            if not tok.strip() or _token_normal(tok) != tok or (ends and m.start() - ends[-1] > 3):
                return None
            tokens.append(tok)
            starts.append(m.start())
            ends.append(m.end())
        return cls(tokens, starts, ends) if tokens else None

    def _label(self, k: int) -> int:
        if k not in self.labels:
            lo, hi = k, min(len(self.tokens), k + 2)
            for j, y in enumerate(model().labels(self.tokens, lo, hi, cache=self.scores), lo):
                self.labels[j] = y
        return self.labels[k]

    def word_at(self, k: int) -> tuple[int, int]:
        """First and last token index of the word that holds token k, as `word_tokenize` makes it."""
        a = k
        while a > 0 and self._label(a) == I:
            a -= 1
        b = k
        while b + 1 < len(self.tokens) and self._label(b + 1) == I:
            b += 1
        return a, b
