"""A hostile folder through the real CLI: every bad file is one failure line and one row, the batch goes on.

The folder is generated in tmp_path (no binaries are committed): good articles,
empty and blank files, binaries named `.txt`, UTF-16, Windows-1258, TCVN3, VNI,
mojibake, HTML in a `.txt`, a 50 MB file, a 20,000-character sentence, a
broken symlink, a FIFO, a duplicate; plus permission, deletion, storage and
run-level failures.
"""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from gazetteer import ROOT as GAZ_ROOT
from pipeline.core import legacy_vn
from pipeline.core.ingest import IngestError, decode, read_bytes
from pipeline.core.orchestration import process_text
from tests.conftest import CORPUS

pytestmark = pytest.mark.slow  # end-to-end runs over a hostile folder, in subprocesses: `pytest -m "not slow"` stays quick

# Written for this test; no upper-case toned letters, which TCVN3 (VN3) cannot hold.
SAMPLE = """Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ 15
Thứ Ba, 14/5/2024
Ngày 14/5, Ban Chấp hành Đảng bộ tỉnh tổ chức hội nghị lần thứ 15 để đánh giá kết quả thực hiện Nghị quyết số 05-NQ/TU ngày 20/3/2021 của Tỉnh ủy.
Đồng chí Nguyễn Văn Hùng, Bí thư Tỉnh ủy chủ trì hội nghị; đồng chí Lê Thị Hoa, Phó Bí thư Thường trực Tỉnh ủy cùng dự.
Năm 2023, tốc độ tăng trưởng kinh tế của tỉnh đạt 8,2%, thu ngân sách trên 2.000 tỷ đồng, giải quyết việc làm cho 6.218 lao động.
Hội nghị đã thảo luận và thống nhất các giải pháp trọng tâm trong thời gian tới, nhất là về thủy lợi và giáo dục.
"""
HTML = """<!DOCTYPE html><html><head><title>Hội nghị tỉnh</title><meta charset="utf-8"></head>
<body><nav>Trang chủ | Tin tức</nav><article><h1>Hội nghị Ban Chấp hành Đảng bộ tỉnh</h1>
<p>Ngày 14/5/2024, Ban Chấp hành Đảng bộ tỉnh tổ chức hội nghị lần thứ 15 để đánh giá kết quả thực hiện
Nghị quyết số 05-NQ/TU của Tỉnh ủy về phát triển kinh tế - xã hội trong giai đoạn mới của tỉnh.</p>
<p>Đồng chí Nguyễn Văn Hùng, Bí thư Tỉnh ủy chủ trì hội nghị. Các đại biểu đã thảo luận sôi nổi và thống nhất
nhiều giải pháp trọng tâm cho thời gian tới, nhất là về thủy lợi, giáo dục và chuyển đổi số.</p>
</article><footer>Bản quyền thuộc về Báo tỉnh</footer></body></html>"""
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x02\x00\x00\x00" + bytes(200)
LONG_WORDS = "phát triển kinh tế xã hội bền vững của tỉnh trong giai đoạn mới "

# file name -> (bytes, expected outcome): ("stored", encoding or None) or ("failed", stage, reason fragment)
CASES: dict[str, tuple[bytes, tuple]] = {
    "empty.txt": (b"", ("failed", "decode", "empty file")),
    "blank.txt": (b" \n\t  \r\n   \n", ("failed", "decode", "whitespace-only")),
    "nul.txt": (bytes(range(256)) * 40, ("failed", "decode", "NUL bytes")),
    "image.txt": (PNG, ("failed", "decode", "PNG image")),
    "utf16_bom.txt": (SAMPLE.encode("utf-16"), ("stored", "utf-16")),
    "utf16_nobom.txt": (SAMPLE.encode("utf-16-le"), ("stored", "utf-16-le")),
    "cp1258.txt": (legacy_vn.encode(SAMPLE, "cp1258"), ("stored", "cp1258")),
    "tcvn3.txt": (legacy_vn.encode(SAMPLE, "TCVN3"), ("stored", "TCVN3")),
    "vni.txt": (legacy_vn.encode(SAMPLE, "VNI"), ("stored", "VNI")),
    "tcvn3_as_utf8.txt": (legacy_vn.encode(SAMPLE, "TCVN3").decode("cp1252").encode("utf-8"), ("stored", "utf-8")),
    "mojibake.txt": (SAMPLE.encode("utf-8").decode("cp1252", errors="vnfacts-latin1").encode("utf-8"),
                     ("stored", "utf-8")),
    "mojibake_latin1.txt": (SAMPLE.encode("utf-8").decode("latin-1").encode("utf-8"), ("stored", "utf-8")),
    "page.txt": (HTML.encode("utf-8"), ("stored", "utf-8")),
    "script_page.txt": (b"<html><head><title>x</title></head><body><script>var a = 1;</script></body></html>",
                        ("failed", "html", "no main text found in the HTML page")),
    "utf8_broken_bytes.txt": (SAMPLE[:150].encode("utf-8") + b"\xff" + SAMPLE[150:].encode("utf-8")
                              + "ệ".encode("utf-8")[:2], ("stored", "utf-8")),  # a stray byte, cut off at the end
    "long_sentence.txt": (("Câu dài " + LONG_WORDS * 320)[:20000].encode("utf-8"), ("stored", "utf-8")),
}
# the same Vietnamese text as SAMPLE once decoded
SAME_AS_SAMPLE = {"utf16_bom.txt", "utf16_nobom.txt", "cp1258.txt", "tcvn3.txt", "vni.txt", "tcvn3_as_utf8.txt",
                  "mojibake.txt", "mojibake_latin1.txt"}
