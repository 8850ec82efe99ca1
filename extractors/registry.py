"""The fact kinds, one registration each: what storage, export, queries, review, spaCy and Datasette iterate over.

A kind module ends with one plain call, modelled on spaCy's `@Language.factory(assigns=..., requires=...)`:

    register(Kind(name="documents", fact=Document, extract=extract, to_json=to_json, table="citations",
                  label="DOCUMENT", color="#feca74", rank=10, examples="documents.examples.yaml"))

Extraction runs in two phases (`extractors.resolve`): every kind's `extract(doc, lexicon)` on its own,
then one resolver drops the facts that overlap a fact of a kind they `yield_to` (the precedence is this
data), then each kind's `link` step reads the resolved facts of the kinds it `requires`.

Example: `[k.name for k in kinds()]` -> `["documents", "dates", "people", "indicators"]`
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Callable


def overlaps(fact, other) -> bool:
    """The default conflict: the two spans share a character."""
    return fact.start < other.end and other.start < fact.end


@dataclass(frozen=True)
class Kind:
    """One fact kind and everything the rest of vnfacts needs to know about it.

    - `name`: the plural name of its JSONL key, CLI and queries (`people`); `table`: its SQLite table.
    - `fact`: the fact dataclass; `extract(doc, lexicon) -> list[fact]` (pure, sees no other kind);
      `to_json(fact) -> dict` (the JSONL/`data` shape).
    - `rank`: the order of extraction, resolution and export (lower first).
    - `yield_to`: kinds whose facts win over this kind's where they conflict; `conflicts(fact, other)`
      decides what a conflict is (default: the spans overlap).
    - `requires` / `assigns` / `link`: the link step, `link(facts, doc, lexicon, resolved) -> facts`, run
      after resolution with `resolved` holding the facts of the kinds in `requires`; it fills `assigns`.
    - `label` / `color`: the spaCy span label and its displaCy colour; `spans(start, end, data, fact)`
      gives spans beyond the fact's own (a person's mentions and titles), `labels` their colours.
    - `export(items) -> items`: the article's JSON facts as the JSONL export lists them (default: as stored).
    - `rebuild`: `"module:function"` of the cross-article rebuild run after each run (`function(db)`),
      imported when called (the derived tables live above the extractors).
    - `column_types`: column -> Python type where the values alone would not decide it (a REAL column
      holding whole numbers and fractions); storage and the exports declare it.
    - `columns`: column -> description, `title`, `description`, `facets`: its Datasette metadata
      (used where `gazetteer/datasette.yaml` has no entry for the table).
    - `examples`: its examples file, relative to the gazetteer folder (run by `tests/test_examples.py`).
    """
    name: str
    fact: type
    extract: Callable
    to_json: Callable
    table: str = ""
    rank: int = 100
    label: str = ""
    color: str = "#dddddd"
    yield_to: tuple[str, ...] = ()
    conflicts: Callable = overlaps
    requires: tuple[str, ...] = ()
    assigns: tuple[str, ...] = ()
    link: Callable | None = None
    spans: Callable | None = None
    labels: dict[str, str] = field(default_factory=dict)
    export: Callable | None = None
    rebuild: str | None = None
    columns: dict[str, str] = field(default_factory=dict)
    column_types: dict[str, type] = field(default_factory=dict)
    title: str | None = None
    description: str | None = None
    facets: tuple[str, ...] = ()
    examples: str | None = None

    def __post_init__(self):
        if not self.table:
            object.__setattr__(self, "table", self.name)
        if not self.label:
            object.__setattr__(self, "label", self.name.upper())

    # the names of the module-style interface (`module.KIND`, `module.TABLE`), for code written against it
    @property
    def KIND(self) -> str:  # noqa: N802
        return self.name

    @property
    def TABLE(self) -> str:  # noqa: N802
        return self.table

    def rebuild_hook(self) -> Callable | None:
        """The cross-article rebuild function, imported now, or None."""
        if not self.rebuild:
            return None
        module, _, function = self.rebuild.partition(":")
        return getattr(importlib.import_module(module), function)


_KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    """Add (or replace, by name) a kind. Its `yield_to` and `requires` should name kinds of lower rank
    (resolved and linked before it); a kind naming itself is refused.

    Example: `register(Kind(name="toys", fact=Toy, extract=extract, to_json=to_json, rank=90))`
    """
    for other in (*kind.yield_to, *kind.requires):
        if other == kind.name:
            raise ValueError(f"kind {kind.name!r} cannot yield to or require itself")
    _KINDS[kind.name] = kind
    return kind


def unregister(name: str) -> None:
    """Remove a kind (tests register toy kinds and take them away again)."""
    _KINDS.pop(name, None)


def kinds() -> list[Kind]:
    """Every registered kind, by rank then name."""
    return sorted(_KINDS.values(), key=lambda k: (k.rank, k.name))


def get(name: str) -> Kind:
    return _KINDS[name]


def by_kind() -> dict[str, Kind]:
    return {k.name: k for k in kinds()}


def labels() -> dict[str, str]:
    """Every span label -> its colour, in kind order (a kind's own label first, then its extra ones)."""
    out: dict[str, str] = {}
    for kind in kinds():
        out.setdefault(kind.label, kind.color)
        for label, color in kind.labels.items():
            out.setdefault(label, color)
    return out


def label_of(name: str) -> str:
    """The span label of a kind; an unknown kind gets its upper-cased name (never a KeyError)."""
    kind = _KINDS.get(name)
    return kind.label if kind else name.upper()


def color_of(label: str) -> str:
    return labels().get(label, "#dddddd")
