"""Red-team findings on the run/ingest side (issue 17): hostile names and paths, dense articles, signals.

Each test reproduces one finding and failed on the code before its fix. The paths and folders are
made in tmp_path; corpus articles are used by path, never copied into the project.
"""
from __future__ import annotations

import sys
from pathlib import Path

from pipeline.core.orchestration import process_text

ROOT = Path(__file__).resolve().parent.parent
OWN_CODE = (str(ROOT / "extractors"), str(ROOT / "pipeline"))
DENSE = "Ngày 1/1/2024 có 5 người. "


def own_lines_executed(text: str) -> int:
    """Lines of vnfacts' own code executed to process `text` (underthesea and libraries not counted)."""
    count = 0

    def local(frame, event, arg):
        nonlocal count
        count += event == "line"
        return local

    def calls(frame, event, arg):
        return local if frame.f_code.co_filename.startswith(OWN_CODE) else None

    sys.settrace(calls)
    try:
        process_text(text, "dense.txt")
    finally:
        sys.settrace(None)
    return count


def test_work_is_linear_in_fact_density():
    """Issue 17.2: every stage does work linear in the number of facts (indicators looked at every date)."""
    process_text("Khởi động. " + DENSE, "warm.txt")
    small, large = own_lines_executed(DENSE * 100), own_lines_executed(DENSE * 800)
    assert large / small < 8 * 1.2, (small, large)
