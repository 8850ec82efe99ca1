"""A run on Dask: the same per-article function, partitions writing SQLite shards, one merge.

The client reads and hashes every file (as the local runner does) to skip the
unchanged ones, cuts the rest into partitions of paths, and maps
`process_partition` over them on a Dask cluster: a `LocalCluster` of worker
processes when no scheduler address is given, else the cluster behind
`scheduler` (e.g. one started by dask-jobqueue on SLURM/PBS). Each partition
runs `process_article` + `storage.store_article` into its own shard database;
the client merges the shards into the target in partition order
(`pipeline.store.shards.merge_shard`) and rebuilds the cross-article tables once.
Workers must see the input files and the shard folder (a shared filesystem).
"""
from __future__ import annotations

import json
import logging
import math
import os
import shutil
import signal
import tempfile
import time
import warnings
from collections import Counter, deque
from pathlib import Path
from typing import Iterator

from pipeline.store import storage
from pipeline.core.budget import DEFAULT_SECONDS
from pipeline.core.ingest import (MAX_BYTES, IngestError, ReadPolicy, content_hash, display_path, read_bytes,
                                  written_by_vnfacts)
from pipeline.engines.runner import Inputs, RunError, Summary, begin_run, count_copy, end_run, locked_db
from pipeline.store.shards import merge_shard

log = logging.getLogger(__name__)

MAX_PARTITION = 200  # articles per partition (one shard each)
QUIET_LOGGERS = ("distributed", "dask", "tornado", "bokeh")


def process_partition(paths: list[str], shard_path: str, max_bytes: int = MAX_BYTES,
                      policy: ReadPolicy = ReadPolicy(), timeout: float | None = None) -> dict:
    """Worker-side: process each file into the shard database; returns what the client needs.

    Example: `process_partition(["corpus/000_635af670fab18767.txt"], "/tmp/part-0.db")["stored"]`
    """
    from pipeline.core.orchestration import process_article

    db = storage.open_db(shard_path)
    out = {"stored": [], "failures": [], "stage_seconds": Counter()}
    try:
        for path in paths:
            try:
                raw = read_bytes(Path(path), max_bytes, policy)
            except IngestError as err:
                out["failures"].append((path, err.stage, err.reason, None))
                continue
            result = process_article(raw, Path(path).name, path, timeout=timeout)
            t = time.perf_counter()
            rows = storage.prepare(result)
            if rows.error:
                out["failures"].append((path, *rows.error, rows.hash))
                continue
            try:
                storage.store_article(db, rows)
            except Exception as err:  # a storage bug fails the article, not the partition
                log.exception("storing %s failed", display_path(path))
                out["failures"].append((path, "store", f"{type(err).__name__}: {err}", rows.hash))
                continue
            rows.timings["store"] = time.perf_counter() - t
            out["stage_seconds"].update(rows.timings)
            out["stored"].append((path, rows.chars, rows.counts))
    finally:
        db.conn.close()
    return out


def partitions(items: list, workers: int, max_size: int = MAX_PARTITION) -> list[list]:
    """Cut `items` into consecutive partitions: at least 4 per worker, at most `max_size` items each."""
    if not items:
        return []
    n = max(min(len(items), workers * 4), math.ceil(len(items) / max_size))
    size = math.ceil(len(items) / n)
    return [items[i:i + size] for i in range(0, len(items), size)]


