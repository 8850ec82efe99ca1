"""Our sentence splitter gives underthesea's `sent_tokenize` answer on every paragraph."""
import pytest
from underthesea import sent_tokenize as underthesea_split

from extractors.text.sentsplit import sent_tokenize
from pipeline.core.ingest import decode, find_files, read_bytes
from tests.conftest import CORPUS, UNC, need_shared

ODD = ["...", "a...b", "Hà Nội... Tiếp theo", "x?! y", "Giá 1.500.000 đồng. Tiếp", "PGS.TS. Lan nói.", "e.g. this",
       "..", " . . . ", "A.. B", "Ông A... ", "T.Ư. Đảng", "Hết!!! Rồi? Xong.", "TP. HCM", "3. Kết luận", "\t"]


def _paragraphs(paths):
    for path in paths:
        for line in decode(read_bytes(path)).text.split("\n"):
            if line.strip():
                yield line


def test_the_same_sentences_as_underthesea_on_the_sample_corpus_and_odd_dots():
    lines = list(_paragraphs(sorted(CORPUS.glob("*.txt")))) + ODD
    assert len(lines) > 100
    assert [sent_tokenize(x) for x in lines] == [underthesea_split(x) for x in lines]
    assert sent_tokenize("Xin chào. Tôi là TS. Lan... Hết") == ["Xin chào.", "Tôi là TS. Lan...", "Hết"]


@pytest.mark.slow
def test_the_same_sentences_as_underthesea_on_every_unc_paragraph():
    need_shared("the unc paragraphs")
    lines = list(_paragraphs(find_files([str(UNC)])))
    assert len(lines) > 50000
    assert [x for x in lines if sent_tokenize(x) != underthesea_split(x)] == []