GOOD = sorted(CORPUS.glob("*.txt"))[:2]


def vnfacts(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """The real CLI in a subprocess."""
    exe = Path(sys.executable).with_name("vnfacts")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "pipeline.interfaces.cli"]
    return subprocess.run(cmd + list(args), capture_output=True, text=True, timeout=timeout)


def build_folder(root: Path) -> Path:
    folder = root / "hostile"
    folder.mkdir()
    for path in GOOD:
        shutil.copy(path, folder / path.name)
    for name, (raw, _) in CASES.items():
        (folder / name).write_bytes(raw)
    with open(folder / "huge.txt", "wb") as fh:  # 50 MB, sparse: created in no time
        fh.truncate(50 * 1000 * 1000)
    (folder / "broken_link.txt").symlink_to(root / "does-not-exist.txt")
    os.mkfifo(folder / "pipe.txt")  # reading it would block forever
    (folder / "notes.md").write_text("not an article: skipped by suffix", encoding="utf-8")
    shutil.copy(GOOD[0], folder / "zz_copy_of_a_good_article.txt")  # same bytes: stored once
    return folder


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    folder = build_folder(root)
    db = root / "facts.db"
    result = vnfacts("run", str(folder), "--db", str(db), "--workers", "1", "-q")
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    yield folder, result, conn
    conn.close()


def expected_failures(folder: Path) -> dict[str, tuple[str, str]]:
    out = {str(folder / name): outcome[1:] for name, (_, outcome) in CASES.items() if outcome[0] == "failed"}
    out[str(folder / "huge.txt")] = ("read", "file too large")
    out[str(folder / "broken_link.txt")] = ("read", "broken symbolic link")
    out[str(folder / "pipe.txt")] = ("read", "not a regular file")
    return out


def test_exit_code_and_summary(hostile_run):
    folder, result, _ = hostile_run
    assert result.returncode == 0, result.stderr
    n_stored = len(GOOD) + sum(1 for _, o in CASES.values() if o[0] == "stored")
    n_failed = len(expected_failures(folder))
    assert f"read {n_stored + n_failed + 1}, new {n_stored}, changed 0, unchanged 1, failed {n_failed}" \
        in result.stdout


def test_one_stderr_line_and_one_row_per_bad_file(hostile_run):
    folder, result, conn = hostile_run
    expected = expected_failures(folder)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == len(expected), result.stderr
    rows = {r["path"]: r for r in conn.execute("SELECT * FROM failures")}
    assert set(rows) == set(expected)
    for path, (stage, reason) in expected.items():
        assert rows[path]["stage"] == stage and reason in rows[path]["error"], dict(rows[path])
        line = next(line for line in lines if path in line)
        assert f"[{stage}]" in line and reason in line, line


def test_good_articles_stored_with_their_facts(hostile_run):
    folder, _, conn = hostile_run
    from extractors import kinds

    for path in GOOD:
        row = conn.execute("SELECT * FROM articles WHERE path = ?", (str(folder / path.name),)).fetchone()
        assert row is not None, path
        article, doc, facts = process_text(path.read_text(encoding="utf-8"), path.name)
        assert row["text"] == article.text and row["title"] == article.title
        assert conn.execute("SELECT count(*) FROM sentences WHERE article_id = ?", (row["id"],)).fetchone()[0] \
            == len(doc.sentences) > 5
        for kind in kinds():
            stored = conn.execute(f"SELECT count(*) FROM [{kind.table}] WHERE article_id = ?",
                                  (row["id"],)).fetchone()[0]
            assert stored == len(facts[kind.name]), kind.name


