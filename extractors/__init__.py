"""The fact extractors, run in this order over one tokenised article.

Each module exposes:
- `KIND`: the plural name used for the JSONL key and the CLI (`people`);
- `TABLE`: the SQLite table its per-article facts go to;
- `extract(doc, gaz, found) -> list[Fact]`: pure, no I/O; `found` maps the
  kinds already extracted for this article to their facts (indicators skip the
  numbers that documents and dates already claimed);
- `to_json(fact) -> dict`: the fact in the JSONL export format of FACTS.md.
"""
from __future__ import annotations

from extractors import dates, documents, indicators, people

EXTRACTORS = [documents, dates, people, indicators]
KINDS = [m.KIND for m in EXTRACTORS]
BY_KIND = {m.KIND: m for m in EXTRACTORS}
