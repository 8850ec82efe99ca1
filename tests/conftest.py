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
        pytest.skip("../shared/eval/score.py is not beside this checkout")
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
