"""Issue 17, the reader side: readers never write, read one snapshot, refuse a damaged file, report a
full disk as such; `serve` reads a database a run is writing; the SQL box's functions are bounded."""
from __future__ import annotations

import asyncio
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.interfaces.cli import main
from tests.conftest import CORPUS, ROOT

MAI = "000_635af670fab18767.txt"
READ_VERBS = [["stats"], ["officials"], ["documents"], ["search", "Giàng Páo Mỷ"], ["search", "Giang Pao My"],
              ["export", "--out", "{tmp}/e.jsonl"],
              ["export", "--format", "csv", "--out", "{tmp}/csv"], ["review", MAI, "--out", "{tmp}/page.html"]]


def cli(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


def verb_args(verb: list[str], db: Path, tmp: Path) -> list[str]:
    return [a.format(tmp=tmp) for a in verb] + ["--db", str(db)]


def schema_version(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("PRAGMA schema_version").fetchone()[0]
    finally:
        conn.close()


def assert_one_clear_line(result, *words: str, code: int = 1) -> None:
    """Exit `code`, no traceback, one `Error:` line naming `words`."""
    assert result.exit_code == code, result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    errors = [line for line in result.output.splitlines() if line.startswith("Error")]
    assert len(errors) == 1, result.output
    for word in words:
        assert word in errors[0], errors[0]


@pytest.fixture
def db_copy(seed_db, tmp_path) -> Path:
    path = tmp_path / "facts.db"
    shutil.copy(seed_db, path)
    return path


# 6. read commands write nothing, and work on a database they cannot write

def test_read_commands_write_nothing(db_copy, tmp_path):
    version = schema_version(db_copy)
    digest = hashlib.sha256(db_copy.read_bytes()).hexdigest()
    for verb in READ_VERBS:
        result = cli(*verb_args(verb, db_copy, tmp_path))
        assert result.exit_code == 0, (verb, result.output)
        assert schema_version(db_copy) == version, f"{verb} changed the schema"
    assert hashlib.sha256(db_copy.read_bytes()).hexdigest() == digest


def as_other_user() -> list[str]:
    """A command prefix that drops root (root writes read-only files); [] when not root."""
    if os.geteuid() != 0:
        return []
    if not shutil.which("setpriv"):
        pytest.skip("running as root without setpriv: cannot test a read-only database")
    return ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]


def test_read_commands_work_on_a_read_only_file_in_a_read_only_folder(seed_db):
    folder = Path(tempfile.mkdtemp(prefix="vnfacts-ro-"))
    try:
        db = folder / "facts.db"
        shutil.copy(seed_db, db)
        db.chmod(0o444)
        folder.chmod(0o555)  # the other user (or we, not being root) can neither write the file nor the folder
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        proc = subprocess.run(as_other_user() + [sys.executable, "-m", "pipeline.interfaces.cli", "export",
                                                 "--db", str(db)], cwd="/", env=env, capture_output=True,
                              text=True, timeout=120)
        assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
        assert "Giàng Páo Mỷ" in proc.stdout and len(proc.stdout.splitlines()) == 5
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder)


def test_opening_an_up_to_date_database_for_a_run_writes_nothing(db_copy):
    from pipeline.store.storage import open_db

    version = schema_version(db_copy)
    open_db(db_copy).conn.close()
    assert schema_version(db_copy) == version


# 5. every reader reads one snapshot

def renumber_all_articles(db: Path) -> None:
    """What a `--force` run does to every article, at once: same facts, new article ids."""
    conn = sqlite3.connect(db, isolation_level=None)
    tables = [r[0] for r in conn.execute("SELECT m.name FROM sqlite_master m WHERE m.type = 'table' AND EXISTS "
                                          "(SELECT 1 FROM pragma_table_info(m.name) WHERE name = 'article_id')")]
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("BEGIN IMMEDIATE")
    for table in tables:
        conn.execute(f"UPDATE [{table}] SET article_id = article_id + 1000")
    conn.execute("UPDATE articles SET id = id + 1000")
    conn.execute("COMMIT")
    conn.close()


