"""People and titles: unit forms, merging, offsets, and the scorer's figures on the gold sets as a floor."""
from __future__ import annotations

from pathlib import Path

import pytest

from extractors import people
from extractors.names import ends_with_word, is_foreign
from extractors.people import _group_names, _is_alias
from extractors.titles import find_roles, strong_cue_ends, title_data
from gazetteer import load_gazetteer
from pipeline.core.cleaning import clean
from extractors.text.doc import make_doc
from pipeline.core.ingest import decode
from tests.conftest import CORPUS, SHARED, score_export


def _people(text: str, published: str | None = None) -> dict[str, list[str]]:
    doc = make_doc(text, meta={"published": published})
    return {p.name: [t.text for t in p.titles] for p in people.extract(doc, load_gazetteer())}


@pytest.mark.parametrize("text,name,titles", [
    ("Nga gửi thông điệp đến chính quyền Tổng thống Mỹ Joe Biden về vấn đề này.",
     "Joe Biden", ["Tổng thống Mỹ"]),  # `quyền` of `chính quyền` is not `acting`
    ("Thực hiện chỉ đạo của Thủ tướng Chính phủ, GS.TS Hà Văn Phúc, Bộ trưởng Bộ Y tế đã làm việc.",
     "Hà Văn Phúc", ["GS.TS", "Bộ trưởng Bộ Y tế"]),  # the Prime Minister's instruction
    ("Tại cuộc họp, báo cáo với Thủ tướng, Bộ trưởng Bộ Nội vụ Lê Minh Cường cho biết kết quả.",
     "Lê Minh Cường", ["Bộ trưởng Bộ Nội vụ"]),  # the Prime Minister is addressed, not his title
    ("TS.BS Trịnh Văn Khoa, Phó Giám đốc Trung tâm Nội soi, cho biết bệnh nhân đã ổn định.",
     "Trịnh Văn Khoa", ["TS.BS", "Phó Giám đốc Trung tâm Nội soi"]),  # one rank, not `TS` and `BS`
    ("Trưởng Ban Dân vận Trung ương Trương Văn Bảy phát biểu tại buổi làm việc.",
     "Trương Văn Bảy", ["Trưởng Ban Dân vận Trung ương"]),
    ("Đồng chí Giàng A Chu, Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy Lai Châu; Lê Văn Hòa, Phó Bí thư.",
     "Giàng A Chu", ["Ủy viên Trung ương Đảng", "Bí thư Tỉnh ủy Lai Châu"]),
    ("Đồng chí Giàng A Chu, Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy Lai Châu; Lê Văn Hòa, Phó Bí thư.",
     "Lê Văn Hòa", ["Phó Bí thư"]),
    ("Ông Bạch Văn Tùng, Phó Chủ tịch Thường trực HĐND tỉnh, cho biết như vậy.",
     "Bạch Văn Tùng", ["Phó Chủ tịch Thường trực HĐND tỉnh"]),
    ("Bà Tô Thị Hoa (sinh năm 1980), giáo viên Trường THPT Thạch Thành 1, huyện Thạch Thành.",
     "Tô Thị Hoa", ["giáo viên Trường THPT Thạch Thành 1"]),
    ("Ông Đào Văn Nam, Ủy viên Ban Chấp hành Trung ương Đảng, Bộ trưởng Bộ Lao động - Thương binh và Xã hội.",
     "Đào Văn Nam", ["Ủy viên Ban Chấp hành Trung ương Đảng", "Bộ trưởng Bộ Lao động - Thương binh và Xã hội"]),
])
def test_title_forms(text, name, titles):
    found = _people(text)
    assert name in found, found
    assert sorted(found[name]) == sorted(titles)


def test_repeated_title_forms_are_merged():
    text = ("PGS.TS Lâm Thị Hà, Bí thư Đảng ủy, được bổ nhiệm làm Chủ tịch Hội đồng trường. "
            "Chủ tịch Hội đồng trường Đại học Mở Lâm Thị Hà cho biết nhà trường sẽ đổi mới.")
    assert sorted(_people(text)["Lâm Thị Hà"]) == sorted(
        ["PGS.TS", "Bí thư Đảng ủy", "Chủ tịch Hội đồng trường Đại học Mở"])


