"""`vnfacts bench --dense-mb`: time per character of fact-dense text at large sizes, each in a fresh process.

The input is `Ngày 1/1/2024 có 5 người. ` repeated (a date and a count every 26
characters), the red team's worst case for extractors that compare facts with
each other. CPU time is reported beside wall time: on a shared machine wall
time measures the neighbours. The figure of merit is the time per character
at the largest size over the smallest (goal <= 1.5).
"""
from __future__ import annotations

import json
import subprocess
import sys
from typing import Callable

from pipeline.interfaces.bench import DENSE_SENTENCE, render

_MEASURE = r'''
import json, resource, sys, time
from pipeline.core.orchestration import process_article
size, unit = int(sys.argv[1]), sys.argv[2]
raw = (unit * (size // len(unit.encode()) + 1)).encode()[:size]
process_article(unit.encode(), "warm.txt")
t, c = time.perf_counter(), time.process_time()
result = process_article(raw, "dense.txt", timeout=None)
wall, cpu = time.perf_counter() - t, time.process_time() - c
print(json.dumps({"chars": len(raw.decode("utf-8", "ignore")), "wall": wall, "cpu": cpu, "error": result.error,
                  "facts": sum(len(v) for v in result.facts.values()),
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
'''


def measure(size_bytes: int) -> dict:
    """One fact-dense article of `size_bytes` through `process_article` in a fresh Python process."""
    out = subprocess.run([sys.executable, "-c", _MEASURE, str(size_bytes), DENSE_SENTENCE], capture_output=True,
                         text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def run_dense(sizes_mb: list[float], echo: Callable[[str], None] = print) -> float:
    """Print the fact-dense table for `sizes_mb`; returns µs/char (CPU) at the largest over the smallest.

    Example: `run_dense([0.5, 10])` (about 2 CPU minutes at 10 MB)
    """
    figures = [(mb, measure(int(mb * 1e6))) for mb in sorted(sizes_mb)]
    rows = [{"MB": f"{mb:g}", "characters": f"{f['chars']:,}", "facts": f"{f['facts']:,}",
             "CPU s": f"{f['cpu']:.1f}", "wall s": f"{f['wall']:.1f}",
             "µs/char (CPU)": f"{1e6 * f['cpu'] / f['chars']:.2f}", "peak RSS MB": f"{f['rss_mb']:.0f}",
             "error": str(f["error"] or "")} for mb, f in figures]
    echo(render(rows, list(rows[0]), "Fact-dense text (Ngày 1/1/2024 có 5 người. repeated), one process per size"))
    per_char = [f["cpu"] / f["chars"] for _, f in figures]
    ratio = per_char[-1] / per_char[0]
    echo(f"time per character (CPU), {figures[-1][0]:g} MB vs {figures[0][0]:g} MB: {ratio:.2f} "
         f"(goal ≤ 1.5: {'met' if ratio <= 1.5 else 'NOT met'})")
    return ratio
