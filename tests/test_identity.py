"""One record across articles: who is who, which document is which, offices as normalised positions."""
from __future__ import annotations

import json
import sqlite3

import pytest
import sqlite_utils
from click.testing import CliRunner

from pipeline.interfaces.cli import main
from extractors.text import provinces
from pipeline.store import catalog, document_identity, identity, officials, positions
from pipeline.store.identity import NameStats


def _db(tmp_path):
    db = sqlite_utils.Database(tmp_path / "t.db")
    db["articles"].create({"id": int, "source": str, "path": str, "hash": str, "published": str,
                           "processed_at": str}, pk="id")
    return db


def _mention(db, article_id, published, name, titles=(), aliases=()):
    if not db["articles"].count_where("id = ?", [article_id]):
        db["articles"].insert({"id": article_id, "source": f"{article_id}.txt", "path": f"{article_id}.txt",
                               "hash": f"h{article_id:04d}", "published": published})
    data = {"name": name, "titles": [t["text"] for t in titles], "title_details": list(titles),
            "aliases": list(aliases), "start": 10}
    db["person_mentions"].insert({"article_id": article_id, "name": name, "start": 10, "data": json.dumps(data)},
                                 alter=True)


def _people(db, name_fold):
    return db.execute("SELECT key, n_articles FROM people WHERE name_fold = ? ORDER BY key", [name_fold]).fetchall()


PM = {"text": "Thủ tướng Chính phủ", "role": "Thủ tướng", "organisation": "Chính phủ"}
PRES = {"text": "Chủ tịch nước", "role": "Chủ tịch nước"}
BT_LC = {"text": "Bí thư Tỉnh ủy Lai Châu", "role": "Bí thư", "organisation": "Tỉnh ủy Lai Châu", "province": "Lai Châu"}
GD_CM = {"text": "Giám đốc Sở Y tế tỉnh Cà Mau", "role": "Giám đốc", "organisation": "Sở Y tế tỉnh Cà Mau",
         "province": "Cà Mau"}


def test_foreign_name_without_titles_is_one_person(tmp_path):
    db = _db(tmp_path)
    for i in range(1, 8):
        _mention(db, i, f"2021-0{i}-01", "Park Hang Seo")
    _mention(db, 9, "2021-02-02", "Nguyễn Văn Hùng")
    _mention(db, 10, "2021-03-03", "Nguyễn Văn Hùng")
    officials.rebuild(db)
    assert [n for _, n in _people(db, "park hang seo")] == [7]
    rows = officials.query_officials(db, name="park hang seo")  # one row for a person without any office
    assert len(rows) == 1 and rows[0]["title"] is None and rows[0]["articles"].count(".txt") == 7
    # a common Vietnamese name with nothing else in common stays two people
    assert [n for _, n in _people(db, "nguyễn văn hùng")] == [1, 1]


def test_career_step_is_one_person_and_timeline_in_date_order(tmp_path):
    db = _db(tmp_path)
    _mention(db, 1, "2020-11-01", "Nguyễn Xuân Phúc", [PM])
    _mention(db, 2, "2021-04-20", "Nguyễn Xuân Phúc", [PRES])
    _mention(db, 3, "2021-01-05", "Nguyễn Xuân Phúc", [dict(PM, text="Thủ tướng", organisation=None)])
    officials.rebuild(db)
    assert [n for _, n in _people(db, "nguyễn xuân phúc")] == [3]
    result = CliRunner().invoke(main, ["person", "nguyen xuan phuc", "--db", str(tmp_path / "t.db"),
                                       "--format", "json"])
    assert result.exit_code == 0, result.output
    [person] = json.loads(result.output)
    assert [(o["role"], o["first_seen"], o["n_articles"]) for o in person["offices"]] == [
        ("Thủ tướng", "2020-11-01", 2), ("Chủ tịch nước", "2021-04-20", 1)]
    assert person["n_articles"] == 3 and person["first_seen"] == "2020-11-01"


