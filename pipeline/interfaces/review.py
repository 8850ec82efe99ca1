"""`vnfacts review`: one stored article as a self-contained HTML page, every fact highlighted by kind.

The text and the facts (with their offsets) are read from the database, so
what is reviewed is what is stored. The article is rendered with displaCy's
span renderer (overlapping facts stack), one block per paragraph, beside a
table of the facts (kind, text, details, sentence, offsets).
"""
from __future__ import annotations

import difflib
import html
import json
import logging
from pathlib import Path

import click
import regex

from extractors import kinds
from extractors.registry import color_of, label_of, labels
from pipeline.interfaces.spacy_component import fact_spans
from pipeline.interfaces.articles import headline

log = logging.getLogger(__name__)

PARAGRAPH_RE = regex.compile(r"[^\n]+")
HEX_RE = regex.compile(r"[0-9a-f]{6,64}")
HIDDEN_KEYS = {"start", "end", "text", "sentence", "sentence_id", "article_id", "data"}


class ReviewError(click.ClickException):
    """The article to review cannot be found (a clean CLI message, not a traceback)."""


def find_article(db, source: str) -> dict:
    """The stored article `source` names: its file name (with or without `.txt`), path, id, or a prefix
    of its SHA-256 (6+ hex digits); else the one close match. Otherwise an error naming the closest
    file names (difflib), not the first ones.

    Example: `find_article(db, "000_635af670fab18767")["source"] == "000_635af670fab18767.txt"`
    """
    wanted = source.strip()
    suffix = "/" + wanted.lstrip("/")
    rows = list(db.query("SELECT * FROM articles WHERE source = ? OR path = ? OR substr(path, -?) = ? "
                         "OR CAST(id AS TEXT) = ? ORDER BY processed_at DESC",
                         [wanted, wanted, len(suffix), suffix, wanted]))
    if not rows and "." not in Path(wanted).name:  # `000_635af670fab18767` for `000_635af670fab18767.txt`
        rows = list(db.query("SELECT * FROM articles WHERE source LIKE ? ESCAPE '\\' ORDER BY processed_at DESC",
                             [_like(Path(wanted).name) + ".%"]))
    if not rows and HEX_RE.fullmatch(wanted.lower()):
        rows = list(db.query("SELECT * FROM articles WHERE hash LIKE ?", [wanted.lower() + "%"]))
    if not rows:
        names = [r[0] for r in db.execute("SELECT source FROM articles")]
        close = difflib.get_close_matches(Path(wanted).name, names, n=5, cutoff=0.6)
        if len(close) == 1 or (close and _clear_winner(Path(wanted).name, close)):
            return find_article(db, close[0])
        if not names:
            raise ReviewError(f"no stored article {source!r} (the database is empty: run `vnfacts run` first)")
        starting = sorted(n for n in names if n.startswith(Path(wanted).name))
        if starting:
            close = starting[:5] + ([f"... {len(starting)} in all"] if len(starting) > 5 else [])
        hint = f"closest: {', '.join(close)}" if close else "no file name is close; `vnfacts search` finds articles by words"
        raise ReviewError(f"no stored article {source!r} ({hint})")
    if len({r["path"] for r in rows}) > 1:
        raise ReviewError(f"{source!r} matches {len(rows)} articles; give the file name or path: "
                          + ", ".join(r["path"] for r in rows[:10]))
    return rows[0]


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _clear_winner(name: str, close: list[str]) -> bool:
    """The best match is very close (ratio 0.9+) and clearly closer than the second best."""
    ratio = [difflib.SequenceMatcher(None, name, c).ratio() for c in close[:2]] + [0.0]
    return ratio[0] >= 0.9 and ratio[0] - ratio[1] >= 0.05


def stored_facts(db, article_id: int) -> list[dict]:
    """Every stored fact of one article: kind, start, end, sentence and the JSON data, by offset."""
    facts = []
    tables = set(db.table_names())
    for kind in kinds():
        if kind.table not in tables:
            continue
        for row in db.query(f"SELECT start, [end], sentence, data FROM [{kind.table}] WHERE article_id = ?",
                            [article_id]):
            data = json.loads(row["data"]) if row["data"] else {}
            facts.append({"kind": kind.name, "start": row["start"], "end": row["end"],
                          "sentence": row["sentence"], "data": data})
    facts.sort(key=lambda f: (f["start"], f["end"]))
    return facts


def _title(item) -> str:
    """One title for the table: its words, then role | organisation | province when parsed."""
    if not isinstance(item, dict):
        return str(item)
    parsed = " | ".join(str(item[k]) for k in ("role", "organisation", "province") if item.get(k))
    words = item.get("completed") or item.get("text") or ""
    return f"{words} ({parsed})" if parsed else words


