"""Every verb with each bad input of issue 16: one clear line, exit 2 for usage, 1 for failures, no traceback."""
from __future__ import annotations

import fcntl
import os
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from pipeline.interfaces.cli import main
from tests.conftest import CORPUS, ROOT



def read_verbs() -> dict[str, list[str]]:
    """Every verb that reads a database (`--db`), with a placeholder for each required argument: the verbs
    other helpers add (`person`, `appointments`) are checked as soon as they exist."""
    verbs = {}
    for name, command in main.commands.items():
        params = {p.name: p for p in command.params}
        if name == "run" or "db_path" not in params:
            continue
        args = [name] + ["x" for p in command.params if isinstance(p, click.Argument) and p.required]
        verbs[name] = args + (["--port", "1"] if name == "serve" else [])
    return verbs


READ_VERBS = read_verbs()


@pytest.fixture
def not_a_db(tmp_path):
    """A text file given as --db (`stats --db FACTS.md`), in a folder of its own (a run leaves a lock beside it)."""
    path = tmp_path / "FACTS.md"
    path.write_text("# FACTS.md\n\nThe facts contract, not a database.\n" * 50, encoding="utf-8")
    return path


def check(args: list[str], code: int, words: str) -> None:
    result = CliRunner().invoke(main, args)
    assert result.exit_code == code, (args, result.exit_code, result.output)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), (args, result.exception)
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: ") and words in lines[0], (args, result.output)


def test_every_verb_is_in_this_test():
    assert set(main.commands) == set(READ_VERBS) | {"run", "bench"}
    assert {"export", "officials", "documents", "search", "stats", "review", "serve"} <= set(READ_VERBS)


@pytest.mark.parametrize("verb", sorted(READ_VERBS))
def test_not_a_database(verb, not_a_db):
    check(READ_VERBS[verb] + ["--db", str(not_a_db)], 1, "is not an SQLite database")


@pytest.mark.parametrize("verb", sorted(READ_VERBS))
def test_missing_database(verb, tmp_path):
    check(READ_VERBS[verb] + ["--db", str(tmp_path / "none.db")], 1, "no database at")


def test_run_into_a_file_that_is_not_a_database(not_a_db):
    check(["run", str(CORPUS), "--db", str(not_a_db), "-q"], 1, not_a_db.name)


def test_negative_workers_are_a_usage_error(tmp_path):
    check(["run", str(CORPUS), "-j", "-3", "--db", str(tmp_path / "x.db")], 2, "-3")
    check(["bench", str(CORPUS), "-j", "-3"], 2, "-3")
    check(["search", "x", "--limit", "0", "--db", str(tmp_path / "x.db")], 2, "0")


def test_non_existent_paths(tmp_path, seed_db):
    check(["run", str(tmp_path / "nope"), "--db", str(tmp_path / "x.db")], 1, "nope")
    check(["bench", str(tmp_path / "nope")], 2, "nope")
    check(["review", "nope.txt", "--db", str(seed_db)], 1, "no stored article")


def test_output_where_no_folder_can_be(tmp_path, seed_db):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    check(["export", "--db", str(seed_db), "--format", "csv", "--out", str(blocker / "out")], 1, "not a folder")
    check(["export", "--db", str(seed_db), "--format", "parquet", "--out", str(blocker / "out")], 1, "not a folder")
    check(["export", "--db", str(seed_db), "--out", str(blocker / "x.jsonl")], 1, "not a folder")
    check(["review", "000_635af670fab18767.txt", "--db", str(seed_db), "--out", str(blocker / "p.html")], 1,
          "not a folder")
    check(["run", str(CORPUS), "--db", str(blocker / "x.db"), "-q"], 1, "x.db")


@pytest.mark.skipif(os.geteuid() == 0, reason="running as root: root writes into a chmod 500 folder anyway")
def test_unwritable_output_folder(tmp_path, seed_db):
    locked = tmp_path / "ro"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        check(["export", "--db", str(seed_db), "--format", "csv", "--out", str(locked)], 1, "ermission denied")
        check(["export", "--db", str(seed_db), "--out", str(locked / "x.jsonl")], 1, "ermission denied")
    finally:
        locked.chmod(0o700)


def test_locked_database(tmp_path, seed_db):
    """Another run holds the database: a second run says so at once (exit 1)."""
    db = tmp_path / "facts.db"
    db.write_bytes(seed_db.read_bytes())
    with open(f"{db}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        lock.write(str(os.getpid()))
        lock.flush()
        check(["run", str(CORPUS), "--db", str(db), "-q"], 1, "another vnfacts run")


def test_bad_database_in_a_real_process(not_a_db):
    """The module entry point, as a user runs it: one line on stderr, nothing on stdout."""
    proc = subprocess.run([sys.executable, "-m", "pipeline.interfaces.cli", "stats", "--db", str(not_a_db)],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr


def test_a_bug_is_one_line_too(seed_db, monkeypatch):
    """An unexpected exception inside a verb: one line naming it (`vnfacts -v` shows the traceback)."""
    import pipeline.interfaces.queries as queries

    def broken(db):
        raise RuntimeError("boom")
    monkeypatch.setattr(queries, "stats", broken)
    check(["stats", "--db", str(seed_db)], 1, "internal error, RuntimeError: boom")
    verbose = CliRunner().invoke(main, ["-v", "stats", "--db", str(seed_db)])
    assert isinstance(verbose.exception, RuntimeError)