def test_same_name_strangers_in_other_provinces_and_families(tmp_path):
    db = _db(tmp_path)
    _mention(db, 1, "2021-01-01", "Nguyễn Văn Hùng", [BT_LC])
    _mention(db, 2, "2021-02-01", "Nguyễn Văn Hùng", [GD_CM])
    _mention(db, 3, "2021-03-01", "Nguyễn Văn Hùng", [dict(BT_LC, text="Bí thư Tỉnh ủy")])
    _mention(db, 4, "2021-03-01", "Lò Văn Tiến", [{"text": "Chủ tịch CLB Thanh Hóa", "role": "Chủ tịch",
                                                  "organisation": "CLB Thanh Hóa", "province": "Thanh Hóa"}])
    _mention(db, 5, "2021-03-09", "Lò Văn Tiến", [{"text": "Chủ tịch UBND tỉnh Thanh Hóa", "role": "Chủ tịch",
                                                  "organisation": "UBND tỉnh Thanh Hóa", "province": "Thanh Hóa"}])
    officials.rebuild(db)
    assert sorted(n for _, n in _people(db, "nguyễn văn hùng")) == [1, 2]
    assert len(_people(db, "lò văn tiến")) == 2  # a football club is not the province's government
    club = db.execute("SELECT province FROM positions WHERE organisation = 'CLB Thanh Hóa'").fetchone()
    assert club == (None,)


def test_person_keys_are_stable_and_rebuild_is_skipped_when_nothing_changed(tmp_path):
    db = _db(tmp_path)
    _mention(db, 1, "2021-01-01", "Joe Biden", [{"text": "Tổng thống Mỹ", "role": "Tổng thống", "organisation": "Mỹ"}])
    _mention(db, 2, "2021-02-01", "Joe Biden")
    assert officials.rebuild(db) is True
    keys = _people(db, "joe biden")
    assert len(keys) == 1 and keys[0][0].startswith("joe-biden-")
    assert officials.rebuild(db) is False  # same articles, rules and code: nothing to redo
    assert officials.rebuild(db, force=True) is True and _people(db, "joe biden") == keys
    _mention(db, 3, "2021-03-01", "Joe Biden")
    assert officials.rebuild(db) is True and _people(db, "joe biden") == [(keys[0][0], 3)]
    linked = db.execute("SELECT count(*) FROM person_mentions WHERE person_key = ?", [keys[0][0]]).fetchone()
    assert linked == (3,)


def test_name_rarity_prior():
    stats = NameStats.from_keys(["nguyễn văn hùng", "nguyễn văn an", "trần thị mai", "donald trump"])
    assert stats.prior("donald trump") > 0 > stats.prior("nguyễn xuân phúc") > stats.prior("nguyễn văn hùng")
    assert stats.bits("lê trường lưu") > stats.bits("nguyễn xuân phúc") > stats.bits("nguyễn văn hùng")
    assert stats.is_foreign("park hang seo") and not stats.is_foreign("lê văn lương")


def test_roles_have_one_spelling_and_ranks_are_not_offices():
    lower, upper = positions.office({"text": "chủ tịch", "role": "chủ tịch"}), positions.office(
        {"text": "Chủ tịch", "role": "Chủ tịch"})
    assert lower.role == upper.role == "Chủ tịch" and lower.key == upper.key
    assert positions.office({"text": "Trưởng ban", "role": "Trưởng ban"}).role == "Trưởng Ban"
    assert positions.office({"text": "Phó GĐ", "role": "Phó GĐ"}).role == "Phó Giám đốc"
    assert positions.office({"text": "Tư lệnh", "role": "Tư lệnh"}).role == "Tư lệnh"  # `tư` is no abbreviation
    for rank in ("TS", "PGS.TS", "TS.BS", "PGS. TS", "Đại tá", "bác sĩ", "giáo viên", "Giảng viên"):
        assert not positions.office({"text": rank, "role": rank}).is_office, rank
    assert positions.office({"text": "Thẩm phán", "role": "Thẩm phán"}).is_office


