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
import struct
from pathlib import Path

MODEL = "ws_crf_vlsp2013_20230727"
B, I = 0, 1


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
        of `features(tokens, i)`, summed)."""
        cache = {} if cache is None else cache
        n = len(tokens)
        out = []
        lower = digit = title = None
        for i in range(lo, hi):
            if i in cache:
                out.append(cache[i])
                continue
            if lower is None:
                a0, b0 = max(0, lo - 2), min(n, hi + 2)
                lower = {j: tokens[j].lower() for j in range(a0, b0)}
                digit = {j: tokens[j].isascii() and tokens[j].isdigit() for j in range(a0, b0)}
                title = {j: not tokens[j][:1].islower() for j in range(a0, b0)}
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
                    value = "True" if all(digit[j] for j in range(i + a, i + b + 1)) else "False"
                elif test == "istitle":
                    value = "True" if all(title[j] for j in range(i + a, i + b + 1)) else "False"
                else:
                    key = lower[i + a] if a == b else " ".join([lower[j] for j in range(i + a, i + b + 1)])
                    value = "True" if key in self.dictionary else "False"
                w = table.get(value)
                if w is not None:
                    sb += w[0]
                    si += w[1]
            out.append(cache.setdefault(i, (sb, si)))
        return out

    def decode(self, scores: list[tuple[float, float]], first: int | None, last: int | None) -> list[int]:
        """Viterbi labels with the first (last) label fixed, or free when None."""
        t = self.trans
        delta = [scores[0][0] if first in (None, B) else float("-inf"),
                 scores[0][1] if first in (None, I) else float("-inf")]
        back = []
        for sb, si in scores[1:]:
            from_b = (delta[0] + t[0][0], 0) if delta[0] + t[0][0] >= delta[1] + t[1][0] else (delta[1] + t[1][0], 1)
            from_i = (delta[0] + t[0][1], 0) if delta[0] + t[0][1] >= delta[1] + t[1][1] else (delta[1] + t[1][1], 1)
            back.append((from_b[1], from_i[1]))
            delta = [from_b[0] + sb, from_i[0] + si]
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
            answers = {tuple(p[want_lo - lo:want_hi - lo]) for f in firsts for z in lasts
                       if (p := self.decode(scores, f, z))}
            if len(answers) == 1:
                return list(answers.pop())
            margin *= 2


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
