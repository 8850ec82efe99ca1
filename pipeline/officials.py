"""People and positions across articles (placeholder until issue 3 lands)."""


def rebuild(db) -> None:
    """Recompute the cross-article `people` and `positions` tables."""
