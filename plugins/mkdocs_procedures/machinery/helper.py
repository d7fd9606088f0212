"""Processes for the plugin's work that need not wait for the site generator.

The generator renders pages one after another in one process. What the plugin makes from a rendered
page (each board's copy of it) and what it makes on its own (a what-changed view of every amendment)
affects nothing the generator does next. Helper processes do that work meanwhile, on the other cores.

Jobs go in lanes: each lane is one process, forked when it is given its first job, after the plugin
has read the manual, so it has every board, amendment and template already; each job then carries
only its own arguments (a rendered page). A lane runs its jobs one at a time, in the order given;
lanes run side by side (the boards' copies in one, the amendments' pages in another). Where forking
is not available or not safe (not Linux, a single core, a server with threads of its own), the same
jobs run in place as they are given: the output is the same.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import sys
import time
from collections import defaultdict, deque
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

Job = Callable[..., Any]
NICENESS = 10
"""How much a helper process gives way to the generator's: MkDocs' process takes longest, and the build
waits for it, so on a machine with fewer cores than processes the helpers run when it does not."""
WAITING = 16
"""Jobs a lane holds not yet done: enough to keep it busy, few enough that waiting pages take little memory."""

_JOBS: dict[str, Job] = {}  # set before the fork: the helper process inherits them


def _timed(job: Job, arguments: tuple[object, ...]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = job(*arguments)
    return time.perf_counter() - started, result


def _run(name: str, arguments: tuple[object, ...]) -> tuple[float, Any]:
    """In the helper process: the job by its name (the job itself cannot be sent)."""
    return _timed(_JOBS[name], arguments)


def _nothing() -> None:
    return None


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


def _start_lane() -> None:
    """A lane's process as it starts: it dies with the build, and gives way to the generator's process."""
    die_with_parent()
    with contextlib.suppress(OSError):  # where it is not allowed, the lane runs as the generator does
        os.nice(NICENESS)


def can_fork() -> bool:
    """Whether a forked helper can run beside this process: Linux (where forking is safe for this
    work), more than one core, and `fork` available."""
    return (sys.platform == "linux" and (os.cpu_count() or 1) > 1
            and "fork" in multiprocessing.get_all_start_methods())


class Helper:
    def __init__(self, jobs: Mapping[str, Job], beside: bool, lanes: Mapping[str, str] | None = None,
                 waiting: int = WAITING) -> None:
        """`jobs` by name; `lanes` names the lane of each job (by default, a lane of its own). A lane holds
        at most `waiting` jobs not yet done: giving it one more waits for its oldest (each job holds its
        arguments, a rendered page, until it is done)."""
        self.jobs = dict(jobs)
        self.lanes = dict(lanes or {})
        self.waiting = waiting
        self.unfinished: dict[str, deque[Future[tuple[float, Any]]]] = defaultdict(deque)
        self.seconds: dict[str, float] = defaultdict(float)
        self.futures: list[tuple[str, Future[tuple[float, Any]]]] = []
        self.executors: dict[str, ProcessPoolExecutor] = {}
        self.in_second_process = beside
        if beside:
            _JOBS.clear()
            _JOBS.update(self.jobs)

    def open(self, lane: str) -> None:
        """Fork the lane's process now (it is forked when first given a job otherwise): the process holds
        what this one held when it was forked, so a lane forked before the pages are read is smaller."""
        if self.in_second_process and lane not in self.executors:
            self._executor(lane).submit(_nothing).result()

    def _executor(self, lane: str) -> ProcessPoolExecutor:
        if lane not in self.executors:
            self.executors[lane] = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"),
                                                       initializer=_start_lane)
        return self.executors[lane]

    def give(self, name: str, *arguments: object) -> Callable[[], Any]:
        """Run the job `name`: in its lane's process, or here and now. Returns a function that waits
        for the job and gives its result."""
        if not self.in_second_process:
            seconds, result = _timed(self.jobs[name], arguments)
            self.seconds[name] += seconds
            return lambda: result
        lane = self.lanes.get(name, name)
        executor = self._executor(lane)
        unfinished = self.unfinished[lane]
        while unfinished and (unfinished[0].done() or len(unfinished) >= self.waiting):
            unfinished.popleft().exception()  # waits for it; its error is raised by `finish`
        future = executor.submit(_run, name, arguments)
        unfinished.append(future)
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
        """Stop the helpers, dropping jobs not yet started (after the build failed)."""
        for executor in self.executors.values():
            executor.shutdown(wait=True, cancel_futures=True)
        self.executors = {}
        self.futures = []
        self.unfinished.clear()
