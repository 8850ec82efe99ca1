"""Canonical documents across articles (placeholder until issue 4 lands)."""


def rebuild(db) -> None:
    """Recompute the cross-article `documents` table from `citations`."""
