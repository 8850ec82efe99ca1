"""`vnfacts bench`: throughput of the whole pipeline beside underthesea's tokenizer alone.

On the folder's articles, into temporary databases, it measures
(a) underthesea `sent_tokenize` + `word_tokenize` alone on the cleaned texts
    (one line at a time, as the pipeline calls them), one process;
(b) the full pipeline in this process (read, `process_article`,
    `storage.store_article`), with the time of every stage;
    (a) and (b) run interleaved in blocks of articles, so both see the same
    machine load, and their ratio is the first target (`TARGETS`: >= 2.0);
(c) `pipeline.engines.runner.run` with 1 worker and with N workers, alternated twice, the faster of
    each (speed-up >= 1.8);
(d) an unchanged re-run (< 5% of the first run's time);
then the time per character of one article at 1x, 4x and 16x its length and
of an unpunctuated sentence at 1,250, 5,000 and 20,000 characters and of
fact-dense text (`Ngày 1/1/2024 có 5 người. ` repeated) at 2,500, 10,000 and
40,000 characters (each against its own shortest input: <= 1.5), and with `--scale N` the peak
memory of runs over 1,000 and N generated articles (ratio <= 1.2).
"""
from __future__ import annotations

import io
import logging
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Callable

from extractors import kinds
from pipeline.store import storage
from pipeline.core.ingest import decode, find_files, read_bytes

log = logging.getLogger(__name__)

BLOCK = 20  # articles per interleaved block of (a) and (b)
SMALL_SCALE = 1000
TARGETS = {"ratio": 2.0, "speedup": 1.8, "rerun": 5.0, "memory": 1.2, "linear": 1.5}


def run_bench(path: str, workers: int | None = None, limit: int | None = None, scale: int | None = None,
              echo: Callable[[str], None] = print, inprocess_only: bool = False) -> dict:
    """Measure and print the benchmark tables for the articles under `path`; returns the figures.
    `inprocess_only`: only (a), (b) and the stages (a quick look at the first target).

    Example: `run_bench("corpus", limit=5)["ratio"]`
    """
    from gazetteer import load_gazetteer

    workers = workers or 2
    files = find_files([path])[:limit] if limit else find_files([path])
    gaz = load_gazetteer()
    tmp = Path(tempfile.mkdtemp(prefix="vnfacts-bench-"))
    try:
        echo(machine())
        samples = _samples(files, gaz)
        if not samples:
            echo(f"no readable articles under {path}")
            return {}
        figures = _throughput(samples, files, workers, tmp, gaz, echo, inprocess_only)
        if inprocess_only:
            _targets(figures, workers, echo)
            return figures
        figures.update(_linearity(samples, gaz, echo))
        if scale:
            figures.update(_scale(samples, scale, workers, tmp, echo))
        mem = _peak_mb()
        echo(f"peak memory (maxrss): this process {mem['self']:.0f} MB, largest child {mem['children']:.0f} MB; "
             f"load average now {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
        _targets(figures, workers, echo)
        return figures
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def machine() -> str:
    """One line describing the machine and its load."""
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"machine: {os.cpu_count()} cores, {model}, {ram:.0f} GB RAM; load average {load}; "
            f"Python {sys.version.split()[0]}")


def _samples(files: list[Path], gaz) -> list[tuple[Path, bytes, str]]:
    """(path, bytes, cleaned text) of every file that cleans to some text."""
    from pipeline.core.cleaning import clean
    from pipeline.core.html_page import html_to_text
    from pipeline.core.orchestration import looks_like_html

    out = []
    for path in files:
        try:
            text = decode(raw := read_bytes(path)).text
            text = clean(html_to_text(text, path.name, gaz)[0] if looks_like_html(text, path.name) else text, gaz,
                         source=path.name).text
        except Exception:  # a bad file is the pipeline's business (and its failures table), not the bench's
            continue
        if text.strip():
            out.append((path, raw, text))
    return out


def tokenize_only(text: str) -> None:
    """underthesea alone: `sent_tokenize` on each line, `word_tokenize` on each sentence."""
    from underthesea import sent_tokenize, word_tokenize

    for line in text.split("\n"):
        if line.strip():
            for sent in sent_tokenize(line):
                word_tokenize(sent)


