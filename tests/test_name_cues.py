"""Names a sentence shows to be people (extractors/name_cues.py): what it adds, and what it must not."""
from __future__ import annotations

import pytest

from extractors import people
from extractors.name_cues import looks_like_name
from extractors.names import name_data
from extractors.text.doc import make_doc
from gazetteer import load_gazetteer


def _names(text: str) -> set[str]:
    return {p.name for p in people.extract(make_doc(text), load_gazetteer())}


@pytest.mark.parametrize("text,name", [
    ('"Làm gì cũng bị nói", Trấn Thành chia sẻ.', "Trấn Thành"),  # the speaker of a quote
    ("Nếu như Jurgen Klopp và Pep Guardiola vẫn ở lại đây.", "Pep Guardiola"),  # beside a person
    ('Anh nói: "Trấn Thành và Vũ Ngọc Đãng đều rất giỏi".', "Trấn Thành"),
])
def test_cued_by_the_sentence(text, name):
    assert name in _names(text)


@pytest.mark.parametrize("text,name", [
    ("Giãn cách xã hội 2 thôn (Hoàng Các và Nại Khê, thuộc xã Tiên Tiến).", "Nại Khê"),  # a list of places
    ("Các nhà nghiên cứu Thụy Điển và Phần Lan đã phát hiện.", "Phần Lan"),  # a country
    ("Nghệ sĩ Hoài Linh cùng Quỹ Bảo Trợ Trẻ Em Việt Nam có mặt.", "Bảo Trợ Trẻ Em"),  # part of a body's name
    ('"Chúng tôi sẽ tiếp tục", Bộ Công Thương cho biết.', "Bộ Công Thương"),
])
def test_not_people(text, name):
    assert name not in _names(text)


def test_looks_like_name():
    nd = name_data(load_gazetteer())
    assert looks_like_name(["Pep", "Guardiola"], nd) and looks_like_name(["Trấn", "Thành"], nd)
    for words in (["Hà", "Nội"], ["Man", "City"], ["Cô", "Cô"], ["Bram", "Stoker's", "Dracula"], ["Phần", "Lan"]):
        assert not looks_like_name(words, nd), words
