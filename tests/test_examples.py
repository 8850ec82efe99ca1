"""Every example in the registered kinds' examples files (`gazetteer/*.examples.yaml`) as its own test
(Duckling-style corpus). A kind names its file in its registration (`Kind.examples`).

An examples file lists
- `positive: [{text, expect, also?, published?}]`: extracting from `text` gives a fact whose JSON
  contains every key/value of `expect` (recall), and every fact it gives matches the `expect` or an
  `also` entry of some example with the same text (precision: an extra fact fails). An `also` entry
  is a fact's text (a string) or a dict like `expect`;
- `negative: [text]` (or `{text, published?}`): extracting gives no fact at all;
- a positive may also name `absent`: key/values that the fact matching `expect` must not hold
  (`absent: {titles: ["Phó trưởng Ban Kinh tế Trung ương"]}`: a title rule's negative example).
"""
from __future__ import annotations

import collections
from pathlib import Path

import pytest
import yaml

from extractors import kinds
from extractors.registry import by_kind
from extractors.text.doc import make_doc
from gazetteer import ROOT, load_gazetteer
from pipeline.core.orchestration import extract_facts


def examples(kind) -> list:
    """(kind name, example, positive, expectations of every example with the same text) of one kind."""
    path = ROOT / kind.examples
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    group = collections.defaultdict(list)
    for ex in data.get("positive") or []:
        also = [{"text": a} if isinstance(a, str) else a for a in ex.get("also") or []]
        group[(ex["text"], ex.get("published"))] += [ex["expect"], *also]
    out = []
    for i, ex in enumerate(data.get("positive") or []):
        out.append(pytest.param(kind.name, ex, True, group[(ex["text"], ex.get("published"))],
                                id=f"{Path(path).stem}+{i}:{ex['text'][:40]}"))
    for i, ex in enumerate(data.get("negative") or []):
        ex = ex if isinstance(ex, dict) else {"text": ex}
        out.append(pytest.param(kind.name, ex, False, [], id=f"{Path(path).stem}-{i}:{ex['text'][:40]}"))
    return out


def _cases():
    for kind in kinds():
        if kind.examples:
            yield from examples(kind)


def extract_kind(kind: str, text: str, published: str | None = None) -> list[dict]:
    """Run every kind over `text` (both phases, as the pipeline does); the JSON facts of `kind`."""
    found = extract_facts(make_doc(text, meta={"published": published}), load_gazetteer())
    return [by_kind()[kind].to_json(f) for f in found[kind]]


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


def check_example(kind: str, example: dict, positive: bool, allowed: list) -> None:
    """Assert one example: recall and precision for a positive, no fact for a negative."""
    facts = extract_kind(kind, example["text"], example.get("published"))
    if positive:
        assert any(_contains(f, example["expect"]) for f in facts), facts
        for key, values in (example.get("absent") or {}).items():
            held = [f.get(key) for f in facts if _contains(f, example["expect"])]
            assert not any(_contains(h, [v]) for h in held for v in values), (key, values, held)
        extra = [f for f in facts if not any(_contains(f, e) for e in allowed)]
        assert extra == [], f"facts no example of this text expects: {extra}"
    else:
        assert facts == [], facts


@pytest.mark.parametrize("kind,example,positive,allowed", list(_cases()))
def test_example(kind, example, positive, allowed):
    check_example(kind, example, positive, allowed)


def test_every_kind_has_examples():
    assert all(kind.examples for kind in kinds())
