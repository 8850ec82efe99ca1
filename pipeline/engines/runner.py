"""A run: find files, skip the unchanged, process the rest in worker processes, store.

The parent reads each file and hashes it (so unchanged files cost one read),
a bounded window of articles is in flight in the pool at any time (flat
memory), and the parent is the single writer.
"""
from __future__ import annotations

import collections
import contextlib
import fcntl
import json
import logging
import os
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

import sqlite_utils

from pipeline.store import storage
from pipeline.core.budget import DEFAULT_SECONDS
from pipeline.core.ingest import (MAX_BYTES, IngestError, ReadPolicy, content_hash, count_files, display_path,
                                  iter_files, read_bytes, written_by_vnfacts)
from pipeline.engines.pool import run_pool, work

log = logging.getLogger(__name__)
# digests of files submitted lately: a copy of a file still in flight counts as unchanged
IN_FLIGHT_MEMORY = 10_000


class RunError(Exception):
    """The run itself cannot proceed (database locked or unwritable, no input)."""


@dataclass
class Summary:
    read: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    failed: int = 0
    skipped: int = 0  # files vnfacts itself wrote (review pages)
    facts: collections.Counter = field(default_factory=collections.Counter)
    failures: list[tuple[str, str, str]] = field(default_factory=list)
    elapsed: float = 0.0
    chars: int = 0
    stage_seconds: collections.Counter = field(default_factory=collections.Counter)

    @property
    def processed(self) -> int:
        return self.new + self.changed

    @property
    def rate(self) -> float:
        return self.read / self.elapsed if self.elapsed else 0.0

    def as_dict(self) -> dict:
        return {"read": self.read, "new": self.new, "changed": self.changed, "unchanged": self.unchanged,
                "failed": self.failed, "skipped": self.skipped, "facts": dict(self.facts), "elapsed": round(self.elapsed, 3),
                "articles_per_s": round(self.rate, 2), "chars": self.chars}


# Lock files held by this process. A forked worker closes its copies at once,
# so that a worker outliving a killed run never keeps the run's lock.
_HELD_LOCKS: list = []


def _close_locks_in_child() -> None:
    for fh in _HELD_LOCKS:
        try:
            fh.close()
        except OSError:
            pass
    _HELD_LOCKS.clear()


os.register_at_fork(after_in_child=_close_locks_in_child)


