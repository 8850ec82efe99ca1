"""The dictionary's word boundaries agree with underthesea's CRF wherever the dictionary claims certainty."""
from pathlib import Path

import pytest

from extractors.text import boundaries
from extractors.text.doc import Doc
from gazetteer import load_gazetteer
from pipeline.core.ingest import decode
from pipeline.core.orchestration import process_text

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEEDS = sorted((SHARED / "corpus" / "seeds").glob("*.txt"))
UNC_DEV = [SHARED / "corpus" / "unc" / f"{p.stem}.txt" for p in sorted((SHARED / "gold" / "unc-dev").glob("*.json"))]


def test_pairs():
    assert boundaries.pair_splits("người", "của")
    assert not boundaries.pair_splits("Đồng", "cùng")  # `Đậu Tĩnh Đồng cùng mẹ`: glued by the CRF
    assert not boundaries.pair_splits("nông", "dân")  # a dictionary word
    assert not boundaries.pair_splits("Ủy", "ban")  # `uỷ ban` in the dictionary, tone marks normalised
    assert not boundaries.pair_splits("Doan", "trao")  # a name: the CRF glues unknown names to the next word
    assert boundaries.splits("5 lượt của", 7, 0, 10)
    assert boundaries.splits("Hà Nội, và", 6, 0, 10)  # a comma after a word
    assert not boundaries.splits("Hà Nội", 2, 0, 6)


@pytest.mark.slow
@pytest.mark.skipif(not SEEDS, reason="shared corpus not available")
def test_dictionary_agrees_with_crf_at_every_question(monkeypatch):
    """Every offset the extractors settled by the dictionary (seeds + unc-dev) is a CRF boundary too."""
    original = Doc.__init__

    def recording(self, *args, **kwargs):
        original(self, *args, **kwargs)
        self.claims = []

    monkeypatch.setattr(Doc, "__init__", recording)
    gaz = load_gazetteer()
    claims, disagree = 0, []
    for path in SEEDS + UNC_DEV:
        _, doc, _ = process_text(decode(path.read_bytes()).text, path.name, gaz)
        inside = {p for tok in Doc(doc.text, doc.sentences).tokens for p in range(tok.start + 1, tok.end)}
        for offset in set(doc.claims):
            claims += 1
            text = doc.text
            gap = offset if offset < len(text) and text[offset] == " " else (offset - 1 if text[offset - 1] == " " else offset)
            if gap in inside:
                disagree.append((path.name, text[max(0, offset - 30):offset + 30]))
    assert claims > 50
    assert disagree == []


@pytest.mark.slow
@pytest.mark.skipif(not SEEDS, reason="shared corpus not available")
def test_dictionary_agrees_with_crf_at_every_candidate_position():
    """Not only where the extractors asked: at every syllable start after a space and every syllable end
    before a space or closing mark of every sentence (seeds + unc-dev), a boundary the dictionary claims
    is one in underthesea's whole-sentence segmentation."""
    gaz = load_gazetteer()
    candidates = claimed = 0
    disagree = []
    for path in SEEDS + UNC_DEV:
        _, doc, _ = process_text(decode(path.read_bytes()).text, path.name, gaz)
        text = doc.text
        fresh = Doc(text, doc.sentences)  # nothing segmented yet: `splits` answers for every sentence
        inside = {p for tok in fresh.tokens for p in range(tok.start + 1, tok.end)}
        for s in doc.sentences:
            for i in range(s.start + 1, s.end):
                if text[i] == " " and text[i - 1] != " ":
                    offsets = (i, i + 1)  # the end of the syllable before the space, the start of the one after
                elif text[i] in boundaries.CLOSING_MARKS and text[i - 1].isalpha():
                    offsets = (i,)
                else:
                    continue
                for offset in offsets:
                    candidates += 1
                    if not fresh.splits(offset):
                        continue
                    claimed += 1
                    gap = offset if text[offset] == " " else (offset - 1 if text[offset - 1] == " " else offset)
                    if gap in inside:
                        disagree.append((path.name, offset, text[max(0, offset - 30):offset + 30]))
    assert candidates > 20000 and claimed > 2000  # 28,537 and 3,550 on 2026-12-03
    assert disagree == []
