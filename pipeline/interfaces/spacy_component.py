"""The vnfacts pipeline as a spaCy `Language`: `nlp = pipeline.load(); doc = nlp(article_text)`.

- Tokenizer `vnfacts.Tokenizer.v1`: cleans the article (header, byline and
  boilerplate removal, `pipeline.core.orchestration.prepare_text`) and uses the
  underthesea words as spaCy tokens (`Trương Thị Mai` is one token). So
  **`doc.text` is the cleaned article text, not the input**: every offset, here
  and in the database, points into it. The header's metadata is in
  `doc._.article` (title, published, author, url).
- Component `vnfacts`: runs the extractors (`orchestration.extract_facts`, the
  same core as `vnfacts run`) and sets `doc.spans["facts"]` (one label per
  registered kind, `extractors.registry.labels()`: DOCUMENT, DATE, PERSON,
  TITLE, INDICATOR; overlapping), `doc.ents` (the longest non-overlapping
  ones) and `doc._.facts` (per kind, the JSONL export dicts).
  Over a Doc made by another tokenizer it extracts from `doc.text` uncleaned.
"""
from __future__ import annotations

import logging
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc as SpacyDoc
from spacy.util import filter_spans

from extractors import kinds
from extractors.registry import by_kind, label_of
from extractors.text.doc import Doc as PipelineDoc
from extractors.text.doc import make_doc
from pipeline.core.orchestration import extract_facts, prepare_text

log = logging.getLogger(__name__)

SPANS_KEY = "facts"
_PREPARED = "vnfacts_prepared"  # user_data key: the pipeline Doc, removed by the component

for _name in ("facts", "article"):
    if not SpacyDoc.has_extension(_name):
        SpacyDoc.set_extension(_name, default=None)


def words_and_spaces(pdoc: PipelineDoc) -> tuple[list[str], list[bool], list[bool]]:
    """spaCy words, trailing-space flags and sentence starts covering `pdoc.text` exactly.

    One space after a token is its trailing space; other gaps (newlines, runs of
    spaces, characters underthesea skipped) become tokens of their own.
    """
    text = pdoc.text
    words: list[str] = []
    spaces: list[bool] = []
    starts: list[bool] = []
    sent_of = {s.start: s.index for s in pdoc.sentences}
    pos = 0

    def gap(a: int, b: int) -> None:
        if a >= b:
            return
        if text[a:b] == " " and words and not spaces[-1] and not words[-1].isspace():
            spaces[-1] = True
            return
        piece = text[a:b]
        if piece.startswith(" ") and words and not spaces[-1] and not words[-1].isspace():
            spaces[-1] = True
            piece = piece[1:]
        if piece:
            words.append(piece)
            spaces.append(False)
            starts.append(False)

    for tok in pdoc.tokens:
        if tok.start < pos:  # overlapping token (never expected): skip
            continue
        gap(pos, tok.start)
        words.append(text[tok.start:tok.end])
        spaces.append(False)
        starts.append(tok.start in sent_of)
        pos = tok.end
    gap(pos, len(text))
    if starts:
        starts[0] = True
    return words, spaces, starts


class VnTokenizer:
    """Clean the article, then underthesea words as spaCy tokens (see the module docstring)."""

    def __init__(self, vocab, clean: bool = True):
        self.vocab = vocab
        self.clean = clean

    def __call__(self, text: str) -> SpacyDoc:
        if self.clean:
            article, pdoc = prepare_text(text)
            info = {"title": article.title, "published": article.published, "author": article.author,
                    "url": article.url}
        else:
            pdoc, info = make_doc(text), {}
        words, spaces, starts = words_and_spaces(pdoc)
        doc = SpacyDoc(self.vocab, words=words, spaces=spaces, sent_starts=starts)
        if doc.text != pdoc.text:  # words_and_spaces covers every character; this would be a bug
            raise RuntimeError("vnfacts tokenizer: the spaCy Doc does not reproduce the cleaned text")
        doc._.article = info
        doc.user_data[_PREPARED] = pdoc
        return doc

    def pipe(self, texts, batch_size: int = 16):
        for text in texts:
            yield self(text)

    # Nothing to save: the tokenizer's only setting (`clean`) is in the pipeline's config.
    def to_disk(self, path, exclude=()) -> None:
        Path(path).mkdir(parents=True, exist_ok=True)

    def from_disk(self, path, exclude=()) -> "VnTokenizer":
        return self

    def to_bytes(self, exclude=()) -> bytes:
        return b""

    def from_bytes(self, data: bytes, exclude=()) -> "VnTokenizer":
        return self