class DbLock:
    """An exclusive lock beside the database: a second run refuses instead of interleaving."""

    def __init__(self, db_path: Path):
        # the real path: a symlink to the database (`alias.db -> real.db`) takes the same lock
        self.path = Path(os.path.realpath(db_path) + ".lock")
        self.db = Path(db_path)
        self.fh = None

    def __enter__(self):
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.fh = open(self.path, "a+")
        except OSError as err:
            parent = self.path.parent
            why = f"{parent} is not a folder" if parent.exists() and not parent.is_dir() else (err.strerror or err)
            raise RunError(f"cannot write beside the database {display_path(self.db)}: {why}") from None
        try:
            fcntl.flock(self.fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.fh.seek(0)
            holder = self.fh.read().strip() or "another process"
            self.fh.close()
            raise RunError(f"another vnfacts run ({holder}) is writing to {display_path(self.db)}; "
                           "wait for it to finish or use another --db") from None
        _HELD_LOCKS.append(self.fh)
        self.fh.seek(0)
        self.fh.truncate()
        self.fh.write(f"pid {os.getpid()}")
        self.fh.flush()
        return self

    def __exit__(self, *exc):
        if self.fh in _HELD_LOCKS:
            _HELD_LOCKS.remove(self.fh)
        fcntl.flock(self.fh, fcntl.LOCK_UN)
        self.fh.close()


@dataclass(frozen=True)
class Inputs:
    """What a run reads: its paths, how (symlinks, size limit), and the folders it skips.

    Example: `Inputs.of(["corpus"], "outputs/facts.db")`
    """
    paths: tuple
    policy: ReadPolicy
    max_bytes: int = MAX_BYTES
    skip: tuple[str, ...] = ()

    @classmethod
    def of(cls, paths, db_path, max_bytes: int = MAX_BYTES, follow_symlinks: bool = False) -> "Inputs":
        return cls(tuple(paths), ReadPolicy.for_paths(paths, follow_symlinks), max_bytes, own_folders(paths, db_path))

    def files(self) -> Iterator[Path]:
        return iter_files(list(self.paths), self.policy.follow_symlinks, self.skip)

    def count(self) -> int:
        return count_files(list(self.paths), self.policy.follow_symlinks, self.skip)

    def read(self, path: Path) -> bytes:
        return read_bytes(path, self.max_bytes, self.policy)


def own_folders(paths, db_path) -> tuple[str, ...]:
    """Folders vnfacts writes into that lie inside an input folder: the database's folder (and with it
    `outputs/review`, `outputs/export`), unless it is an input folder itself (`run corpus --db corpus/x.db`)."""
    folder = os.path.realpath(os.path.dirname(os.path.abspath(db_path)))
    roots = [os.path.realpath(p) for p in paths]
    inside = any(folder.startswith(r.rstrip(os.sep) + os.sep) for r in roots)
    return (folder,) if inside and folder not in roots else ()


def _inputs(inputs: Inputs, db, stored: storage.Stored, force: bool, summary: Summary, fail,
            bar) -> Iterator[tuple[bytes, str, str]]:
    """(bytes, source, path) of each file to process; unchanged and unreadable files are handled here.

    Whether a file is unchanged is asked of the database; files still in flight are remembered
    in a bounded table, so memory stays flat however many files the run reads.
    """
    in_flight: collections.OrderedDict[str, None] = collections.OrderedDict()  # digests, oldest first
    for path in inputs.files():
        summary.read += 1
        spath = str(path)
        try:
            raw = inputs.read(path)
        except IngestError as err:
            fail(spath, err.stage, err.reason)
            bar.update(1)
            continue
        if written_by_vnfacts(raw):
            summary.skipped += 1
            bar.update(1)
            continue
        digest = content_hash(raw)
        if not force and (digest in in_flight or stored.unchanged(digest, spath)):
            count_copy(db, summary, spath, digest)
            bar.update(1)
            continue
        in_flight[digest] = None
        if len(in_flight) > IN_FLIGHT_MEMORY:
            in_flight.popitem(last=False)
        yield raw, path.name, spath


def count_copy(db, summary: "Summary", path: str, digest: str) -> None:
    """A file whose bytes are stored already (or are in this run) under another path or its own: stored
    once; this path's own older article, if it had one, goes (its facts would be stale). Both engines.
    """
    if storage.forget_path(db, path, digest):
        summary.changed += 1
    else:
        summary.unchanged += 1


def run(paths: list[str | Path], db_path: str | Path = "outputs/facts.db", workers: int | None = None,
        force: bool = False, progress: bool = True, max_bytes: int = MAX_BYTES,
        on_failure: Callable[[str, str, str], None] | None = None, article_timeout: float | None = DEFAULT_SECONDS,
        follow_symlinks: bool = False) -> Summary:
    """Process every article under `paths` into the database; returns the run's summary.

    Bad files become `failures` rows (and `on_failure(path, stage, reason)` calls);
    RunError only when the run itself cannot proceed: no input path exists, the
    database is locked by another run, or it cannot be opened or written. An article
    still running after `article_timeout` seconds fails (stage `timeout`); symbolic links
    leading outside `paths` are not read unless `follow_symlinks`.
    Example: `run(["corpus"], "outputs/facts.db").new`
    """
    workers = workers or os.cpu_count() or 1
    inputs = Inputs.of(paths, db_path, max_bytes, follow_symlinks)
    with locked_db(paths, db_path) as db:
        return _run_locked(inputs, db, workers, force, progress, article_timeout, on_failure)


@contextlib.contextmanager
def locked_db(paths: list[str | Path], db_path: str | Path) -> Iterator[sqlite_utils.Database]:
    """The run's database, opened under the run lock, for any engine.

    RunError when no input path exists, another run holds the lock, the database cannot be opened,
    or a write fails (locked for longer than busy_timeout, disk full, read-only).
    """
    missing = [display_path(p) for p in paths if not Path(p).exists() and not Path(p).is_symlink()]
    if not paths or len(missing) == len(paths):
        raise RunError(f"no such file or folder: {', '.join(missing) or '(no paths given)'}")
    db_path = Path(db_path)
    with DbLock(db_path):
        try:
            db = storage.open_db(db_path)
        except storage.DamagedDatabase as err:
            raise RunError(str(err)) from err  # says which file and how to recover
        except (OSError, sqlite3.Error) as err:
            raise RunError(f"cannot open database {display_path(db_path)}: {err}") from err
        try:
            yield db
        except sqlite3.DatabaseError as err:  # full disk, damaged file, locked too long: the run stops
            raise RunError(f"cannot write to database {display_path(db_path)}: {storage.explain(err, db_path)}") from err
        finally:
            db.conn.close()


def begin_run(db: sqlite_utils.Database, paths, workers: int, engine: str) -> int:
    """Record a run's start (and mark an unfinished earlier run, killed, as interrupted); its id."""
    # with the lock held, an unfinished run in the table is one that was killed
    db.execute("UPDATE runs SET summary = ? WHERE finished IS NULL AND summary IS NULL",
               [json.dumps({"interrupted": True})])
    return db["runs"].insert({"started": storage.now(), "paths": " ".join(map(display_path, paths)),
                              "workers": workers, "engine": engine}).last_pk


def end_run(db: sqlite_utils.Database, run_id: int, inputs: Inputs, summary: Summary, t0: float) -> None:
    """Clear the failures of files gone since, rebuild the cross-article tables, record the summary."""
    storage.clear_failures(db, list(inputs.paths), run_id)
    storage.rebuild_derived(db)
    summary.elapsed = time.perf_counter() - t0
    db["runs"].update(run_id, {"finished": storage.now(), "summary": json.dumps(summary.as_dict())})


def _run_locked(inputs: Inputs, db, workers: int, force: bool, progress: bool, timeout, on_failure) -> Summary:
    """The run proper, with the lock held and the database open."""
    summary = Summary()
    t0 = time.perf_counter()
    run_id = begin_run(db, inputs.paths, workers, "local")
    stored = storage.Stored(db)
    bar = _progress(inputs.count(), progress)

    def fail(path: str, stage: str, reason: str, digest: str | None = None) -> None:
        reason = " ".join(str(reason).split())[:500]  # one line, whatever the exception said
        summary.failed += 1
        summary.failures.append((path, stage, reason))
        log.warning("%s: %s: %s", display_path(path), stage, reason)
        storage.store_failure(db, path, stage, reason, run_id, digest)
        if on_failure:
            on_failure(path, stage, reason)

    def handle(result: storage.Prepared) -> None:
        bar.update(1)
        if result.error:
            fail(result.path, *result.error, result.hash)
            return
        changed = stored.has_path(result.path)
        try:
            storage.store_article(db, result)
        except sqlite3.OperationalError:
            raise
        except (sqlite3.Error, TypeError, ValueError) as err:  # facts that cannot be stored: this article only
            if storage.is_damage(err):  # ... unless the file itself is damaged: stop, never report success
                raise
            log.exception("storing %s failed", display_path(result.path))
            fail(result.path, "store", f"{type(err).__name__}: {err}", result.hash)
            return
        summary.changed += changed
        summary.new += not changed
        summary.chars += result.chars
        summary.facts.update(result.counts)
        summary.stage_seconds.update(result.timings)

    todo = _inputs(inputs, db, stored, force, summary, fail, bar)
    if workers == 1:
        for raw, source, path in todo:
            handle(work(raw, source, path, timeout))
    else:
        run_pool(todo, workers, handle, lambda path, reason: fail(path, "worker", reason), timeout)
    bar.close()
    end_run(db, run_id, inputs, summary, t0)
    return summary


def _progress(total: int, enabled: bool):
    from tqdm import tqdm

    return tqdm(total=total, unit="art", disable=not enabled, dynamic_ncols=True, leave=False, mininterval=0.5)
