"""The CLI end to end on the sample corpus: run, re-run, changed files, --force, export."""
from __future__ import annotations

import json
import shutil
import sqlite3

from click.testing import CliRunner

from pipeline.interfaces.cli import main
from tests.conftest import CORPUS, SHARED, score_export


def _counts(db_path) -> dict:
    conn = sqlite3.connect(db_path)
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' "
                                          "AND name NOT LIKE 'articles_fts%' AND name != 'runs'")]
    out = {t: conn.execute(f"SELECT count(*) FROM [{t}]").fetchone()[0] for t in tables}
    conn.close()
    return out


def _export(db_path, tmp_path) -> list[dict]:
    out = tmp_path / "export.jsonl"
    result = CliRunner().invoke(main, ["export", "--db", str(db_path), "--format", "jsonl", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def test_run_rerun_and_export(tmp_path, scorer):
    db = tmp_path / "facts.db"
    runner = CliRunner()
    first = runner.invoke(main, ["run", str(CORPUS), "--db", str(db), "--workers", "2", "-q"])
    assert first.exit_code == 0, first.output
    assert "read 5, new 5, changed 0, unchanged 0, failed 0" in first.output
    counts = _counts(db)
    assert counts["articles"] == 5 and counts["sentences"] > 100

    second = runner.invoke(main, ["run", str(CORPUS), "--db", str(db), "-q"])
    assert second.exit_code == 0, second.output
    assert "read 5, new 0, changed 0, unchanged 5, failed 0" in second.output
    assert _counts(db) == counts

    articles = _export(db, tmp_path)
    assert sorted(a["source"] for a in articles) == sorted(p.name for p in CORPUS.glob("*.txt"))
    for a in articles:
        assert set(a) >= {"source", "title", "published", "author", "people", "documents", "dates", "indicators"}
    figures = score_export(scorer, SHARED / "gold" / "seeds", articles)
    assert figures["published"]["f1"] == 1.0
    assert figures["title"]["f1"] == 1.0
    assert figures["author"]["f1"] == 1.0


def test_changed_file_replaces_its_facts_and_force_redoes_all(tmp_path):
    folder = tmp_path / "in"
    shutil.copytree(CORPUS, folder)
    db = tmp_path / "facts.db"
    runner = CliRunner()
    assert runner.invoke(main, ["run", str(folder), "--db", str(db), "-j", "1", "-q"]).exit_code == 0
    before = _counts(db)
    target = folder / "002_abb3aa599dd7161b.txt"
    target.write_text(target.read_text(encoding="utf-8").replace("Nguyễn Chiến", "Nguyễn Chiến Thắng"),
                      encoding="utf-8")
    result = runner.invoke(main, ["run", str(folder), "--db", str(db), "-j", "1", "-q"])
    assert "new 0, changed 1, unchanged 4" in result.output, result.output
    after = _counts(db)
    assert after["articles"] == before["articles"] and after["sentences"] == before["sentences"]
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT author FROM articles WHERE source = ?", (target.name,)).fetchone()[0] == \
        "Nguyễn Chiến Thắng"
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    conn.close()
    forced = runner.invoke(main, ["run", str(folder), "--db", str(db), "-j", "1", "-q", "--force"])
    assert "changed 5" in forced.output, forced.output
    assert _counts(db) == after


def test_missing_input_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(main, ["run", str(tmp_path / "nope"), "--db", str(tmp_path / "x.db")])
    assert result.exit_code != 0
    assert "no such file or folder" in result.output


def test_export_needs_a_database(tmp_path):
    result = CliRunner().invoke(main, ["export", "--db", str(tmp_path / "none.db")])
    assert result.exit_code != 0 and "no database" in result.output


def test_csv_export_one_file_per_table(seed_db, tmp_path):
    result = CliRunner().invoke(main, ["export", "--db", str(seed_db), "--format", "csv", "--out", str(tmp_path / "csv")])
    assert result.exit_code == 0, result.output
    names = {p.name for p in (tmp_path / "csv").glob("*.csv")}
    assert {"articles.csv", "sentences.csv", "citations.csv", "indicators.csv"} <= names
    header = (tmp_path / "csv" / "articles.csv").read_text(encoding="utf-8").splitlines()[0]
    assert "published" in header and "hash" in header
