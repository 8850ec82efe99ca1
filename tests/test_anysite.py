"""Pages from any site (issue 19): header lines, footers, glued bylines, publishers, member tables, career lists.

The cases are the examples beside the rules (`gazetteer/headers.examples.yaml`, `tables.examples.yaml`).
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from gazetteer import load_gazetteer
from pipeline.core.cleaning import _names_only, clean
from pipeline.core.headers import glued_byline, is_publisher, parse_timestamp, read_header_block, split_footer
from pipeline.core.orchestration import process_article

ROOT = Path(__file__).resolve().parent.parent
HEADERS = yaml.safe_load((ROOT / "gazetteer" / "headers.examples.yaml").read_text(encoding="utf-8"))
TABLES = yaml.safe_load((ROOT / "gazetteer" / "tables.examples.yaml").read_text(encoding="utf-8"))
GAZ = load_gazetteer()


@pytest.mark.parametrize("case", HEADERS["header"], ids=lambda c: c["lines"][0][:30])
def test_header_block(case):
    start, fields = read_header_block(case["lines"], GAZ)
    for key, value in case["expect"].items():
        assert fields.get(key) == value, (key, fields)
    if not case["expect"]:
        assert not {k: v for k, v in fields.items() if k in ("published", "author", "title")}
    if "body_starts" in case:
        assert start == case["body_starts"]


def test_a_site_in_authors_is_no_author():
    _, fields = read_header_block(HEADERS["header"][0]["lines"], GAZ)
    assert "author" not in fields  # `authors: Tuoi Tre Online`


@pytest.mark.parametrize("case", HEADERS["footer"], ids=lambda c: c["lines"][1])
def test_footer(case):
    body, date = split_footer(case["lines"], GAZ)
    assert (date[0] if date else None) == case["published"]
    assert len(body) == case["body_lines"]


@pytest.mark.parametrize("case", HEADERS["glued"], ids=lambda c: c["line"][-25:])
def test_glued_byline(case):
    found = glued_byline(case["line"], GAZ, _names_only)
    assert (found[1] if found else None) == case["author"]
    if found:
        assert case["line"].startswith(found[0]) and case["author"] not in found[0][-5:]


@pytest.mark.parametrize("name", HEADERS["publisher"])
def test_publisher(name):
    assert is_publisher(name, GAZ)


@pytest.mark.parametrize("name", HEADERS["person"])
def test_person_is_no_publisher(name):
    assert not is_publisher(name, GAZ)


def test_timestamps_are_vietnam_time():
    assert parse_timestamp("2026-02-03T20:15:00Z", GAZ) == ("2026-02-04", "03:15")
    assert parse_timestamp("2023-06-01T02:00:00.000Z", GAZ) == ("2023-06-01", "09:00")
    assert parse_timestamp("20201101", GAZ) == ("2020-11-01", None)
    assert parse_timestamp("None", GAZ) is None


def test_reporters_over_a_newspaper_line():
    art = clean("Tiêu đề bài báo thử nghiệm\n\nNội dung bài viết dài đủ để là một câu hoàn chỉnh.\n"
                "Theo Vân Thiêng, Đặng Thùy\nVOV\n", GAZ)
    assert art.author == "Vân Thiêng, Đặng Thùy"
    assert "VOV" not in art.text and "Theo" not in art.text


def test_newspaper_line_alone_is_no_author():
    art = clean("Tiêu đề bài báo thử nghiệm\n\nNội dung bài viết dài đủ để là một câu hoàn chỉnh.\nDân Trí\n", GAZ)
    assert art.author is None


def test_baomoi_page_end_to_end():
    page = ("Bổ nhiệm 2 Phó Giám đốc Sở Cảnh sát PC&CC TP Hà Nội\n"
            "ANTĐ - Đại tá Nguyễn Văn Sơn vừa được Bộ trưởng Bộ Công an bổ nhiệm chức vụ Phó Giám đốc Sở.\n"
            "Lễ công bố quyết định diễn ra sáng nay (31-5), góp phần bảo đảm an toàn trên địa bàn Thủ đô.Quang Anh\n"
            "31/05/13 11:41 GMT+7\nXã hội\nSở cảnh sát,Đại tá,Bổ nhiệm\nANTĐ\n")
    art = clean(page, GAZ)
    assert (art.title, art.published, art.author) == (
        "Bổ nhiệm 2 Phó Giám đốc Sở Cảnh sát PC&CC TP Hà Nội", "2013-05-31", "Quang Anh")
    assert "GMT" not in art.text and not art.text.endswith("Quang Anh")


@pytest.mark.parametrize("case", TABLES["tables"], ids=lambda c: (c.get("text") or c["html"])[:30])
def test_member_tables(case):
    raw = case.get("text") or case["html"]
    result = process_article(raw.encode(), "page.html" if "html" in case else "page.txt")
    people = {p.name: [t.text for t in p.titles] for p in result.facts["people"]}
    if not case["people"]:
        assert people == {}
    for name, titles in case["people"].items():
        assert name in people, people
        for t in titles:
            assert t in people[name], (name, people[name])


CAREER = yaml.safe_load((ROOT / "gazetteer" / "career.examples.yaml").read_text(encoding="utf-8"))


def _people(text: str) -> dict:
    result = process_article(("Tiểu sử đồng chí\n\n" + text + "\n").encode(), "page.txt")
    return {p.name: [t.text for t in p.titles] for p in result.facts["people"]}


@pytest.mark.parametrize("case", CAREER["lists"], ids=lambda c: c["person"])
def test_career_lists(case):
    titles = _people(case["text"]).get(case["person"], [])
    for t in case["titles"]:
        assert t in titles, (t, titles)


@pytest.mark.parametrize("case", CAREER["not_lists"], ids=lambda c: c["person"])
def test_a_period_line_in_prose_is_no_career_list(case):
    titles = _people(case["text"]).get(case["person"], [])
    assert not set(case["not_titles"]) & set(titles), titles


@pytest.mark.parametrize("case", HEADERS["path_date"], ids=lambda c: c["path"][-40:])
def test_path_date(case):
    from pipeline.core.html_page import path_date
    assert path_date(case["path"], GAZ) == case["date"]


@pytest.mark.parametrize("case", HEADERS["page_title"], ids=lambda c: c["title"][:30])
def test_page_title(case):
    from pipeline.core.html_page import page_title
    assert page_title(case["title"], case["page"], case["site"], GAZ) == case["expect"]


@pytest.mark.parametrize("case", HEADERS["page_author"], ids=lambda c: c["author"])
def test_page_author(case):
    from pipeline.core.html_page import page_author
    assert page_author(case["author"], GAZ) == case["expect"]


@pytest.mark.parametrize("case", HEADERS["closing_byline"], ids=lambda c: str(c["expect"]))
def test_closing_byline(case):
    from pipeline.core.html_page import closing_byline
    assert closing_byline(case["page"], case["body"], GAZ) == case["expect"]


def test_html_page_date_from_head_then_url_then_file_name():
    """The `<head>` date wins over the URL's; with neither, the file name's; a sidebar date never wins."""
    from pipeline.core.html_page import html_to_text
    story = "<p>" + "Sáng nay, Ủy ban nhân dân thành phố đã tổ chức hội nghị tổng kết công tác năm. " * 6 + "</p>"
    sidebar = "<div class='related'><span class='date'>21/12/2021</span><a href='/x-20211221101010.htm'>Tin cũ</a></div>"
    body = f"<body><article><h1>Hội nghị tổng kết</h1>{story}</article>{sidebar}</body></html>"
    canonical = "<link rel='canonical' href='https://example.vn/hoi-nghi-20221224101010123.htm'>"
    meta = "<meta property='article:published_time' content='2022-12-20T08:00:00+07:00'>"
    page = lambda head: f"<!DOCTYPE html><html><head><title>Hội nghị tổng kết - Báo X</title>{head}</head>" + body  # noqa: E731
    assert html_to_text(page(meta + canonical), "a.html", GAZ)[1]["published"] == "2022-12-20"
    assert html_to_text(page(canonical), "a.html", GAZ)[1]["published"] == "2022-12-24"
    assert html_to_text(page(""), "dantri_20221223123311491.html", GAZ)[1]["published"] == "2022-12-23"
    assert html_to_text(page(""), "a.html", GAZ)[1]["title"] == "Hội nghị tổng kết"


def test_reporters_over_an_economic_paper_line():
    art = clean("Tiêu đề bài báo thử nghiệm\n\nNội dung bài viết dài đủ để là một câu hoàn chỉnh.\n"
                "Theo Thanh Xuân\nVnEconomy\n", GAZ)
    assert art.author == "Thanh Xuân"


def test_a_dropped_lead_comes_back_only_when_the_page_shows_it():
    from pipeline.core.html_page import with_lead
    lead = "Cục Hàng không Việt Nam đã thông báo không hạn chế khai thác các chuyến bay quốc tế từ ngày 15/2."
    shown = f"<html><head></head><body><p class='description'>{lead}</p><p>Ông Sơn nói.</p></body></html>"
    hidden = "<html><head></head><body><p>Ông Sơn nói.</p></body></html>"
    assert with_lead("Ông Sơn nói.", lead + " - VnExpress", shown, GAZ) == lead + "\nÔng Sơn nói."
    assert with_lead("Ông Sơn nói.", lead, hidden, GAZ) == "Ông Sơn nói."  # a description for search engines only
    assert with_lead(lead + "\nÔng Sơn nói.", lead, shown, GAZ) == lead + "\nÔng Sơn nói."  # not twice


def test_image_captions_are_body_lines():
    from pipeline.core.html_page import with_captions
    body = ("Hội nghị diễn ra sáng nay.\n![Chị Huyền sửa soạn tiệc tất niên với xóm trọ hôm 22/1. Ảnh: Lê Tuyết](a.jpg)\n"
            "![](b.jpg)\n![Ảnh minh họa](c.jpg)\n![Công nhân mất việc lo Tết](d.jpg)\nÔng Sơn nói.")
    out = with_captions(body, "Công nhân mất việc lo Tết")
    assert "Chị Huyền sửa soạn tiệc tất niên với xóm trọ hôm 22/1. Ảnh: Lê Tuyết" in out.splitlines()
    assert "](" not in out and "Ảnh minh họa" not in out  # no markup, no caption of a word or two
    assert "Công nhân mất việc lo Tết" not in out  # the title again is no caption


def test_a_figure_caption_wins_over_an_alt_that_is_the_title():
    from pipeline.core.html_page import figure_captions, with_captions
    page = ('<figure class="image"><img title="Trung Quốc phản đối Đạo luật - 1" src="a.jpeg" data-original="b.jpeg"'
            ' alt="Trung Quốc phản đối Đạo luật - 1"/><figcaption> Phương tiện quân sự Trung Quốc tập trận ở'
            ' Phúc Kiến hôm 14/8\n (Ảnh: Reuters). </figcaption></figure>')
    captions = figure_captions(page)
    assert captions["b.jpeg"] == "Phương tiện quân sự Trung Quốc tập trận ở Phúc Kiến hôm 14/8 (Ảnh: Reuters)."
    body = "Sapo.\n![Trung Quốc phản đối Đạo luật - 1 Trung Quốc phản đối Đạo luật - 1](a.jpeg)\nThân bài."
    assert with_captions(body, "Trung Quốc phản đối Đạo luật", captions).splitlines()[1].startswith("Phương tiện")
    # no figcaption: an alt that is only the title with its image number is no caption
    assert "Trung Quốc" not in with_captions(body, "Trung Quốc phản đối Đạo luật", {})


def test_a_page_whose_h1_is_an_image_takes_its_head_title():
    from pipeline.core.html_page import head_title, html_to_text
    page = ('<html><head><title>Thế trận giằng co - Báo Dân trí</title><meta name="title" content="Thế trận giằng co'
            ' trên chiến trường Ukraine"/></head><body><main><h1><img alt="Thế trận giằng co" src="a.jpg"/></h1>'
            '<article><h4>THẾ TRẬN GIẰNG CO TRÊN CHIẾN TRƯỜNG UKRAINE SAU 10 THÁNG</h4>'
            + "<p>Khi cuộc xung đột sắp bước sang năm thứ hai, quân đội Ukraine sẽ gặp nhiều thách thức hơn.</p>" * 5
            + "</article></main></body></html>")
    assert head_title(page) == "Thế trận giằng co trên chiến trường Ukraine"
    assert head_title("<html><head><title>Tin A</title></head><body></body></html>") == "Tin A"
    assert html_to_text(page, "a.html", GAZ)[1]["title"] == "Thế trận giằng co trên chiến trường Ukraine"
