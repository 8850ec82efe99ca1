"""A time budget per article: past it the article is stopped, recorded as a failure, and the run goes on.

`time_limit(seconds)` raises `ArticleTimeout` in the calling thread once the
budget is spent: through SIGALRM in a main thread (the local engine's workers
and one-process runs), through an asynchronous exception in any other thread
(Dask runs tasks in worker threads). Both interrupt Python code between two
bytecodes; a single C call that never returns is not interrupted, which is
why the local engine's worker processes also get a CPU-time limit
(`cpu_limit`): the kernel kills such a worker, and the run records its
article as failed.
"""
from __future__ import annotations

import contextlib
import ctypes
import resource
import signal
import threading
from typing import Iterator

DEFAULT_SECONDS = 300.0  # a 20 MB article of nothing but facts takes about a minute; prose, well under
CPU_GRACE_SECONDS = 30  # the hard limit of `cpu_limit`, past the budget


class ArticleTimeout(BaseException):
    """The article's time budget is spent (a BaseException, so no `except Exception` in a rule swallows it)."""


@contextlib.contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise ArticleTimeout in this thread if the block runs longer than `seconds` (None or 0: no limit).

    Example: `with time_limit(300): process_text(text)`
    """
    if not seconds:
        yield
    elif threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
        with _alarm(seconds):
            yield
    else:
        with _async_raise_after(seconds):
            yield


@contextlib.contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    def expired(signum, frame):
        raise ArticleTimeout()

    previous = signal.signal(signal.SIGALRM, expired)
    # the alarm repeats until the block ends: an exception raised where Python cannot pass it on (a gc
    # callback, a `__del__`) is lost, so one alarm alone could let the article run on unbounded
    signal.setitimer(signal.ITIMER_REAL, seconds, min(seconds, 0.1))
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def _async_raise_after(seconds: float) -> Iterator[None]:
    """ArticleTimeout raised in this thread by a timer thread, unless the block ended first."""
    ident, lock, state = threading.get_ident(), threading.Lock(), {"done": False, "raised": False}

    def expire():
        with lock:
            if not state["done"]:
                state["raised"] = True
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(ident), ctypes.py_object(ArticleTimeout))

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with lock:
            state["done"] = True
        timer.cancel()
        if state["raised"]:  # delivered or not yet: never let it surface outside the block
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(ident), None)
            raise ArticleTimeout()


def cpu_limit(seconds: float | None) -> None:
    """Let the kernel kill this process once it has used `seconds` + CPU_GRACE_SECONDS more CPU time.

    For worker processes only (it kills the whole process); called before each article, it moves the
    limit on. Example: `cpu_limit(300)` in a pool worker before `process_article`.
    """
    soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
    if not seconds:
        limit = hard
    else:
        used = resource.getrusage(resource.RUSAGE_SELF)
        limit = int(used.ru_utime + used.ru_stime + seconds + CPU_GRACE_SECONDS) + 1
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
    signal.signal(signal.SIGXCPU, signal.SIG_DFL)
    resource.setrlimit(resource.RLIMIT_CPU, (limit, hard))
