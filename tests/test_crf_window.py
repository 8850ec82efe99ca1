"""The CRF window reproduces underthesea's word segmentation exactly: features, labels, window labels."""
import pytest
from underthesea import sent_tokenize, word_tokenize
from underthesea.pipeline.word_tokenize.regex_tokenize import tokenize

import underthesea.pipeline.word_tokenize as wt
from extractors.text.crf_window import B, model
from tests.conftest import CORPUS

UNC = sorted((CORPUS.parents[1] / "shared" / "corpus" / "unc").glob("*.txt"))


def _sentences(limit: int = 120):
    out = []
    for path in sorted(CORPUS.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            out += [s for s in sent_tokenize(line)] if line.strip() else []
    return out[:limit]


def test_features_labels_and_windows_equal_underthesea():
    m = model()
    word_tokenize("khởi động")
    checked = 0
    for sentence in _sentences():
        tokens = tokenize(sentence)
        if not tokens:
            continue
        assert [m.features(tokens, i) for i in range(len(tokens))] == m.featurizer.process([[[t] for t in tokens]])[0]
        tags = [B if t == "B-W" else 1 for t in wt.word_tokenize_model.predict([[t] for t in tokens])]
        assert m.decode(m.scores(tokens, 0, len(tokens)), None, None) == tags
        for k in range(0, len(tokens), 3):
            assert m.labels(tokens, k, min(len(tokens), k + 2), margin=1) == tags[k:k + 2]
            checked += 1
    assert checked > 200


def test_interior_scores_are_the_generic_scores_to_the_last_bit():
    """`_interior_score` (the 43 templates unrolled) gives the very floats of the template-by-template loop."""
    m = model()
    assert m._interior is not None  # underthesea's template set: the fast path is in use
    compared = 0
    for sentence in _sentences(150):
        tokens = tokenize(sentence)
        lower = dict(enumerate(t.lower() for t in tokens))
        for i in range(2, len(tokens) - 2):
            assert m._interior_score(tokens, lower, i) == m._score(tokens, lower, i)
            compared += 1
    assert compared > 1500


def _same_window(sentence):
    from extractors.text.crf_window import SentenceWindow

    run, whole = SentenceWindow.of(sentence), SentenceWindow._whole(sentence)
    assert (run is None) == (whole is None), sentence
    if run is not None:
        assert (run.tokens, run.starts, run.ends) == (whole.tokens, whole.starts, whole.ends), sentence
    return run


def test_windows_read_run_by_run_are_the_sentence_read_whole():
    """`SentenceWindow.of` (tokens found per run of non-space characters, cached) gives the tokens, offsets
    and refusals of the patterns run over the whole sentence, also where `Th.S` reads a token across a space."""
    windows = [_same_window(s) for s in _sentences(1000)]
    assert sum(w is not None for w in windows) > 200
    across = _same_window("Ông Th Sơn, ThS. Lê A và Th Sang dự.")
    assert "Th S" in across.tokens  # underthesea's own token across the space
    assert _same_window("Đơn vị   cách xa") is not None and _same_window("Đơn vị    cách xa") is None  # 4 spaces
    for odd in ("TP. Hồ Chí Minh", "Đ/c H'Mông, N’Thôn", "email: a@b.vn http://x.vn/a(b) :D Đ.", "1.600m-2.000m 4K 43H-0530",
                "Th", "Th\u00a0S", "A.  Th\tS", "kết thúc Đ.", "Đ. ", " Đ. x", "v.v... =>", "Hoà Thuỷ"):
        _same_window(odd)


@pytest.mark.slow
@pytest.mark.skipif(not UNC, reason="shared corpus not available")
def test_windows_read_run_by_run_on_every_unc_sentence():
    checked = 0
    for path in UNC:
        for line in path.read_text(encoding="utf-8").splitlines():
            for sentence in sent_tokenize(line) if line.strip() else []:
                checked += _same_window(sentence) is not None
    assert checked > 50000
