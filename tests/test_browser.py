"""In a real browser: the officials page (Datasette) and the review page both show Trương Thị Mai.

Headless Chromium from the distribution (`apt-get install chromium`, as `.ci/run` does), driven by
Playwright without its own browser download. Skipped, with the reason, where either is missing.
"""
from __future__ import annotations

import os
import shutil
import urllib.parse

import pytest
from click.testing import CliRunner

from pipeline.interfaces.cli import main
from tests.test_serve import MAI_SOURCE, server  # noqa: F401  (the running `vnfacts serve` fixture)

NAME = "Trương Thị Mai"


def chromium_path() -> str | None:
    for candidate in (os.environ.get("VNFACTS_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if candidate and os.path.exists(candidate):
            return candidate
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def page():
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed (pip install -e '.[test]')")
    path = chromium_path()
    if not path:
        pytest.skip("no Chromium found: install Debian's `chromium` (apt-get install chromium) or set VNFACTS_CHROMIUM")
    with sync_api.sync_playwright() as pw:
        try:
            browser = pw.chromium.launch(executable_path=path, headless=True, args=["--no-sandbox"])
        except Exception as err:  # a browser that cannot start here is an environment problem, not a failure
            pytest.skip(f"Chromium at {path} did not start: {err}")
        try:
            yield browser.new_page()
        finally:
            browser.close()


@pytest.mark.slow
def test_officials_page_shows_the_official(page, server):  # noqa: F811
    base, name, _ = server
    url = f"{base}/{name}/officials?" + urllib.parse.urlencode({"role": "Trưởng Ban Dân vận", "province": "", "year": ""})
    page.goto(url)
    assert "Officials by role and province" in page.title() or "Officials by role and province" in page.content()
    cells = page.locator("table.rows-and-columns td", has_text=NAME)
    assert cells.count() >= 1
    assert page.locator("input[name=role]").input_value() == "Trưởng Ban Dân vận"


@pytest.mark.slow
def test_positions_table_page_facets(page, server):  # noqa: F811
    base, name, _ = server
    page.goto(f"{base}/{name}/positions?" + urllib.parse.urlencode({"name": NAME}))
    assert page.locator("table.rows-and-columns td", has_text=NAME).count() >= 1
    assert page.locator(".facet-info").count() >= 2


@pytest.mark.slow
def test_review_page_shows_the_person_highlighted(page, seed_db, tmp_path):
    out = tmp_path / "review.html"
    result = CliRunner().invoke(main, ["review", MAI_SOURCE, "--db", str(seed_db), "--out", str(out)])
    assert result.exit_code == 0, result.output
    page.goto(out.resolve().as_uri())
    assert page.locator("#facts td", has_text=NAME).count() >= 1
    highlighted = page.locator("#article span", has_text=NAME).filter(has_text="PERSON")
    assert highlighted.count() >= 1
    assert page.locator("#article").inner_text().count("DOCUMENT") >= 1


# --- issue 16: unaccented search, rows above the fold, article links (eight unc articles) ---------

from tests.test_serve import mini_server  # noqa: E402,F401  (the running `vnfacts serve` over mini_db)

VIEWPORT = {"width": 1280, "height": 720}


@pytest.mark.slow
def test_unaccented_search_finds_pham_minh_chinh(page, mini_server):  # noqa: F811
    base, name, _ = mini_server
    page.set_viewport_size(VIEWPORT)
    page.goto(f"{base}/{name}/articles")
    page.fill("input#_search", "Pham Minh Chinh")
    page.press("input#_search", "Enter")
    page.wait_for_load_state()
    assert page.locator("table.rows-and-columns td", has_text="Phạm Minh Chính").count() >= 1
    assert page.locator("table.rows-and-columns td a", has_text="news_business_210.txt").count() == 1


@pytest.mark.slow
def test_positions_page_shows_rows_above_the_fold(page, mini_server):  # noqa: F811
    base, name, _ = mini_server
    page.set_viewport_size(VIEWPORT)
    page.goto(f"{base}/{name}/positions")
    first_row = page.locator("table.rows-and-columns tbody tr").first
    box = first_row.bounding_box()
    assert box is not None and box["y"] + box["height"] <= VIEWPORT["height"], box
    described = page.locator("dl.column-descriptions")
    if described.count():
        assert described.bounding_box()["y"] > box["y"]


@pytest.mark.slow
def test_an_article_link_opens_the_article(page, mini_server):  # noqa: F811
    base, name, _ = mini_server
    page.goto(f"{base}/{name}/positions?" + urllib.parse.urlencode({"name": "Hoàng Hải Minh"}))
    link = page.locator("table.rows-and-columns td a[href*='/-/review/']").first
    source = link.inner_text()
    link.click()
    page.wait_for_load_state()
    assert "/-/review/" in page.url and source in page.url
    assert page.locator("#article").inner_text().strip()
    assert page.locator("#facts td", has_text="Hoàng Hải Minh").count() >= 1
