"""vnfacts: facts from Vietnamese party and government news into SQLite.

One core shared by the CLI, the Python API and the spaCy component:
`process_article` (bytes -> facts, pure), `process_text`, `load_gazetteer`, `run`, `open_reader`, `load`.
The imports happen on first call, so that extractors can use `extractors.text.textnorm`
without importing the whole pipeline.
"""
from __future__ import annotations

__all__ = ["load_gazetteer", "process_article", "process_text", "run", "open_reader", "load"]


def load_gazetteer(root=None):
    """The shared gazetteer (see `gazetteer.load_gazetteer`)."""
    from gazetteer import load_gazetteer as _load

    return _load(root)


def process_text(text, source="", gaz=None, timings=None):
    """Clean, tokenise and extract one article's text; returns `(Article, Doc, facts by kind)`."""
    from pipeline.core.orchestration import process_text as _process

    return _process(text, source, gaz, timings)


def process_article(raw, source, path="", gaz=None):
    """Decode, clean and extract one article's bytes; never raises (see `ArticleFacts.error`)."""
    from pipeline.core.orchestration import process_article as _process

    return _process(raw, source, path, gaz)


def run(paths, db_path="outputs/facts.db", **kwargs):
    """Process every article under `paths` into the SQLite database at `db_path`; returns the summary."""
    from pipeline.engines.runner import run as _run

    return _run(paths, db_path, **kwargs)


def open_reader(db_path="outputs/facts.db"):
    """The database read-only, in one consistent snapshot: `with pipeline.open_reader(path) as db: ...`."""
    from pipeline.store.storage import open_reader as _open

    return _open(db_path)


def load():
    """A spaCy `Language` whose `doc.spans` carry the facts (see `pipeline.interfaces.spacy_component`)."""
    from pipeline.interfaces.spacy_component import load as _load

    return _load()
