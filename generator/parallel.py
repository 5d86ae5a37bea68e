"""Per-item work (one article, one page) spread over worker processes when that pays.

Workers are forked, so they start with the parent's state (the linker, the articles read, the
corpus) and only item numbers and results travel between processes. Where fork is not
available, or there are few items, or one core, or memory for one copy of this process only
(``affordable``), the work runs in this process. Results come
back in the order of the items, so the output never depends on the number of workers.
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from typing import Callable, Sequence

MIN_ITEMS = 48  # fewer items than this run in this process: starting workers would cost more
ENV = "BRIEFING_JOBS"

_TASK: Callable | None = None


def jobs() -> int:
    """Worker processes to use: BRIEFING_JOBS, else the cores this process may run on."""
    wanted = os.environ.get(ENV, "").strip()
    if wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def can_fork() -> bool:
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def _worker_signals() -> None:
    """A worker leaves signals to its parent: Ctrl+C reaches the whole process group but only
    the parent acts on it, and the SIGTERM that ends the pool ends the worker at once, whatever
    handler the parent had (``briefing serve`` turns SIGTERM into KeyboardInterrupt, which in a
    worker printed a traceback each time a pool closed)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _call(item):
    return _TASK(item)


def _call_at(numbered):
    position, item = numbered
    return position, _TASK(item)


def pmap(func: Callable, items: Sequence, advance: Callable[[int], None] | None = None,
         workers: int | None = None, costs: Sequence[float] | None = None) -> list:
    """``[func(item) for item in items]``, on worker processes when that pays.

    With ``costs`` (one estimate per item, e.g. its size in bytes), workers take the costliest
    items first, one at a time, so that no large item is left to run alone at the end; the
    results still come back in the order of the items."""
    global _TASK
    workers = jobs() if workers is None else workers
    out: list = []
    workers = affordable(workers) if workers > 1 and len(items) >= MIN_ITEMS and can_fork() else 1
    if workers <= 1:
        for item in items:
            out.append(func(item))
            if advance:
                advance(1)
        return out
    _TASK = func
    try:
        with multiprocessing.get_context("fork").Pool(workers, initializer=_worker_signals) as pool:
            if costs is not None:
                return _costliest_first(pool, items, costs, advance)
            chunk = max(1, min(16, len(items) // (workers * 16)))
            for result in pool.imap(_call, items, chunksize=chunk):
                out.append(result)
                if advance:
                    advance(1)
        return out
    finally:
        _TASK = None


def affordable(workers: int) -> int:
    """How many forked workers the memory can hold. A worker shares this process's memory only
    until it touches it, and touching a Python object writes its reference count: rendering
    the pages of 100,000 articles, each of two workers came to copy most of a 9 GB model, and the
    machine's 24 GB ran out. So no more workers than the memory available holds copies of this
    process; with room for one, the work runs here (one copy fewer). Unknown: ``workers``."""
    resident, available = memory()
    if not resident or available is None:
        return workers
    return max(1, min(workers, available // resident))


def memory() -> tuple[int | None, int | None]:
    """(bytes this process holds in memory, bytes the system can still give), or None for what
    this platform does not tell (Linux's /proc tells both)."""
    try:
        with open("/proc/self/statm") as statm:
            resident = int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        with open("/proc/meminfo") as meminfo:
            available = next(int(line.split()[1]) * 1024 for line in meminfo if line.startswith("MemAvailable:"))
    except (OSError, ValueError, IndexError, StopIteration):
        return None, None
    return resident, available


def _costliest_first(pool, items: Sequence, costs: Sequence[float], advance) -> list:
    """Longest-processing-time-first scheduling: items by decreasing cost, results in item order."""
    order = sorted(range(len(items)), key=lambda i: (-costs[i], i))
    out: list = [None] * len(items)
    for position, result in pool.imap_unordered(_call_at, [(i, items[i]) for i in order], chunksize=1):
        out[position] = result
        if advance:
            advance(1)
    return out