def _throughput(samples, files, workers: int, tmp: Path, gaz, echo, inprocess_only: bool = False) -> dict:
    """Parts (a)-(d) (only (a) and (b) when `inprocess_only`): the throughput table and the stage table."""
    from pipeline.core.orchestration import process_article
    from pipeline.engines.runner import run

    tokenize_only("Khởi động bộ tách từ. Câu thứ hai.")
    chars = sum(len(t) for _, _, t in samples)
    db = storage.open_db(tmp / "inprocess.db")
    wall, cpu, stages, crf = Counter(), Counter(), Counter(), Counter()
    for i in range(0, len(samples), BLOCK):
        block = samples[i:i + BLOCK]
        w, c = time.perf_counter(), time.process_time()
        for _, _, text in block:
            tokenize_only(text)
        wall["a"] += time.perf_counter() - w
        cpu["a"] += time.process_time() - c
        w, c = time.perf_counter(), time.process_time()
        for path, _, _ in block:
            t = time.perf_counter()
            raw = read_bytes(path)
            stages["read"] += time.perf_counter() - t
            result = process_article(raw, path.name, str(path), gaz)
            stages.update(result.timings)
            if result.error:
                continue
            crf.update(sentences=len(result.doc.sentences), crf=result.doc.crf_sentences,
                       whole=result.doc.tokenized_sentences, dictionary=result.doc.dictionary_answers)
            t = time.perf_counter()
            storage.store_article(db, result)
            stages["store"] += time.perf_counter() - t
        wall["b"] += time.perf_counter() - w
        cpu["b"] += time.process_time() - c
    t, c = time.perf_counter(), time.process_time()
    storage.rebuild_derived(db)
    stages["rebuild derived (once)"] = time.perf_counter() - t
    wall["b"] += stages["rebuild derived (once)"]
    cpu["b"] += time.process_time() - c  # (its CPU time too: (b) is the whole pipeline in both columns)
    db.conn.close()

    n = len(samples)
    rows = [
        _row("(a) underthesea sent_tokenize + word_tokenize, 1 process", n, chars, wall["a"], cpu["a"]),
        _row("(b) full pipeline in-process, 1 worker", n, chars, wall["b"], cpu["b"]),
    ]
    one = many = again = None
    if not inprocess_only:
        paths = [str(p) for p in files]
        one, many, many_db = _runs_alternated(paths, tmp, workers)
        again = run(paths, many_db, workers=workers, progress=False)
        rows += [
            _row("(c) vnfacts run, 1 worker (faster of 2)", one.processed, one.chars, one.elapsed),
            _row(f"(c) vnfacts run, {workers} workers (faster of 2)", many.processed, many.chars, many.elapsed),
            _row(f"(d) unchanged re-run, {workers} workers ({again.unchanged} unchanged)", again.read, many.chars,
                 again.elapsed),
        ]
    echo(render(rows, ["run", "articles", "characters", "seconds", "CPU s", "articles/s", "characters/s"],
                f"Throughput on {n} articles ({chars:,} characters of cleaned text)"))
    total = sum(stages.values())
    order = ["read", "decode", "clean", "split", "tokenize"] + [k.name for k in kinds()] + ["store"]
    names = order + [k for k in stages if k not in order]
    srows = [{"stage": k if k not in order[5:-1] else f"extract: {k}", "seconds": f"{stages[k]:.2f}",
              "share": f"{100 * stages[k] / total:.1f}%" if total else "-",
              "characters/s": f"{chars / stages[k]:,.0f}" if stages[k] else "-"} for k in names if k in stages]
    echo(render(srows, ["stage", "seconds", "share", "characters/s"], "Stages of (b), one worker"))
    share = crf["crf"] / crf["sentences"] if crf["sentences"] else 0.0
    whole = crf["whole"] / crf["sentences"] if crf["sentences"] else 0.0
    echo(f"sentences that reached the CRF: {crf['crf']:,} of {crf['sentences']:,} ({100 * share:.1f}%), "
         f"decoded whole by word_tokenize: {crf['whole']:,} ({100 * whole:.1f}%), the others through a "
         f"window; word-boundary questions the dictionary answered: {crf['dictionary']:,}")
    return {"ratio": wall["a"] / wall["b"] if wall["b"] else 0.0,
            "ratio_cpu": cpu["a"] / cpu["b"] if cpu["b"] else 0.0,
            "speedup": one.elapsed / many.elapsed if many and many.elapsed else None,
            "rerun": 100 * again.elapsed / many.elapsed if many and many.elapsed else None,
            "stages": dict(stages), "articles": n, "chars": chars, "crf_share": share, "crf_whole_share": whole}