@spacy.registry.tokenizers("vnfacts.Tokenizer.v1")
def create_tokenizer(clean: bool = True):
    """spaCy registry entry: `[nlp.tokenizer] @tokenizers = "vnfacts.Tokenizer.v1"`."""
    def make(nlp):
        return VnTokenizer(nlp.vocab, clean=clean)
    return make


def fact_spans(kind: str, start: int, end: int, data: dict, fact=None) -> list[tuple[int, int, str]]:
    """(start, end, label) of one fact: its own span under its kind's label, plus the spans its kind's
    `spans` hook adds (a person's other mentions and titles), from the fact object when given (the
    component), else from its JSON (the review page). An unregistered kind gets its upper-cased name.

    Example: `fact_spans("dates", 10, 20, {})` == `[(10, 20, "DATE")]`
    """
    out = [(start, end, label_of(kind))]
    hook = getattr(by_kind().get(kind), "spans", None)
    if hook is not None:
        out += hook(start, end, data, fact)
    return sorted(set(out))


class VnFacts:
    """The `vnfacts` pipeline component: facts as spans, entities and `doc._.facts`."""

    def __init__(self, nlp: Language, name: str = "vnfacts"):
        self.name = name
        self.last_doc: SpacyDoc | None = None

    def __call__(self, doc: SpacyDoc) -> SpacyDoc:
        pdoc = doc.user_data.pop(_PREPARED, None)
        if pdoc is None or pdoc.text != doc.text:
            pdoc = make_doc(doc.text)
        found = extract_facts(pdoc, source="spacy")
        spans, seen, facts = [], set(), {}
        for kind in kinds():
            facts[kind.name] = []
            for fact in found.get(kind.name, []):
                data = kind.to_json(fact)
                facts[kind.name].append(data)
                for start, end, label in fact_spans(kind.name, fact.start, fact.end, data, fact):
                    span = doc.char_span(start, end, label=label, alignment_mode="expand")
                    if span is not None and len(span) and (span.start, span.end, label) not in seen:
                        seen.add((span.start, span.end, label))  # a title shared by listed people: once
                        spans.append(span)
        spans.sort(key=lambda s: (s.start, -len(s), s.label_))
        doc.spans[SPANS_KEY] = spans
        doc.ents = filter_spans(spans)
        doc._.facts = facts
        # spaCy's SpanGroup holds only a weak reference to its Doc: keeping the latest Doc alive lets
        # `nlp(text).spans["facts"]` be iterated in one expression (the one-liner).
        self.last_doc = doc
        return doc

    def to_disk(self, path, exclude=()) -> None:
        Path(path).mkdir(parents=True, exist_ok=True)

    def from_disk(self, path, exclude=()) -> "VnFacts":
        return self


@Language.factory("vnfacts")
def make_component(nlp: Language, name: str) -> VnFacts:
    """spaCy factory `vnfacts` (also the `spacy_factories` entry point)."""
    return VnFacts(nlp, name)


def load(clean: bool = True) -> Language:
    """A spaCy `Language` ("vi") with the vnfacts tokenizer and component.

    Example: `[(s.text, s.label_) for s in pipeline.load()(text).spans["facts"]]`
    """
    config = {"nlp": {"tokenizer": {"@tokenizers": "vnfacts.Tokenizer.v1", "clean": clean}}}
    nlp = spacy.blank("vi", config=config)
    nlp.add_pipe("vnfacts")
    return nlp
