"""The Dask engine (LocalCluster, 2 workers) builds the same database as the local engine, fact for fact."""
from __future__ import annotations

import shutil
import sqlite3

import pytest
from click.testing import CliRunner

from pipeline.interfaces.cli import main
from pipeline.engines.dask_engine import partitions
from extractors import kinds
from tests.conftest import CORPUS

pytest.importorskip("distributed", reason="the Dask engine needs the `dask` extra")


def _content(db_path) -> dict:
    """Articles by hash, sentences and every fact table as sets keyed by article hash (ids left out)."""
    conn = sqlite3.connect(db_path)
    out = {"articles": {h: row for h, *row in conn.execute(
        "SELECT hash, title, published, author, text FROM articles")}}
    out["sentences"] = set(conn.execute(
        "SELECT a.hash, s.idx, s.start, s.[end], s.text FROM sentences s JOIN articles a ON a.id = s.article_id"))
    for kind in kinds():
        out[kind.table] = set(conn.execute(
            f"SELECT a.hash, f.start, f.[end], f.data, s.idx FROM [{kind.table}] f "
            "JOIN articles a ON a.id = f.article_id LEFT JOIN sentences s ON s.id = f.sentence_id"))
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    out["derived"] = {t: conn.execute(f"SELECT count(*) FROM [{t}]").fetchone()[0]
                      for t in ("people", "positions", "documents") if t in tables}
    # the cross-article records themselves, row ids left out (keys are what others refer to)
    # (`articles` and `sentence_source` name files: a byte-identical copy may be stored under either name)
    for table, skip in (("people", {"id"}), ("positions", {"id", "person_id", "articles", "sentence_source"}),
                        ("documents", set())):
        cols = [r[1] for r in conn.execute(f"PRAGMA table_info([{table}])") if r[1] not in skip]
        out[table] = set(conn.execute(f"SELECT {', '.join(f'[{c}]' for c in cols)} FROM [{table}]"))
    out["mention_people"] = set(conn.execute(
        "SELECT a.hash, f.start, f.person_key FROM person_mentions f JOIN articles a ON a.id = f.article_id"))
    out["citation_documents"] = set(conn.execute(
        "SELECT a.hash, f.start, f.document_id, f.link FROM citations f JOIN articles a ON a.id = f.article_id"))
    out["position_articles"] = set(conn.execute(
        "SELECT p.key, a.hash FROM position_articles l JOIN positions p ON p.id = l.position_id "
        "JOIN articles a ON a.id = l.article_id"))
    conn.close()
    return out


def test_partitions_cover_items_in_order():
    items = list(range(1001))
    parts = partitions(items, 2, max_size=200)
    assert [x for p in parts for x in p] == items
    assert len(parts) >= 8 and max(map(len, parts)) <= 200
    assert partitions([1, 2, 3], 2) == [[1], [2], [3]]


@pytest.mark.slow
def test_dask_equals_local_and_reruns_unchanged(tmp_path):
    folder = tmp_path / "in"
    shutil.copytree(CORPUS, folder)
    (folder / "dup.txt").write_bytes((CORPUS / "000_635af670fab18767.txt").read_bytes())  # same hash twice
    (folder / "empty.txt").write_bytes(b"")  # a failure, recorded by both engines
    runner = CliRunner()
    local, dask = tmp_path / "local.db", tmp_path / "dask.db"
    first = runner.invoke(main, ["run", str(folder), "--db", str(local), "-j", "1", "-q"])
    assert first.exit_code == 0, first.output
    result = runner.invoke(main, ["run", str(folder), "--db", str(dask), "--engine", "dask", "--workers", "2"])
    assert result.exit_code == 0, result.output
    assert "read 7, new 5, changed 0, unchanged 1, failed 1" in result.output  # the copy counts as unchanged
    assert first.output.splitlines()[-3:-1] == result.output.splitlines()[-3:-1]  # same counts, same facts

    expected, got = _content(local), _content(dask)
    assert len(got["articles"]) == 5 and len(got["sentences"]) > 100
    assert sum(len(got[m.table]) for m in kinds()) > 50  # real facts compared, not empty tables
    assert len(got["people"]) >= 10 and len(got["documents"]) >= 5 and all(k for _, _, k in got["mention_people"])
    assert got == expected
    conn = sqlite3.connect(dask)
    assert conn.execute("SELECT path, stage FROM failures").fetchall() == [(str(folder / "empty.txt"), "decode")]
    ids = [r[0] for r in conn.execute("SELECT id FROM articles")]
    assert len(set(ids)) == len(ids)
    assert conn.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'Lai'").fetchone()[0] >= 1
    conn.close()

    again = runner.invoke(main, ["run", str(folder), "--db", str(dask), "--engine", "dask", "--workers", "2"])
    assert again.exit_code == 0, again.output
    assert "read 7, new 0, changed 0, unchanged 6, failed 1" in again.output
    assert _content(dask) == expected

    forced = runner.invoke(main, ["run", str(folder), "--db", str(dask), "--engine", "dask", "-j", "2", "--force"])
    assert forced.exit_code == 0, forced.output
    assert "unchanged 0, failed 1" in forced.output
    assert _content(dask) == expected  # replaced in place: no duplicate articles or facts
