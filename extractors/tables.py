"""Member tables: rows of (name cell, post cell) from a table whose header names the columns.

An HTML `<table>` reaches the text as trafilatura's `| a | b |` lines; a scraped table often as one cell
per line. Column names are data (`gazetteer/tables.yaml`); a table without both a name and a post
column (a table of figures) gives nothing.
"""
from __future__ import annotations

import regex

LINE_RE = regex.compile(r"[^\n]*")
PIPE_ROW_RE = regex.compile(r"^\|(.*)\|\s*$")
RULE_RE = regex.compile(r"^\|[\s|:-]+\|\s*$")
INDEX_RE = regex.compile(r"^\d{1,3}[.)]?$")


def _columns(gaz) -> dict:
    def build(g):
        data = g.load("tables")
        cols = {}
        for kind in ("other", "unit", "index", "name", "title"):  # later kinds win
            for h in data["columns"][kind]:
                cols[h.lower()] = kind
        return {"cols": cols, "max_rows": data["max_rows"]}
    return gaz.derived("tables/columns", build)


def _lines(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _cell(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a] in " \t|":
        a += 1
    while b > a and text[b - 1] in " \t|":
        b -= 1
    return a, b


def _kinds(cells: list[str], cols: dict) -> list[str] | None:
    kinds = [cols.get(c.strip().lower().rstrip(":")) for c in cells]
    if None in kinds or "name" not in kinds or "title" not in kinds:
        return None
    return kinds


def member_rows(text: str, gaz) -> list[tuple[tuple[int, int], list[tuple[int, int]]]]:
    """(name cell, [post cells]) for each row of the article's member tables, as offsets into text.

    Example: lines `TT`, `Họ tên`, `Chức vụ`, `1`, `Ông Nguyễn Văn A`, `Bí thư Huyện ủy` give one row:
    the offsets of `Ông Nguyễn Văn A` and of `Bí thư Huyện ủy`.
    """
    conf = _columns(gaz)
    cols = conf["cols"]
    low = text.lower()
    if not any(h in low for h, k in cols.items() if k == "name"):
        return []
    lines = _lines(text)
    out = []
    i = 0
    while i < len(lines):
        a, b = lines[i]
        line = text[a:b].strip()
        m = PIPE_ROW_RE.match(line)
        if m and (kinds := _kinds(m.group(1).split("|"), cols)):  # | TT | Họ và tên | Chức vụ |
            i += 1
            while i < len(lines) and (row := PIPE_ROW_RE.match(text[lines[i][0]:lines[i][1]].strip())):
                a, b = lines[i]
                if not RULE_RE.match(text[a:b].strip()):
                    cells, p = [], text.index("|", a) + 1
                    for part in row.group(1).split("|"):
                        cells.append(_cell(text, p, p + len(part)))
                        p += len(part) + 1
                    out += _row(cells, kinds)
                i += 1
            continue
        # one cell per line: a run of header cells
        j = i
        while j < len(lines) and text[lines[j][0]:lines[j][1]].strip().lower().rstrip(":") in cols:
            j += 1
        kinds = _kinds([text[x:y] for x, y in lines[i:j]], cols) if j - i >= 2 else None
        if not kinds:
            i += 1
            continue
        n, k, rows = len(kinds), j, 0
        while k + n <= len(lines) and rows < conf["max_rows"]:
            cells = [_cell(text, *lines[k + c]) for c in range(n)]
            if any(x == y for x, y in cells) or ("index" in kinds and not INDEX_RE.match(
                    text[slice(*cells[kinds.index("index")])])):
                break
            out += _row(cells, kinds)
            k, rows = k + n, rows + 1
        i = max(k, i + 1)
    return out


def _row(cells, kinds):
    if len(cells) != len(kinds):
        return []
    name = cells[kinds.index("name")]
    posts = [c for c, k in zip(cells, kinds) if k == "title" and c[1] > c[0]]
    return [(name, posts)] if name[1] > name[0] and posts else []
