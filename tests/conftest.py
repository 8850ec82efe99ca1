"""Shared fixtures: the sample corpus, the shared gold material and a scorer loader."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def scorer():
    """The project's scorer (`../shared/eval/score.py`), or skip where it is absent."""
    path = SHARED / "eval" / "score.py"
    if not path.exists():
        pytest.skip(f"accuracy test skipped: needs ../shared beside this checkout (the scorer {path} and the "
                    "gold sets are missing; see README, Development)")
    spec = importlib.util.spec_from_file_location("vnfacts_score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def score_export(scorer, gold_dir: Path, articles: list[dict]) -> dict:
    """Per-field figures of `articles` (JSONL dicts) against the gold folder, as score.py computes them."""
    import json

    tallies = {f: scorer.Tally() for f in ["people", "titles", "documents", "dates", "indicators",
                                           "published", "title", "author"]}
    predicted = {Path(a["source"]).stem: a for a in articles}
    misses: list[str] = []
    for path in sorted(gold_dir.glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        scorer.score_article(gold, predicted.get(path.stem, {}), tallies, misses)
    return {f: t.row() for f, t in tallies.items()}


@pytest.fixture(scope="session")
def seed_db(tmp_path_factory):
    """A database built once from `corpus/` with the real CLI path (one worker)."""
    from pipeline.engines.runner import run

    db_path = tmp_path_factory.mktemp("seed") / "facts.db"
    run([CORPUS], db_path, workers=1, progress=False)
    return db_path


UNC = SHARED / "corpus" / "unc"
# unc articles (GPL data, read by path, never copied into the repository) that exercise the query verbs:
# a Cục Thuế official, Huế officials, an article without a headline, Nghị định citations, Hà Nam,
# Thủ tướng Phạm Minh Chính, Chỉ thị 16, and `doanh thu ... Tường` (an unaccented look-alike of `thủ tướng`)
MINI_UNC = ["news_business_002.txt", "news_travel_060.txt", "news_education_180.txt", "news_society_179.txt",
            "news_health_127.txt", "news_business_210.txt", "news_society_138.txt", "news_tech_203.txt"]


def need_shared(what: str) -> None:
    """Skip, saying why, where ../shared (corpus, gold, scorer) is not beside this checkout."""
    if not SHARED.exists():
        pytest.skip(f"{what} needs ../shared beside this checkout ({SHARED} is missing)")


@pytest.fixture(scope="session")
def mini_db(tmp_path_factory):
    """A database of the eight `MINI_UNC` articles, built once (one worker)."""
    from pipeline.engines.runner import run

    need_shared("the query tests on unc articles")
    folder = tmp_path_factory.mktemp("mini")
    for name in MINI_UNC:
        (folder / name).write_bytes((UNC / name).read_bytes())
    db_path = tmp_path_factory.mktemp("minidb") / "mini.db"
    run([folder], db_path, workers=1, progress=False)
    return db_path


@pytest.fixture(scope="session")
def unc_db(tmp_path_factory):
    """A database of all 2,641 unc articles, built once per session (slow tests only)."""
    from pipeline.engines.runner import run

    need_shared("the whole-corpus tests")
    db_path = tmp_path_factory.mktemp("unc") / "unc.db"
    run([UNC], db_path, workers=2, progress=False)
    return db_path
