"""The fact kinds. Each kind module registers itself with one `register(Kind(...))` call
(`extractors.registry`); importing this package imports every module in it, so a new kind is one
new module here (plus its gazetteer YAML and examples), found without editing any list.

- `kinds()`: the registered kinds by rank (documents, dates, people, indicators);
- `EXTRACTORS`, `KINDS`, `BY_KIND`: the same, as a list, names and a dict (read when imported:
  code that must see kinds registered later calls `kinds()`).

A kind's `extract(doc, lexicon) -> list[Fact]` is pure and sees no other kind; overlaps between
kinds and links (an indicator's period from the dates) are settled after (`extractors.resolve`).
"""
from __future__ import annotations

import importlib
import pkgutil

from extractors.registry import Kind, by_kind, kinds, register

for _module in pkgutil.iter_modules(__path__):
    if not _module.ispkg and _module.name not in ("registry", "resolve"):
        importlib.import_module(f"{__name__}.{_module.name}")

EXTRACTORS = kinds()
KINDS = [k.name for k in EXTRACTORS]
BY_KIND = by_kind()

__all__ = ["BY_KIND", "EXTRACTORS", "KINDS", "Kind", "by_kind", "kinds", "register"]
