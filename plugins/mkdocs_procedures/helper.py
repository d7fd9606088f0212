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

import multiprocessing
import os
import sys
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ProcessPoolExecutor

Job = Callable[..., Mapping[str, float]]
"""A job returns the seconds it spent, by phase, for the build's timings."""

_JOBS: dict[str, Job] = {}  # set before the fork: the helper process inherits them


def _run(name: str, arguments: tuple[object, ...]) -> Mapping[str, float]:
    return _JOBS[name](*arguments)


def can_fork() -> bool:
    """Whether a forked helper can run beside this process: Linux (where forking is safe for this
    work), more than one core, and `fork` available."""
    return (sys.platform == "linux" and (os.cpu_count() or 1) > 1
            and "fork" in multiprocessing.get_all_start_methods())


class Helper:
    def __init__(self, jobs: Mapping[str, Job], beside: bool) -> None:
        self.jobs = dict(jobs)
        self.results: list[Mapping[str, float]] = []
        self.futures: list[Future[Mapping[str, float]]] = []
        self.executor: ProcessPoolExecutor | None = None
        self.in_second_process = beside
        if beside:
            _JOBS.clear()
            _JOBS.update(self.jobs)
            self.executor = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))

    def give(self, name: str, *arguments: object) -> None:
        """Run the job `name`: in the helper process, or here and now."""
        if self.executor is None:
            self.results.append(self.jobs[name](*arguments))
        else:
            self.futures.append(self.executor.submit(_run, name, arguments))

    def finish(self) -> list[Mapping[str, float]]:
        """Wait for every job given; their timings. The first job that failed raises its error here."""
        try:
            return self.results + [future.result() for future in self.futures]
        finally:
            self.close()

    def close(self) -> None:
        """Stop the helper, dropping jobs not yet started (after the build failed)."""
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)
            self.executor = None
        self.futures = []