def _details(kind: str, data: dict) -> str:
    """The fact's fields beyond its text and offsets, compactly (titles with their parse)."""
    parts = []
    has_details = isinstance(data.get("title_details"), list)
    for key, value in data.items():
        if key in HIDDEN_KEYS or key.endswith("_spans") or value in (None, "", [], {}):
            continue
        if key == "titles" and has_details:
            continue
        if key in ("titles", "title_details"):
            key, value = "titles", "; ".join(_title(t) for t in value)
        elif isinstance(value, (list, dict)):
            value = json.dumps(value, ensure_ascii=False)
        parts.append(f"{key}: {value}")
    return " · ".join(parts)


def render_paragraphs(text: str, spans: list[tuple[int, int, str]]) -> list[dict]:
    """displaCy manual "span" input, one dict per paragraph; tokens are the pieces between span edges."""
    out = []
    for para in PARAGRAPH_RE.finditer(text):
        a, b = para.span()
        inside = [(max(s, a), min(e, b), lab) for s, e, lab in spans if s < b and e > a]
        cuts = sorted({a, b} | {x for s, e, _ in inside for x in (s, e)})
        pieces = [(x, y) for x, y in zip(cuts, cuts[1:]) if y > x]
        index = {x: i for i, (x, _) in enumerate(pieces)}
        ends = {y: i + 1 for i, (_, y) in enumerate(pieces)}
        out.append({
            "text": text[a:b],
            "tokens": [text[x:y].strip() or text[x:y] for x, y in pieces],
            "spans": [{"start_token": index[s], "end_token": ends[e], "label": lab} for s, e, lab in inside],
        })
    return out


PAGE = """<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><meta name="generator" content="vnfacts review"><title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 1.5em; color: #222; }}
main {{ display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 2em; }}
table {{ border-collapse: collapse; font-size: 0.85em; width: 100%; }}
th, td {{ border-bottom: 1px solid #ddd; padding: 4px 6px; text-align: left; vertical-align: top; }}
.label {{ padding: 1px 5px; border-radius: 3px; font-size: 0.8em; font-weight: bold; }}
.meta {{ color: #555; }}
#facts {{ position: sticky; top: 0; max-height: 100vh; overflow: auto; }}
</style></head>
<body>
<h1>{title}</h1>
<p class="meta">{meta}</p>
<p>{legend}</p>
<main>
<section id="article">{article}</section>
<section id="facts"><h2>Facts ({n})</h2>
<table><thead><tr><th>kind</th><th>text</th><th>details</th><th>sentence</th><th>offsets</th></tr></thead>
<tbody>
{rows}
</tbody></table></section>
</main>
</body></html>
"""


def render_review(article: dict, facts: list[dict]) -> str:
    """The review page of one article and its facts (self-contained HTML)."""
    from spacy import displacy

    text = article["text"] or ""
    spans = sorted({s for f in facts for s in fact_spans(f["kind"], f["start"], f["end"], f["data"])
                    if 0 <= s[0] < s[1] <= len(text)})
    paragraphs = render_paragraphs(text, spans)
    colors = labels()
    body = displacy.render(paragraphs, style="span", manual=True, options={"colors": colors}) if paragraphs else ""
    legend = " ".join(f'<span class="label" style="background:{c}">{lab}</span>' for lab, c in colors.items())
    rows = []
    for f in facts:
        color = color_of(label_of(f["kind"]))
        rows.append(f'<tr class="fact fact-{f["kind"]}"><td><span class="label" style="background:{color}">'
                    f'{html.escape(f["kind"])}</span></td><td>{html.escape(text[f["start"]:f["end"]])}</td>'
                    f'<td>{html.escape(_details(f["kind"], f["data"]))}</td><td>{f["sentence"] if f["sentence"] is not None else ""}</td>'
                    f'<td>{f["start"]}–{f["end"]}</td></tr>')
    meta = " · ".join(html.escape(str(v)) for v in (article["source"], article.get("published"), article.get("author"))
                      if v)
    if article.get("url"):
        meta += f' · <span class="url">{html.escape(article["url"])}</span>'
    name = headline(article.get("title"), text) or article["source"]
    return PAGE.format(title=html.escape(name), meta=meta, legend=legend,
                       article=body, n=len(facts), rows="\n".join(rows))


def write_review(db, source: str, out: str | Path | None = None) -> Path:
    """Write the review page of the stored article `source`; returns the file written.

    Example: `with open_reader("outputs/facts.db") as db: write_review(db, "000_635af670fab18767.txt", "page.html")`
    """
    article = find_article(db, source)
    facts = stored_facts(db, article["id"])
    path = Path(out) if out else Path("outputs/review") / f"{Path(article['source']).stem}.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_review(article, facts), encoding="utf-8")
    log.info("review of %s (%d facts) -> %s", article["source"], len(facts), path)
    return path
