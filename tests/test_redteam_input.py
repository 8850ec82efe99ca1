"""Red-team findings on the run/ingest side (issue 17): hostile names and paths, dense articles, signals.

Each test reproduces one finding and failed on the code before its fix. The paths and folders are
made in tmp_path; corpus articles are used by path, never copied into the project.
"""
from __future__ import annotations

import sys
from pathlib import Path

from pipeline.core.orchestration import process_text

ROOT = Path(__file__).resolve().parent.parent
OWN_CODE = (str(ROOT / "extractors"), str(ROOT / "pipeline"))
DENSE = "Ngày 1/1/2024 có 5 người. "


def own_lines_executed(text: str) -> int:
    """Lines of vnfacts' own code executed to process `text` (underthesea and libraries not counted)."""
    count = 0

    def local(frame, event, arg):
        nonlocal count
        count += event == "line"
        return local

    def calls(frame, event, arg):
        return local if frame.f_code.co_filename.startswith(OWN_CODE) else None

    sys.settrace(calls)
    try:
        process_text(text, "dense.txt")
    finally:
        sys.settrace(None)
    return count


def test_work_is_linear_in_fact_density():
    """Issue 17.2: every stage does work linear in the number of facts (indicators looked at every date)."""
    process_text("Khởi động. " + DENSE, "warm.txt")
    small, large = own_lines_executed(DENSE * 100), own_lines_executed(DENSE * 800)
    assert large / small < 8 * 1.2, (small, large)


# --- helpers -------------------------------------------------------------------------------------------

import os
import shutil
import sqlite3
import subprocess
import threading

import pytest
from click.testing import CliRunner

from pipeline.core import legacy_vn
from pipeline.core.ingest import IngestError, decode, iter_files, read_bytes
from pipeline.core.orchestration import process_article
from pipeline.engines import runner
from pipeline.interfaces.cli import main as cli_main
from tests.conftest import CORPUS
from tests.test_hostile import SAMPLE

GOOD = sorted(CORPUS.glob("*.txt"))[:2]


def good_folder(tmp_path: Path, name: str = "in") -> Path:
    folder = tmp_path / name
    folder.mkdir()
    for path in GOOD:
        shutil.copy(path, folder / path.name)
    return folder


def cli(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """The real CLI in a subprocess (this checkout's code)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "pipeline.interfaces.cli", *args], capture_output=True,
                          timeout=timeout, env=env)


def rows(db: Path, sql: str, params=()) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


# --- 1. a file name that is not UTF-8 -----------------------------------------------------------------

def test_non_utf8_file_name_is_stored_losslessly_and_the_batch_goes_on(tmp_path):
    folder = good_folder(tmp_path)
    bad = os.path.join(os.fsencode(folder), b"bad\xff.txt")
    with open(bad, "wb") as fh:
        fh.write(SAMPLE.encode("utf-8"))
    db = tmp_path / "facts.db"
    summary = runner.run([folder], db, workers=1, progress=False)
    assert (summary.new, summary.failed) == (3, 0)
    stored = rows(db, "SELECT path, path_bytes, source FROM articles WHERE path_bytes IS NOT NULL")
    assert stored == [(f"{folder}/bad\\xff.txt", bad, "bad\\xff.txt")]  # readable, and the exact bytes
    again = runner.run([folder], db, workers=1, progress=False)
    assert (again.unchanged, again.new, again.failed) == (3, 0, 0)


def test_non_utf8_file_name_on_the_dask_worker_side(tmp_path):
    """The Dask engine's partition function stores the same name into its shard, and the merge keeps it."""
    from pipeline.engines.dask_engine import process_partition
    from pipeline.store.shards import merge_shard
    from pipeline.store.storage import open_db

    bad = os.path.join(os.fsencode(tmp_path), b"bad\xfe.txt")
    with open(bad, "wb") as fh:
        fh.write(SAMPLE.encode("utf-8"))
    out = process_partition([os.fsdecode(bad)], str(tmp_path / "part.db"))
    assert out["failures"] == [] and len(out["stored"]) == 1
    db = open_db(tmp_path / "facts.db")
    assert merge_shard(db, tmp_path / "part.db") == 1
    assert db.execute("SELECT path_bytes FROM articles").fetchall() == [(bad,)]


def test_control_characters_in_a_file_name_cannot_forge_output_lines(tmp_path):
    """14: a newline in a name is printed escaped: one FAILED line per bad file, whatever its name."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "x.txt\nFAILED forged.txt [read] forged\n.txt").write_bytes(b"")
    with open(os.path.join(os.fsencode(folder), b"bad\xff.txt"), "wb") as fh:
        fh.write(b" ")  # another failure (whitespace only), not a copy of the empty file
    result = cli("run", str(folder), "--db", str(tmp_path / "facts.db"), "--workers", "1", "-q")
    assert result.returncode == 0, result.stderr
    failed = [line for line in result.stderr.decode("utf-8").splitlines() if line.startswith("FAILED")]
    assert len(failed) == 2, result.stderr
    assert any("\\nFAILED forged.txt" in line for line in failed) and any("bad\\xff.txt" in line for line in failed)