def test_pronoun_continues_the_last_person():
    text = "Đường ven hồ mang tên Tố Hữu. Tố Hữu, Trần Văn Giàu, Lê Văn Hưu, Ngô Gia Tự là những tên đường mới. " \
           "Tố Hữu là nhà thơ nổi tiếng. Ông cũng từng giữ chức Phó Chủ tịch Hội đồng Bộ trưởng."
    assert _people(text)["Tố Hữu"] == ["Phó Chủ tịch Hội đồng Bộ trưởng"]


def test_agent_after_duoc_does_not_take_the_predicate_title():
    text = ("Năm 2012, ông Lý Văn Đạt được Chủ tịch Hồ Quang Sơn cất nhắc làm Phó Chủ tịch Hội đồng Bộ trưởng. "
            "Năm 2018, ông kế nhiệm ông Hồ Quang Sơn trở thành Chủ tịch nước.")
    found = _people(text)
    assert sorted(found["Lý Văn Đạt"]) == ["Chủ tịch nước", "Phó Chủ tịch Hội đồng Bộ trưởng"]
    assert found["Hồ Quang Sơn"] == ["Chủ tịch"]


def test_a_title_right_before_the_next_name_is_that_names():
    text = "Dự có ông Mai Văn Hưng, Phó Trưởng ban Thường trực Ban Tổ chức Tỉnh ủy Đoàn Thị Lụa và nhiều đại biểu."
    found = _people(text)
    assert found["Mai Văn Hưng"] == []
    assert found["Đoàn Thị Lụa"] == ["Phó Trưởng ban Thường trực Ban Tổ chức Tỉnh ủy"]


def test_a_relatives_occupation_is_no_title():
    assert _people("Ông Lê Văn Tú sinh ra trong một gia đình có cha mẹ là giáo viên.")["Lê Văn Tú"] == []


def test_the_title_of_a_name_before_a_dash_is_not_the_next_names():
    text = "Ngày 12/4, bà Lò Thị Hiền - Giám đốc Sở Y tế, anh Vi Văn Nam - Phó Bí thư Tỉnh Đoàn đã gặp mặt các em."
    found = _people(text)
    assert found["Vi Văn Nam"] == ["Phó Bí thư Tỉnh Đoàn"]
    assert found["Lò Thị Hiền"] == ["Giám đốc Sở Y tế"]


def test_one_title_per_office_across_abbreviations():
    text = ("Sáng nay, PGS.TS Vi Hải Lâm, Giám đốc ĐH Quốc gia TPHCM hứa sẽ hoàn thành nhiệm vụ. "
            "Thủ tướng bổ nhiệm PGS. TS Vi Hải Lâm giữ chức Giám đốc ĐHQG TP.HCM.")
    assert _people(text)["Vi Hải Lâm"] == ["PGS.TS", "Giám đốc ĐH Quốc gia TPHCM"]


def test_spelled_out_and_abbreviated_ministries_are_one_title():
    text = ("Sáng nay, ông Tô Văn Hùng - Giám đốc Sở TN & MT TP Đà Nẵng phát biểu. "
            "Trả lời về vấn đề này, ông Tô Văn Hùng - Giám đốc Sở Tài nguyên & Môi trường TP chia sẻ.")
    assert _people(text)["Tô Văn Hùng"] == ["Giám đốc Sở TN & MT TP Đà Nẵng"]


def test_a_short_name_inside_a_word_is_no_mention():
    text = ("Bác sĩ Nguyễn Trung Cấp tốt nghiệp Đại học Y. Với vai trò là Trưởng khoa Cấp cứu, "
            "bác sĩ Cấp đã xây dựng kế hoạch.")
    assert _people(text)["Nguyễn Trung Cấp"] == ["Bác sĩ", "Trưởng khoa Cấp cứu"]