def test_organisation_completed_with_its_province():
    short = positions.office({"text": "Bí thư Tỉnh ủy", "role": "Bí thư", "organisation": "Tỉnh ủy",
                              "province": "Hà Nam"})
    full = positions.office({"text": "Bí thư Tỉnh ủy tỉnh Hà Nam", "role": "Bí thư",
                             "organisation": "Tỉnh ủy tỉnh Hà Nam", "province": "Hà Nam"})
    assert short.organisation == "Tỉnh ủy Hà Nam" and short.key == full.key == "bí thư|tỉnh ủy hà nam"
    assert positions.office({"text": "Chủ tịch UBND tỉnh", "role": "Chủ tịch", "organisation": "UBND tỉnh",
                             "province": "Lai Châu"}).org_key == "ủy ban nhân dân lai châu"


def test_provinces_are_canonical_keys_never_substrings():
    assert provinces.province("Thuế") is None and provinces.province("Cục Thuế") is None
    assert provinces.province("Thừa Thiên Huế").key == provinces.province("Huế").key == "hue"
    assert provinces.province("TP.HCM").name == provinces.province("thành phố Hồ Chí Minh").name == "Hồ Chí Minh"
    assert provinces.province("ha nam").name == "Hà Nam"
    assert provinces.keys_for("Ninh Bình") == {"ninh-binh"}
    assert provinces.keys_for("Ninh Bình", merged=True) == {"ninh-binh", "ha-nam", "nam-dinh"}


def test_officials_province_filter_exact_and_merged(tmp_path):
    db = _db(tmp_path)
    hn = {"text": "Giám đốc Sở Y tế tỉnh Hà Nam", "role": "Giám đốc", "organisation": "Sở Y tế tỉnh Hà Nam",
          "province": "Hà Nam"}
    _mention(db, 1, "2021-01-01", "Trần Văn Tám", [hn])
    _mention(db, 2, "2021-01-01", "Lê Văn Chín", [{"text": "Cục trưởng Cục Thuế", "role": "Cục trưởng",
                                                  "organisation": "Cục Thuế"}])
    officials.rebuild(db)
    assert officials.query_officials(db, province="Huế") == []
    assert officials.query_officials(db, province="Ninh Bình") == []
    assert [r["name"] for r in officials.query_officials(db, province="Ninh Bình", merged=True)] == ["Trần Văn Tám"]
    result = CliRunner().invoke(main, ["officials", "--db", str(tmp_path / "t.db"), "--province", "Atlantis"])
    assert result.exit_code == 2 and "unknown province" in result.output


def _citation(db, article_id, doc_id, type_, number, resolved=1, issuer=None, start=0):
    if not db["articles"].count_where("id = ?", [article_id]):
        db["articles"].insert({"id": article_id, "source": f"{article_id}.txt", "path": f"{article_id}.txt",
                               "hash": f"h{article_id:04d}", "published": "2021-04-01"})
    db["citations"].insert({"article_id": article_id, "id": doc_id, "type": type_, "number": number,
                            "resolved": resolved, "issuer": issuer, "start": start, "data": "{}"}, alter=True)


def _document_of(db, article_id, doc_id):
    return db.execute("SELECT document_id, link FROM citations WHERE article_id = ? AND id = ?",
                      [article_id, doc_id]).fetchone()


def test_short_and_yearless_forms_join_the_full_id(tmp_path):
    db = _db(tmp_path)
    _citation(db, 1, "116/2020/NĐ-CP", "Nghị định", "116")
    _citation(db, 1, "116/NĐ-CP", "Nghị định", "116", start=50)
    _citation(db, 2, "116/NĐ-CP", "Nghị định", "116")
    _citation(db, 3, "100/NĐ-CP", "Nghị định", "100")
    _citation(db, 4, "Nghị định 100", "Nghị định", "100", resolved=0)
    _citation(db, 5, "34/2018/QH14", "Luật", "34")
    _citation(db, 6, "Quyết định 100", "Quyết định", "100", resolved=0)  # any body issues one: never inferred
    _citation(db, 6, "100/QĐ-TTg", "Quyết định", "100", start=80)
    catalog.rebuild(db)
    assert _document_of(db, 1, "116/NĐ-CP") == ("116/2020/NĐ-CP", "same article")
    assert _document_of(db, 2, "116/NĐ-CP") == ("116/2020/NĐ-CP", "inferred")
    assert _document_of(db, 4, "Nghị định 100") == ("100/NĐ-CP", "inferred")
    assert _document_of(db, 6, "Quyết định 100") == ("100/QĐ-TTg", "same article")
    docs = {r["id"]: r for r in db["documents"].rows}
    assert set(docs) == {"116/2020/NĐ-CP", "100/NĐ-CP", "34/2018/QH14", "100/QĐ-TTg"}
    assert json.loads(docs["116/2020/NĐ-CP"]["aliases"]) == ["116/NĐ-CP"]
    assert docs["116/2020/NĐ-CP"]["n_inferred"] == 1 and docs["116/2020/NĐ-CP"]["n_articles"] == 2
    assert docs["34/2018/QH14"]["issuer"] == "Quốc hội"
    assert [r["id"] for r in catalog.query_documents(db, id="116/nđ-cp")] == ["116/2020/NĐ-CP"]


