"""vnfacts: facts from Vietnamese party and government news into SQLite.

One core shared by the CLI, the Python API and the spaCy component:
`process_article` (bytes -> facts, pure), `process_text`, `load_gazetteer`, `run`, `open_reader`, `load`.
Only `load` imports on first call: it brings in spaCy, which worker processes do not need.
"""
from __future__ import annotations

from gazetteer import load_gazetteer
from pipeline.core.orchestration import process_article, process_text
from pipeline.engines.runner import run
from pipeline.store import storage

__all__ = ["load_gazetteer", "process_article", "process_text", "run", "open_reader", "load"]


def open_reader(db_path="outputs/facts.db"):
    """The database read-only, in one consistent snapshot: `with pipeline.open_reader(path) as db: ...`."""
    return storage.open_reader(db_path)


def load():
    """A spaCy `Language` whose `doc.spans` carry the facts (see `pipeline.interfaces.spacy_component`)."""
    from pipeline.interfaces.spacy_component import load as _load

    return _load()
