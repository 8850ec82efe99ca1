"""Archivist corrections: each kind applies, survives a rebuild, `run --force` and a rules change that
moves offsets, shows in every export, and bad input changes nothing."""
from __future__ import annotations

import json
import shutil
import sqlite3

import pytest
import yaml
from click.testing import CliRunner

from pipeline.interfaces.cli import main
from pipeline.store import corrections, corrections_apply
from pipeline.store.storage import open_db, rebuild_derived
from tests.conftest import CORPUS, ROOT

A0, A2, A4 = "000_635af670fab18767.txt", "002_abb3aa599dd7161b.txt", "004_82f8aaa74c6b6a28.txt"
ONE_OF_EACH = [
    ["reject", "--kind", "people", "--article", A0, "--text", "Lê Văn Lương"],
    ["reject", "--kind", "documents", "--article", A0, "--text", "Kết luận 120", "--start", "4084"],
    ["reject", "--kind", "dates", "--article", A0, "--text", "Từ năm 2016 đến nay"],
    ["reject", "--kind", "indicators", "--article", A0, "--text", "6.218 buổi tiếp xúc, đối thoại với nhân dân"],
    ["reject-title", "--article", A0, "--person", "Trương Thị Mai", "--title", "Ủy viên Bộ Chính trị"],
    ["fix-title", "--article", A0, "--person", "Trần Tiến Dũng", "--title", "Chủ tịch UBND tỉnh",
     "--organisation", "UBND tỉnh Lai Châu", "--province", "Lai Châu"],
    ["merge-people", "--article", A4, "--person", "Lê Kim Toàn", "--other-article", A2,
     "--other-person", "Nguyễn Xuân Ký"],
    ["same-document", "--id", "30-CT/TW", "--as", "120-KL/TW"],
    ["different-document", "--id", "120-KL/TW", "--article", A2, "--as", "120-KL/TW (2019)"],
]


def cli(*args: str, ok: bool = True):
    result = CliRunner().invoke(main, list(args))
    assert (result.exit_code == 0) == ok, result.output
    return result


def correct_all(db_path, commands=ONE_OF_EACH) -> None:
    for command in commands:
        cli("correct", "--db", str(db_path), *command)


def facts(db_path) -> dict:
    """What the corrections should have changed, read back from the database."""
    conn = sqlite3.connect(db_path)
    q = lambda sql, *p: conn.execute(sql, p).fetchall()  # noqa: E731
    a0 = q("SELECT id FROM articles WHERE source = ?", A0)[0][0]
    out = {
        "luong": q("SELECT count(*) FROM person_mentions WHERE name = 'Lê Văn Lương' AND article_id = ?", a0)[0][0],
        "kl120_in_a0": sorted(r[0] for r in q("SELECT start FROM citations WHERE article_id = ? AND text = "
                                               "'Kết luận 120'", a0)),
        "date_2016": q("SELECT count(*) FROM dates WHERE article_id = ? AND text = 'Từ năm 2016 đến nay'", a0)[0][0],
        "indicator": q("SELECT count(*) FROM indicators WHERE article_id = ? AND value = 6218", a0)[0][0],
        "mai_titles": q("SELECT titles FROM person_mentions WHERE name = 'Trương Thị Mai' AND article_id = ?", a0),
        "dung": q("SELECT organisation, province, corrections FROM positions WHERE name = 'Trần Tiến Dũng' "
                  "AND title = 'Chủ tịch UBND tỉnh'"),
        "toan": q("SELECT n_articles, corrections FROM people WHERE name = 'Lê Kim Toàn'"),
        "ky": q("SELECT count(*) FROM people WHERE name = 'Nguyễn Xuân Ký'")[0][0],
        "ct30": q("SELECT count(*) FROM citations WHERE id = '30-CT/TW' AND article_id = ?", a0)[0][0],
        "kl120_2019": q("SELECT n_articles FROM documents WHERE id = '120-KL/TW (2019)'"),
    }
    conn.close()
    return out


def assert_corrected(db_path) -> None:
    f = facts(db_path)
    assert f["luong"] == 0 and f["date_2016"] == 0 and f["indicator"] == 0 and f["ct30"] == 0
    assert len(f["kl120_in_a0"]) == 2  # three `Kết luận 120`, one rejected
    assert json.loads(f["mai_titles"][0][0]) == ["Trưởng Ban Dân vận Trung ương"]
    assert f["dung"][0][:2] == ("UBND tỉnh Lai Châu", "Lai Châu") and "c-" in f["dung"][0][2]
    assert f["toan"][0][0] == 2 and "c-" in f["toan"][0][1] and f["ky"] == 0
    assert f["kl120_2019"] == [(1,)]