def test_no_title_from_a_count_or_a_future():
    text = ("Ông Đinh Quý Nhân đã ký quyết định tuyển dụng 8 biên chế là giáo viên. "
            "Nếu Bộ trưởng Tài chính Janet Yellen vắng mặt, bà sẽ trở thành thành viên nội các cấp cao nhất.")
    found = _people(text)
    assert found["Đinh Quý Nhân"] == []
    assert found["Janet Yellen"] == ["Bộ trưởng Tài chính"]
    text = ("Ông Đặng Hữu Lân - Bí thư Thị ủy cho biết, ông đã xem clip ghi lại người đàn ông "
            "được cho là Bí thư phường Điện Dương đánh bài.")
    assert _people(text)["Đặng Hữu Lân"] == ["Bí thư Thị ủy"]


def test_rank_abbreviation_and_full_form_are_one_title():
    text = "GS Nguyễn Văn Khuê dự hội thảo. Giáo sư Nguyễn Văn Khuê cho biết kết quả rất tốt."
    assert _people(text)["Nguyễn Văn Khuê"] == ["GS"]


def test_semicolon_after_a_predicate_list_stops_at_a_new_clause():
    text = "Ông Cao Văn Toàn là Chủ tịch Hội Nông dân tỉnh; Phó Chủ tịch Hội là ông Kha Văn Bình."
    assert _people(text)["Cao Văn Toàn"] == ["Chủ tịch Hội Nông dân tỉnh"]


def test_offsets_point_into_the_text():
    text = "Sáng 21-12, đồng chí Lê Văn Lương, Phó Bí thư Thường trực Tỉnh ủy, phát biểu."
    doc = make_doc(text)
    [person] = people.extract(doc, load_gazetteer())
    assert text[person.start:person.end] == person.text == "Lê Văn Lương"
    for title in person.titles:
        assert text[title.start:title.end] == title.text
    data = people.to_json(person)
    assert data["name"] == "Lê Văn Lương" and data["titles"] == ["Phó Bí thư Thường trực Tỉnh ủy"]
    assert data["title_details"][0]["role"] == "Phó Bí thư Thường trực"


@pytest.mark.parametrize("short,long,expected", [
    ("Thái Ly", "Nguyễn Đình Thái Ly", True),
    ("Lương Cường", "Lương Văn Cường", True),
    ("Thọ", "Phan Ngọc Thọ", True),
    ("Văn Cường", "Lê Văn Hùng", False),
    ("Bùi Thị Hương", "Phan Thị Hương", False),
])
def test_alias(short, long, expected):
    assert _is_alias(short, long) is expected


def test_ambiguous_short_reference_goes_nowhere():
    owner = _group_names(["Trịnh Xuân Hùng", "Vũ Xuân Hùng", "Hùng"])
    assert "Hùng" not in owner and owner["Vũ Xuân Hùng"] == "Vũ Xuân Hùng"


@pytest.mark.parametrize("word,expected", [
    ("Putin", True), ("Ceferin", True), ("Sergei", True), ("Shoigu", True), ("Zelensky", True),
    ("Nguyễn", False), ("Quốc", False), ("Minh", False), ("Tùngthị", False), ("T", False), ("Nghiêng", False),
])
def test_is_foreign(word, expected):
    assert is_foreign(word) is expected


def test_roles_automaton_agrees_with_the_pattern():
    td = title_data(load_gazetteer())
    for path in sorted(CORPUS.glob("*.txt")):
        text = decode(path.read_bytes()).text
        assert find_roles(text, td) == [(m.start(), m.end()) for m in td.role_re.finditer(text)], path.name


