"""Every example in `gazetteer/*.examples.yaml` as its own test (Duckling-style corpus).

An examples file names its extractor kind and lists
- `positive: [{text, expect, published?}]`: extracting `kind` from `text`
  gives at least one fact whose JSON contains every key/value of `expect`;
- `negative: [text]` (or `{text, published?}`): extracting gives no fact at all.
"""
from __future__ import annotations


import pytest
import yaml

from extractors import BY_KIND
from gazetteer import ROOT, load_gazetteer
from extractors.text.doc import make_doc
from pipeline.core.orchestration import extract_facts


def _cases():
    for path in sorted(ROOT.rglob("*.examples.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        kind = data.get("kind")
        if not kind:
            continue
        for i, ex in enumerate(data.get("positive") or []):
            yield pytest.param(kind, ex, True, id=f"{path.stem}+{i}:{ex['text'][:40]}")
        for i, ex in enumerate(data.get("negative") or []):
            ex = ex if isinstance(ex, dict) else {"text": ex}
            yield pytest.param(kind, ex, False, id=f"{path.stem}-{i}:{ex['text'][:40]}")


def extract_kind(kind: str, text: str, published: str | None = None) -> list[dict]:
    """Run the extractors in pipeline order over `text`; the JSON facts of `kind`."""
    found = extract_facts(make_doc(text, meta={"published": published}), load_gazetteer())
    return [BY_KIND[kind].to_json(f) for f in found[kind]]


def _contains(fact, expect) -> bool:
    if isinstance(expect, dict):
        return isinstance(fact, dict) and all(k in fact and _contains(fact[k], v) for k, v in expect.items())
    if isinstance(expect, list) and isinstance(fact, list):
        return all(any(_contains(f, e) for f in fact) for e in expect)
    if isinstance(expect, float) or isinstance(fact, float):
        try:
            return abs(float(fact) - float(expect)) < 1e-6
        except (TypeError, ValueError):
            return False
    return fact == expect


@pytest.mark.parametrize("kind,example,positive", list(_cases()))
def test_example(kind, example, positive):
    facts = extract_kind(kind, example["text"], example.get("published"))
    if positive:
        assert any(_contains(f, example["expect"]) for f in facts), facts
    else:
        assert facts == [], facts