def _runs_alternated(paths: list[str], tmp: Path, workers: int, rounds: int = 2):
    """(c): `vnfacts run` with 1 worker and with `workers`, alternated `rounds` times, each into a fresh
    database; the faster run of each (a shared machine slows one run or the other by 10-15%), and the
    last database of `workers` (for (d), the unchanged re-run)."""
    from pipeline.engines.runner import run

    best: dict[int, object] = {}
    for r in range(rounds):
        for n in dict.fromkeys((1, workers)):  # (`--workers 1`: one run a round, not an unchanged re-run)
            summary = run(paths, tmp / f"c{n}-{r}.db", workers=n, progress=False)
            if n not in best or summary.elapsed < best[n].elapsed:
                best[n] = summary
    return best[1], best[workers], tmp / f"c{workers}-{rounds - 1}.db"


def _row(name: str, articles: int, chars: int, seconds: float, cpu: float | None = None) -> dict:
    return {"run": name, "articles": articles, "characters": f"{chars:,}", "seconds": f"{seconds:.2f}",
            "CPU s": "-" if cpu is None else f"{cpu:.2f}",
            "articles/s": f"{articles / seconds:.1f}" if seconds else "-",
            "characters/s": f"{chars / seconds:,.0f}" if seconds else "-"}


DENSE_SENTENCE = "Ngày 1/1/2024 có 5 người. "  # a date and a count every 26 characters (also `--dense-mb`)
DENSE_SIZES = (2500, 10000, 40000)


