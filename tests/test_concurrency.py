"""A run writing while readers query and a second run tries to start on the same database."""
from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import time

import pytest

from tests.test_crash import article_folder, check_consistent, count_articles, vnfacts_cmd


def snapshot(conn: sqlite3.Connection) -> tuple[int, int, int]:
    """(articles, their announced sentences, sentence rows) in one read transaction."""
    conn.execute("BEGIN")
    try:
        articles, announced = conn.execute("SELECT count(*), coalesce(sum(n_sentences), 0) FROM articles").fetchone()
        sentences = conn.execute("SELECT count(*) FROM sentences").fetchone()[0]
    finally:
        conn.execute("COMMIT")
    return articles, announced, sentences


@pytest.mark.slow
def test_readers_and_a_second_run_while_a_run_writes(tmp_path):
    n = 120
    folder = article_folder(tmp_path, n)
    db = tmp_path / "facts.db"
    log = tmp_path / "writer.log"  # a file, not a pipe: a chatty run must not block on a full pipe
    with open(log, "w") as out:
        writer = subprocess.Popen(vnfacts_cmd("run", str(folder), "--db", str(db), "--workers", "2", "-q"),
                                  stdout=out, stderr=subprocess.STDOUT, text=True)
    second = None
    try:
        deadline = time.monotonic() + 120
        while count_articles(db) == 0 and writer.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert writer.poll() is None, "the run finished before the readers started"

        # a reader holding one long read transaction sees a frozen snapshot and blocks nobody
        holder = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1, isolation_level=None)
        holder.execute("BEGIN")
        frozen = holder.execute("SELECT count(*) FROM articles").fetchone()[0]

        # a second run on the same database, started now, must refuse
        second = subprocess.Popen(vnfacts_cmd("run", str(folder), "--db", str(db), "--workers", "1", "-q"),
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

        # short readers (as Datasette's) are never refused and always see whole articles
        reader = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1, isolation_level=None)
        seen: list[tuple[int, int, int]] = []
        while writer.poll() is None:
            seen.append(snapshot(reader))
            time.sleep(0.01)
        seen.append(snapshot(reader))
        assert holder.execute("SELECT count(*) FROM articles").fetchone()[0] == frozen
        holder.execute("COMMIT")
        holder.close()
        reader.close()
        _, second_err = second.communicate(timeout=120)
    finally:
        for proc in (writer, second):
            if proc is not None and proc.poll() is None:
                proc.kill()
        writer.wait()

    assert writer.returncode == 0, log.read_text()
    assert second.returncode == 1
    assert f"another vnfacts run (pid {writer.pid}) is writing to {db}" in second_err, second_err
    assert len(seen) > 3
    assert all(announced == sentences for _, announced, sentences in seen), seen
    counts = [a for a, _, _ in seen]
    assert counts == sorted(counts) and counts[-1] == n and counts[0] < n
    assert frozen < n
    hashes = {hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}
    check_consistent(db, expected_articles=n, expected_hashes=hashes, runs_finished=((1,),))
