"""`pipeline.load()`: the same facts as the CLI, as spaCy spans, entities and `doc._.facts`."""
from __future__ import annotations

import ast
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
import spacy

import pipeline
from extractors import kinds
from pipeline.core.orchestration import process_text
from extractors.registry import labels
from pipeline.interfaces.spacy_component import SPANS_KEY, load
from tests.conftest import CORPUS, ROOT

MAI = CORPUS / "000_635af670fab18767.txt"
ONE_LINER = ("import pipeline; nlp = pipeline.load(); print([(s.text, s.label_) for s in "
             "nlp(open('corpus/000_635af670fab18767.txt').read()).spans['facts']][:10])")


@pytest.fixture(scope="module")
def nlp():
    return pipeline.load()


@pytest.fixture(scope="module")
def raw_nlp():
    return load(clean=False)


@pytest.fixture(scope="module")
def mai(nlp):
    return nlp(MAI.read_text(encoding="utf-8"))


@pytest.mark.slow
def test_the_issue_one_liner_prints_real_facts():
    out = subprocess.run([sys.executable, "-c", ONE_LINER], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    spans = ast.literal_eval(out.stdout.strip().splitlines()[-1])  # the printed list of (text, label)
    assert len(spans) == 10
    assert ("Trưởng Ban Dân vận Trung ương", "TITLE") in spans
    assert ("Trương Thị Mai", "PERSON") in spans


def test_doc_is_the_cleaned_article_with_underthesea_tokens(mai):
    article, pdoc, _ = process_text(MAI.read_text(encoding="utf-8"))
    assert mai.text == article.text
    assert [t.text for t in mai if not t.is_space] == [t.text for t in pdoc.tokens]
    assert "Trương Thị Mai" in [t.text for t in mai]
    assert mai._.article["published"] == "2024-05-25" and mai._.article["author"] == "Thành Phan"
    assert len(list(mai.sents)) == len(pdoc.sentences)


def test_spans_are_the_cli_facts(mai):
    _, _, facts = process_text(MAI.read_text(encoding="utf-8"))
    assert set(mai._.facts) == {k.name for k in kinds()}
    for kind in kinds():
        assert mai._.facts[kind.name] == [kind.to_json(f) for f in facts[kind.name]]
    spans = mai.spans[SPANS_KEY]
    assert {s.label_ for s in spans} <= set(labels())
    by_label = {label: {s.text for s in spans if s.label_ == label} for label in labels()}
    assert {f.text for f in facts["documents"]} <= by_label["DOCUMENT"]
    assert {f.text for f in facts["indicators"]} <= by_label["INDICATOR"]
    assert {"Kết luận 120-KL/TW", "Chỉ thị 30-CT/TW"} <= by_label["DOCUMENT"]
    assert "6.218 buổi" in {s.text[:10] for s in spans if s.label_ == "INDICATOR"}
    assert {"Trương Thị Mai", "Giàng Páo Mỷ", "Lê Văn Lương"} <= by_label["PERSON"]
    assert "Bí thư Tỉnh ủy Lai Châu" in by_label["TITLE"]


def test_ents_do_not_overlap(mai):
    ents = list(mai.ents)
    assert ents and all(a.end <= b.start for a, b in zip(ents, ents[1:]))
    assert {e.label_ for e in ents} <= set(labels())


def test_pipe_gives_the_same_docs(nlp):
    texts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))[:3]]
    piped = list(nlp.pipe(texts))
    assert len(piped) == 3
    for text, doc in zip(texts, piped):
        single = nlp(text)
        assert doc.text == single.text
        assert [(s.start_char, s.end_char, s.label_) for s in doc.spans[SPANS_KEY]] == \
               [(s.start_char, s.end_char, s.label_) for s in single.spans[SPANS_KEY]]
    assert all(len(d.spans[SPANS_KEY]) for d in piped)


def test_doc_serialises_and_pipeline_round_trips(nlp, mai, tmp_path):
    restored = spacy.tokens.Doc(nlp.vocab).from_bytes(mai.to_bytes())
    assert [(s.text, s.label_) for s in restored.spans[SPANS_KEY]] == [(s.text, s.label_) for s in mai.spans[SPANS_KEY]]
    nlp.to_disk(tmp_path / "vnfacts_nlp")
    again = spacy.load(tmp_path / "vnfacts_nlp")
    assert again.pipe_names == ["vnfacts"]
    doc = again(MAI.read_text(encoding="utf-8"))
    assert [(s.text, s.label_) for s in doc.spans[SPANS_KEY]] == [(s.text, s.label_) for s in mai.spans[SPANS_KEY]]


@pytest.mark.parametrize("text", ["", "   \n\n  ", "Sáng 21-12, đồng chí  Lê Văn Lương\tphát biểu.\n\n\nHết."])
def test_odd_whitespace_keeps_every_character(nlp, text):
    doc = nlp(text)
    assert doc.text == process_text(text)[0].text


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyÁàảãạ TỉnhủyLaiChâu0123456789.,;:-/()\n\t\u00a0", max_size=120))
def test_uncleaned_tokenizer_covers_any_text(raw_nlp, text):
    doc = raw_nlp.make_doc(text)
    assert doc.text == text
