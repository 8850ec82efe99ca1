"""Documents across articles: canonical ids, the `documents` table, `vnfacts documents`, and the seed scores."""
from __future__ import annotations

import json

from click.testing import CliRunner

from pipeline.store.catalog import query_documents
from pipeline.interfaces.cli import main
from pipeline.interfaces.export import iter_articles
from pipeline.store.storage import open_db
from tests.conftest import SHARED, score_export


def test_120_kl_tw_is_one_document_cited_by_two_articles(seed_db):
    db = open_db(seed_db)
    rows = db.execute("SELECT id, type, issuer, term, n_articles FROM documents WHERE id = '120-KL/TW'").fetchall()
    assert rows == [("120-KL/TW", "Kết luận", "Bộ Chính trị", "XI", 2)]
    sources = {r[0] for r in db.execute(
        "SELECT DISTINCT a.source FROM citations c JOIN articles a ON a.id = c.article_id WHERE c.id = '120-KL/TW'")}
    assert sources == {"000_635af670fab18767.txt", "002_abb3aa599dd7161b.txt"}


def test_every_citation_has_a_document_and_provenance(seed_db):
    db = open_db(seed_db)
    orphans = db.execute("SELECT count(*) FROM citations WHERE id NOT IN (SELECT id FROM documents)").fetchone()[0]
    assert orphans == 0
    for start, end, text, article_text in db.execute(
            "SELECT c.start, c.[end], c.text, a.text FROM citations c JOIN articles a ON a.id = c.article_id"):
        assert article_text[start:end] == text


def test_short_mention_resolves_within_the_article(seed_db):
    db = open_db(seed_db)
    texts = {r[0] for r in db.execute("SELECT text FROM citations WHERE id = '120-KL/TW'")}
    assert "Kết luận số 120" in texts and "Kết luận 120" in texts


def test_query_documents_by_id_and_type(seed_db):
    db = open_db(seed_db)
    [row] = query_documents(db, id="120-kl/tw")
    assert "000_635af670fab18767.txt" in row["articles"] and "002_abb3aa599dd7161b.txt" in row["articles"]
    assert {r["id"] for r in query_documents(db, type="quyết định")} == {"248/QĐ-UBND", "218-QĐ/TW"}
    assert query_documents(db, id="999-KL/TW") == []


def test_documents_command_prints_the_citing_articles(seed_db):
    result = CliRunner().invoke(main, ["documents", "--db", str(seed_db), "--id", "120-KL/TW"])
    assert result.exit_code == 0, result.output
    assert "120-KL/TW" in result.output and "Bộ Chính trị" in result.output
    assert "000_635af670fab18767.txt" in result.output


def test_no_sidebar_document_reaches_the_facts(seed_db):
    db = open_db(seed_db)
    [article] = [a for a in iter_articles(db) if a["source"].startswith("001_")]
    assert [d["id"] for d in article["documents"]] == ["248/QĐ-UBND"]


def test_seed_documents_score(seed_db, scorer):
    figures = score_export(scorer, SHARED / "gold" / "seeds", list(iter_articles(open_db(seed_db))))
    assert figures["documents"]["f1"] == 1.0, json.dumps(figures["documents"])
