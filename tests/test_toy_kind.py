"""A new fact kind is one module and one YAML file: the toy kind `toys` (tests/fixtures/kinds/toys.py,
toys.yaml) registered with no other file touched reaches the database, the JSONL export, `vnfacts
review`, `pipeline.load()` spans, the Datasette metadata, and its examples run like the built-in ones."""
from __future__ import annotations

import importlib
import json
import sqlite3

import pytest
from click.testing import CliRunner

import pipeline
from extractors.registry import Kind, by_kind, labels, register, unregister
from pipeline.interfaces.cli import main
from tests.test_examples import check_example, examples

ARTICLE = ("Thứ Hai, 3/6/2024\nTrẻ em vui Tết Thiếu nhi\n\n"
           "Sáng 1/6/2024, Hội Liên hiệp Phụ nữ tỉnh Lai Châu tặng 120 suất quà gồm búp bê và đồ chơi "
           "cho các em nhỏ.\nCác em còn được hướng dẫn làm diều giấy.\n")


@pytest.fixture(scope="module")
def toys():
    """The toy kind, registered for this module's tests only."""
    module = importlib.import_module("tests.fixtures.kinds.toys")
    kind = register(by_kind().get("toys") or module.KIND)
    yield kind
    unregister("toys")


@pytest.fixture(scope="module")
def toy_db(toys, tmp_path_factory):
    folder = tmp_path_factory.mktemp("toys")
    (folder / "tet-thieu-nhi.txt").write_text(ARTICLE, encoding="utf-8")
    db = folder / "facts.db"
    pipeline.run([folder / "tet-thieu-nhi.txt"], db, workers=1, progress=False)
    return db


def test_toys_are_stored_in_their_table(toy_db):
    conn = sqlite3.connect(toy_db)
    rows = conn.execute("SELECT word, text, start, [end], sentence FROM toys ORDER BY start").fetchall()
    assert [r[0] for r in rows] == ["búp bê", "đồ chơi", "diều giấy"]
    text = conn.execute("SELECT text FROM articles").fetchone()[0]
    assert all(text[start:end] == t for _, t, start, end, _ in rows)
    assert conn.execute("SELECT count(*) FROM dates").fetchone()[0] >= 1  # the other kinds still run


def test_toys_in_the_jsonl_export(toy_db, tmp_path):
    out = tmp_path / "facts.jsonl"
    result = CliRunner().invoke(main, ["export", "--db", str(toy_db), "--format", "jsonl", "--out", str(out)])
    assert result.exit_code == 0, result.output
    [article] = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [t["word"] for t in article["toys"]] == ["búp bê", "đồ chơi", "diều giấy"]
    assert list(article)[-1] == "toys"  # after the built-in kinds (rank 90)


def test_toys_on_the_review_page(toy_db, tmp_path):
    out = tmp_path / "review.html"
    result = CliRunner().invoke(main, ["review", "tet-thieu-nhi.txt", "--db", str(toy_db), "--out", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert page.count('<tr class="fact fact-toys">') == 3
    assert "#ffd1dc" in page and "TOY" in page  # its label and colour, in the legend and the text


def test_toys_as_spacy_spans(toys):
    doc = pipeline.load()(ARTICLE)
    assert [s.text for s in doc.spans["facts"] if s.label_ == "TOY"] == ["búp bê", "đồ chơi", "diều giấy"]
    assert [t["word"] for t in doc._.facts["toys"]] == ["búp bê", "đồ chơi", "diều giấy"]


def test_toys_in_the_datasette_metadata(toy_db):
    serve = pytest.importorskip("pipeline.interfaces.serve")
    tables = serve.build_metadata(toy_db)["databases"]["facts"]["tables"]
    assert tables["toys"]["title"] == "Đồ chơi / Toys" and tables["toys"]["facets"] == ["word"]
    assert tables["toys"]["columns"]["word"] == "Đồ chơi / the toy word"
    assert tables["toys"]["columns"]["start"].startswith("Vị trí bắt đầu")  # the columns every fact table has
    assert "person_mentions" in tables  # the built-in kinds keep their datasette.yaml entries


@pytest.mark.parametrize("case", range(4))
def test_toy_examples(toys, case):
    [param] = [p for i, p in enumerate(examples(toys)) if i == case]
    check_example(*param.values)


def test_a_kind_without_a_label_or_colour_still_renders():
    kind = register(Kind(name="nameless", fact=dict, extract=lambda doc, lexicon: [], to_json=dict))
    try:
        assert kind.label == "NAMELESS" and labels()["NAMELESS"] == "#dddddd"
        from pipeline.interfaces.spacy_component import fact_spans

        assert fact_spans("nameless", 1, 4, {}) == [(1, 4, "NAMELESS")]
        assert fact_spans("never-registered", 1, 4, {}) == [(1, 4, "NEVER-REGISTERED")]
    finally:
        unregister("nameless")
