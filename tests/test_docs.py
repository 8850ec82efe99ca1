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


# --- every command the README shows, run, its output compared in shape with the one shown -------

import shlex  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402

import regex  # noqa: E402
from click.testing import CliRunner  # noqa: E402

from tests.conftest import ROOT, SHARED  # noqa: E402

# commands that need a setup of their own, each run by the named test
COVERED_ELSEWHERE = {
    "vnfacts serve": "tests/test_serve.py::test_listens_on_loopback_by_default",
    "vnfacts run hostile/": "tests/test_hostile.py::test_exit_code_and_summary",
    "vnfacts run unc/": "tests/test_concurrency.py::test_readers_and_a_second_run_while_a_run_writes",
    "vnfacts person": "tests/test_identity_unc.py::test_issue_examples_on_unc",  # people of the unc corpus
    "vnfacts appointments": "tests/test_appointments.py::test_readme_example_on_the_hoa_phat_articles",  # unc
}
NUMBER_RE = regex.compile(r"\d+(?:[.,]\d+)*")


def readme_commands() -> list[tuple[str, list[str]]]:
    """(command, the output lines shown under it) for every `$ ` line of the README's text blocks."""
    out: list[tuple[str, list[str]]] = []
    for block in regex.findall(r"```text\n(.*?)```", README, flags=regex.S):
        here: list[tuple[str, list[str]]] = []
        for line in block.splitlines():
            if line.startswith("$ "):
                here.append((line[2:], []))
            elif here:
                here[-1][1].append(line)
        out += here
    return out


def shape(lines: list[str]) -> list:
    """What must agree: table borders, header names, cells per row; other lines with numbers as N."""
    found: list = []
    for line in lines:
        text = line.strip()
        if not text or text.startswith("...") or "\r" in line:
            continue
        if text.startswith("+-"):
            found.append("border")
        elif text.startswith("|"):
            cells = tuple(c.strip() for c in text.strip("|").split("|"))
            opens_table = found[-1:] == ["border"] and (len(found) < 2 or not isinstance(found[-2], tuple))
            found.append(("header", cells) if opens_table else ("row", len(cells)))
        else:
            found.append(NUMBER_RE.sub("N", " ".join(text.split())))
    return found


def test_every_readme_command_is_run(tmp_path, monkeypatch):
    commands = readme_commands()
    assert len(commands) >= 12
    (tmp_path / "corpus").symlink_to(ROOT / "corpus")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("VNFACTS_FORMAT", "table")
    ran = 0
    for command, shown in commands:
        if any(command.startswith(prefix) for prefix in COVERED_ELSEWHERE):
            test_file, name = next(v for k, v in COVERED_ELSEWHERE.items() if command.startswith(k)).split("::")
            assert f"def {name}(" in (ROOT / test_file).read_text(encoding="utf-8"), command
            continue
        args = shlex.split(command, comments=True)
        if args[0] == "python3":
            if not SHARED.exists():
                continue  # the scorer lives in ../shared (see Development)
            args = [sys.executable] + [a.replace("../shared", str(SHARED)) for a in args[1:]]
            proc = subprocess.run(args, capture_output=True, text=True, timeout=300)
            assert proc.returncode == 0, (command, proc.stderr)
            continue
        assert args[0] == "vnfacts", command
        result = CliRunner().invoke(main, args[1:])
        assert result.exit_code == 0, (command, result.output, result.stderr)
        ran += 1
        printed = result.stdout.splitlines() + [line for line in result.stderr.split("\n") if "\r" not in line]
        if shown:
            assert shape(printed) == shape(shown), (command, printed)
    assert ran >= 10