def test_ambiguous_short_forms_stay_apart(tmp_path):
    db = _db(tmp_path)
    _citation(db, 1, "100/2019/NĐ-CP", "Nghị định", "100")
    _citation(db, 2, "100/2024/NĐ-CP", "Nghị định", "100")
    _citation(db, 3, "Nghị định 100", "Nghị định", "100", resolved=0)
    _citation(db, 4, "100/NĐ-CP", "Nghị định", "100")
    _citation(db, 5, "Quyết định 7", "Quyết định", "7", resolved=0)
    _citation(db, 6, "7/QĐ-UBND", "Quyết định", "7")
    catalog.rebuild(db)
    # a short form linked nowhere is a document of its own article (article hash in brackets)
    assert _document_of(db, 3, "Nghị định 100") == ("Nghị định 100 [h0003]", "as cited")
    assert _document_of(db, 4, "100/NĐ-CP") == ("100/NĐ-CP", "as cited")
    assert _document_of(db, 5, "Quyết định 7") == ("Quyết định 7 [h0005]", "as cited")  # issuer unknown
    _citation(db, 7, "Quyết định 7", "Quyết định", "7", resolved=0)
    _citation(db, 8, "Chỉ thị 15", "Chỉ thị", "15", resolved=0)
    _citation(db, 9, "15/CT-TTg", "Chỉ thị", "15")
    catalog.rebuild(db)
    assert _document_of(db, 7, "Quyết định 7") == ("Quyết định 7 [h0007]", "as cited")  # not article 5's
    # only the party or the state issues a Chỉ thị, and the collection has one Chỉ thị 15
    assert _document_of(db, 8, "Chỉ thị 15") == ("15/CT-TTg", "inferred")
    assert document_identity.issuer_token("Bộ Chính trị") == document_identity.issuer_token("Trung ương") == "tw"


def test_seed_database_has_keys_and_one_spelling_per_role(seed_db):
    conn = sqlite3.connect(seed_db)
    assert conn.execute("SELECT count(*) FROM people WHERE key IS NULL").fetchone() == (0,)
    assert conn.execute("SELECT count(*) FROM person_mentions WHERE person_key IS NULL").fetchone() == (0,)
    assert conn.execute("SELECT count(*) FROM citations WHERE document_id IS NULL").fetchone() == (0,)
    roles = [r for (r,) in conn.execute("SELECT DISTINCT role FROM positions")]
    assert len({r.casefold() for r in roles}) == len(roles)
    result = CliRunner().invoke(main, ["person", "Trương Thị Mai", "--db", str(seed_db)])
    assert result.exit_code == 0 and "Trưởng Ban" in result.output and "Dân vận" in result.output


def test_identity_cluster_vetoes_conflicting_provinces():
    m = lambda i, titles: identity.Mention(rowid=i, article_id=i, article_hash=f"h{i}", source="x", published="2021-01-01",
                                          name="Lê Văn A", start=0, offices=[positions.office(t) for t in titles],
                                          ranks=[], details=list(titles))
    a, b = m(1, [BT_LC]), m(2, [GD_CM])
    assert identity.evidence(a, b) < 0 < identity.evidence(a, m(3, [BT_LC]))
    assert len(identity.cluster("lê văn a", [a, b, m(3, [BT_LC])], prior=3.0, co=None)) == 2


