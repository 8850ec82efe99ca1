"""The pure per-article function: bytes and path in, cleaned article and facts out.

`process_article` does no I/O and holds no state between calls, so the same
function runs in the local worker pool and under Dask unchanged.
"""
from __future__ import annotations

import functools
import logging
import time
from dataclasses import dataclass, field
from pathlib import PurePath

from extractors import kinds
from extractors.resolve import extract_kind, link_kind, resolve
from extractors.text.lexicon import Lexicon
from gazetteer import Gazetteer, load_gazetteer
from pipeline.core.html_page import html_to_text
from pipeline.core.cleaning import Article, clean
from extractors.text.doc import Doc, make_doc
from pipeline.core.budget import ArticleTimeout, time_limit
from pipeline.core.ingest import IngestError, content_hash, decode

log = logging.getLogger(__name__)


@dataclass(slots=True)
class ArticleFacts:
    """Everything one article yields; `error` set (and nothing else) when it failed."""
    source: str
    path: str
    hash: str
    article: Article | None = None
    doc: Doc | None = None
    facts: dict[str, list] = field(default_factory=dict)
    encoding: str | None = None
    repaired: str | None = None
    timings: dict[str, float] = field(default_factory=dict)
    error: tuple[str, str] | None = None  # (stage, reason)


def looks_like_html(text: str, source: str) -> bool:
    if PurePath(source).suffix.lower() in (".html", ".htm"):
        return True
    head = text[:2000].lower()
    return "<html" in head or "<!doctype html" in head or ("<body" in head and "</" in text[:20000])


def prepare_text(text: str, source: str = "", gaz: Gazetteer | None = None,
                 timings: dict | None = None) -> tuple[Article, Doc]:
    """Clean and tokenise already-decoded text (the first half of `process_text`).

    Example: `prepare_text(open("corpus/000_635af670fab18767.txt").read())[1].tokens[0].text`
    """
    gaz = gaz or load_gazetteer()
    timings = timings if timings is not None else {}
    t = time.perf_counter()
    meta = {}
    if looks_like_html(text, source):
        text, meta = html_to_text(text, source, gaz)
    article = clean(text, gaz, source=source, meta=meta)
    if meta.get("author") and not article.author:
        article.author = meta["author"]  # a visible byline wins (html_to_text dropped meta authors that are sites)
    timings["clean"] = time.perf_counter() - t
    doc = make_doc(article.text, meta={"published": article.published, "title": article.title,
                                       "source": source, "url": article.url}, timings=timings)
    return article, doc


def extract_facts(doc: Doc, gaz: Gazetteer | None = None, source: str = "",
                  timings: dict | None = None) -> dict[str, list]:
    """Every kind's facts of a tokenised article (the second half of `process_text`), in two phases:
    each kind extracts on its own, then the resolver settles overlaps and the link steps run
    (`extractors.resolve`). A kind's time covers its extraction and its link step.

    Example: `extract_facts(prepare_text(text)[1])["documents"]`
    """
    lexicon = Lexicon.of(gaz or load_gazetteer())
    timings = timings if timings is not None else {}
    registered, spent = kinds(), {}
    raw: dict[str, list] = {}
    for kind in registered:
        raw[kind.name] = _timed(kind, spent, doc, source, extract_kind, kind, doc, lexicon)
    found = resolve(raw)
    for kind in registered:
        if kind.link is not None:
            found[kind.name] = _timed(kind, spent, doc, source, link_kind, kind, found[kind.name], doc, lexicon, found)
    timings.update(spent)
    timings["tokenize"] = doc.tokenize_seconds
    return found


