"""The vnfacts pipeline as a spaCy `Language`: `nlp = pipeline.load(); doc = nlp(article_text)`.

- Tokenizer `vnfacts.Tokenizer.v1`: cleans the article (header, byline and
  boilerplate removal, `pipeline.core.orchestration.prepare_text`) and uses the
  underthesea words as spaCy tokens (`Trương Thị Mai` is one token). So
  **`doc.text` is the cleaned article text, not the input**: every offset, here
  and in the database, points into it. The header's metadata is in
  `doc._.article` (title, published, author, url).
- Component `vnfacts`: runs the extractors (`orchestration.extract_facts`, the
  same core as `vnfacts run`) and sets `doc.spans["facts"]` (PERSON, TITLE,
  DOCUMENT, DATE, INDICATOR; overlapping), `doc.ents` (the longest
  non-overlapping ones) and `doc._.facts` (per kind, the JSONL export dicts).
  Over a Doc made by another tokenizer it extracts from `doc.text` uncleaned.
"""
from __future__ import annotations

import logging
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc as SpacyDoc
from spacy.util import filter_spans

from extractors import EXTRACTORS
from extractors.text.doc import Doc as PipelineDoc
from extractors.text.doc import make_doc
from pipeline.core.orchestration import extract_facts, prepare_text

log = logging.getLogger(__name__)

SPANS_KEY = "facts"
LABELS = ("PERSON", "TITLE", "DOCUMENT", "DATE", "INDICATOR")
LABEL_COLORS = {"PERSON": "#aa9cfc", "TITLE": "#7aecec", "DOCUMENT": "#feca74", "DATE": "#bfe1d9",
                "INDICATOR": "#ff9561"}  # displaCy colours, also used by the review page
KIND_LABEL = {"people": "PERSON", "documents": "DOCUMENT", "dates": "DATE", "indicators": "INDICATOR"}
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


def _offsets(item) -> tuple[int, int] | None:
    """(start, end) of a title or mention given as an object, a dict or a pair; None without offsets."""
    if isinstance(item, (list, tuple)) and len(item) == 2 and all(isinstance(x, int) for x in item):
        return item[0], item[1]
    get = item.get if isinstance(item, dict) else (lambda key: getattr(item, key, None))
    start, end = get("start"), get("end")
    return (start, end) if isinstance(start, int) and isinstance(end, int) and end > start else None


def fact_spans(kind: str, start: int, end: int, data: dict, fact=None) -> list[tuple[int, int, str]]:
    """(start, end, label) of one fact: a person gives its name, its other mentions and its titles.

    Titles and mentions come from the fact object when given (the component), else from its JSON
    (the review page): [start, end] pairs under a key starting with `mention` (`mention_spans`), titles
    as items with `start`/`end` under any key naming titles (`title_details`, ...).

    Example: `fact_spans("dates", 10, 20, {})` == `[(10, 20, "DATE")]`
    """
    out = [(start, end, KIND_LABEL[kind])]
    if kind != "people":
        return out
    if fact is not None:
        mentions, title_lists = getattr(fact, "mentions", ()), [getattr(fact, "titles", ())]
    else:
        mentions = [m for k, v in data.items() if k.startswith("mention") and isinstance(v, list) for m in v]
        title_lists = [v for k, v in data.items() if "title" in k and isinstance(v, list)]
    for item in mentions:
        span = _offsets(item)
        if span and span != (start, end):
            out.append((*span, "PERSON"))
    for titles in title_lists:
        for item in titles:
            span = None if isinstance(item, str) else _offsets(item)
            if span:
                out.append((*span, "TITLE"))
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
        for module in EXTRACTORS:
            facts[module.KIND] = []
            for fact in found.get(module.KIND, []):
                data = module.to_json(fact)
                facts[module.KIND].append(data)
                for start, end, label in fact_spans(module.KIND, fact.start, fact.end, data, fact):
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