def test_odd_encodings_stored_with_correct_vietnamese(hostile_run):
    folder, _, conn = hostile_run
    reference = process_text(SAMPLE, "reference.txt")[0]
    for name in SAME_AS_SAMPLE:
        row = conn.execute("SELECT * FROM articles WHERE path = ?", (str(folder / name),)).fetchone()
        assert row is not None, name
        assert row["encoding"] == CASES[name][1][1], name
        assert row["text"] == reference.text, name
        assert row["title"] == reference.title == "Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ 15"
    repaired = dict(conn.execute("SELECT source, repaired FROM articles WHERE repaired IS NOT NULL"))
    assert repaired["mojibake.txt"] == "mojibake fixed by ftfy"
    assert repaired["tcvn3.txt"] == "converted from TCVN3" and repaired["vni.txt"] == "converted from VNI"


def test_html_and_long_sentence(hostile_run):
    _, _, conn = hostile_run
    html = conn.execute("SELECT * FROM articles WHERE source = 'page.txt'").fetchone()
    assert "<" not in html["text"] and "Nguyễn Văn Hùng" in html["text"] and "Trang chủ" not in html["text"]
    broken = conn.execute("SELECT * FROM articles WHERE source = 'utf8_broken_bytes.txt'").fetchone()
    assert broken["repaired"] == "2 undecodable byte sequence(s) replaced by U+FFFD"
    assert "Nguyễn Văn Hùng, Bí thư Tỉnh ủy" in broken["text"] and broken["text"].count("\ufffd") == 2
    long = conn.execute("SELECT * FROM articles WHERE source = 'long_sentence.txt'").fetchone()
    spans = conn.execute("SELECT start, end FROM sentences WHERE article_id = ?", (long["id"],)).fetchall()
    assert len(spans) >= 14 and max(e - s for s, e in spans) <= 1500
    assert sum(e - s for s, e in spans) >= len(long["text"]) - len(spans) - 100


def test_rerun_fails_the_same_files_and_stores_nothing_twice(hostile_run, tmp_path):
    folder, _, conn = hostile_run
    db = conn.execute("PRAGMA database_list").fetchone()["file"]
    before = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    again = vnfacts("run", str(folder), "--db", db, "--workers", "1", "-q")
    assert again.returncode == 0
    assert f"new 0, changed 0, unchanged {before + 1}, failed {len(expected_failures(folder))}" in again.stdout
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == before
    assert conn.execute("SELECT count(*) FROM failures").fetchone()[0] == len(expected_failures(folder))


def test_legacy_tables_examples():
    for name in ("tcvn3", "vni"):
        data = yaml.safe_load((GAZ_ROOT / "legacy_encodings" / f"{name}.yaml").read_text(encoding="utf-8"))
        for ex in data["examples"]:
            raw = ex["legacy"].encode("cp1252")
            assert legacy_vn.convert(raw, data["name"]) == ex["text"]
            assert legacy_vn.encode(ex["text"], data["name"]) == raw
            assert decode(raw * 3).text == ((ex["text"]) * 3)


def test_tcvn3_table_is_a_bijection():
    table = yaml.safe_load((GAZ_ROOT / "legacy_encodings" / "tcvn3.yaml").read_text(encoding="utf-8"))["bytes"]
    assert len(set(table.values())) == len(table) == 74
    assert all(0xA1 <= b <= 0xFE for b in table)


