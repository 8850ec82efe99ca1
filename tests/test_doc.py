"""The Doc: sentences, and word tokens made per sentence only when an extractor asks."""
from __future__ import annotations

from dataclasses import asdict

from extractors import kinds
from gazetteer import load_gazetteer
from extractors.text.doc import make_doc
from pipeline.core.orchestration import extract_facts, prepare_text
from tests.conftest import CORPUS

GAZ = load_gazetteer()


def test_only_sentences_with_candidates_are_tokenised():
    doc = make_doc("Trời hôm nay rất đẹp và mát mẻ.\nBí thư Tỉnh ủy Giàng A Tông dự hội nghị với 120 đại biểu.")
    assert doc.crf_sentences == 0
    facts = extract_facts(doc, GAZ)
    assert [p.name for p in facts["people"]] == ["Giàng A Tông"]
    assert doc.crf_sentences == 1  # the first sentence holds no name and no number
    assert doc.tokenized_sentences == 0  # the second was asked about through CRF windows only
    assert [t.text for t in doc.sentence_tokens(0)][:2] == ["Trời", "hôm nay"]
    assert doc.tokenized_sentences == 1 and doc.crf_sentences == 2


def test_token_lookups_agree_with_the_full_token_list():
    doc = make_doc("Phó Chủ tịch UBND tỉnh Lê Văn Hòa thăm Trường THPT Nông nghiệp. Ông cho biết 62 xã đã về đích.")
    tokens = doc.tokens
    fresh = make_doc(doc.text)
    for tok in tokens:
        assert fresh.token_at(tok.start) == tok
        assert fresh.token_covering(tok.end - 1) == tok
        if " " in tok.text:
            assert fresh.inside_word(tok.start + tok.text.index(" ") + 1)
        assert not fresh.inside_word(tok.start)
    assert fresh.token_at(tokens[0].start + 1) is None
    assert fresh.token_before(tokens[1].start) == tokens[0]


def test_lazy_and_eager_tokenisation_give_the_same_facts():
    for path in sorted(CORPUS.glob("*.txt")):
        _, lazy = prepare_text(path.read_text(encoding="utf-8"), path.name, GAZ)
        _, eager = prepare_text(path.read_text(encoding="utf-8"), path.name, GAZ)
        eager.tokens  # every sentence segmented before any extractor runs
        a, b = extract_facts(lazy, GAZ), extract_facts(eager, GAZ)
        for kind in kinds():
            assert [asdict(f) for f in a[kind.name]] == [asdict(f) for f in b[kind.name]], (path.name, kind.name)
        assert lazy.crf_sentences < len(lazy.sentences)


def test_window_answers_equal_whole_sentence_answers():
    """Every lookup answered from a CRF window is the token `word_tokenize` makes on the whole sentence."""
    text = ("Đầu năm 2020, Châu Tấn được mời tham gia trong bữa tiệc gia đình của Đậu Tĩnh Đồng cùng mẹ ruột "
            "- Vương Phi và cha dượng - Lý Á Bằng. Giải quyết 7.456 đơn thư khiếu nại, tố cáo của công dân.")
    whole = make_doc(text)
    tokens = whole.tokens
    for tok in tokens:
        fresh = make_doc(text)
        assert fresh.token_covering(tok.end - 1) == tok
        assert fresh.tokenized_sentences == 0  # answered by a window
    assert "Đồng cùng" in [t.text for t in tokens] and "tố cáo" in [t.text for t in tokens]


def test_an_academic_title_before_a_name_ends_no_sentence():
    text = ("PGS.TS. Hoàng Minh Sơn đã trao quyết định công nhận PGS.TS. Huỳnh Văn Chương giữ chức vụ Chủ tịch. "
            "Hội nghị bế mạc lúc 11 giờ. TS. Lê Văn Hùng phát biểu.")
    doc = make_doc(text)
    assert [doc.text[s.start:s.end] for s in doc.sentences] == [
        "PGS.TS. Hoàng Minh Sơn đã trao quyết định công nhận PGS.TS. Huỳnh Văn Chương giữ chức vụ Chủ tịch.",
        "Hội nghị bế mạc lúc 11 giờ.", "TS. Lê Văn Hùng phát biểu."]


def test_the_token_before_a_sentence_start_comes_from_the_previous_sentence_window():
    """`đảo Cù Lao Chàm` asks what precedes a name; a name opening a sentence asks the previous one."""
    text = "Đoàn công tác thăm đảo Lý Sơn. Nguyễn Văn An dự lễ khánh thành nhà văn hóa."
    whole = make_doc(text)
    expected = whole.sentence_tokens(0)[-1]
    start = whole.sentences[1].start
    fresh = make_doc(text)
    assert fresh.token_before(start) == expected and expected.text == "."
    assert fresh.token_before(text.index("Lý Sơn")).text == "đảo"
    assert fresh.tokenized_sentences == 0  # both answered by windows, no sentence segmented whole
