"""How an article is named to a reader: its headline, or its first sentence when the page had none.

Example: `headline(None, "Sáng 25/5, đồng chí A làm việc. Tiếp đó ...") == "Sáng 25/5, đồng chí A làm việc."`
"""
from __future__ import annotations

import regex

SENTENCE_END_RE = regex.compile(r"(?<=[.!?…])\s|\n")
MAX_CHARS = 140


def headline(title: str | None, text: str | None, limit: int = MAX_CHARS) -> str:
    """The article's title, else its first sentence (cut at a word before `limit` characters, with `…`)."""
    if title and title.strip():
        return title.strip()
    body = (text or "").strip()
    if not body:
        return ""
    m = SENTENCE_END_RE.search(body)
    first = (body[:m.start()] if m else body).strip()
    if len(first) > limit:
        cut = first[:limit].rsplit(" ", 1)[0]
        first = cut.rstrip(",;:") + "…"
    return first
