"""Every CLI command has help with an example and a place in the README."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.interfaces.cli import main

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(main.commands))
def test_command_has_help_with_example(name):
    command = main.commands[name]
    assert command.help and "Example:" in command.help, f"`vnfacts {name}` needs a docstring with an Example:"


@pytest.mark.parametrize("name", sorted(main.commands))
def test_command_is_in_readme(name):
    assert f"vnfacts {name}" in README, f"README does not show `vnfacts {name}`"


def test_readme_has_the_two_setup_commands():
    assert "pip install -e . && .venv/bin/vnfacts run corpus/ --db outputs/facts.db" in README
    assert "pip install -e '.[test]' && .venv/bin/python -m pytest" in README
