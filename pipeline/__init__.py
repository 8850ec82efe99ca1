"""vnfacts: facts from Vietnamese party and government news into SQLite.

One core shared by the CLI, the Python API and the spaCy component:
`process_article` (bytes -> facts, pure), `process_text`, `load_gazetteer`, `run`.
"""
from __future__ import annotations

from gazetteer import load_gazetteer
from pipeline.orchestration import ArticleFacts, process_article, process_text

__all__ = ["ArticleFacts", "load_gazetteer", "process_article", "process_text", "run", "load"]


def run(paths, db_path="outputs/facts.db", **kwargs):
    """Process every article under `paths` into the SQLite database at `db_path`; returns the summary."""
    from pipeline.runner import run as _run

    return _run(paths, db_path, **kwargs)


def load():
    """A spaCy `Language` whose `doc.spans` carry the facts (see `pipeline.spacy_component`)."""
    from pipeline.spacy_component import load as _load

    return _load()
