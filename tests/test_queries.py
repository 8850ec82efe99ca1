"""`vnfacts search` and `vnfacts stats` on the seed database."""
from __future__ import annotations

import sqlite3

import pytest
from click.testing import CliRunner

from extractors import kinds
from pipeline.interfaces.cli import main
from pipeline.interfaces.queries import fts_queries, search_articles, stats
from pipeline.store.storage import open_db

MAI_SOURCE = "000_635af670fab18767.txt"


@pytest.fixture(scope="module")
def db(seed_db):
    return open_db(seed_db, create=False)


def test_fts_queries_quote_every_term():
    assert fts_queries("Kết luận 120") == ['"Kết luận 120"', '"Kết" "luận" "120"']
    assert fts_queries('"Bí thư" Lai Châu') == ['"Bí thư" "Lai" "Châu"']
    assert fts_queries('a"b') == ['"a""b"']
    assert fts_queries("   ") == []


def test_search_finds_the_phrase_first_with_a_snippet(db):
    rows = search_articles(db, "Trương Thị Mai")
    assert rows[0]["source"] == MAI_SOURCE
    assert "«Trương Thị Mai»" in rows[0]["snippet"]
    assert set(rows[0]) == {"source", "published", "title", "url", "snippet"}
    assert rows[0]["published"] == "2024-05-25"


def test_search_terms_anywhere_after_phrase_hits(db):
    phrase = search_articles(db, "Giàng Páo Mỷ")
    assert [r["source"] for r in phrase] == [MAI_SOURCE]
    spread = search_articles(db, "Mỷ Giàng")  # no such phrase, both words in one article
    assert [r["source"] for r in spread] == [MAI_SOURCE]


def test_search_without_diacritics_finds_the_vietnamese_words(db):
    rows = search_articles(db, "Truong Thi Mai")
    assert rows[0]["source"] == MAI_SOURCE and "«Trương Thị Mai»" in rows[0]["snippet"]
    assert [r["source"] for r in search_articles(db, "Giang Pao My")] == [MAI_SOURCE]
    assert search_articles(db, "Truong Thi Maizzz") == []


@pytest.mark.parametrize("query", ['AND OR NOT', 'NEAR(a b)', '"unbalanced', "col:text", "*", "-x ^y", "());"])
def test_search_survives_fts_syntax(db, query):
    assert isinstance(search_articles(db, query), list)


def test_search_limit(db):
    assert len(search_articles(db, "của", limit=2)) == 2


def test_stats_counts_match_the_tables(db, seed_db):
    tables = dict(stats(db))
    conn = sqlite3.connect(seed_db)
    per_kind = {r["kind"]: r for r in tables["Facts per kind"]}
    for kind in kinds():
        assert per_kind[kind.name]["rows"] == conn.execute(f"SELECT count(*) FROM [{kind.table}]").fetchone()[0]
    years = {r["year"]: r for r in tables["Per year of publication"]}
    assert sum(r["articles"] for r in years.values()) == 5
    assert years["2024"]["articles"] >= 1 and years["2024"]["documents"] >= 1
    assert sum(r["dates"] for r in years.values()) == per_kind["dates"]["rows"]


def test_stats_per_province(db):
    provinces = {r["province"]: r for r in dict(stats(db))["Per province"]}
    assert "Lai Châu" in provinces and provinces["Lai Châu"]["positions"] >= 3


def test_cli_search_and_stats(seed_db):
    runner = CliRunner()
    found = runner.invoke(main, ["search", "Trương Thị Mai", "--db", str(seed_db)])
    assert found.exit_code == 0, found.output
    assert "000_635af670fab1876" in found.output
    plain = runner.invoke(main, ["search", "Truong Thi Mai", "--db", str(seed_db)])
    assert plain.exit_code == 0 and "000_635af670fab1876" in plain.output, plain.output
    none = runner.invoke(main, ["search", "zzzzqqq", "--db", str(seed_db)])
    assert none.exit_code == 0 and "no articles match" in none.output
    counts = runner.invoke(main, ["stats", "--db", str(seed_db)])
    assert counts.exit_code == 0, counts.output
    assert "Facts per kind" in counts.output and "Per year of publication" in counts.output
