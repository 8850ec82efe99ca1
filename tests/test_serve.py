"""`vnfacts serve` as a user runs it: a real server on a free loopback port over the seed database."""
from __future__ import annotations

import contextlib
import hashlib
import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow  # Datasette servers started in subprocesses: `pytest -m "not slow"` stays quick

MAI_SOURCE = "000_635af670fab18767.txt"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def vnfacts_command() -> list[str]:
    script = Path(sys.executable).parent / "vnfacts"
    return [str(script)] if script.exists() else [sys.executable, "-m", "pipeline.interfaces.cli"]


def get(url: str, method: str = "GET", data: bytes | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, method=method, data=data)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode("utf-8", "replace")


def get_json(url: str):
    status, body = get(url)
    assert status == 200, f"{url}: {status} {body[:300]}"
    return json.loads(body)


@contextlib.contextmanager
def serving(db_path, log_path: Path):
    """`vnfacts serve --db DB --port P` (default host) in a subprocess; yields (base url, db name, log path)."""
    port = free_port()
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(vnfacts_command() + ["serve", "--db", str(db_path), "--port", str(port)],
                                cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None:
                pytest.fail(f"vnfacts serve exited with {proc.returncode}: {log_path.read_text()}")
            try:
                if get(base + "/-/versions.json")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"vnfacts serve did not answer: {log_path.read_text()}")
            time.sleep(0.3)
        try:
            yield base, Path(db_path).stem, log_path
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()


@pytest.fixture(scope="module")
def server(seed_db, tmp_path_factory):
    """`vnfacts serve` over the seed database."""
    with serving(seed_db, tmp_path_factory.mktemp("serve") / "serve.log") as running:
        yield running


@pytest.fixture(scope="module")
def mini_server(mini_db, tmp_path_factory):
    """`vnfacts serve` over eight unc articles (`mini_db`)."""
    with serving(mini_db, tmp_path_factory.mktemp("serve") / "serve.log") as running:
        yield running


def q(params: dict) -> str:
    return urllib.parse.urlencode(params)


def article_id(base: str, name: str, source: str) -> int:
    rows = get_json(f"{base}/{name}/articles.json?" + q({"source": source, "_shape": "array", "_col": "source"}))
    assert len(rows) == 1, rows
    return rows[0]["id"]


def test_listens_on_loopback_by_default(server):
    base, _, log_path = server
    assert f"Uvicorn running on {base}" in log_path.read_text()


def test_officials_canned_query_returns_the_officials_of_the_article(server):
    base, name, _ = server
    rows = get_json(f"{base}/{name}/officials.json?" + q({"role": "Trưởng Ban Dân vận", "_shape": "array"}))
    assert "Trương Thị Mai" in {r["name"] for r in rows}
    assert all("Trưởng Ban Dân vận" in (r["title"] or "") or "Trưởng Ban Dân vận" in (r["role"] or "") for r in rows)
    lai_chau = get_json(f"{base}/{name}/officials.json?" + q({"province": "Lai Châu", "_shape": "array"}))
    assert "Giàng Páo Mỷ" in {r["name"] for r in lai_chau}
    assert "Trương Thị Mai" not in {r["name"] for r in lai_chau}


def test_officials_ignore_case_and_tone_spelling_and_filter_by_year(server):
    base, name, _ = server
    url = f"{base}/{name}/officials.json?"
    rows = get_json(url + q({"role": "bí thư tỉnh uỷ", "province": "lai châu", "_shape": "array"}))
    assert "Giàng Páo Mỷ" in {r["name"] for r in rows}
    assert "Giàng Páo Mỷ" in {r["name"] for r in get_json(url + q({"province": "Lai Châu", "year": "2024",
                                                                    "_shape": "array"}))}
    assert "Giàng Páo Mỷ" not in {r["name"] for r in get_json(url + q({"province": "Lai Châu", "year": "2019",
                                                                        "_shape": "array"}))}


def test_json_api_positions_and_people_of_the_article(server):
    base, name, _ = server
    positions = get_json(f"{base}/{name}/positions.json?" + q({"name": "Trương Thị Mai", "_shape": "array"}))
    assert any("Trưởng Ban Dân vận Trung ương" in (p["title"] or "") for p in positions), positions
    aid = article_id(base, name, MAI_SOURCE)
    mentions = get_json(f"{base}/{name}/person_mentions.json?" + q({"article_id": aid, "_shape": "array"}))
    names = {m["name"] for m in mentions}
    assert {"Trương Thị Mai", "Giàng Páo Mỷ", "Lê Văn Lương"} <= names


def test_articles_citing_a_document(server):
    base, name, _ = server
    rows = get_json(f"{base}/{name}/articles_citing.json?" + q({"id": "120-KL/TW", "_shape": "array"}))
    sources = [r["source"] for r in rows]
    assert MAI_SOURCE in sources and "002_abb3aa599dd7161b.txt" in sources
    assert len(sources) == len(set(sources))  # one row per article
    assert all("120" in r["cited_as"] and "120" in r["first_sentence"] for r in rows)
    assert next(r for r in rows if r["source"] == MAI_SOURCE)["mentions"] >= 2
    assert get_json(f"{base}/{name}/articles_citing.json?" + q({"id": "no-such/ID", "_shape": "array"})) == []


