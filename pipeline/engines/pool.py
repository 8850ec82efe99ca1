"""The local engine's worker pool: `work` mapped over articles, a bounded window in flight.

A worker that dies (out of memory, killed by the kernel past an article's time
budget, a crash in native code) breaks the pool. The articles it had in flight
are then retried one at a time in a fresh pool, so the one that kills its
worker again is the one recorded as failed, and the others are stored.
"""
from __future__ import annotations

import gc
import itertools
import os
import signal
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from typing import Callable, Iterable, Iterator

from pipeline.core.budget import cpu_limit
from pipeline.core.orchestration import process_article
from pipeline.store.storage import Prepared, prepare

Item = tuple[bytes, str, str]  # (bytes, source, path)
CHUNK_ARTICLES = 4  # articles sent to a worker at once (fewer round trips through the pool)
CHUNK_BYTES = 256 * 1024  # ... unless they are large: a chunk ends after this many bytes


def work(raw: bytes, source: str, path: str, timeout: float | None = None, in_worker: bool = False) -> Prepared:
    """Worker-side: the pure pipeline within its time budget, and the rows the run will store
    (`storage.prepare`: the single writer then only executes them).

    In a worker process (`in_worker`) the kernel also kills the process if the article outlives its
    budget in CPU time inside one C call, which no Python-level timer can interrupt.
    """
    if in_worker:
        cpu_limit(timeout)
    return prepare(process_article(raw, source, path, timeout=timeout))


def work_chunk(items: list[Item], timeout: float | None = None) -> list[Prepared]:
    """Worker-side: `work` on each article of a chunk, each within its own budget."""
    return [work(*item, timeout, True) for item in items]


def chunks(items: Iterable[Item], size: int = CHUNK_ARTICLES, max_bytes: int = CHUNK_BYTES) -> Iterator[list[Item]]:
    """Consecutive chunks of at most `size` articles, a chunk ending early once it holds `max_bytes`.

    Example: `[len(c) for c in chunks([(b"x", "a", "a")] * 5, 2)] == [2, 2, 1]`
    """
    chunk: list[Item] = []
    held = 0
    for item in items:
        chunk.append(item)
        held += len(item[0])
        if len(chunk) >= size or held >= max_bytes:
            yield chunk
            chunk, held = [], 0
    if chunk:
        yield chunk


def _warm(parent: int | None = None) -> None:
    """Worker initialiser: die with the parent run, load all an article can need once (`warm_up`)."""
    from pipeline.core.orchestration import warm_up

    if parent is not None:
        _die_with_parent(parent)
    warm_up()


def _warm_parent() -> None:
    """Load all an article can need in the run itself, before its workers fork: they start with it (the
    pages are shared until written), instead of each loading it again (about 2 s of CPU per worker).
    `gc.freeze()` keeps the collector of each worker from touching, and so copying, those objects
    (`run_pool` unfreezes them in the run when its pools are done)."""
    from pipeline.core.orchestration import warm_up

    warm_up()
    gc.freeze()


def _die_with_parent(parent: int) -> None:
    """Ask Linux to SIGKILL this worker when the run that started it dies (kill -9 leaves no orphans)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: orphans exit when their queue closes
        return
    if os.getppid() != parent:
        os._exit(1)


def run_pool(items: Iterable[Item], workers: int, handle: Callable, crashed: Callable[[str, str], None],
             timeout: float | None = None) -> None:
    """Map `work` over `items`, in chunks, at most 2 chunks per worker in flight; `handle` each result.

    `crashed(path, reason)` records an article whose worker died on it twice (once in company, once alone).
    Example: `run_pool(todo, 2, handle, lambda path, reason: fail(path, "worker", reason), 300)`
    """
    items = iter(items)
    first = next(items, None)
    if first is None:
        return  # nothing to process (an unchanged re-run): no models loaded, no workers started
    _warm_parent()
    try:
        _pools(itertools.chain([first], items), workers, handle, crashed, timeout)
    finally:
        gc.unfreeze()  # (the caller's objects are the collector's again)


def _pools(items, workers: int, handle: Callable, crashed: Callable[[str, str], None], timeout) -> None:
    """`run_pool`'s loop: a pool, and a fresh one after a worker died (its suspects retried alone first)."""
    window = workers * 2
    suspects: list[Item] = []
    items = chunks(items)
    while True:
        pool = ProcessPoolExecutor(max_workers=workers, initializer=_warm, initargs=(os.getpid(),))
        broken = False
        try:
            broken = _retry_alone(pool, suspects, handle, crashed, timeout)
            if broken:
                continue
            pending: dict = {}
            for chunk in items:
                pending[pool.submit(work_chunk, chunk, timeout)] = chunk
                if len(pending) >= window:
                    broken = _drain(pending, handle, FIRST_COMPLETED, suspects)
                    if broken:
                        break
            else:
                broken = _drain(pending, handle, None, suspects)
                if not broken and not suspects:
                    return
        finally:
            pool.shutdown(wait=not broken, cancel_futures=True)


def _retry_alone(pool, suspects: list[Item], handle, crashed, timeout) -> bool:
    """Run the suspects one at a time; True when one of them broke the pool again (it is then recorded)."""
    while suspects:
        item = suspects.pop(0)
        try:
            result = pool.submit(work, *item, timeout, True).result()
        except Exception as err:  # BrokenProcessPool: this article kills its worker
            crashed(item[2], "worker process died on this article (out of memory, or past its time budget "
                             f"inside native code): {type(err).__name__}")
            return True
        handle(result)
    return False


def _drain(pending: dict, handle, mode, suspects: list[Item]) -> bool:
    """Handle the results of finished chunks (all when `mode` is None); True when the pool broke.

    When it broke, every article in flight (its chunk finished with the error or not) goes to `suspects`.
    """
    done, _ = wait(list(pending), return_when=mode) if mode else (list(pending), None)
    broken = False
    for fut in done:
        chunk = pending.pop(fut)
        try:
            results = fut.result()
        except Exception:  # BrokenProcessPool and friends
            suspects.extend(chunk)
            broken = True
            continue
        for result in results:
            handle(result)
    if broken:
        for chunk in pending.values():
            suspects.extend(chunk)
        pending.clear()
    return broken
