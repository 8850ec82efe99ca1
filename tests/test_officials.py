"""Officials across articles: the tables rebuilt after a run, the query and the CLI."""
from __future__ import annotations

import json

import sqlite_utils
from click.testing import CliRunner

from pipeline.store import officials
from pipeline.interfaces.cli import main


def test_officials_cli_by_name(seed_db):
    result = CliRunner().invoke(main, ["officials", "--db", str(seed_db), "--name", "Trương Thị Mai"])
    assert result.exit_code == 0, result.output
    assert "Trưởng Ban Dân vận Trung ương" in result.output
    assert "Ủy viên Bộ Chính trị" in result.output
    assert "000_635af670fab18767.txt" in result.output


def test_organisation_keeps_its_head_noun(seed_db):
    db = sqlite_utils.Database(seed_db)
    rows = officials.query_officials(db, name="Trương Thị Mai")
    head = [r for r in rows if r["title"] == "Trưởng Ban Dân vận Trung ương"]
    assert [(r["role"], r["organisation"]) for r in head] == [("Trưởng Ban", "Ban Dân vận Trung ương")]


def test_officials_cli_by_role(seed_db):
    result = CliRunner().invoke(main, ["officials", "--db", str(seed_db), "--role", "Bí thư Tỉnh ủy"])
    assert result.exit_code == 0, result.output
    assert "Giàng Páo Mỷ" in result.output and "Lai Châu" in result.output
    assert "Lê Văn Lương" not in result.output  # Phó Bí thư is another role


def test_query_filters(seed_db):
    db = sqlite_utils.Database(seed_db)
    rows = officials.query_officials(db, role="bí thư tỉnh uỷ", province="Lai Châu", year=2024)
    assert [r["name"] for r in rows] == ["Giàng Páo Mỷ"]
    assert set(rows[0]) >= {"name", "title", "role", "organisation", "province", "first_seen", "last_seen",
                            "articles"}
    assert officials.query_officials(db, role="Bí thư Tỉnh ủy", year=2019) == []
    assert {r["name"] for r in officials.query_officials(db, province="Lai Châu")} >= {
        "Giàng Páo Mỷ", "Lê Văn Lương", "Trần Tiến Dũng"}


def test_tables_and_indexes(seed_db):
    db = sqlite_utils.Database(seed_db)
    assert db["people"].count >= 10 and db["positions"].count >= db["people"].count
    indexed = {tuple(i.columns) for i in db["positions"].indexes}
    assert {("name_fold",), ("role_fold",), ("province_key",), ("key",)} <= indexed
    links = db.execute("SELECT count(*) FROM position_articles").fetchone()[0]
    assert links >= db["positions"].count


def _mention(db, article_id, source, published, name, titles):
    db["articles"].insert({"id": article_id, "source": source, "path": source, "hash": source,
                           "published": published}, alter=True)
    data = {"name": name, "titles": [t["text"] for t in titles], "title_details": titles}
    db["person_mentions"].insert({"article_id": article_id, "name": name, "data": json.dumps(data)}, alter=True)


def test_same_name_strangers_stay_apart(tmp_path):
    db = sqlite_utils.Database(tmp_path / "t.db")
    bt = {"text": "Bí thư Tỉnh ủy", "role": "Bí thư", "organisation": "Tỉnh ủy", "province": "Lai Châu"}
    gd = {"text": "Giám đốc Sở Y tế", "role": "Giám đốc", "organisation": "Sở Y tế", "province": "Cà Mau"}
    _mention(db, 1, "a.txt", "2020-01-02", "Nguyễn Văn An", [bt])
    _mention(db, 2, "b.txt", "2021-05-06", "Nguyễn Văn An", [dict(bt, text="Bí thư Tỉnh ủy Lai Châu")])
    _mention(db, 3, "c.txt", "2021-05-06", "Nguyễn Văn An", [gd])
    officials.rebuild(db)
    people = sorted((r["name"], r["province"], r["n_articles"]) for r in db["people"].rows)
    assert people == [("Nguyễn Văn An", "Cà Mau", 1), ("Nguyễn Văn An", "Lai Châu", 2)]
    rows = officials.query_officials(db, name="nguyễn văn an", province="Lai Châu")
    assert rows and all(r["province"] == "Lai Châu" for r in rows)
    assert rows[0]["first_seen"] == "2020-01-02"


def test_filters_without_diacritics(seed_db):
    db = sqlite_utils.Database(seed_db)
    plain = officials.query_officials(db, role="bi thu tinh uy", province="lai chau")
    assert [r["name"] for r in plain] == ["Giàng Páo Mỷ"]
    assert {r["title"] for r in officials.query_officials(db, name="truong thi mai")} == {
        "Trưởng Ban Dân vận Trung ương", "Ủy viên Bộ Chính trị"}
    assert officials.ascii_key("Đắk Lắk") == "dak lak"


def test_short_title_joins_the_provincial_position(tmp_path):
    db = sqlite_utils.Database(tmp_path / "t.db")
    short = {"text": "Bí thư Tỉnh ủy", "role": "Bí thư", "organisation": "Tỉnh ủy"}
    full = {"text": "Bí thư Tỉnh ủy Lai Châu", "role": "Bí thư", "organisation": "Tỉnh ủy Lai Châu",
            "province": "Lai Châu"}
    vice = {"text": "Phó Chủ tịch UBND tỉnh", "role": "Phó Chủ tịch", "organisation": "UBND tỉnh"}
    _mention(db, 1, "a.txt", "2023-01-02", "Lò Văn Tiến", [short, vice])
    _mention(db, 2, "b.txt", "2024-05-06", "Lò Văn Tiến", [full])
    officials.rebuild(db)
    titles = sorted((r["title"], r["n_articles"]) for r in db["positions"].rows)
    assert titles == [("Bí thư Tỉnh ủy Lai Châu", 2), ("Phó Chủ tịch UBND tỉnh", 1)]
    rows = officials.query_officials(db, role="Bí thư Tỉnh ủy", province="Lai Châu", year=2023)
    assert [(r["name"], r["first_seen"]) for r in rows] == [("Lò Văn Tiến", "2023-01-02")]


def test_rebuild_backfills_name_keys_of_older_databases(seed_db, tmp_path):
    import shutil

    from pipeline.store.storage import open_db

    copy = tmp_path / "old.db"
    shutil.copy(seed_db, copy)
    db = open_db(copy)
    before = sorted(db.execute("SELECT name, title FROM positions").fetchall())
    db.execute("UPDATE person_mentions SET name_key = NULL")
    officials.rebuild(db)
    assert db.execute("SELECT count(*) FROM person_mentions WHERE name_key IS NULL").fetchone()[0] == 0
    assert sorted(db.execute("SELECT name, title FROM positions").fetchall()) == before
