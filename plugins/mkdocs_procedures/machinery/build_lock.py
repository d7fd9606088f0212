"""One build at a time into a site folder: a second build into the same folder is refused, not let loose
on the first one's half-written pages and search indexes.

The lock is a file under `.cache/procedures/locks/`, named after the site folder, held with `flock`
for the length of the build. It is outside the site folder, which the build empties, and the system
lets go of it when the build's process ends, however it ends.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
from pathlib import Path
from typing import IO


class SiteBusy(RuntimeError):
    pass


class BuildLock:
    def __init__(self, cache_dir: Path, site_dir: Path) -> None:
        self.site_dir = site_dir
        self.name = hashlib.sha1(os.path.realpath(site_dir).encode()).hexdigest()[:16]
        """The site folder's name in the cache: what a build of it keeps there for itself alone."""
        self.path = cache_dir / "locks" / f"{self.name}.lock"
        self.held: IO[str] | None = None

    def acquire(self) -> None:
        """Hold the lock, or raise `SiteBusy` naming the process that holds it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        held = self.path.open("a+", encoding="utf-8")
        try:
            fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            held.seek(0)
            holder = held.read().strip() or "another process"
            held.close()
            raise SiteBusy(f"another build is writing into {self.site_dir} ({holder}); wait until it has "
                           "finished, or build into another folder (`mkdocs build -d <folder>`)") from None
        held.seek(0)
        held.truncate()
        held.write(f"process {os.getpid()}")
        held.flush()
        self.held = held

    def release(self) -> None:
        if self.held is not None:
            fcntl.flock(self.held, fcntl.LOCK_UN)
            self.held.close()
            self.held = None
