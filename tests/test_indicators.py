"""Indicators in storage: the flat columns a dashboard queries (unit đồng by province and year)."""
from __future__ import annotations

from extractors import indicators
from pipeline.core.orchestration import process_article
from pipeline.store.storage import open_db, store_article

ARTICLE = ("# doc_id = t\n# date = 20210427\n"
           "Ngày 27/4, Hội Khuyến học tỉnh Sóc Trăng tổ chức Đại hội.\n"
           "Trong nhiệm kỳ 2015 - 2020, Hội Khuyến học tỉnh Sóc Trăng đã vận động được trên 192 tỷ đồng.\n"
           "Năm 2020, tỉnh Bạc Liêu có 368.839 hội viên; quỹ khuyến học đạt 5 tỷ đồng.\n"
           "Toàn tỉnh có 62 xã đặc biệt khó khăn, chiếm hơn 40%.\n")

DASHBOARD_SQL = """
select indicators.province, coalesce(cast(indicators.year as text), substr(articles.published, 1, 4)) as year,
       sum(indicators.value) as total
from indicators join articles on articles.id = indicators.article_id
where indicators.unit = 'đồng'
group by indicators.province, year order by indicators.province, year
"""


def test_json_has_the_facts_shape():
    result = process_article(ARTICLE.encode(), "t.txt")
    data = [indicators.to_json(f) for f in result.facts["indicators"]]
    assert {"value", "unit", "qualifier", "text", "measure", "period", "place", "province", "year",
            "start", "end"} <= set(data[0])
    money = next(d for d in data if d["value"] == 192_000_000_000)
    assert (money["unit"], money["qualifier"], money["period"], money["place"], money["year"]) == \
        ("đồng", "trên", "2015/2020", "Sóc Trăng", 2020)
    communes = next(d for d in data if d["unit"] == "xã")  # no period, no province in that sentence
    assert (communes["year"], communes["place"], communes["province"]) == (None, None, "Sóc Trăng")


def test_dashboard_query_money_by_province_and_year(tmp_path):
    db = open_db(tmp_path / "facts.db")
    store_article(db, process_article(ARTICLE.encode(), "t.txt"))
    rows = list(db.execute(DASHBOARD_SQL))
    assert rows == [("Bạc Liêu", "2020", 5_000_000_000), ("Sóc Trăng", "2020", 192_000_000_000)]


def test_a_word_that_is_never_a_unit_is_not_sent_to_the_crf():
    """`5 và 6 người`: `và` is no unit whatever word the CRF makes of it, so no window is built for it."""
    from extractors.indicator_rules import build_rules
    from extractors.indicator_units import unit_after
    from extractors.text.doc import make_doc
    from extractors.text.lexicon import Lexicon
    from gazetteer import load_gazetteer

    lexicon = Lexicon.of(load_gazetteer())
    t = lexicon.derived("indicators.patterns", build_rules)
    doc = make_doc("Đoàn đã thăm 5 và tặng quà cho 6 hộ nghèo.")
    pos = doc.text.index("5") + 2
    assert unit_after(t, doc, doc.text, pos, len(doc.text)) == (None, pos, None)
    assert doc.crf_sentences == 0
    unit, _, kind = unit_after(t, doc, doc.text, doc.text.index("6") + 2, len(doc.text))
    assert (unit, kind) == ("hộ nghèo", "word")