@pytest.mark.parametrize("name", ["", "   "])
def test_person_cli_without_match(seed_db, name):
    result = CliRunner().invoke(main, ["person", name or "Không Ai Cả", "--db", str(seed_db)])
    assert result.exit_code == 0 and "no person matches" in result.output


def test_stats_lists_each_province_once(tmp_path):
    from pipeline.interfaces.queries import province_counts

    db = _db(tmp_path)
    hue = {"text": "Chủ tịch UBND tỉnh Thừa Thiên Huế", "role": "Chủ tịch", "organisation": "UBND tỉnh Thừa Thiên Huế",
           "province": "Thừa Thiên Huế"}
    _mention(db, 1, "2021-01-01", "Phan Ngọc Thọ", [hue])
    _mention(db, 2, "2025-08-01", "Nguyễn Văn Phương", [dict(hue, text="Chủ tịch UBND TP Huế", province="Huế",
                                                              organisation="UBND TP Huế")])
    officials.rebuild(db)
    rows = province_counts(db)
    assert [(r["province"], r["positions"], r["people"]) for r in rows] == [("Huế", 2, 2)]


def test_document_rebuild_is_skipped_when_nothing_changed(tmp_path):
    db = _db(tmp_path)
    _citation(db, 1, "116/2020/NĐ-CP", "Nghị định", "116")
    catalog.rebuild(db)
    state = dict(db.execute("SELECT name, fingerprint FROM derived_state").fetchall())
    db.execute("UPDATE documents SET issuer = 'marked'")  # a skipped rebuild leaves the table as it is
    db.conn.commit()
    catalog.rebuild(db)
    assert db.execute("SELECT issuer FROM documents").fetchone() == ("marked",)
    _citation(db, 2, "116/NĐ-CP", "Nghị định", "116")
    catalog.rebuild(db)
    assert db.execute("SELECT issuer FROM documents").fetchone() == ("Chính phủ",)
    assert dict(db.execute("SELECT name, fingerprint FROM derived_state").fetchall())["documents"] != state["documents"]


def _pro(db, article_id, name, professions):
    _mention(db, article_id, "2021-01-01", name)
    row = db.execute("SELECT rowid, data FROM person_mentions WHERE article_id = ?", [article_id]).fetchone()
    data = dict(json.loads(row[1]), professions=professions)
    db.execute("UPDATE person_mentions SET data = ? WHERE rowid = ?", [json.dumps(data), row[0]])


def test_shared_profession_joins_mentions_without_office(tmp_path):
    db = _db(tmp_path)
    for i in (1, 2, 3):
        _pro(db, i, "Lương Văn Khải", ["HLV"])  # `HLV Lương Văn Khải` in three articles: one coach
    for i in (4, 5):
        _pro(db, i, "Lương Văn Khải", [])  # the name alone: nothing says it is the coach
    officials.rebuild(db)
    assert sorted(n for _, n in _people(db, "lương văn khải")) == [1, 1, 3]


def test_organisation_named_with_its_parent_body_is_the_same():
    meet = identity._orgs_meet
    assert meet(frozenset({"vụ giáo dục trung học"}), frozenset({"vụ giáo dục trung học bộ gd&đt"}))
    assert not meet(frozenset({"vụ giáo dục trung học"}), frozenset({"vụ giáo dục trung học phổ thông"}))
    assert not meet(frozenset({"sở y tế"}), frozenset({"sở y tế hà nội"}))


def test_lone_mention_joins_the_one_group_of_its_name_it_shares_a_name_with(tmp_path):
    db = _db(tmp_path)
    for i in range(1, 11):  # a player named in ten articles, each with the coach and a teammate
        for name in ("Lê Văn Khải", "Park Hang Seo", "Kiatisuk Senamuang"):
            _mention(db, i, "2021-01-01", name)
    _mention(db, 11, "2021-01-01", "Lê Văn Khải")  # one more article naming the coach only
    _mention(db, 11, "2021-01-01", "Park Hang Seo")
    _mention(db, 12, "2021-01-01", "Lê Văn Khải")  # and one with no one he is known with
    officials.rebuild(db)
    assert sorted(n for _, n in _people(db, "lê văn khải")) == [1, 11]
