"""Property tests: arbitrary text and bytes through ingest, cleaning, make_doc and every extractor.

No exception escapes `process_article` (errors are returned, and never as an
internal or extractor error), and every fact, nested title and mention lies
inside the text and quotes it exactly. Generic over `extractors.kinds()`.
Bounded: VNFACTS_FUZZ_EXAMPLES examples per property (default 150); fixed
seeds when CI is set.
"""
from __future__ import annotations

import dataclasses
import os
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractors import kinds
from pipeline.core import legacy_vn
from pipeline.core.ingest import IngestError, decode
from pipeline.core.orchestration import process_article, process_text

pytestmark = pytest.mark.slow  # every property runs VNFACTS_FUZZ_EXAMPLES examples: a long test
FUZZ = settings(max_examples=int(os.environ.get("VNFACTS_FUZZ_EXAMPLES", "150")), deadline=None, database=None,
                derandomize=bool(os.environ.get("CI")),
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

LETTERS = ("aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ"
           "AÁÀĂÂĐÊÔƠƯBCDGHKLMNPQTVX")
ALPHABET = LETTERS + "0123456789/.-,:;()% \n"
WORDS = [
    "Nghị quyết số", "Quyết định số", "Kết luận số", "Chỉ thị số", "Thông báo số", "ngày", "tháng", "năm", "quý",
    "Bí thư", "Phó Bí thư", "Chủ tịch", "Phó Chủ tịch", "UBND", "HĐND", "Tỉnh ủy", "Huyện ủy", "tỉnh", "Lai Châu",
    "Quảng Ninh", "Trung ương", "Bộ Chính trị", "đồng chí", "ông", "bà", "Nguyễn Văn Hùng", "Lê Thị Hoa",
    "Trần Đức", "nguyên", "Ủy viên", "Ban Thường vụ", "khóa XIII", "nhiệm kỳ 2020 - 2025", "giai đoạn 2021-2025",
    "6 tháng đầu năm", "từ ngày", "đến ngày", "trên", "khoảng", "gần", "đạt", "tăng", "tỷ đồng", "triệu đồng",
    "người", "ha", "km", "%", "lượt", "buổi", "120-KL/TW", "248/QĐ-UBND", "05-NQ/TU", "số", "/", "-", ".", ",",
    ":", ";", "(", ")", "\n", "\n\n", "Sáng", "Chiều", "Thứ Bảy", "#", "Tác giả:", "Ảnh:", "Theo",
]
NUMBERS = st.one_of(
    st.integers(0, 10**7).map(lambda n: f"{n:,}".replace(",", ".")),
    st.tuples(st.integers(0, 999), st.integers(0, 99)).map(lambda t: f"{t[0]},{t[1]}"),
    st.tuples(st.integers(0, 40), st.integers(0, 14), st.integers(1900, 2100)).map(lambda t: f"{t[0]}/{t[1]}/{t[2]}"),
    st.tuples(st.integers(0, 40), st.integers(0, 14)).map(lambda t: f"{t[0]}-{t[1]}"),
)
TOKENS = st.one_of(st.sampled_from(WORDS), NUMBERS, st.text(ALPHABET, min_size=1, max_size=8))
LINES = st.lists(st.lists(TOKENS, min_size=1, max_size=30).map(" ".join), min_size=2, max_size=12)
VIETNAMESE_TEXT = st.one_of(
    LINES.map("\n".join),  # an article: title line, then sentences
    LINES.map("\n".join),
    st.lists(TOKENS, min_size=5, max_size=40).map("".join),  # words glued to numbers and punctuation
    st.text(ALPHABET, max_size=300),
    st.text(max_size=200),  # anything at all
)
ENCODINGS = ["utf-8", "utf-16", "utf-16-le", "cp1258", "TCVN3", "VNI", "mojibake"]


def encoded(text: str, encoding: str) -> bytes:
    if encoding in ("cp1258", "TCVN3", "VNI"):
        return legacy_vn.encode(text, encoding)
    if encoding == "mojibake":
        return text.encode("utf-8").decode("cp1252", errors="vnfacts-latin1").encode("utf-8")
    return text.encode(encoding, errors="replace")


def spans(fact, path: str = "fact"):
    """(where, start, end, text) of a fact and of every span nested in it (titles), plus mention pairs."""
    if dataclasses.is_dataclass(fact):
        names = {f.name for f in dataclasses.fields(fact)}
        if {"start", "end", "text"} <= names:
            yield path, fact.start, fact.end, fact.text
        for name in names - {"start", "end", "text"}:
            yield from spans(getattr(fact, name), f"{path}.{name}")
    elif isinstance(fact, (tuple, list)):
        if len(fact) == 2 and all(type(x) is int for x in fact):
            yield path, fact[0], fact[1], None
        else:
            for i, item in enumerate(fact):
                yield from spans(item, f"{path}[{i}]")


def check_facts(doc, facts: dict) -> None:
    assert set(facts) == {k.name for k in kinds()}
    n = len(doc.text)
    for kind, items in facts.items():
        for fact in items:
            for where, start, end, text in spans(fact, kind):
                assert 0 <= start <= end <= n, (where, start, end, n, fact)
                if text is not None:
                    assert doc.text[start:end] == text, (where, doc.text[start:end], text)
    for s in doc.sentences:
        assert 0 <= s.start < s.end <= n


@FUZZ
@given(VIETNAMESE_TEXT)
def test_process_text_offsets(text):
    try:
        article, doc, facts = process_text(text, "fuzz.txt")
    except IngestError:  # e.g. HTML without main text: a reported failure, not a crash
        return
    assert doc.text == article.text
    check_facts(doc, facts)


@FUZZ
@given(VIETNAMESE_TEXT, st.sampled_from(ENCODINGS))
def test_process_article_never_raises(text, encoding):
    result = process_article(encoded(text, encoding), "fuzz.txt")
    if result.error:
        stage, reason = result.error
        assert stage in ("decode", "clean", "html"), result.error  # never internal, never an extractor
        assert result.article is None and result.facts == {}
    else:
        assert result.doc.text == result.article.text
        check_facts(result.doc, result.facts)


@FUZZ
@given(st.one_of(st.binary(max_size=2000),
                 st.tuples(VIETNAMESE_TEXT, st.sampled_from(ENCODINGS), st.binary(max_size=20), st.integers(0, 400))
                 .map(lambda t: encoded(t[0], t[1])[:t[3]] + t[2])))
def test_decode_bytes(raw):
    try:
        decoded = decode(raw)
    except IngestError as err:
        assert err.stage == "decode" and err.reason
        return
    assert decoded.text.strip() and unicodedata.is_normalized("NFC", decoded.text)
    result = process_article(raw, "fuzz.txt")
    assert result.error is None or result.error[0] in ("decode", "clean", "html"), result.error


@FUZZ
@given(VIETNAMESE_TEXT, st.sampled_from(["cp1258", "TCVN3", "VNI"]))
def test_legacy_round_trip(text, encoding):
    """Encoding then converting gives the text back (TCVN3: lower-cased toned capitals aside)."""
    text = unicodedata.normalize("NFC", "".join(ch for ch in text if ch in ALPHABET))
    raw = legacy_vn.encode(text, encoding)
    back = legacy_vn.convert(raw, encoding) if encoding != "cp1258" else \
        unicodedata.normalize("NFC", raw.decode("cp1258"))
    if encoding == "TCVN3":
        assert back.lower() == text.lower()
    else:
        assert back == text


@FUZZ
@given(st.lists(st.one_of(st.sampled_from(WORDS), NUMBERS), min_size=12, max_size=60).map(" ".join)
       .filter(lambda text: legacy_vn.vietnamese_score(text)[1] >= 6),
       st.sampled_from(["utf-8", "utf-16", "cp1258", "TCVN3", "VNI", "mojibake"]))
def test_real_words_decode_to_themselves(text, encoding):
    """Vietnamese words in any supported encoding decode to exactly the same text (and UTF-8 is never 'repaired').

    At least 6 accented words: a word or two can read as Vietnamese in two encodings (`Chiều` in TCVN3 is `Chỉu` in cp1258).
    """
    if not text.strip():
        return
    if encoding == "TCVN3":  # VN3 has no upper-case toned letters
        text = "".join(ch.lower() if not ch.isascii() and ch not in "ĂÂĐÊÔƠƯ" else ch for ch in text)
    decoded = decode(encoded(text, encoding))
    assert decoded.text == unicodedata.normalize("NFC", text)
    if encoding == "utf-8":
        assert decoded.repaired is None
