"""documents (placeholder until the extractor lands)."""
from __future__ import annotations

from extractors.facts import to_dict

KIND = "documents"
TABLE = "citations"


def extract(doc, gaz, found=None) -> list:
    return []


def to_json(fact) -> dict:
    return to_dict(fact)