def test_an_export_during_a_run_keeps_every_fact(db_copy, tmp_path):
    import dataclasses

    from extractors.registry import get, register

    before = tmp_path / "before.jsonl"
    assert cli("export", "--db", db_copy, "--out", before).exit_code == 0
    documents = get("documents")
    writes = []

    def merge_then_write(items):  # after the first article, a run re-stores every article
        if not writes:
            renumber_all_articles(db_copy)
            writes.append(1)
        return documents.export(items)

    register(dataclasses.replace(documents, export=merge_then_write))  # the documents kind's export hook
    during = tmp_path / "during.jsonl"
    try:
        result = cli("export", "--db", db_copy, "--out", during)
    finally:
        register(documents)
    assert result.exit_code == 0, result.output
    assert writes, "the writer did not run during the export"
    read = lambda path: [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]  # noqa: E731
    assert read(during) == read(before)


# 8. a damaged database: the run refuses, readers say so in one line

@pytest.mark.parametrize("where", [0.1, 0.3, 0.5, 0.8, 0.95])
def test_garbage_in_the_database_is_refused_in_one_line(db_copy, tmp_path, where):
    size = db_copy.stat().st_size
    with open(db_copy, "r+b") as fh:
        fh.seek(int(size * where) // 4096 * 4096)
        fh.write(bytes(range(256)) * 16)  # one page of garbage
    (tmp_path / "in").mkdir()
    result = cli("run", tmp_path / "in", "--db", db_copy, "-q")
    assert_one_clear_line(result, "damaged", ".recover")
    for verb in READ_VERBS:
        assert_one_clear_line(cli(*verb_args(verb, db_copy, tmp_path)), "damaged", ".recover")
    assert_one_clear_line(cli("serve", "--db", db_copy, "--port", "1"), "damaged", ".recover")


def test_not_a_database_is_refused_by_readers_in_one_line(tmp_path):
    db = tmp_path / "facts.db"
    db.write_bytes(b"this is not SQLite\n" * 500)
    assert_one_clear_line(cli("stats", "--db", db), "not an SQLite database")
    assert_one_clear_line(cli("serve", "--db", db, "--port", "1"), "not an SQLite database")


# 13. a full disk says "disk full", and what was stored is intact

def test_a_full_disk_is_reported_as_disk_full(tmp_path, monkeypatch):
    from pipeline.store import storage

    folder = tmp_path / "in"
    folder.mkdir()
    for name in sorted(p.name for p in CORPUS.glob("*.txt"))[:3]:
        shutil.copy(CORPUS / name, folder / name)
    db = tmp_path / "facts.db"
    storage.open_db(db).conn.close()
    open_db = storage.open_db

    def full_disk(path, *args, **kwargs):  # SQLite can grow the file by 8 pages: full within the first article
        opened = open_db(path, *args, **kwargs)
        pages = opened.execute("PRAGMA page_count").fetchone()[0]
        opened.execute(f"PRAGMA max_page_count = {pages + 8}")
        return opened

    monkeypatch.setattr(storage, "open_db", full_disk)
    result = cli("run", folder, "--db", db, "-q", "--workers", "1")
    assert_one_clear_line(result, "disk full", "intact")
    assert "no transaction" not in result.output
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


@pytest.fixture
def small_disk(tmp_path):
    """A 600 kB tmpfs (root only: skipped where it cannot be mounted)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=600k", "tmpfs", str(mount)],
                                           capture_output=True).returncode != 0:
        pytest.skip("cannot mount a small tmpfs here")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=True)


def test_a_real_full_disk_run_then_readers(small_disk, seed_db, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for path in sorted(CORPUS.glob("*.txt")):
        for copy in range(6):  # 30 distinct articles: more than 600 kB of database
            (folder / f"{copy}_{path.name}").write_bytes(path.read_bytes() + f"\nBản {copy}.\n".encode())
    result = cli("run", folder, "--db", small_disk / "facts.db", "-q", "--workers", "1")
    assert_one_clear_line(result, "disk full", "intact")
    conn = sqlite3.connect(f"file:{small_disk / 'facts.db'}?mode=ro", uri=True)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    # a reader on a full disk, where SQLite cannot even create its shared-memory file
    for path in small_disk.iterdir():
        path.unlink()
    shutil.copy(seed_db, small_disk / "facts.db")
    with open(small_disk / "fill", "wb", buffering=0) as fh:
        try:
            while True:
                fh.write(b"\0" * 1024)
        except OSError:  # the disk is full
            pass
    result = cli("stats", "--db", small_disk / "facts.db")
    assert result.exit_code == 0 and "documents" in result.output, result.output


# 14. output paths that cannot be written: one line, no traceback

def test_output_paths_that_cannot_be_written(seed_db, tmp_path):
    assert_one_clear_line(cli("review", MAI, "--db", seed_db, "--out", tmp_path), "--out", "folder", code=2)
    assert_one_clear_line(cli("export", "--db", seed_db, "--format", "csv", "--out", "/dev/null"),
                          "--out", "not a folder", code=2)
    (tmp_path / "file").write_text("x")
    assert_one_clear_line(cli("export", "--db", seed_db, "--out", tmp_path / "file" / "x.jsonl"), "file")


# 4 and 12. serve: live reads, immutable only when no run writes, bounded SQL functions

@pytest.fixture
def datasette():
    """Datasette instances made in a test (`make(db, ...)`), their connections closed afterwards."""
    from pipeline.interfaces.serve import make_datasette

    made = []
    yield lambda *args, **kwargs: made.append(make_datasette(*args, **kwargs)) or made[-1]
    for ds in made:
        for database in ds.databases.values():
            database.close()


def ask(ds, path: str, **params):
    async def go():
        return await ds.client.get(path, params=params)
    response = asyncio.run(go())
    return response.status_code, response.json() if "json" in response.headers.get("content-type", "") else None


def count_articles(ds, name: str) -> int:
    status, body = ask(ds, f"/{name}.json", sql="select count(*) as n from articles", _shape="array")
    assert status == 200, body
    return body[0]["n"]


def test_serve_shows_what_a_run_stores_after_it_started(db_copy, datasette):
    from pipeline.interfaces.serve import serve_mode

    ds = datasette(db_copy, immutable=serve_mode(db_copy) == "immutable")
    name = db_copy.stem
    assert count_articles(ds, name) == 5
    conn = sqlite3.connect(db_copy, isolation_level=None)  # a run stores one more article
    conn.execute("INSERT INTO articles (source, path, hash, title, text) VALUES ('x.txt', '/x.txt', 'h', 'X', 'Ông An.')")
    conn.close()
    assert count_articles(ds, name) == 6
    status, body = ask(ds, f"/{name}/articles.json", _shape="array", _size="max")
    assert status == 200 and len(body) == 6


def test_serve_immutable_is_refused_while_a_run_holds_the_lock(db_copy):
    from pipeline.engines.runner import DbLock
    from pipeline.interfaces.serve import ServeError, serve_mode

    assert serve_mode(db_copy, immutable=True) == "immutable"
    with DbLock(db_copy):
        with pytest.raises(ServeError, match="run is writing"):
            serve_mode(db_copy, immutable=True)
        assert serve_mode(db_copy) == "ro"


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")  # the refused call, logged
def test_sql_box_functions_are_bounded(seed_db, datasette):
    from pipeline.interfaces.serve import MAX_FOLD_CHARS

    ds = datasette(seed_db)
    name = seed_db.stem
    status, body = ask(ds, f"/{name}.json", sql="select vnfacts_fold('Bí Thư  Tỉnh Uỷ') as k", _shape="array")
    assert status == 200 and body == [{"k": "bí thư tỉnh ủy"}]
    status, body = ask(ds, f"/{name}.json", sql=f"select vnfacts_fold(printf('%.*c', {MAX_FOLD_CHARS + 1}, 'a')) as k")
    assert status == 400, body
    status, body = ask(ds, f"/{name}.json", sql="select hex(fts3_tokenizer('simple')) as p")
    assert status == 400 and "not authorized" in body["error"], body


@pytest.mark.slow
def test_serve_and_exports_during_a_force_run(tmp_path):
    """`serve` polled 500 times while `run --force` rewrites 500 unc articles: no error, and the counts
    are current after the run without a restart; exports taken meanwhile hold every article's facts."""
    from tests.test_crash import article_folder, vnfacts_cmd
    from tests.test_serve import free_port, get

    folder = article_folder(tmp_path, 500)
    db = tmp_path / "facts.db"
    subprocess.run(vnfacts_cmd("run", str(folder), "--db", str(db), "-q"), check=True, capture_output=True)
    clean = tmp_path / "clean.jsonl"
    subprocess.run(vnfacts_cmd("export", "--db", str(db), "--out", str(clean)), check=True, capture_output=True)
    facts_of = lambda path: {(a["source"], json.dumps({k: a[k] for k in ("people", "documents", "dates", "indicators")},  # noqa: E731
                                                       sort_keys=True)) for a in map(json.loads, path.open())}
    expected = facts_of(clean)
    port = free_port()
    base = f"http://127.0.0.1:{port}/{db.stem}"
    with open(tmp_path / "serve.log", "wb") as log:
        server = subprocess.Popen(vnfacts_cmd("serve", "--db", str(db), "--port", str(port)), stdout=log,
                                  stderr=subprocess.STDOUT)
    writer = None
    try:
        for _ in range(300):
            try:
                if get(base + ".json")[0] == 200:
                    break
            except OSError:
                time.sleep(0.3)
        with open(tmp_path / "run.log", "w") as log:
            writer = subprocess.Popen(vnfacts_cmd("run", str(folder), "--db", str(db), "--force", "-q", "--workers", "1"),
                                      stdout=log, stderr=subprocess.STDOUT)
        paths = ["?sql=select+count(*)+as+n,+(select+count(*)+from+runs)+as+runs+from+articles", "/articles.json?_size=5",
                 "/person_mentions.json?_size=20", "/positions.json?_facet=province", "/documents.json",
                 "/officials.json?province=Lai+Ch%C3%A2u", "/articles.json?_search=t%E1%BB%89nh"]
        statuses, during, exports = [], 0, []
        for i in range(500):
            path = paths[i % len(paths)]
            status, body = get(base + (".json" + path if path.startswith("?") else path))
            statuses.append((status, path, body[:200]) if status != 200 else 200)
            during += writer.poll() is None
            if i % 100 == 50 and writer.poll() is None:
                out = tmp_path / f"during-{i}.jsonl"
                proc = subprocess.run(vnfacts_cmd("export", "--db", str(db), "--out", str(out)), capture_output=True,
                                      text=True)
                assert proc.returncode == 0, proc.stderr
                exports.append(out)
        assert writer.wait(timeout=900) == 0, (tmp_path / "run.log").read_text()
        assert "FAILED" not in (tmp_path / "run.log").read_text()  # readers opening meanwhile broke no store
        status, body = get(base + ".json?sql=select+count(*)+as+n,+(select+count(*)+from+runs+where+finished+is+not+null)"
                                  "+as+runs+from+articles&_shape=array")
    finally:
        for proc in (server, writer):
            if proc is not None and proc.poll() is None:
                proc.terminate()
                proc.wait(timeout=30)
    assert [s for s in statuses if s != 200] == []
    assert during >= 100, f"only {during} of the 500 requests came while the run wrote"
    assert status == 200 and json.loads(body) == [{"n": 500, "runs": 2}], body  # current, no restart
    print(f"{during} of 500 requests while the run wrote, all 200; {len(exports)} exports equal the clean one")
    assert exports
    for out in exports:
        assert facts_of(out) == expected, out


def test_derived_tables_keep_their_columns_through_a_rebuild(db_copy):
    """A reader between a kind's rebuild and the corrections step sees the same columns as after it:
    Datasette reads a table's columns, then selects them by name, so a column that comes and goes
    (`corrections` on positions, added by ALTER after each rebuild) fails a request mid-run."""
    import sqlite_utils

    from pipeline.store import storage

    def columns(db) -> dict[str, list[str]]:
        return {t: [c.name for c in db[t].columns] for t in db.table_names()}

    db = sqlite_utils.Database(db_copy)
    storage.rebuild_derived(db)
    settled = columns(db)
    for kind in storage.kinds():
        hook = kind.rebuild_hook()
        if hook is not None:
            hook(db, force=True)
            assert columns(db) == settled, f"after {kind.name}'s rebuild, before the corrections step"
    db.close()


def test_officials_read_a_database_from_before_the_corrections_column(db_copy):
    """A reader of a database built by an older vnfacts (no `corrections` on positions) lists its officials."""
    import sqlite_utils

    from pipeline.store.officials import query_officials

    conn = sqlite3.connect(db_copy)
    conn.execute("ALTER TABLE positions DROP COLUMN corrections")
    conn.commit()
    conn.close()
    rows = query_officials(sqlite_utils.Database(db_copy), role="Bí thư Tỉnh ủy")
    assert rows and all(r["corrections"] is None for r in rows)
