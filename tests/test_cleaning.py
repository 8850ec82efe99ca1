"""Cleaning: header lines, bylines and boilerplate, on the seeds and on small hand-made pages."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from gazetteer import ROOT, load_gazetteer
from pipeline.core.cleaning import clean, load_rules, parse_byline, parse_date_line
from extractors.text.textnorm import fold, normalize_text

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
GAZ = load_gazetteer()
RULES = load_rules(GAZ)
EXAMPLES = yaml.safe_load((ROOT / "boilerplate" / "default.examples.yaml").read_text(encoding="utf-8"))


BODY = ("Sáng nay, Tỉnh ủy tổ chức hội nghị tổng kết công tác năm với nhiều đại biểu tham dự.",
        "Hội nghị đã thống nhất các chỉ tiêu chủ yếu cho năm tới và giao nhiệm vụ cho các ngành.")


def _page(line: str) -> str:
    return f"Thứ Hai, 3/6/2024\nTiêu đề bài viết về hội nghị\n\n{BODY[0]}\n{line}\n{BODY[1]}\n"


@pytest.mark.parametrize("line", EXAMPLES["drop"])
def test_drop_lines(line):
    assert any(p.search(line) for p in RULES.drop)
    text = clean(_page(line), GAZ).text  # the line is gone, the body around it stays (unless it also cuts)
    cuts = any(p.search(line) for p in RULES.cut)  # (`Tổng số điểm ...`: a rating ends the article too)
    assert line.strip() not in text and BODY[0] in text and (BODY[1] in text) != cuts


@pytest.mark.parametrize("line", EXAMPLES["cut"])
def test_cut_lines(line):
    assert any(p.search(line) for p in RULES.cut)
    text = clean(_page(line), GAZ).text  # the line and what follows it are gone, the body before stays
    assert line.strip() not in text and BODY[0] in text and BODY[1] not in text


@pytest.mark.parametrize("line", EXAMPLES["keep"])
def test_keep_lines(line):
    assert not any(p.search(line) for p in RULES.cut + RULES.drop)
    page = f"Thứ Hai, 3/6/2024\nTiêu đề bài viết về hội nghị\n\n{line}\n"
    assert line in clean(page, GAZ).text


@pytest.mark.parametrize("line,expected", [
    ("Thứ Bảy, 25/5/2024", ("2024-05-25", None)),
    ("Chủ nhật - 15/05/2022 23:36 919 0", ("2022-05-15", "23:36")),
    ("Thứ ba 29/08/2023 13:49", ("2023-08-29", "13:49")),
    ("Thứ Sáu, 19/7/2019", ("2019-07-19", None)),
    ("29/08/2023", ("2023-08-29", None)),
    ("08:15 | 12/03/2021", ("2021-03-12", "08:15")),
])
def test_date_lines(line, expected):
    assert parse_date_line(line) == expected


@pytest.mark.parametrize("line", [
    "Sáng ngày 29/8/2023, tại Hội trường Tỉnh ủy, đồng chí Lê Kim Toàn chủ trì hội nghị.",
    "Lượt xem: 218",
    "Số 729-CV/BTGTU",
    "32/13/2023",
])
def test_not_date_lines(line):
    assert parse_date_line(line) is None


@pytest.mark.parametrize("line,expected", [
    ("Thành Phan", ("Thành Phan", None)),
    ("Nguyễn Chiến", ("Nguyễn Chiến", None)),
    ("Huỳnh Hải - Xuân Lương", ("Huỳnh Hải - Xuân Lương", None)),
    ("H.Long", ("H.Long", None)),
    ("TTXVN", ("TTXVN", None)),
    ("Lê Đình Lợi - Phó trưởng Ban Dân vận Tỉnh ủy", ("Lê Đình Lợi", "Phó trưởng Ban Dân vận Tỉnh ủy")),
    ("Văn Tuấn - Văn phòng Tỉnh ủy", ("Văn Tuấn", "Văn phòng Tỉnh ủy")),
    ("Minh PhươngTheo Reuters", ("Minh Phương", None)),
    ("Mi Vân (Tổng hợp)", ("Mi Vân", None)),
])
def test_bylines(line, expected):
    assert parse_byline(line, RULES) == expected


@pytest.mark.parametrize("line", [
    "Đây là câu cuối của bài viết, có dấu chấm.",
    "Theo The Sun",
    "Hội nghị kết thúc lúc 11 giờ cùng ngày",
])
def test_not_bylines(line):
    assert parse_byline(line, RULES) is None


SEEDS = {
    "000_635af670fab18767.txt": ("2024-05-25", "Thành Phan", "Đồng chí Trương Thị Mai làm việc với Ban Thường vụ"),
    "001_b7aa351ab3a008de.txt": ("2022-05-15", "Trường Giang", "Lai Châu đẩy mạnh công tác dân vận chính quyền"),
    "002_abb3aa599dd7161b.txt": ("2019-07-19", "Nguyễn Chiến", "Hội nghị đánh giá kết quả thực hiện Kết luận số 120"),
    "003_f96a9d9819cf95b7.txt": (None, "Lê Đình Lợi", "Lào Cai thực hiện tốt quy chế tiếp xúc"),
    "004_82f8aaa74c6b6a28.txt": ("2023-08-29", "Văn Tuấn", "Phó Bí thư Thường trực Tỉnh ủy chủ trì Hội nghị"),
}


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_seed_headers(name):
    published, author, title = SEEDS[name]
    art = clean((CORPUS / name).read_text(encoding="utf-8"), GAZ, name)
    assert art.published == published
    assert art.author == author
    assert art.title.startswith(title)
    assert author not in art.text.splitlines()[-1]


def test_banner_and_section_label_are_not_the_title():
    art = clean((CORPUS / "004_82f8aaa74c6b6a28.txt").read_text(encoding="utf-8"), GAZ)
    assert not art.title.startswith("CHÀO MỪNG")
    assert art.title != "Hoạt động của lãnh đạo tỉnh"
    assert "CHÀO MỪNG" not in art.text and "Hoạt động của lãnh đạo tỉnh" not in art.text


def test_sidebar_documents_never_reach_the_body():
    art = clean((CORPUS / "001_b7aa351ab3a008de.txt").read_text(encoding="utf-8"), GAZ)
    for sidebar in ("729-CV/BTGTU", "173-KH/BTGTU", "171-KH/BTGTU", "19-CT/TU", "02-TB/HĐ", "Đang truy cập",
                    "27-28/7/2020", "Văn bản mới", "Tổng số điểm"):
        assert sidebar not in art.text
    assert "248/QĐ-UBND" in art.text


def test_caption_repeated_on_two_lines_is_kept_once():
    art = clean((CORPUS / "001_b7aa351ab3a008de.txt").read_text(encoding="utf-8"), GAZ)
    caption = "Phối hợp tổ chức thành công Hội thi dân vận khéo"
    assert art.text.count(caption) == 1
    (start, end), = art.captions
    assert art.text[start:end] == caption


def test_counter_line_is_not_a_publication_date():
    art = clean((CORPUS / "003_f96a9d9819cf95b7.txt").read_text(encoding="utf-8"), GAZ)
    assert art.published is None
    assert "Lượt xem" not in art.text


def test_unc_key_value_headers():
    page = ("# doc_id = news_society_005\n# url = https://dantri.com.vn/xa-hoi/a.htm\n# date = 20201101\n"
            "Ngành tư pháp đón nhận Huân chương\nSáng 1/11, Chủ tịch Quốc hội trao Huân chương.\nQuốc Anh\n")
    art = clean(page, GAZ)
    assert art.published == "2020-11-01"
    assert art.url == "https://dantri.com.vn/xa-hoi/a.htm"
    assert art.author == "Quốc Anh"
    assert art.text.startswith("Ngành tư pháp đón nhận Huân chương")  # first line after headers is body


def test_hand_made_page_with_author_field_and_widgets():
    page = ("Tỉnh ủy tổ chức hội nghị sơ kết công tác dân vận\n\nThứ Hai - 03/06/2024 08:00\n"
            "Sáng 3/6, Tỉnh ủy tổ chức hội nghị.\n\nTác giả: Hoàng Anh\n\nTổng số điểm của bài viết là: 0\n"
            "Văn bản mới\nSố 12-NQ/TU\n")
    art = clean(page, GAZ)
    assert (art.title, art.published, art.published_time, art.author) == (
        "Tỉnh ủy tổ chức hội nghị sơ kết công tác dân vận", "2024-06-03", "08:00", "Hoàng Anh")
    assert art.text == "Sáng 3/6, Tỉnh ủy tổ chức hội nghị."


@pytest.mark.parametrize("raw,expected", [
    ("Thanh Hoá", "Thanh Hóa"), ("Uỷ ban", "Ủy ban"), ("thuỷ lợi", "thủy lợi"), ("hoàn thành", "hoàn thành"),
    ("quý II", "quý II"), ("Tỉnh\u200b ủy", "Tỉnh ủy"), ("a\u00a0\u00a0b", "a b"), ("e\u0301", "é"),
    ("mức 42,5&nbsptriệu", "mức 42,5 triệu"), ("&quot;Dân vận khéo&quot;", '"Dân vận khéo"'),
    ("Bộ GD&ĐT, LĐ-TB&XH", "Bộ GD&ĐT, LĐ-TB&XH"),
])
def test_normalize_text(raw, expected):
    assert normalize_text(raw) == expected


def test_fold_makes_tone_variants_equal():
    assert fold("Tỉnh Uỷ  Lai Châu") == fold("tỉnh ủy lai châu")


def test_generic_fallback_cuts_an_unknown_sites_link_list():
    page = ("Thứ Hai, 3/6/2024\nTỉnh ủy tổ chức hội nghị sơ kết công tác dân vận\n\n"
            "Sáng 3/6, Tỉnh ủy tổ chức hội nghị sơ kết công tác dân vận sáu tháng đầu năm với sự tham dự của các đồng chí.\n"
            "Hoàng Anh\n• Tin cùng loại một\n• Tin cùng loại hai\n• Tin cùng loại ba\nLiên hệ quảng cáo\n")
    art = clean(page, GAZ)
    assert art.author == "Hoàng Anh"
    assert "Tin cùng loại" not in art.text and "quảng cáo" not in art.text
    assert art.text.startswith("Sáng 3/6")


@pytest.mark.parametrize("line,expected", [
    ("Thứ Bảy, ngày 25 tháng 5 năm 2024", ("2024-05-25", None)),
    ("25 tháng 05, 2024 - 08:30", ("2024-05-25", "08:30")),
    ("Thứ hai, 3 tháng 6 năm 2024 10:20 (GMT+7)", ("2024-06-03", "10:20")),
    ("Hội nghị ngày 25 tháng 5 năm 2024 của Tỉnh ủy đã thống nhất nhiều nội dung quan trọng", None),
    ("Ngày 35 tháng 13 năm 2024", None),
])
def test_header_date_spelled_with_thang(line, expected):
    assert parse_date_line(line) == expected


def test_rules_are_cached_per_site_file_not_per_source():
    # a worker cleans millions of differently named files: the compiled rules must not pile up per name
    gaz = load_gazetteer()
    text = (CORPUS / "000_635af670fab18767.txt").read_text(encoding="utf-8")
    clean(text, gaz, source="a0.txt")
    before = len(gaz._derived)
    for i in range(1, 50):
        clean(text, gaz, source=f"a{i}.txt")
    assert len(gaz._derived) == before
    assert load_rules(gaz, "a1.txt") is load_rules(gaz, "a2.txt")


def test_reporter_above_agency_line_is_the_author():
    page = ("Thứ Hai, 3/5/2021\nHà Nội tăng cường phòng dịch sau kỳ nghỉ lễ\n\n"
            "Thành phố yêu cầu người dân khai báo y tế khi trở về sau kỳ nghỉ lễ.\n\nTuyết Mai\nTTXVN\n")
    art = clean(page, GAZ)
    assert art.author == "Tuyết Mai"
    assert art.text.endswith("kỳ nghỉ lễ.")
    alone = clean(page.replace("Tuyết Mai\n", ""), GAZ)
    assert alone.author == "TTXVN"


@pytest.mark.parametrize("tail,kept", [
    # a related article's lead cut at a word, glued before the link credit: not the article's
    ("Sau hơn 1 tháng triển khai Nghị định 168, lực lượng CSGT đã xử phạt hơn 36 tỉ đồng vi phạm nồng độ cồn",
     False),
    # a last sentence that ends is the article's own
    ("Báo trân trọng giới thiệu bài viết của Tổng Bí thư: TIẾN LÊN! TOÀN THẮNG ẮT VỀ TA!", True),
])
def test_teaser_before_link_credit_is_cut(tail, kept):
    page = f"Tiêu đề bài viết về hội nghị\n\n{BODY[0]} {BODY[1]} {tail} Nguồn: [Link nguồn]Nguồn: [Link nguồn]\n"
    art = clean(page, GAZ)
    assert (tail in art.text) is kept
    assert BODY[1] in art.text and "Link nguồn" not in art.text
