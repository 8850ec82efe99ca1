"""The local engine's pool: articles go to workers in chunks; a worker that dies costs one article."""
import os
import sqlite3
from pathlib import Path

from pipeline.engines import pool, runner


def test_chunks_hold_at_most_size_articles_or_end_after_max_bytes():
    items = [(b"x" * n, f"{i}.txt", f"/in/{i}.txt") for i, n in enumerate([10, 10, 10, 10, 10, 500, 10, 10])]
    assert [len(c) for c in pool.chunks(items, size=4, max_bytes=1000)] == [4, 4]
    assert [len(c) for c in pool.chunks(items, size=4, max_bytes=100)] == [4, 2, 2]  # 10+500 passes 100
    assert [item for c in pool.chunks(items, size=3) for item in c] == items  # every article, in order
    assert list(pool.chunks([], size=4)) == []


def test_a_worker_that_dies_mid_chunk_fails_only_its_article(tmp_path, monkeypatch):
    """Nine articles (chunks of 4, 4, 1); the worker dies on the sixth. Its chunk-mates, which were in
    the same worker when it died, are retried alone and stored; the sixth is recorded as `worker`."""
    from pipeline.core import orchestration

    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(9):
        (folder / f"a{i}.txt").write_text(f"Ngày {i + 1}/3/2024, ông Nguyễn Văn Bình{i} dự họp với 12{i} đại biểu.\n",
                                          encoding="utf-8")
    real = orchestration.process_article

    def dies_on_a5(raw, source, path="", gaz=None, timeout=None):
        if source == "a5.txt":
            os._exit(3)  # as a segfault or the OOM killer would: no exception, no cleanup
        return real(raw, source, path, gaz, timeout)

    monkeypatch.setattr(pool, "process_article", dies_on_a5)  # inherited by the forked workers
    summary = runner.run([folder], tmp_path / "facts.db", workers=2, progress=False)
    assert (summary.new, summary.failed) == (8, 1)
    assert [(Path(p).name, stage) for p, stage, _ in summary.failures] == [("a5.txt", "worker")]
    stored = {r[0] for r in sqlite3.connect(tmp_path / "facts.db").execute("SELECT source FROM articles")}
    assert stored == {f"a{i}.txt" for i in range(9)} - {"a5.txt"}
    assert summary.facts["dates"] == 8  # each stored article's date, counted once