def _linearity(samples, gaz, echo) -> dict:
    """Time per character of one article at 1x, 4x, 16x its length, of an unpunctuated sentence at
    1,250, 5,000 and 20,000 characters, and of fact-dense text (`DENSE_SENTENCE` repeated) at
    2,500, 10,000 and 40,000 characters, each against its own shortest input."""
    from pipeline.core.orchestration import process_text

    texts = sorted((t for _, _, t in samples), key=len)
    pool = [t for t in texts if sum(c.isdigit() for c in t) >= 20] or texts  # an article with facts to find
    base = pool[len(pool) // 2]
    words = [w.strip(".,;:!?\"'()[]…“”") for w in base.split()]
    sentence, i = [], 0
    while sum(map(len, sentence)) + len(sentence) < 20000:
        sentence.append(words[i % len(words)] or "và")
        i += 1
    sentence = " ".join(sentence)
    cases = [("1x article", base, "1x article"), ("4x article", "\n".join([base] * 4), "1x article"),
             ("16x article", "\n".join([base] * 16), "1x article")]
    cases += [(f"unpunctuated sentence, {n:,} characters", sentence[:n], "unpunctuated sentence, 1,250 characters")
              for n in (1250, 5000, 20000)]
    dense = DENSE_SENTENCE * (DENSE_SIZES[-1] // len(DENSE_SENTENCE) + 1)  # a date and a count every 26 characters
    cases += [(f"fact-dense, {n:,} characters", dense[:n], f"fact-dense, {DENSE_SIZES[0]:,} characters")
              for n in DENSE_SIZES]
    rows, per, worst = [], {}, 1.0
    for name, text, against in cases:
        best, spent, runs = 1e9, 0.0, 0
        while runs < 3 or (spent < 0.5 and runs < 50):  # best of several (for 0.5 s): short inputs are noisy
            t, wall = time.process_time(), time.perf_counter()  # CPU time: wall time measures the neighbours
            article, _, _ = process_text(text, "linearity.txt", gaz)
            best, spent, runs = min(best, time.process_time() - t), spent + time.perf_counter() - wall, runs + 1
        n = len(article.text) or 1
        per[name] = best / n
        worst = max(worst, per[name] / per[against])
        rows.append({"input": name, "characters": f"{n:,}", "CPU seconds": f"{best:.3f}",
                     "µs/character": f"{1e6 * best / n:.2f}", "vs shortest": f"{per[name] / per[against]:.2f}"})
    echo(render(rows, ["input", "characters", "CPU seconds", "µs/character", "vs shortest"],
                "Linearity: time per character grows with length?"))
    return {"linear": worst}


def generate(samples, n: int, folder: Path, seed: int = 8) -> Path:
    """Write `n` articles made by recombining the samples' paragraphs (deterministic) into `folder`."""
    rng = random.Random(seed)
    paras = [p for _, _, t in samples for p in t.split("\n") if len(p) >= 40]
    titles = [t.split("\n", 1)[0] for _, _, t in samples]
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        body = rng.sample(paras, min(len(paras), rng.randint(4, 20)))
        (folder / f"gen_{i:07d}.txt").write_text("\n".join([rng.choice(titles), *body]) + "\n", encoding="utf-8")
    return folder


def measure_run(folder: Path, db: Path, workers: int) -> dict:
    """`vnfacts run` in a subprocess: seconds, peak RSS of its largest process and of its whole tree (MB)."""
    try:
        import psutil  # installed with dask[distributed]; without it only the largest process is measured
    except ImportError:
        psutil = None
    cmd = [sys.executable, "-m", "pipeline.interfaces.cli", "run", str(folder), "--db", str(db), "-j", str(workers), "-q"]
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = [0]

    def sample() -> None:
        try:
            root = psutil.Process(proc.pid)
            while proc.returncode is None:
                tree = [root, *root.children(recursive=True)]
                peak[0] = max(peak[0], sum(_rss(p) for p in tree))
                time.sleep(0.2)
        except psutil.NoSuchProcess:
            pass

    watcher = threading.Thread(target=sample, daemon=True)
    if psutil:
        watcher.start()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if psutil:
        watcher.join()
    maxrss = usage.ru_maxrss / 1024
    return {"seconds": time.perf_counter() - t, "maxrss": maxrss, "tree": peak[0] / 2**20 if psutil else maxrss,
            "ok": proc.returncode == 0}


def _rss(p) -> int:
    try:
        return p.memory_info().rss
    except Exception:  # the process ended between listing and reading
        return 0


def _scale(samples, scale: int, workers: int, tmp: Path, echo) -> dict:
    """Peak memory of a run over SMALL_SCALE generated articles and over `scale` of them."""
    sizes = sorted({min(SMALL_SCALE, scale), scale})
    rows, runs = [], {}
    for n in sizes:
        folder = generate(samples, n, tmp / f"gen{n}")
        runs[n] = m = measure_run(folder, tmp / f"gen{n}.db", workers)
        shutil.rmtree(folder, ignore_errors=True)
        rows.append({"articles": f"{n:,}", "seconds": f"{m['seconds']:.1f}", "articles/s": f"{n / m['seconds']:.1f}",
                     "peak RSS, largest process (MB)": f"{m['maxrss']:.0f}",
                     "peak RSS, all processes (MB)": f"{m['tree']:.0f}", "exit": "ok" if m["ok"] else "FAILED"})
    echo(render(rows, list(rows[0]), f"Memory at scale ({workers} workers, generated articles)"))
    small, large = runs[sizes[0]], runs[sizes[-1]]
    return {"memory": large["tree"] / small["tree"] if small["tree"] else 0.0,
            "memory_maxrss": large["maxrss"] / small["maxrss"] if small["maxrss"] else 0.0,
            "scale": (sizes[0], sizes[-1])}


def _peak_mb() -> dict:
    return {"self": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "children": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}


def _targets(f: dict, workers: int, echo) -> None:
    """The targets table: measured value, target, met or not."""
    def row(name, value, target, ok, fmt="{:.2f}"):
        return {"target": name, "measured": fmt.format(value), "goal": target, "met": "yes" if ok else "NO"}

    rows = [row("pipeline ÷ tokenizer throughput, 1 worker (wall)", f["ratio"], f"≥ {TARGETS['ratio']}",
                f["ratio"] >= TARGETS["ratio"]),
            row("pipeline ÷ tokenizer throughput, 1 worker (CPU)", f["ratio_cpu"], f"≥ {TARGETS['ratio']}",
                f["ratio_cpu"] >= TARGETS["ratio"])]
    if f.get("speedup") is not None:
        rows += [row(f"speed-up {workers} workers vs 1", f["speedup"], f"≥ {TARGETS['speedup']}",
                     f["speedup"] >= TARGETS["speedup"]),
                 row("unchanged re-run, % of first run", f["rerun"], f"< {TARGETS['rerun']:.0f}%",
                     f["rerun"] < TARGETS["rerun"], "{:.1f}%")]
    if "linear" in f:
        rows.append(row("time/character, longest vs shortest input", f["linear"], f"≤ {TARGETS['linear']}",
                        f["linear"] <= TARGETS["linear"]))
    if "memory" in f:
        rows.append(row(f"peak memory {f['scale'][1]:,} vs {f['scale'][0]:,} articles", f["memory"],
                        f"≤ {TARGETS['memory']}", f["memory"] <= TARGETS["memory"]))
    echo(render(rows, ["target", "measured", "goal", "met"], "Targets"))


def render(rows: list[dict], columns: list[str], title: str | None = None) -> str:
    """Rows as a rich table, rendered to text (so the caller chooses where it goes)."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    for col in columns:
        table.add_column(col, justify="left" if col in ("run", "stage", "input", "target") else "right")
    for r in rows:
        table.add_row(*(str(r.get(c, "")) for c in columns))
    out = io.StringIO()
    Console(file=out, width=140, color_system=None).print(table)
    return "\n".join(line.rstrip() for line in out.getvalue().splitlines())
