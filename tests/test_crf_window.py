"""The CRF window reproduces underthesea's word segmentation exactly: features, labels, window labels."""
from underthesea import sent_tokenize, word_tokenize
from underthesea.pipeline.word_tokenize.regex_tokenize import tokenize

import underthesea.pipeline.word_tokenize as wt
from extractors.text.crf_window import B, model
from tests.conftest import CORPUS


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