def _timed(kind, timings: dict, doc: Doc, source: str, step, *args) -> list:
    """`step(*args)` for one kind, its time added to `timings[kind.name]` (word segmentation it asked
    for counts as "tokenize"); an exception becomes the article's `IngestError` (the batch goes on)."""
    t, tokenized = time.perf_counter(), doc.tokenize_seconds
    try:
        facts = step(*args)
    except Exception as err:  # one broken rule must not lose the batch
        log.warning("extractor %s failed on %s: %s: %s", kind.name, source, type(err).__name__, err)
        log.debug("traceback", exc_info=True)
        raise IngestError(f"extract:{kind.name}", f"{type(err).__name__}: {err}") from err
    timings[kind.name] = timings.get(kind.name, 0.0) + time.perf_counter() - t - (doc.tokenize_seconds - tokenized)
    return facts


def process_text(text: str, source: str = "", gaz: Gazetteer | None = None,
                 timings: dict | None = None) -> tuple[Article, Doc, dict[str, list]]:
    """Clean, tokenise and extract from already-decoded text.

    Example: `process_text(open("corpus/000_635af670fab18767.txt").read())[2]["people"]`
    """
    gaz = gaz or load_gazetteer()
    timings = timings if timings is not None else {}
    article, doc = prepare_text(text, source, gaz, timings)
    return article, doc, extract_facts(doc, gaz, source, timings)


# one short article that touches every kind (and a sentence decoded whole): `warm_up` runs it
WARM_UP_TEXT = ("Sáng ngày 29/8/2023, đồng chí Giàng Páo Mỷ, Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy Lai Châu, chủ trì "
                "hội nghị quán triệt Kết luận số 120-KL/TW. Năm 2023, tỉnh tổ chức 6.218 buổi tiếp xúc cử tri, đạt 41,35% "
                "kế hoạch, trên 2.000 tỷ đồng. Ông Nguyễn Văn An được bổ nhiệm giữ chức Phó Chủ tịch UBND tỉnh theo "
                "Quyết định số 248/QĐ-UBND giai đoạn 2017 - 2021.")


@functools.cache
def warm_up(gaz: Gazetteer | None = None) -> None:
    """Load, once per process, all an article can need: the gazetteer and its compiled rules, both word
    segmentation models (the CRF window's and underthesea's own, for a sentence decoded whole). A worker
    warmed so starts at the memory it keeps: nothing loads in the middle of a run. Called again (a worker
    forked from a warm run), it does nothing."""
    from underthesea import word_tokenize

    process_text(WARM_UP_TEXT, "warm-up.txt", gaz)
    word_tokenize(WARM_UP_TEXT)


def process_article(raw: bytes, source: str, path: str = "", gaz: Gazetteer | None = None,
                    timeout: float | None = None) -> ArticleFacts:
    """The whole per-article pipeline on one file's bytes; never raises.

    An article still running after `timeout` seconds is stopped and fails with stage `timeout`.
    Example: `process_article(Path(p).read_bytes(), Path(p).name).facts["documents"]`
    """
    result = ArticleFacts(source=source, path=path or source, hash=content_hash(raw))
    t0 = time.perf_counter()
    try:
        with time_limit(timeout):
            decoded = decode(raw)
            result.encoding, result.repaired = decoded.encoding, decoded.repaired
            result.timings["decode"] = time.perf_counter() - t0
            result.article, result.doc, result.facts = process_text(decoded.text, source, gaz, result.timings)
        if not result.article.text.strip():
            raise IngestError("clean", "no article text left after removing boilerplate")
    except ArticleTimeout:
        result.error = ("timeout", f"stopped after {timeout:g} s, the time budget per article "
                                   f"({len(raw) / 1e6:.1f} MB; see --article-timeout)")
        result.article, result.doc, result.facts = None, None, {}
    except IngestError as err:
        result.error = (err.stage, err.reason)
        result.article, result.doc, result.facts = None, None, {}
    except Exception as err:  # a bug: recorded per file, the batch goes on
        log.exception("unexpected error on %s", source)
        result.error = ("internal", f"{type(err).__name__}: {err}")
        result.article, result.doc, result.facts = None, None, {}
    return result
