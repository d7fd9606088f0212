"""Where a build spends its time, by phase; the benchmark asks for it with `PROCEDURES_TIMINGS=<file>`."""

from __future__ import annotations

import json
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class PhaseTimer:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.counts: dict[str, int] = defaultdict(int)
        self._started: dict[str, float] = {}

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.add(name, time.perf_counter() - started)

    def add(self, name: str, seconds: float) -> None:
        self.seconds[name] += seconds
        self.counts[name] += 1

    def start(self, key: str) -> None:
        """Mark the start of a span that ends in a later build event."""
        self._started[key] = time.perf_counter()

    def stop(self, key: str, *names: str) -> None:
        """End the span `key`, adding its duration to each of `names`."""
        started = self._started.pop(key, None)
        if started is not None:
            elapsed = time.perf_counter() - started
            for name in names:
                self.add(name, elapsed)

    def write(self, target: Path) -> None:
        target.write_text(json.dumps({"seconds": self.seconds, "counts": self.counts}, indent=2), encoding="utf-8")
