"""A second process for the plugin's work that need not wait for the site generator.

The generator renders pages one after another in one process. What the plugin makes from a rendered
page (each board's copy of it) and what it makes on its own (a what-changed view of every amendment)
affects nothing the generator does next. A helper process does that work meanwhile, on a second core.

The helper is forked when it is given its first job, after the plugin has read the manual, so it has
every board, amendment and template already; each job then carries only its own arguments (a
rendered page). Jobs run one at a time, in the order given. Where forking is not available or not
safe (not Linux, a single core, a server with threads of its own), the same jobs run in place as
they are given: the output is the same.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

Job = Callable[..., Any]

_JOBS: dict[str, Job] = {}  # set before the fork: the helper process inherits them


def _timed(job: Job, arguments: tuple[object, ...]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = job(*arguments)
    return time.perf_counter() - started, result


def _run(name: str, arguments: tuple[object, ...]) -> tuple[float, Any]:
    """In the helper process: the job by its name (the job itself cannot be sent)."""
    return _timed(_JOBS[name], arguments)


_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """In a forked process: be killed when the process that forked it dies, however it dies (`kill -9`
    included), so that a stopped build leaves no process of ours behind. Linux only, where we fork."""
    parent = os.getppid()
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(1)


def can_fork() -> bool:
    """Whether a forked helper can run beside this process: Linux (where forking is safe for this
    work), more than one core, and `fork` available."""
    return (sys.platform == "linux" and (os.cpu_count() or 1) > 1
            and "fork" in multiprocessing.get_all_start_methods())


class Helper:
    def __init__(self, jobs: Mapping[str, Job], beside: bool) -> None:
        self.jobs = dict(jobs)
        self.seconds: dict[str, float] = defaultdict(float)
        self.futures: list[tuple[str, Future[tuple[float, Any]]]] = []
        self.executor: ProcessPoolExecutor | None = None
        self.in_second_process = beside
        if beside:
            _JOBS.clear()
            _JOBS.update(self.jobs)
            self.executor = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"),
                                                initializer=die_with_parent)

    def give(self, name: str, *arguments: object) -> Callable[[], Any]:
        """Run the job `name`: in the helper process, or here and now. Returns a function that waits
        for the job and gives its result."""
        if self.executor is None:
            seconds, result = _timed(self.jobs[name], arguments)
            self.seconds[name] += seconds
            return lambda: result
        future = self.executor.submit(_run, name, arguments)
        self.futures.append((name, future))
        return lambda: future.result()[1]

    def finish(self) -> dict[str, float]:
        """Wait for every job given; the seconds spent on each job's name. The first job that failed
        raises its error here."""
        try:
            for name, future in self.futures:
                self.seconds[name] += future.result()[0]
            return dict(self.seconds)
        finally:
            self.close()

    def close(self) -> None:
        """Stop the helper, dropping jobs not yet started (after the build failed)."""
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)
            self.executor = None
        self.futures = []
