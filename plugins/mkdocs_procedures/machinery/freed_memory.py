"""Handing memory the build has let go of back to the system.

A build makes and lets go of thousands of large strings: every page of a long manual is 100 KB or
more, and each board's copy of it as much again. glibc's allocator keeps much of what was let go for
its own next use, so a process's resident memory keeps growing to the end of the build although what
it holds does not. `malloc_trim` hands the free part back. Only where the C library has it (Linux with
glibc); elsewhere nothing is done.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
from collections.abc import Callable

EVERY = 25
"""Pages made between two hand-backs: each takes about a millisecond."""


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc.malloc_trim
    except (OSError, AttributeError):
        return None


class FreedMemory:
    """Counts pages made; every `EVERY`th, hands what was let go back to the system."""

    def __init__(self, every: int = EVERY) -> None:
        self.every = every
        self.made = 0

    def page_made(self) -> None:
        self.made += 1
        if self.made % self.every == 0 and (trim := _malloc_trim()) is not None:
            trim(0)