def _client(workers: int, scheduler: str | None):
    """A distributed Client: on `scheduler`, or on a new LocalCluster of `workers` processes."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise RunError("the Dask engine needs dask and distributed: pip install 'vnfacts[dask]'") from None

    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.ERROR)
    # tornado's errors are callbacks cut short when Ctrl-C stops a wait on the cluster
    logging.getLogger("tornado").setLevel(logging.CRITICAL + 1)
    if scheduler:
        return Client(scheduler), None
    # the scheduler's HTTP endpoint moves off a busy port 8787 with a warning: not the user's concern;
    # workers stopped by Ctrl-C log tracebacks at ERROR level: the run says it was interrupted instead
    warnings.filterwarnings("ignore", message="Port .* is already in use", category=UserWarning)
    # worker processes start with Ctrl-C ignored (an ignored signal stays ignored in a spawned Python):
    # the client alone handles it and closes the cluster, instead of every worker printing a traceback
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                               silence_logs=logging.CRITICAL)
    finally:
        signal.signal(signal.SIGINT, previous)
    return Client(cluster), cluster


def _to_process(inputs: Inputs, stored: storage.Stored, force: bool, summary: Summary, db, run_id: int) -> list[str]:
    """Paths that need processing; unchanged files are counted, unreadable ones recorded as failures."""
    todo: list[str] = []
    seen: set[str] = set()
    for path in inputs.files():
        summary.read += 1
        spath = str(path)
        try:
            raw = inputs.read(path)
        except IngestError as err:
            _fail(db, summary, spath, err.stage, err.reason, run_id)
            continue
        if written_by_vnfacts(raw):
            summary.skipped += 1
            continue
        digest = content_hash(raw)
        if not force and (digest in seen or stored.unchanged(digest, spath)):
            count_copy(db, summary, spath, digest)  # a copy of another file: stored once
            continue
        seen.add(digest)
        todo.append(spath)
    return todo


def _fail(db, summary: Summary, path: str, stage: str, reason: str, run_id: int, digest: str | None = None) -> None:
    reason = " ".join(str(reason).split())[:500]  # one line, as the local runner records it
    summary.failed += 1
    summary.failures.append((path, stage, reason))
    log.warning("%s: %s: %s", display_path(path), stage, reason)
    storage.store_failure(db, path, stage, reason, run_id, digest)


def run(paths: list[str | Path], db_path: str | Path = "outputs/facts.db", workers: int | None = None,
        force: bool = False, scheduler: str | None = None, max_bytes: int = MAX_BYTES,
        shard_dir: str | Path | None = None, article_timeout: float | None = DEFAULT_SECONDS,
        follow_symlinks: bool = False) -> Summary:
    """Process every article under `paths` into the database with Dask; returns the run's summary.

    `shard_dir` (default: a temporary folder beside the database) must be
    reachable by every worker. Example: `run(["corpus"], "outputs/facts.db", workers=2).new`
    """
    workers = workers or os.cpu_count() or 1
    inputs = Inputs.of(paths, db_path, max_bytes, follow_symlinks)
    with locked_db(paths, db_path) as db:
        return _run_locked(inputs, db, Path(db_path), workers, force, scheduler, shard_dir, article_timeout)


def _run_locked(inputs: Inputs, db, db_path: Path, workers: int, force: bool, scheduler: str | None,
                shard_dir, timeout: float | None) -> Summary:
    """The run proper, with the lock held and the database open."""
    summary = Summary()
    t0 = time.perf_counter()
    run_id = begin_run(db, inputs.paths, workers, "dask")
    stored = storage.Stored(db)
    _remove_stale_shards(db_path)
    todo = _to_process(inputs, stored, force, summary, db, run_id)
    if todo:
        shards = Path(shard_dir or tempfile.mkdtemp(prefix=f".{db_path.name}.shards-", dir=db_path.parent))
        shards.mkdir(parents=True, exist_ok=True)
        try:
            _map_and_merge(db, todo, shards, workers, scheduler, inputs, timeout, force, summary, stored, run_id)
        finally:
            shutil.rmtree(shards, ignore_errors=True)
    end_run(db, run_id, inputs, summary, t0)
    return summary


def _remove_stale_shards(db_path: Path) -> None:
    """Shard folders a killed run left beside the database (the lock is held: no run is using them)."""
    for folder in db_path.parent.glob(f".{db_path.name}.shards-*"):
        shutil.rmtree(folder, ignore_errors=True)


def _map_and_merge(db, todo: list[str], shards: Path, workers: int, scheduler: str | None, inputs: Inputs,
                   timeout: float | None, force: bool, summary: Summary, stored: storage.Stored, run_id: int) -> None:
    """Submit one task per partition (a bounded window at a time), merge each shard in partition order."""
    try:
        client, cluster = _client(workers, scheduler)
    except (OSError, TimeoutError) as err:
        raise RunError(f"cannot reach the Dask scheduler {scheduler or '(local cluster)'}: {err}") from err
    try:
        n_workers = len(client.scheduler_info().get("workers", {})) or workers
        parts = partitions(todo, n_workers)
        window, pending = max(4, 4 * n_workers), deque()
        for i, part in enumerate(parts):
            pending.append((i, part, client.submit(process_partition, part, str(shards / f"part-{i:05d}.db"),
                                                   inputs.max_bytes, inputs.policy, timeout,
                                                   key=f"vnfacts-{os.getpid()}-{run_id}-{i}", pure=False)))
            while len(pending) >= window or (i == len(parts) - 1 and pending):
                _merge_one(db, *pending.popleft(), shards, force, summary, stored, run_id)
    except KeyboardInterrupt:  # Ctrl-C reached the workers too: their shutdown noise is not news
        for name in QUIET_LOGGERS:
            logging.getLogger(name).setLevel(logging.CRITICAL + 1)
        raise
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _merge_one(db, i: int, part: list[str], fut, shards: Path, force: bool, summary: Summary,
               stored: storage.Stored, run_id: int) -> None:
    """Wait for partition `i`, merge its shard, count its articles and record its failures."""
    try:
        out = fut.result()
    except Exception as err:  # a worker died (memory, killed): its partition fails, the run goes on
        for path in part:
            _fail(db, summary, path, "worker", f"partition {i} failed: {type(err).__name__}: {err}", run_id)
        return
    finally:
        fut.release()
    shard = shards / f"part-{i:05d}.db"
    changed = {path for path, _, _ in out["stored"] if stored.has_path(path)}  # asked before the merge adds them
    if out["stored"]:
        merge_shard(db, shard, skip_same=not force)
    for leftover in shards.glob(f"part-{i:05d}.db*"):
        leftover.unlink(missing_ok=True)
    for path, stage, reason, digest in out["failures"]:
        _fail(db, summary, path, stage, reason, run_id, digest)
    for path, chars, facts in out["stored"]:
        summary.changed += path in changed
        summary.new += path not in changed
        summary.chars += chars
        summary.facts.update(facts)
    summary.stage_seconds.update(out["stage_seconds"])
