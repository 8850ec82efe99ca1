"""The layers as import-linter contracts (pyproject.toml: [tool.importlinter]): checked, and able to fail."""
from __future__ import annotations

import os

import pytest

from tests.conftest import ROOT

importlinter_cli = pytest.importorskip("importlinter.cli")


def lint(config: str) -> int:
    """`lint-imports --config CONFIG` over this checkout; 0 when every contract is kept."""
    cwd = os.getcwd()
    os.chdir(ROOT)  # import-linter finds the packages from the working directory (sys.path)
    try:
        return importlinter_cli.lint_imports(config_filename=config, no_cache=True)
    finally:
        os.chdir(cwd)


def test_layer_contracts_are_kept():
    assert lint(str(ROOT / "pyproject.toml")) == 0


def test_an_upward_import_breaks_the_contract(tmp_path):
    """The same tool on a contract the code breaks (gazetteer above extractors) reports it."""
    config = tmp_path / "upside-down.ini"
    config.write_text("[importlinter]\nroot_packages =\n    gazetteer\n    extractors\n\n"
                      "[importlinter:contract:upside-down]\nname = upside down\ntype = layers\n"
                      "layers =\n    gazetteer\n    extractors\n", encoding="utf-8")
    assert lint(str(config)) == 1
