"""`vnfacts bench` on a few sample articles: every table row is there and the figures are numbers."""
from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from extractors import EXTRACTORS
from pipeline.interfaces.bench import generate
from pipeline.interfaces.cli import main
from tests.conftest import CORPUS

NUMBER_RE = re.compile(r"\d[\d,]*(?:\.\d+)?")


def _row(output: str, label: str) -> list[str]:
    """The cells of the table row that starts with `label`."""
    for line in output.splitlines():
        cells = [c.strip() for c in line.strip("│ ").split("│")]
        if cells and cells[0].startswith(label):
            return cells
    raise AssertionError(f"no row {label!r} in:\n{output}")


def _number(cell: str) -> float:
    match = NUMBER_RE.search(cell)
    assert match, cell
    return float(match.group().replace(",", ""))


@pytest.mark.slow
def test_bench_prints_every_row_and_a_positive_ratio():
    result = CliRunner().invoke(main, ["bench", str(CORPUS), "--limit", "5", "--workers", "2", "--scale", "3"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith("machine: ")
    for label in ("(a) underthesea", "(b) full pipeline", "(c) vnfacts run, 1 worker", "(c) vnfacts run, 2 workers"):
        cells = _row(out, label)
        assert cells[1] == "5"  # articles
        assert _number(cells[2]) > 10_000 and _number(cells[6]) > 0  # characters, characters/s
    assert "(5 unchanged)" in _row(out, "(d) unchanged re-run")[0]
    shares = [_number(_row(out, stage)[2]) for stage in
              ("read", "decode", "clean", "split", "tokenize", *(f"extract: {m.KIND}" for m in EXTRACTORS),
               "store", "rebuild derived (once)")]
    assert 99 <= sum(shares) <= 101  # every stage of (b) is in the table
    assert _number(_row(out, "tokenize")[2]) > 5  # word segmentation is timed as its own stage
    for case in ("1x article", "4x article", "16x article", "unpunctuated sentence, 1,250", "unpunctuated sentence, 20,000",
                 "fact-dense, 2,500", "fact-dense, 40,000"):
        assert _number(_row(out, case)[3]) > 0  # µs/character
    assert _row(out, "unpunctuated sentence, 20,000")[1] == "20,000"
    assert _number(_row(out, "time/character, longest vs shortest input")[1]) > 0
    scale = _row(out, "3")
    assert scale[-1] == "ok" and _number(scale[-2]) > 50  # MB of a real run
    for target in ("pipeline ÷ tokenizer throughput, 1 worker (wall)", "speed-up 2 workers vs 1"):
        _, measured, goal, met = _row(out, target)[:4]  # `met` says whether the measured figure reaches the goal
        assert _number(measured) > 0 and met == ("yes" if _number(measured) >= _number(goal) else "NO"), (measured, goal, met)


@pytest.mark.slow
def test_bench_inprocess_only_prints_a_and_b_and_the_ratio_only():
    result = CliRunner().invoke(main, ["bench", str(CORPUS), "--limit", "2", "--inprocess-only"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert _row(out, "(a) underthesea")[1] == "2" and _row(out, "(b) full pipeline")[1] == "2"
    assert "(c) vnfacts run" not in out and "1x article" not in out and "speed-up" not in out
    _, measured, goal, met = _row(out, "pipeline ÷ tokenizer throughput, 1 worker (CPU)")[:4]
    assert _number(measured) > 0 and met == ("yes" if _number(measured) >= _number(goal) else "NO")


def test_generated_articles_are_deterministic_recombinations(tmp_path):
    texts = [(p, b"", p.read_text(encoding="utf-8")) for p in sorted(CORPUS.glob("*.txt"))]
    first = generate(texts, 6, tmp_path / "a")
    second = generate(texts, 6, tmp_path / "b")
    names = sorted(p.name for p in first.iterdir())
    assert len(names) == 6
    bodies = [(first / n).read_text(encoding="utf-8") for n in names]
    assert bodies == [(second / n).read_text(encoding="utf-8") for n in names]
    assert len(set(bodies)) == 6
    source_lines = {line for _, _, t in texts for line in t.split("\n")}
    assert all(line in source_lines for body in bodies for line in body.strip().split("\n"))


@pytest.mark.slow
def test_bench_dense_prints_time_per_character_per_size():
    result = CliRunner().invoke(main, ["bench", str(CORPUS), "--dense-mb", "0.01", "--dense-mb", "0.04"])
    assert result.exit_code == 0, result.output
    small, large = _row(result.output, "0.01"), _row(result.output, "0.04")
    assert _number(small[1]) > 8_000 and _number(large[1]) > 4 * 8_000  # characters
    assert _number(large[2]) > 1_000 and _number(large[5]) > 0  # facts, µs/char
    assert "time per character (CPU), 0.04 MB vs 0.01 MB:" in result.output