def test_indicators_of_one_unit_by_province_and_year(server):
    base, name, _ = server
    rows = get_json(f"{base}/{name}/indicators_by_unit.json?" + q({"unit": "buổi", "_shape": "array"}))
    assert rows and all(r["unit"] == "buổi" for r in rows)
    mai = [r for r in rows if r["source"] == MAI_SOURCE]
    assert any(r["value"] == 6218 and r["year"] == "2024" for r in mai), rows


def test_full_text_search_on_articles(server):
    base, name, _ = server
    data = get_json(f"{base}/{name}/articles.json?" + q({"_search": "Giàng Páo Mỷ", "_col": "source"}))
    assert [r[1] for r in data["rows"]] == [MAI_SOURCE]


def test_metadata_in_both_languages_and_facets(server):
    base, name, _ = server
    meta = get_json(f"{base}/-/metadata.json")
    tables = meta["databases"][name]["tables"]
    for table in ("articles", "citations", "dates", "indicators", "person_mentions", "documents"):
        assert " / " in tables[table]["description"], table
        assert tables[table]["columns"], table
    assert "Bài báo" in tables["articles"]["title"] and "Articles" in tables["articles"]["title"]
    facets = get_json(f"{base}/{name}/documents.json")["facet_results"]
    assert {"type", "year"} <= set(facets)
    assert any(v["value"] == "Kết luận" for v in facets["type"]["results"])
    assert "positions" not in tables or {"role", "province"} <= set(tables["positions"]["facets"])


def test_writes_are_refused(server, seed_db):
    base, name, _ = server
    before = hashlib.sha256(Path(seed_db).read_bytes()).hexdigest()
    status, body = get(f"{base}/{name}.json?" + q({"sql": "delete from articles"}))
    assert status == 400 and "SELECT" in body
    status, _ = get(f"{base}/{name}.json?" + q({"sql": "update articles set title = 'x'"}))
    assert status == 400
    for path in (f"/{name}/articles_citing", f"/{name}/articles", f"/{name}"):
        status, _ = get(base + path, method="POST", data=b"sql=delete+from+articles&id=1")
        assert status == 405, path
    count = get_json(f"{base}/{name}.json?" + q({"sql": "select count(*) as n from articles", "_shape": "array"}))
    assert count == [{"n": 5}]
    assert hashlib.sha256(Path(seed_db).read_bytes()).hexdigest() == before


def test_unaccented_search_in_datasette(server, mini_server):
    base, name, _ = mini_server
    data = get_json(f"{base}/{name}/articles.json?" + q({"_search": "Pham Minh Chinh", "_col": "source",
                                                          "_shape": "array"}))
    assert "news_business_210.txt" in {r["source"] for r in data}
    ranked = get_json(f"{base}/{name}/search.json?" + q({"q": "thu tuong", "_shape": "array"}))
    assert ranked and ranked[0]["source"] != "news_tech_203.txt"
    base, name, _ = server
    plain = get_json(f"{base}/{name}/articles.json?" + q({"_search": "Giang Pao My", "_col": "source"}))
    assert [r[1] for r in plain["rows"]] == [MAI_SOURCE]
    with_d = get_json(f"{base}/{name}/articles.json?" + q({"_search": "Đảng", "_col": "source", "_shape": "array"}))
    without = get_json(f"{base}/{name}/articles.json?" + q({"_search": "dang", "_col": "source", "_shape": "array"}))
    assert with_d and with_d == without


def test_article_links_review_pages_and_rows_first(server):
    base, name, _ = server
    status, page = get(f"{base}/{name}/positions?" + q({"name": "Trương Thị Mai"}))
    assert status == 200
    review = f"/-/review/{name}/{MAI_SOURCE}"
    assert f'href="{review}"' in page
    assert "/-/vnfacts.css" in page and "table-wrapper" in page
    status, css = get(base + "/-/vnfacts.css")
    assert status == 200 and ".table-wrapper { order: 2; }" in css and "column-descriptions { order: 4" in css
    status, article = get(base + review)
    assert status == 200 and "Trương Thị Mai" in article and '<tr class="fact ' in article
    status, articles = get(f"{base}/{name}/articles")
    assert f'href="{review}"' in articles
    assert get(f"{base}/-/review/{name}/no-such.txt")[0] == 404


def test_article_without_headline_shows_its_first_sentence(mini_server):
    base, name, _ = mini_server
    status, page = get(f"{base}/{name}/articles?" + q({"source": "news_education_180.txt"}))
    assert status == 200
    first = get_json(f"{base}/{name}/articles.json?" + q({"source": "news_education_180.txt", "_shape": "array"}))[0]
    assert not first["title"] and first["url"]
    assert f"<i>{first['text'].split('. ')[0][:30]}" in page