def test_cue_ends_and_place_words():
    td = title_data(load_gazetteer())
    text = "Sáng nay, ông Nguyễn Văn An và GS.TS Lê Bình dự; bông hoa"
    assert strong_cue_ends(text, td) >= {text.index("Nguyễn"), text.index("Lê Bình")}
    assert text.index("hoa") not in strong_cue_ends(text, td)  # `ông` inside `bông`
    assert ends_with_word("dân thôn Hoàng Xá", 9, frozenset({"thôn"}))
    assert not ends_with_word("ông Hoàng Xá", 4, frozenset({"thôn"}))


def test_same_foreign_name_found_everywhere_once_cued():
    text = ("Chủ tịch UEFA Alexander Ceferin phát biểu. Alexander Ceferin, Ủy viên Hội đồng FIFA, nói thêm. "
            "Ông Ceferin cảnh báo các câu lạc bộ.")
    found = _people(text)
    assert list(found) == ["Alexander Ceferin"]
    assert sorted(found["Alexander Ceferin"]) == ["Chủ tịch UEFA", "Ủy viên Hội đồng FIFA"]


def test_title_alone_is_a_mention_only_when_one_person_holds_it():
    gaz = load_gazetteer()
    one = ("Đồng chí Lò Minh Tuấn, Phó Bí thư Tỉnh ủy, dự họp. Sau đó, đồng chí Phó Bí thư Tỉnh ủy kết luận.")
    [p] = people.extract(make_doc(one), gaz)
    assert [one[a:b] for a, b in p.mentions] == ["Lò Minh Tuấn", "Phó Bí thư Tỉnh ủy"]
    two = one.replace("dự họp.", "và đồng chí Vì Văn Sơn, Phó Bí thư Tỉnh ủy, dự họp.")
    assert all(len(p.mentions) == 1 for p in people.extract(make_doc(two), gaz))


def _extract_folder(paths: list[Path]) -> list[dict]:
    gaz = load_gazetteer()
    out = []
    for path in paths:
        art = clean(decode(path.read_bytes()).text, gaz, source=path.name, meta={})
        doc = make_doc(art.text, meta={"published": art.published, "title": art.title, "source": path.name})
        out.append({"source": path.name, "title": art.title, "published": art.published, "author": art.author,
                    "people": [people.to_json(p) for p in people.extract(doc, gaz)]})
    return out


def test_seed_scores_floor(scorer):
    """The people extractor alone on corpus/ against ../shared/gold/seeds (measured 1.00 / 1.00)."""
    figures = score_export(scorer, SHARED / "gold" / "seeds", _extract_folder(sorted(CORPUS.glob("*.txt"))))
    assert figures["people"]["f1"] >= 0.95, figures["people"]
    assert figures["titles"]["f1"] >= 0.90, figures["titles"]


def test_unc_dev_scores_floor(scorer):
    """The same on ../shared/gold/unc-dev (measured 1.00 / 1.00); skipped without the shared corpus."""
    gold = SHARED / "gold" / "unc-dev"
    unc = SHARED / "corpus" / "unc"
    paths = [unc / f"{p.stem}.txt" for p in sorted(gold.glob("*.json"))]
    if not paths or not all(p.exists() for p in paths):
        pytest.skip("../shared/corpus/unc is not beside this checkout")
    figures = score_export(scorer, gold, _extract_folder(paths))
    assert figures["people"]["f1"] >= 0.90, figures["people"]
    assert figures["titles"]["f1"] >= 0.80, figures["titles"]


def test_occurrences_are_the_bounded_pattern_matches():
    """`occurrences` (str.find, no pattern compiled per name) finds what `(?<!\\p{L})name(?!\\p{L})` finds."""
    import regex

    from extractors.people import occurrences

    text = "Tố Hữu, Tố Hữuu và xTố Hữu; aaa aa (Tố Hữu) Tố Hữu"
    for word in ("Tố Hữu", "aa", "a", "Hữu", "x"):
        assert occurrences(text, word) == [m.span() for m in regex.finditer(
            rf"(?<!\p{{L}}){regex.escape(word)}(?!\p{{L}})", text)]
    assert occurrences(text, "Tố Hữu") == [(0, 6), (36, 42), (44, 50)]
