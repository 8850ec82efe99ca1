"""Appointments: the extractor on real and invented text, clean titles, the CLI verb and the gold scorer."""
from __future__ import annotations

import csv
import importlib.util
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from extractors import BY_KIND
from extractors.appointments import occupancy_dates
from pipeline.core.orchestration import process_text
from pipeline.interfaces.cli import main

ROOT = Path(__file__).resolve().parent.parent
UNC = ROOT.parent / "shared" / "corpus" / "unc"
GOLD = ROOT / "tests" / "gold" / "appointments"


def _scorer():
    spec = importlib.util.spec_from_file_location("score_appointments", GOLD / "score_appointments.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _facts(text: str, published: str | None = None):
    _, doc, facts = process_text(f"# date = {published.replace('-', '')}\n{text}" if published else text)
    return facts


def test_titles_stay_clean_and_the_old_office_is_former():
    facts = _facts("Bộ Tài chính điều động, bổ nhiệm ông Nguyễn Văn An, Vụ trưởng Vụ Tổ chức cán bộ giữ chức "
                   "Cục trưởng Cục Văn thư và Lưu trữ.")
    (person,) = facts["people"]
    assert [(t.text, t.former) for t in person.titles] == [("Vụ trưởng Vụ Tổ chức cán bộ", True),
                                                            ("Cục trưởng Cục Văn thư và Lưu trữ", False)]
    (app,) = [BY_KIND["appointments"].to_json(a) for a in facts["appointments"]]
    assert (app["person"], app["event"]) == ("Nguyễn Văn An", "moved")
    assert app["office_left"]["text"] == "Vụ trưởng Vụ Tổ chức cán bộ"
    assert app["office_taken"]["text"] == "Cục trưởng Cục Văn thư và Lưu trữ"
    assert app["text"] == "điều động, bổ nhiệm"  # the span is the verb


def test_an_election_keeps_the_other_office():
    facts = _facts("Đồng chí Hà Thị Mai, Phó Bí thư Tỉnh ủy, được bầu giữ chức Chủ tịch HĐND tỉnh Sơn La.")
    (person,) = facts["people"]
    assert not any(t.former for t in person.titles)
    (app,) = facts["appointments"]
    assert app.event == "elected" and app.office_left is None and app.office_taken.text == "Chủ tịch HĐND tỉnh Sơn La"


def test_decision_effective_date_and_occupancy_dates():
    facts = _facts("Bộ Tài chính trao Quyết định số 1234/QĐ-TCHQ điều động ông Trần Văn Bình, Phó Cục trưởng Cục Hải "
                   "quan Hà Nội, giữ chức Cục trưởng Cục Hải quan Lạng Sơn kể từ ngày 1/10/2020.", "2020-10-02")
    (app,) = [BY_KIND["appointments"].to_json(a) for a in facts["appointments"]]
    assert app["decision"] in {d.id for d in facts["documents"]} == {"1234/QĐ-TCHQ"}
    assert (app["effective"], app["reported"], app["public"]) == ("2020-10-01", "2020-10-02", True)
    assert occupancy_dates(app) == {"taken": {"startDate": "2020-10-01"}, "left": {"endDate": "2020-10-01"}}


@pytest.mark.skipif(not (UNC / "news_business_065.txt").exists(), reason="../shared/corpus/unc is not beside this checkout")
def test_hoa_phat_ceo_change_on_the_real_article():
    _, _, facts = process_text((UNC / "news_business_065.txt").read_text(encoding="utf-8"), "news_business_065.txt")
    apps = [BY_KIND["appointments"].to_json(a) for a in facts["appointments"]]
    thang = [a for a in apps if a["person"] == "Nguyễn Việt Thắng" and a["event"] == "appointed"]
    assert thang and thang[0]["office_left"]["text"] == "Phó Tổng Giám đốc"
    assert thang[0]["office_taken"]["role"] == "Tổng Giám đốc" and thang[0]["public"] is False


@pytest.mark.skipif(not (UNC / "news_business_065.txt").exists(), reason="../shared/corpus/unc is not beside this checkout")
def test_readme_example_on_the_hoa_phat_articles(tmp_path):
    """The README's `vnfacts appointments --role "Tổng Giám đốc" --format json`, on the two unc articles
    that report the Hòa Phát CEO change: both offices, the board, not public."""
    folder = tmp_path / "unc"
    folder.mkdir()
    for name in ("news_business_065.txt", "news_business_205.txt"):
        (folder / name).write_bytes((UNC / name).read_bytes())
    db = str(tmp_path / "unc.db")
    runner = CliRunner()
    assert runner.invoke(main, ["run", str(folder), "--db", db, "-j", "1", "-q"]).exit_code == 0
    result = runner.invoke(main, ["appointments", "--db", db, "--role", "Tổng Giám đốc", "--format", "json"])
    (item,) = [i for i in json.loads(result.stdout) if i["office_taken"]]
    assert (item["person"], item["event"], item["public"]) == ("Nguyễn Việt Thắng", "appointed", False)
    assert item["office_left"]["text"] == "Phó Tổng Giám đốc" and item["office_taken"]["role"] == "Tổng Giám đốc"
    assert item["body"].startswith("Hội đồng quản trị (HĐQT) Tập đoàn Hòa Phát")


def test_cli_appointments_formats_and_person_timeline(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "# date = 20210426\nUBND tỉnh Sơn La điều động ông Lò Văn Thành, Phó Giám đốc Sở Y tế, giữ chức Giám đốc "
        "Sở Tài chính tỉnh Sơn La.\nÔng Cầm Văn Piên, Chánh Văn phòng UBND tỉnh, nghỉ hưu theo chế độ.\n",
        encoding="utf-8")
    db = str(tmp_path / "x.db")
    runner = CliRunner()
    assert runner.invoke(main, ["run", str(folder), "--db", db, "-j", "1", "-q"]).exit_code == 0
    result = runner.invoke(main, ["appointments", "--db", db, "--role", "giam doc so", "--format", "json"])
    items = json.loads(result.output)
    assert [(i["person"], i["event"], i["office_taken"]["text"]) for i in items] == [
        ("Lò Văn Thành", "moved", "Giám đốc Sở Tài chính tỉnh Sơn La")]
    result = runner.invoke(main, ["appointments", "--db", db, "--year", "2021", "--format", "tsv"])
    rows = list(csv.DictReader(io.StringIO(result.output), delimiter="\t"))
    assert {(r["person"], r["event"]) for r in rows} == {("Lò Văn Thành", "moved"), ("Cầm Văn Piên", "retired")}
    assert "no appointments match" in runner.invoke(main, ["appointments", "--db", db, "--year", "1999",
                                                           "--format", "table"]).output
    (person,) = json.loads(runner.invoke(main, ["person", "Lò Văn Thành", "--db", db, "--format", "json"]).output)
    assert [(e["event"], e["office_left"], e["office_taken"]) for e in person["appointments"]] == [
        ("moved", "Phó Giám đốc Sở Y tế", "Giám đốc Sở Tài chính tỉnh Sơn La")]  # the edge between two offices
    table = runner.invoke(main, ["person", "Lò Văn Thành", "--db", db, "--format", "table"]).output
    assert "appointments" in table and "moved" in table
    bad = runner.invoke(main, ["appointments", "--db", str(tmp_path / "none.db")])
    assert bad.exit_code == 1 and "no database" in bad.output


def test_scorer_office_comparison_and_counts():
    sc = _scorer()
    offices = sc.Offices()
    assert offices.same("Tổng Giám đốc", "Tổng Giám đốc tập đoàn")
    assert offices.same("Chủ tịch UBND tỉnh Lai Châu", "Chủ tịch Ủy ban nhân dân tỉnh Lai Châu")
    assert not offices.same("Phó Giám đốc Sở Y tế", "Giám đốc")
    assert not offices.same("Giám đốc Sở Y tế", None) and offices.same(None, None)
    gold = [{"article": "a.txt", "sentence": "S1 bổ nhiệm.", "negative": None,
             "appointments": [{"person": "Lê Văn A", "event": "appointed", "office_taken": "Giám đốc Sở Y tế"}]},
            {"article": "a.txt", "sentence": "S2 dự kiến.", "negative": "plan", "appointments": []}]
    text = "S1 bổ nhiệm. S2 dự kiến. S3 khác."
    pred = {"a.txt": (text, [{"person": "Lê Văn A", "event": "appointed", "start": 3,
                              "office_taken": {"text": "Giám đốc Sở Y tế tỉnh Lai Châu"}},
                             {"person": "Lê Văn B", "event": "elected", "start": 16, "office_taken": None},
                             {"person": "Lê Văn C", "event": "elected", "start": 27, "office_taken": None}])}
    tallies = sc.score(gold, pred)
    assert tallies["triples"] == [1, 1, 0]  # the negative sentence's prediction is false; S3 is not scored


@pytest.mark.slow
def test_gold_figures_do_not_fall():
    """`vnfacts run` over the gold's articles, scored as the README reports (after the fixes)."""
    if not UNC.exists():
        pytest.skip("../shared/corpus/unc is not beside this checkout")
    sc = _scorer()
    gold = sc.load_gold()
    tallies = sc.score(gold, sc.predict(sorted({r["article"] for r in gold}), UNC))
    precision, recall, _ = sc.figures(tallies["triples"])
    assert precision >= 0.97 and recall >= 0.90, (precision, recall)
