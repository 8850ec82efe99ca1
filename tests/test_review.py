"""`vnfacts review`: the stored article and its stored facts as one self-contained HTML page."""
from __future__ import annotations

import html
import json
import sqlite3

import pytest
import regex
from click.testing import CliRunner

from extractors import kinds
from pipeline.interfaces.cli import main
from pipeline.interfaces.review import render_paragraphs

MAI_SOURCE = "000_635af670fab18767.txt"
# displaCy's span renderer: a token's text, then one label box per span starting there
SPAN_START_RE = regex.compile(r'<span style="font-weight: bold;[^"]*">\s*(?P<text>[^<]+?)\s*<span(?P<rest>.*?)</span>\s*\n</span>',
                              regex.S)


@pytest.fixture(scope="module")
def page(seed_db, tmp_path_factory):
    out = tmp_path_factory.mktemp("review") / "page.html"
    result = CliRunner().invoke(main, ["review", MAI_SOURCE, "--db", str(seed_db), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert str(out) in result.output
    return out.read_text(encoding="utf-8")


def stored(seed_db) -> tuple[str, list[tuple[str, int, int, dict]]]:
    conn = sqlite3.connect(seed_db)
    aid, text = conn.execute("SELECT id, text FROM articles WHERE source = ?", (MAI_SOURCE,)).fetchone()
    facts = []
    for kind in kinds():
        for start, end, data in conn.execute(f"SELECT start, [end], data FROM [{kind.table}] WHERE article_id = ?",
                                             (aid,)):
            facts.append((kind.name, start, end, json.loads(data)))
    return text, facts


def test_side_table_lists_every_stored_fact(page, seed_db):
    text, facts = stored(seed_db)
    assert facts
    assert page.count('<tr class="fact ') == len(facts)
    for kind, start, end, _ in facts:
        assert f'<tr class="fact fact-{kind}">' in page
        assert f"<td>{html.escape(text[start:end])}</td>" in page
        assert f"<td>{start}–{end}</td>" in page
    assert "120-KL/TW" in page


def test_facts_are_highlighted_by_kind(page):
    starts = [(html.unescape(m["text"]), m["rest"]) for m in SPAN_START_RE.finditer(page)]
    assert any(t.startswith("Kết luận") and "DOCUMENT" in rest for t, rest in starts)
    assert any("INDICATOR" in rest for _, rest in starts)
    assert any(t == "Trương Thị Mai" and "PERSON" in rest for t, rest in starts)
    assert any(t.startswith("Trưởng Ban Dân vận Trung ương") and "TITLE" in rest for t, rest in starts)


def test_page_is_self_contained(page):
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert not regex.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "<script" not in page


def test_article_text_is_the_stored_text(page, seed_db):
    text, _ = stored(seed_db)
    visible = regex.sub(r"<span style=\"background[^>]*>\s*<span[^>]*>\s*[A-Z]+\s*</span>\s*</span>", "", page)
    visible = html.unescape(regex.sub(r"<[^>]+>", " ", visible.split('<section id="article">')[1].split("</section>")[0]))
    assert "".join(visible.split()) == "".join(text.split())  # span edges inside words add spaces only


def test_unknown_source_is_a_clean_error(seed_db, tmp_path):
    result = CliRunner().invoke(main, ["review", "nope.txt", "--db", str(seed_db), "--out", str(tmp_path / "x.html")])
    assert result.exit_code != 0
    assert "no stored article 'nope.txt'" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "x.html").exists()


def test_render_paragraphs_cuts_tokens_at_span_edges():
    text = "Ông Nguyễn Văn A, Bí thư Tỉnh ủy.\nDòng hai có 6.218 buổi."
    spans = [(4, 16, "PERSON"), (18, 32, "TITLE"), (18, 24, "TITLE"), (46, 56, "INDICATOR")]
    first, second = render_paragraphs(text, spans)
    assert first["tokens"] == ["Ông", "Nguyễn Văn A", ",", "Bí thư", "Tỉnh ủy", "."]
    assert sorted((s["start_token"], s["end_token"], s["label"]) for s in first["spans"]) == [
        (1, 2, "PERSON"), (3, 4, "TITLE"), (3, 5, "TITLE")]
    assert second["tokens"][second["spans"][0]["start_token"]] == "6.218 buổi"