def test_unreadable_file(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("running as root: root reads a chmod 000 file anyway (see test_permission_error_is_a_failure)")
    path = tmp_path / "secret.txt"
    path.write_text(SAMPLE, encoding="utf-8")
    path.chmod(0)
    try:
        result = vnfacts("run", str(tmp_path), "--db", str(tmp_path / "facts.db"), "--workers", "1", "-q")
    finally:
        path.chmod(0o644)
    assert result.returncode == 0
    assert f"FAILED {path} [read] permission denied" in result.stderr


def test_permission_error_is_a_failure(tmp_path, monkeypatch):
    """The permission path without relying on the user: open() refuses, read_bytes reports."""
    path = tmp_path / "secret.txt"
    path.write_text(SAMPLE, encoding="utf-8")

    real_open = os.open

    def refuse(file, *args, **kwargs):
        if str(file) == str(path):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    with pytest.raises(IngestError) as err:
        read_bytes(path)
    assert (err.value.stage, err.value.reason) == ("read", "permission denied (file cannot be read)")


def test_file_deleted_during_the_run(tmp_path, monkeypatch):
    """A file found by the walk and gone when read is a failure; the others are stored."""
    from pipeline.engines import runner

    folder = tmp_path / "in"
    folder.mkdir()
    for path in GOOD:
        shutil.copy(path, folder / path.name)
    victim = folder / "vanishing.txt"
    victim.write_text(SAMPLE, encoding="utf-8")
    real_iter = runner.iter_files

    def find_then_delete(paths, *args):
        found = list(real_iter(paths, *args))
        victim.unlink()
        return iter(found)

    monkeypatch.setattr(runner, "iter_files", find_then_delete)
    seen = []
    summary = runner.run([folder], tmp_path / "facts.db", workers=1, progress=False,
                         on_failure=lambda *f: seen.append(f))
    assert (summary.new, summary.failed) == (len(GOOD), 1)
    assert seen == [(str(victim), "read", "file not found (deleted during the run?)")]
    conn = sqlite3.connect(tmp_path / "facts.db")
    assert conn.execute("SELECT path, stage FROM failures").fetchall() == [(str(victim), "read")]


@pytest.mark.parametrize("case", ["no_input", "db_parent_is_a_file", "db_not_a_database"])
def test_run_that_cannot_proceed_exits_non_zero(tmp_path, case):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(GOOD[0], folder / GOOD[0].name)
    db = tmp_path / "facts.db"
    if case == "no_input":
        folder, message = tmp_path / "missing", "no such file or folder"
    elif case == "db_parent_is_a_file":
        (tmp_path / "plain").write_text("x")
        db, message = tmp_path / "plain" / "facts.db", "cannot write beside the database"
    else:
        db.write_bytes(b"this is not an SQLite database, just text " * 100)
        message = "cannot open database"
    result = vnfacts("run", str(folder), "--db", str(db), "--workers", "1", "-q")
    assert result.returncode == 1
    assert message in result.stderr and "Traceback" not in result.stderr, result.stderr


def test_article_whose_facts_cannot_be_stored_is_a_failure(tmp_path, monkeypatch):
    """An unstorable fact (a bug elsewhere) fails its article at stage `store`; the others are stored."""
    from pipeline.engines import runner
    from pipeline.store import storage

    folder = tmp_path / "in"
    folder.mkdir()
    for path in GOOD:
        shutil.copy(path, folder / path.name)
    real_rows = storage.fact_rows

    def rows(result):
        if result.source == GOOD[0].name:
            raise TypeError("Object of type Title is not JSON serializable")
        return real_rows(result)

    monkeypatch.setattr(storage, "fact_rows", rows)
    summary = runner.run([folder], tmp_path / "facts.db", workers=1, progress=False)
    assert (summary.new, summary.failed) == (len(GOOD) - 1, 1)
    assert summary.failures == [(str(folder / GOOD[0].name), "store",
                                 "TypeError: Object of type Title is not JSON serializable")]
    conn = sqlite3.connect(tmp_path / "facts.db")
    assert [r[0] for r in conn.execute("SELECT source FROM articles")] == [p.name for p in GOOD[1:]]


def test_genuine_text_is_not_repaired():
    """Upper-case Vietnamese (`XÃ HỘI`) looks like mojibake to a naive check; decode leaves it alone."""
    for text in (SAMPLE, SAMPLE.upper(), "KINH TẾ - XÃ HỘI\nĐÃ CÓ NGÃ BA, MÃI MÃI, CHÃNG? Đà Lạt «Huế»\n"):
        decoded = decode(text.encode("utf-8"))
        assert (decoded.text, decoded.encoding, decoded.repaired) == (text, "utf-8", None)


def test_folder_that_cannot_be_listed_is_a_failure(tmp_path, monkeypatch):
    """A sub-folder the walk cannot enter (chmod 000, simulated: we may be root) is reported, not skipped."""
    (tmp_path / "in" / "locked").mkdir(parents=True)
    (tmp_path / "in" / "locked" / "a.txt").write_text(SAMPLE, encoding="utf-8")
    shutil.copy(GOOD[0], tmp_path / "in" / GOOD[0].name)
    real_scandir, real_listdir = os.scandir, os.listdir

    def refuse(real):
        def call(path="."):
            if Path(path).name == "locked":
                raise PermissionError(13, "Permission denied", str(path))
            return real(path)
        return call

    monkeypatch.setattr(os, "scandir", refuse(real_scandir))
    monkeypatch.setattr(os, "listdir", refuse(real_listdir))
    from pipeline.engines import runner

    summary = runner.run([tmp_path / "in"], tmp_path / "facts.db", workers=1, progress=False)
    assert (summary.new, summary.failures) == (1, [(str(tmp_path / "in" / "locked"), "read",
                                                    "permission denied (folder cannot be listed)")])
