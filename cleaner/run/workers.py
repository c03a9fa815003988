"""Worker processes: the Cleaner sent once to each, tasks run with a bounded number in
flight, results handed back in task order so outputs do not depend on the worker count."""

from __future__ import annotations

import contextlib
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from ..engine import Cleaner
from .tasks import Task

# Chunks in flight per worker: enough to keep workers busy, few enough to bound memory.
IN_FLIGHT_PER_WORKER = 4


_worker_cleaner: Cleaner | None = None


def _init_worker(cleaner: Cleaner) -> None:
    """Receive the Cleaner once per worker. Ctrl-C reaches every process of the
    terminal's group: the main process alone decides, and stops the workers."""
    global _worker_cleaner
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _worker_cleaner = cleaner


def _call(fn: Callable[..., Any], args: tuple[Any, ...]) -> Any:
    return fn(_worker_cleaner, *args)


# How long an abandoned pool's manager thread is given to wind down.
MANAGER_JOIN_S = 10.0


class WorkerPool:
    """Tasks run in worker processes (or here, for one job), results in task order."""

    def __init__(self, cleaner: Cleaner, jobs: int) -> None:
        self.cleaner = cleaner
        self.limit = max(1, jobs) * IN_FLIGHT_PER_WORKER
        self.executor: ProcessPoolExecutor | None = None
        if jobs > 1:
            self.executor = ProcessPoolExecutor(jobs, initializer=_init_worker, initargs=(cleaner,))
            # Start the workers now, before a progress bar starts a thread.
            self.executor.submit(int).result()

    def ordered(self, tasks: Iterable[Task]) -> Iterator[tuple[Task, Any]]:
        """(task, result) in the order of `tasks`, with a bounded number in flight."""
        if self.executor is None:
            for task in tasks:
                yield task, (task.work[0](self.cleaner, *task.work[1]) if task.work else None)
            return
        pending: deque[tuple[Task, Future[Any] | None]] = deque()
        in_flight = 0
        for task in tasks:
            future = self.executor.submit(_call, *task.work) if task.work else None
            in_flight += future is not None
            pending.append((task, future))
            while pending and (
                pending[0][1] is None or pending[0][1].done() or in_flight > self.limit
            ):
                head, fut = pending.popleft()
                in_flight -= fut is not None
                yield head, fut.result() if fut is not None else None
        while pending:
            head, fut = pending.popleft()
            yield head, fut.result() if fut is not None else None

    def close(self, *, abandon: bool) -> None:
        """Wait for the workers to exit, or stop them at once when the run is abandoned
        (they write nothing, so nothing is lost)."""
        if self.executor is None:
            return
        if abandon:
            # (shutdown forgets the pool's manager thread: it is taken first, see below)
            manager = getattr(self.executor, "_executor_manager_thread", None)
            terminate = getattr(self.executor, "terminate_workers", None)  # Python 3.14+
            if terminate is not None:
                terminate()
            else:
                for proc in list((getattr(self.executor, "_processes", None) or {}).values()):
                    with contextlib.suppress(Exception):
                        proc.terminate()
            self.executor.shutdown(wait=False, cancel_futures=True)
            # Let the pool's manager thread finish closing its wake-up pipe: else, on
            # Python 3.11 (and any without the lock CPython added in gh-125451), the exit
            # hook may write to it as it closes and print an OSError traceback.
            if manager is not None:
                manager.join(timeout=MANAGER_JOIN_S)
        else:
            self.executor.shutdown(wait=True)