def copy_db(src, dst):
    """A consistent copy of a WAL database (the main file alone may lack the last commits)."""
    a, b = sqlite3.connect(src), sqlite3.connect(dst)
    a.backup(b)
    a.close(), b.close()
    return dst


@pytest.fixture
def db_copy(seed_db, tmp_path):
    return copy_db(seed_db, tmp_path / "facts.db")


def test_each_kind_applies_holds_after_a_rebuild_and_undoes(db_copy):
    before = facts(db_copy)
    correct_all(db_copy)
    assert_corrected(db_copy)
    db = open_db(db_copy)
    rebuild_derived(db)  # what every run does at its end
    assert_corrected(db_copy)
    assert all(r["status"] == "held" for r in corrections_apply.check(db))
    listed = cli("correct", "--db", str(db_copy), "--list").output
    assert listed.count("held") == len(ONE_OF_EACH)
    for rec in corrections.load(db):
        cli("correct", "--db", str(db_copy), "--undo", rec["id"])
    assert facts(db_copy) == before  # the machine's facts, exactly
    assert db.execute("SELECT count(*) FROM corrections WHERE status = 'undone'").fetchone()[0] == len(ONE_OF_EACH)


def test_split_separates_what_a_merge_joined(db_copy):
    correct_all(db_copy, [ONE_OF_EACH[6], ["split-person", "--article", A4, "--person", "Lê Kim Toàn",
                                            "--move", A2]])
    f = facts(db_copy)
    assert f["ky"] == 1 and f["toan"][0][0] == 1


def test_exports_say_what_was_corrected(db_copy, tmp_path):
    correct_all(db_copy)
    out = tmp_path / "x.jsonl"
    cli("export", "--db", str(db_copy), "--format", "jsonl", "--out", str(out))
    arts = {a["source"]: a for a in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    a0 = arts[A0]
    assert {(r["kind"], r["text"]) for r in a0["rejected"]} >= {("people", "Lê Văn Lương"),
                                                               ("dates", "Từ năm 2016 đến nay")}
    mai = next(p for p in a0["people"] if p["name"] == "Trương Thị Mai")
    assert mai["titles"] == ["Trưởng Ban Dân vận Trung ương"] and mai["corrections"]
    assert {d["id"] for d in arts[A2]["documents"]} == {"120-KL/TW (2019)"}
    cli("export", "--db", str(db_copy), "--format", "csv", "--out", str(tmp_path / "csv"))
    header = (tmp_path / "csv" / "positions.csv").read_text(encoding="utf-8").splitlines()[0]
    assert "corrections" in header and (tmp_path / "csv" / "corrections.csv").exists()
    shown = cli("officials", "--db", str(db_copy), "--name", "Trần Tiến Dũng").output
    assert "UBND tỉnh Lai Châu" in shown and "c-" in shown


def test_bad_input_is_refused_and_changes_nothing(db_copy, tmp_path):
    correct_all(db_copy, ONE_OF_EACH[:1])
    dump = lambda: sorted(sqlite3.connect(db_copy).iterdump())  # noqa: E731  (opening re-creates a trigger)
    before = dump()
    bad = [["reject", "--kind", "people", "--article", "no_such.txt", "--text", "A"],
           ["reject", "--kind", "people", "--article", A0, "--text", "Không Có Ai"],
           ["reject", "--kind", "documents", "--article", A0, "--text", "Kết luận 120"],  # three of them: which?
           ["reject-title", "--article", A0, "--person", "Trương Thị Mai", "--title", "Thủ tướng"],
           ["merge-people", "--article", A0, "--person", "Trương Thị Mai", "--other-article", A2,
            "--other-person", "Ai Đó"],
           ["same-document", "--id", "99-KL/TW", "--as", "120-KL/TW"],
           ONE_OF_EACH[0]]  # already recorded
    for command in bad:
        result = cli("correct", "--db", str(db_copy), *command, ok=False)
        assert result.exit_code == 1 and result.output.startswith("Error: ") and "Traceback" not in result.output
    for text in ["corrections: [", "just a string", "corrections:\n  - kind: reject\n    target: {kind: people}\n",
                 "corrections:\n  - kind: explode\n"]:
        path = tmp_path / "bad.yaml"
        path.write_text(text, encoding="utf-8")
        assert cli("correct", "--db", str(db_copy), "--import", str(path), ok=False).exit_code == 1
    assert cli("correct", "--db", str(db_copy), "--undo", "c-000000", ok=False).exit_code == 1
    assert dump() == before


def test_export_import_round_trip_between_databases(db_copy, seed_db, tmp_path):
    correct_all(db_copy)
    path = tmp_path / "corrections.yaml"
    cli("correct", "--db", str(db_copy), "--export", str(path))
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))["corrections"]
    assert len(entries) == len(ONE_OF_EACH) and all(e["id"].startswith("c-") for e in entries)
    other = copy_db(seed_db, tmp_path / "other.db")
    assert "imported 9" in cli("correct", "--db", str(other), "--import", str(path)).output
    assert_corrected(other)
    assert "imported 0 corrections (9 already present)" in cli("correct", "--db", str(other), "--import",
                                                                str(path)).output


