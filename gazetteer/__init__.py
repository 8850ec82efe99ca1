"""Curated data (titles, organisations, document codes, provinces, boilerplate).

The YAML files beside this module are the data; this module only loads them.
Each file starts with `source:` and a scope comment. Extractors compile what
they need once per gazetteer through `Gazetteer.derived`.
"""
from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Any, Callable

import yaml

ROOT = Path(__file__).resolve().parent
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's safe loader where built in: 10x faster


class Gazetteer:
    """Lazy access to the data files, with a cache for compiled structures.

    Example: `load_gazetteer().load("document_codes")["codes"]`
    """

    def __init__(self, root: Path = ROOT):
        self.root = Path(root)
        self._data: dict[str, Any] = {}
        self._derived: dict[str, Any] = {}

    def load(self, name: str) -> Any:
        """The parsed YAML file `<name>.yaml` (a path under the root, e.g. `boilerplate/default`)."""
        if name not in self._data:
            path = self.root / f"{name}.yaml"
            with path.open(encoding="utf-8") as fh:
                self._data[name] = yaml.load(fh, Loader=SAFE_LOADER)
        return self._data[name]

    def files(self, folder: str) -> list[str]:
        """Names (for `load`) of the YAML files in a sub-folder, examples excluded."""
        return sorted(f"{folder}/{p.stem}" for p in (self.root / folder).glob("*.yaml")
                      if not p.name.endswith(".examples.yaml"))

    def derived(self, key: str, build: Callable[["Gazetteer"], Any]) -> Any:
        """`build(self)` computed once and cached under `key` (compiled patterns, automata)."""
        if key not in self._derived:
            self._derived[key] = build(self)
        return self._derived[key]


@functools.cache
def load_gazetteer(root: str | None = None) -> Gazetteer:
    """The shared gazetteer (one per process): `root`, else the folder in `VNFACTS_GAZETTEER`, else this one.

    Example: `VNFACTS_GAZETTEER=my_rules/ vnfacts run corpus/ --force` runs with a copy of the rules.
    """
    root = root or os.environ.get("VNFACTS_GAZETTEER")
    return Gazetteer(Path(root) if root else ROOT)
