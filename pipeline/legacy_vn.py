"""Legacy Vietnamese encodings (TCVN3/ABC, VNI) and mojibake.

Placeholder detection; the hostile-input work (issue 7) completes it.
"""
from __future__ import annotations


def fix_mojibake(text: str) -> str:
    """UTF-8 text that was once decoded as Latin-1/cp1252, repaired (ftfy)."""
    if "Ã" not in text and "Æ" not in text and "Ä" not in text:
        return text
    import ftfy

    return ftfy.fix_encoding(text)


def detect_legacy_bytes(raw: bytes) -> str | None:
    return None


def detect_legacy_text(text: str) -> str | None:
    return None


def convert(raw: bytes, encoding: str) -> str:
    raise NotImplementedError


def convert_text(text: str, encoding: str) -> str:
    raise NotImplementedError
