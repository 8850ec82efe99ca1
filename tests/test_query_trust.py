"""Queries people can trust and script (issue 16): typed exports, exact filters, unaccented search,
machine-readable output, headline fallbacks, `review` by name, hash or close match.

Each test runs the command from the issue on eight unc articles (`mini_db`) or the seed corpus.
"""
from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from pipeline.interfaces import export as ex
from pipeline.interfaces.cli import main
from pipeline.interfaces.output import render
from pipeline.store.storage import open_db

ROOT = Path(__file__).resolve().parent.parent


def cli(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output and not (result.exception and not isinstance(result.exception, SystemExit)), \
        result.output
    return result


def tsv(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text), delimiter="\t"))


# --- exports ---------------------------------------------------------------------------------

def test_parquet_export_types_agree_with_the_sqlite_schema(mini_db, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    result = cli("export", "--db", str(mini_db), "--format", "parquet", "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    db = open_db(mini_db, create=False)
    declared = {"INTEGER": "int64", "FLOAT": "double", "REAL": "double", "TEXT": "string", "": "string",
                "BLOB": "string"}  # `path_bytes` (a file name's exact bytes) is exported as its repr, b'...'

    for path in tmp_path.glob("*.parquet"):
        schema = pq.read_schema(path)
        for col in db[path.stem].columns:
            if col.name in schema.names:
                assert str(schema.field(col.name).type) == declared[col.type], (path.stem, col.name, col.type)
    assert str(pq.read_schema(tmp_path / "indicators.parquet").field("value").type) == "double"
    assert not list(tmp_path.glob(".*")), "temporary files left behind"


def test_csv_numbers_follow_their_column_type(mini_db, tmp_path):
    assert cli("export", "--db", str(mini_db), "--format", "csv", "--out", str(tmp_path)).exit_code == 0
    rows = list(csv.DictReader((tmp_path / "indicators.csv").open(encoding="utf-8")))
    assert rows and all(r["value"] == "" or "." in r["value"] or "e" in r["value"] for r in rows)  # REAL: 6218.0
    conn = sqlite3.connect(mini_db)
    assert len(rows) == conn.execute("SELECT count(*) FROM indicators").fetchone()[0]
    articles = list(csv.DictReader((tmp_path / "articles.csv").open(encoding="utf-8")))
    assert all(a["headline"] for a in articles) and any(not a["title"] for a in articles)  # first sentence


def test_a_failed_export_leaves_nothing_half_written(mini_db, tmp_path, monkeypatch):
    real = ex.export_tables
    monkeypatch.setattr(ex, "export_tables", lambda db, filtered=False: real(db, filtered) + ["no_such_table"])
    result = cli("export", "--db", str(mini_db), "--format", "csv", "--out", str(tmp_path / "out"))
    assert result.exit_code == 1 and result.output.startswith("Error: ")
    assert list((tmp_path / "out").iterdir()) == []

    def broken(db, **filters):
        yield {"source": "x"}
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(ex, "iter_articles", broken)
    result = cli("export", "--db", str(mini_db), "--out", str(tmp_path / "x.jsonl"))
    assert result.exit_code == 1 and "No space left" in result.output
    assert not (tmp_path / "x.jsonl").exists() and list(tmp_path.glob(".x.jsonl*")) == []


@pytest.mark.slow
def test_parquet_export_of_all_unc_articles(unc_db, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    result = cli("export", "--db", str(unc_db), "--format", "parquet", "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    conn = sqlite3.connect(unc_db)
    tables = ex.export_tables(open_db(unc_db, create=False))
    assert {"articles", "indicators", "positions", "documents"} <= set(tables)
    for table in tables:
        assert pq.read_metadata(tmp_path / f"{table}.parquet").num_rows == \
            conn.execute(f"SELECT count(*) FROM [{table}]").fetchone()[0], table
    biggest = conn.execute("SELECT max(value) FROM indicators").fetchone()[0]
    assert max(pq.read_table(tmp_path / "indicators.parquet").column("value").to_pylist()) == biggest


# --- filters ---------------------------------------------------------------------------------

def test_province_filter_matches_the_province_not_a_substring(mini_db):
    for typed in ("Huế", "hue", "TT-Huế", "Thừa Thiên Huế"):
        result = cli("officials", "--province", typed, "--db", str(mini_db))
        assert result.exit_code == 0, result.output
        rows = tsv(result.output)
        assert "Hoàng Hải Minh" in {r["name"] for r in rows}, typed
        assert not any("Thuế" in r["title"] for r in rows), typed
    bad = cli("officials", "--province", "Cuc Thue", "--db", str(mini_db))
    assert bad.exit_code == 2 and "unknown province" in bad.output and "Traceback" not in bad.output


def test_datasette_officials_query_matches_province_keys(mini_db):
    from pipeline.interfaces.serve import prepare_connection

    sql = yaml.safe_load((ROOT / "gazetteer" / "datasette.yaml").read_text(encoding="utf-8"))[
        "database"]["queries"]["officials"]["sql"]
    conn = sqlite3.connect(mini_db)
    conn.row_factory = sqlite3.Row
    prepare_connection(conn)
    rows = conn.execute(sql, {"role": "", "province": "Huế", "year": ""}).fetchall()
    assert "Hoàng Hải Minh" in {r["name"] for r in rows}
    assert not any("Thuế" in r["title"] for r in rows)


def _jsonl(db, *args) -> list[dict]:
    result = cli("export", "--db", str(db), *args)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def test_export_dates_iso_and_vietnamese(mini_db):
    vn = _jsonl(mini_db, "--from", "30/04/2021")
    assert vn and all(a["published"] >= "2021-04-30" for a in vn)
    assert [a["source"] for a in vn] == [a["source"] for a in _jsonl(mini_db, "--from", "2021-04-30")]
    for bad in ("2021/04/30", "31/02/2021", "yesterday"):
        result = cli("export", "--db", str(mini_db), "--from", bad)
        assert result.exit_code == 2 and "30/04/2021" in result.output, result.output


def test_export_province_any_spelling_and_every_table(mini_db, tmp_path):
    accented = _jsonl(mini_db, "--province", "Hà Nam")
    assert accented and [a["source"] for a in accented] == [a["source"] for a in _jsonl(mini_db, "--province", "ha nam")]
    assert cli("export", "--db", str(mini_db), "--format", "csv", "--province", "Hà Nam",
               "--out", str(tmp_path / "f")).exit_code == 0
    assert cli("export", "--db", str(mini_db), "--format", "csv", "--out", str(tmp_path / "all")).exit_code == 0

    def read(folder, table):
        return list(csv.DictReader((tmp_path / folder / f"{table}.csv").open(encoding="utf-8")))
    kept = {r["id"] for r in read("f", "articles")}
    assert {r["source"] for r in read("f", "articles")} == {a["source"] for a in accented}
    for table in ("sentences", "person_mentions", "citations", "dates", "indicators"):
        assert {r["article_id"] for r in read("f", table)} <= kept, table
    sources = {a["source"] for a in accented}
    positions = read("f", "positions")
    assert all(sources & set(r["articles"].split(",")) for r in positions)
    for table in ("people", "positions", "documents"):
        assert len(read("f", table)) < len(read("all", table)) or not read("all", table), table
    assert not (tmp_path / "f" / "failures.csv").exists()


def test_documents_type_folds_diacritics(mini_db):
    plain = cli("documents", "--type", "Nghi dinh", "--db", str(mini_db))
    accented = cli("documents", "--type", "Nghị định", "--db", str(mini_db))
    assert plain.exit_code == 0 and tsv(plain.output) and tsv(plain.output) == tsv(accented.output)
    assert {r["type"] for r in tsv(plain.output)} == {"Nghị định"}


# --- search ----------------------------------------------------------------------------------

def test_unaccented_search_finds_the_accented_phrase_first(mini_db):
    chi_thi = tsv(cli("search", "chi thi 16", "--db", str(mini_db)).output)
    assert "«Chỉ thị 16»" in chi_thi[0]["snippet"]
    thu_tuong = tsv(cli("search", "thu tuong", "--db", str(mini_db)).output)
    assert "«Thủ tướng»" in thu_tuong[0]["snippet"], thu_tuong[0]
    assert thu_tuong[0]["source"] != "news_tech_203.txt"
    pmc = tsv(cli("search", "Pham Minh Chinh", "--db", str(mini_db)).output)
    assert pmc[0]["source"] == "news_business_210.txt" and "«Phạm Minh Chính»" in pmc[0]["snippet"]


def test_unaccented_index_follows_deletes(mini_db, tmp_path):
    copy = tmp_path / "copy.db"
    copy.write_bytes(Path(mini_db).read_bytes())
    db = open_db(copy)
    assert db.execute("SELECT count(*) FROM articles_fts_plain").fetchone()[0] == db["articles"].count
    db.execute("DELETE FROM articles WHERE source = 'news_business_210.txt'")
    assert db.execute("SELECT count(*) FROM articles_fts_plain WHERE articles_fts_plain MATCH '\"pham minh chinh\"'"
                      ).fetchone()[0] == 0
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


# --- output ----------------------------------------------------------------------------------

@pytest.mark.parametrize("verb", [["officials", "--province", "Huế"], ["documents"], ["search", "thu tuong"], ["stats"]])
def test_every_query_verb_speaks_four_formats(mini_db, verb):
    default = cli(*verb, "--db", str(mini_db))
    assert default.exit_code == 0 and not set("│┃━─┏╇") & set(default.output)  # not a terminal: tsv
    assert default.output.split("\n")[0].count("\t") >= 2 or default.output.startswith("# ")
    as_json = json.loads(cli(*verb, "--db", str(mini_db), "--format", "json").output)
    assert as_json
    as_csv = cli(*verb, "--db", str(mini_db), "--format", "csv").output
    assert "," in as_csv.split("\n")[0 if verb[0] != "stats" else 1]
    assert cli(*verb, "--db", str(mini_db), "--format", "table").exit_code == 0


def test_table_never_splits_a_file_name():
    rows = [{"name": "Nguyễn Văn An", "articles": "news_business_002.txt,news_travel_060.txt,news_health_127.txt",
             "title": "Phó Chủ tịch Ủy ban nhân dân tỉnh Thừa Thiên Huế kiêm Giám đốc Sở"}]
    text = render(rows, ["name", "title", "articles"], "table", width=70)
    for name in rows[0]["articles"].split(","):
        assert name in text, text


# --- headlines, URLs, review -----------------------------------------------------------------

def test_articles_without_headline_get_their_first_sentence(mini_db, tmp_path):
    conn = sqlite3.connect(mini_db)
    title, text, url = conn.execute("SELECT title, text, url FROM articles WHERE source = 'news_education_180.txt'"
                                    ).fetchone()
    assert not title and url
    first = text.split(". ")[0]
    [article] = [a for a in _jsonl(mini_db) if a["source"] == "news_education_180.txt"]
    assert article["headline"].startswith(first[:40]) and article["url"] == url
    word = text.split()[3]
    hits = tsv(cli("search", word, "--db", str(mini_db), "--limit", "50").output)
    hit = next(h for h in hits if h["source"] == "news_education_180.txt")
    assert hit["title"].startswith(first[:40]) and hit["url"] == url
    out = tmp_path / "r.html"
    assert cli("review", "news_education_180", "--db", str(mini_db), "--out", str(out)).exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert f"<title>{first[:40]}" in page and url in page


def test_review_by_name_without_txt_hash_prefix_or_close_match(seed_db, tmp_path):
    source = "000_635af670fab18767.txt"
    digest = sqlite3.connect(seed_db).execute("SELECT hash FROM articles WHERE source = ?", (source,)).fetchone()[0]
    for typed in ("000_635af670fab18767", digest[:10], "000_635af670fab1876.txt"):
        result = cli("review", typed, "--db", str(seed_db), "--out", str(tmp_path / "p.html"))
        assert result.exit_code == 0, (typed, result.output)
        assert "Trương Thị Mai" in (tmp_path / "p.html").read_text(encoding="utf-8")
    result = cli("review", "00_b7aa351ab3a008de.txt", "--db", str(seed_db), "--out", str(tmp_path / "q.html"))
    assert result.exit_code in (0, 1)
    if result.exit_code == 1:
        assert "001_b7aa351ab3a008de.txt" in result.output.split("closest:")[1].split(",")[0]
    none = cli("review", "zzzz", "--db", str(seed_db))
    assert none.exit_code == 1 and "000_635af670fab18767.txt" not in none.output


def test_unaccented_search_on_a_database_without_the_second_index(seed_db, tmp_path):
    """A database written before `articles_fts_plain` existed still answers unaccented queries."""
    from pipeline.interfaces.queries import search_articles

    old = tmp_path / "old.db"
    old.write_bytes(Path(seed_db).read_bytes())
    conn = sqlite3.connect(old)
    conn.executescript("DROP TRIGGER articles_fts_plain_ai; DROP TRIGGER articles_fts_plain_ad; "
                       "DROP TRIGGER articles_fts_plain_au; DROP TABLE articles_fts_plain;")
    conn.close()
    rows = search_articles(open_db(old, create=False), "Giang Pao My")
    assert rows and rows[0]["source"] == "000_635af670fab18767.txt" and "Giàng" in rows[0]["snippet"]