@pytest.mark.slow
def test_round_trip_survives_force_and_a_rule_that_moves_offsets(tmp_path, monkeypatch):
    """Apply one correction of each kind, `run --force`, then `run --force` with a boilerplate rule
    that drops a caption line near the top (every later offset moves): every correction holds."""
    import gazetteer
    from pipeline.engines.runner import run

    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    lines = (CORPUS / A0).read_text(encoding="utf-8").splitlines()
    copy = lines[:2] + [x for x in lines[24:] if "Lương" not in x and "Dũng" not in x]
    (corpus / "005_copy.txt").write_text("\n".join(copy) + "\n", encoding="utf-8")  # Trương Thị Mai again
    db_path = tmp_path / "facts.db"
    run([corpus], db_path, workers=1, progress=False)
    correct_all(db_path, ONE_OF_EACH + [["split-person", "--article", A0, "--person", "Trương Thị Mai",
                                         "--move", "005_copy.txt"]])
    assert_corrected(db_path)
    mai_people = "SELECT count(*) FROM people WHERE name = 'Trương Thị Mai'"
    assert sqlite3.connect(db_path).execute(mai_people).fetchone()[0] == 2
    kl_before = facts(db_path)["kl120_in_a0"]
    run([corpus], db_path, workers=1, progress=False, force=True)
    assert_corrected(db_path)
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "gazetteer", rules)
    extra = ("\n  - pattern: '^Trưởng Ban Dân vận Trung ương Trương Thị Mai phát biểu tại buổi làm việc$'\n"
             "    comment: \"a photo caption (test rule)\"\n")
    text = (rules / "boilerplate" / "default.yaml").read_text(encoding="utf-8")
    (rules / "boilerplate" / "default.yaml").write_text(text.replace("\ndrop:\n", "\ndrop:" + extra, 1),
                                                         encoding="utf-8")
    monkeypatch.setenv("VNFACTS_GAZETTEER", str(rules))
    gazetteer.load_gazetteer.cache_clear()
    try:
        run([corpus], db_path, workers=1, progress=False, force=True)
    finally:  # the next tests (and their forked workers) get the shipped rules again
        monkeypatch.delenv("VNFACTS_GAZETTEER")
        gazetteer.load_gazetteer.cache_clear()
    kl_after = facts(db_path)["kl120_in_a0"]
    assert kl_after != kl_before and len(kl_after) == 2  # offsets moved; the rejected one re-anchored
    assert_corrected(db_path)
    assert sqlite3.connect(db_path).execute(mai_people).fetchone()[0] == 2
    assert "0 stale" in cli("correct", "--db", str(db_path), "--check").output
    ftm_path = tmp_path / "x.ftm.json"
    cli("export", "--db", str(db_path), "--format", "ftm", "--out", str(ftm_path))
    ents = [json.loads(line) for line in ftm_path.read_text(encoding="utf-8").splitlines()]
    posts = {e["id"]: e for e in ents if e["schema"] == "Position"}
    assert any(p["properties"].get("subnationalArea") == ["Lai Châu"] and "UBND tỉnh Lai Châu" in
               p["properties"]["name"][0] for p in posts.values())
    assert not any(e["schema"] == "Person" and e["properties"]["name"] == ["Lê Văn Lương"] for e in ents)


@pytest.mark.slow
def test_corrections_hold_under_the_dask_engine(db_copy, tmp_path):
    pytest.importorskip("distributed")
    correct_all(db_copy)
    before = tmp_path / "local.jsonl"
    cli("export", "--db", str(db_copy), "--format", "jsonl", "--out", str(before))
    cli("run", str(CORPUS), "--db", str(db_copy), "--force", "--engine", "dask", "-j", "1", "-q")
    assert_corrected(db_copy)
    after = tmp_path / "dask.jsonl"
    cli("export", "--db", str(db_copy), "--format", "jsonl", "--out", str(after))
    assert before.read_bytes() == after.read_bytes()


def test_undoing_the_only_merge_brings_both_people_back(db_copy):
    """Undo of the last entity correction: nothing else is active, yet the merged person must split again."""
    before = facts(db_copy)
    correct_all(db_copy, [c for c in ONE_OF_EACH if c[0] == "merge-people"])
    assert facts(db_copy)["ky"] == 0
    db = open_db(db_copy)
    (rec,) = corrections.load(db)
    cli("correct", "--db", str(db_copy), "--undo", rec["id"])
    assert facts(db_copy) == before
