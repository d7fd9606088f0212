"""The previous build's board copies and what-changed views, kept so that this build writes over them.

The site generator empties the site folder before it builds. Most of what it would delete is the
plugin's: every board's copy of every chapter and a what-changed view of every amendment, thousands of
files that the build then makes again, most of them much as they were. Deleting a file and creating
it again costs a disk far more than writing over it (on this project's machine, 6,000 pages took six
times as long), so those folders are moved out of the site folder before the generator empties it
(one rename each, into a folder on the same disk) and moved back once it has. The build writes over
them; what it did not write this time (a chapter withdrawn, a board's page removed) is deleted at the
end, so the site holds exactly what a build into an empty folder would.

The folders the generator writes the regional pages into are set aside the same way ("shared"
folders): MkDocs then writes over each page instead of creating it after deleting it. Other plugins
may write into them too, and one may write a file only where it is missing; so when they are put
back, only the files the generator lists go back, and whatever else was there is deleted at once.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
from collections.abc import Collection, Iterable
from pathlib import Path

STARTED = "started"
"""The file whose time marks the start of the build: a kept file older than it was not written again."""


class OldOutputs:
    def __init__(self, holding_dir: Path) -> None:
        self.holding_dir = holding_dir
        self.batch: Path | None = None
        self.site_dir: Path | None = None
        self.kept: list[str] = []
        self.shared: list[str] = []
        self.started = 0

    def set_aside(self, site_dir: Path, folders: Iterable[str], shared: Iterable[str] = ()) -> list[str]:
        """Move `folders`, and the `shared` folders, out of `site_dir` before the generator empties it;
        returns the folders moved.

        Nothing is moved when the holding folder is on another disk (a rename there would copy): the
        generator then deletes them, as it would without the plugin."""
        folders = list(folders)
        shared = [name for name in dict.fromkeys(shared) if name not in folders]
        present = [name for name in dict.fromkeys([*folders, *shared]) if (site_dir / name).is_dir()]
        self.holding_dir.mkdir(parents=True, exist_ok=True)
        # One holding folder per site folder: another build may be building another site folder, and
        # no other build holds this one (`build_lock.py`), so what is in its holding folder was left by
        # a build that stopped.
        batch = self.holding_dir / hashlib.sha1(str(site_dir.resolve()).encode("utf-8")).hexdigest()[:16]
        shutil.rmtree(batch, ignore_errors=True)
        if not present or os.stat(self.holding_dir).st_dev != os.stat(site_dir).st_dev:
            return []
        batch.mkdir()
        self.batch = batch
        started = self.batch / STARTED
        started.touch()
        # The disk's own clock: a file written after this has a time no earlier than this one's.
        self.started = started.stat().st_mtime_ns
        for name in present:
            os.rename(site_dir / name, self.batch / name)
        self.site_dir, self.kept = site_dir, present
        self.shared = [name for name in shared if name in present]
        return present

    def put_back(self, listed: Collection[str] = frozenset()) -> None:
        """After the generator has emptied the site folder: the folders set aside go back, to be written over.

        In the shared folders only the files in `listed` (paths below the site folder, with `/`), those
        the generator is to write, are kept."""
        if self.batch is None or self.site_dir is None:
            return
        self.site_dir.mkdir(parents=True, exist_ok=True)
        for name in self.kept:
            if not (self.site_dir / name).exists():
                if name in self.shared:
                    _keep_only(self.batch / name, name, listed)
                os.rename(self.batch / name, self.site_dir / name)
        shutil.rmtree(self.batch, ignore_errors=True)
        self.batch = None

    def delete_unwritten(self) -> list[Path]:
        """At the end of the build: delete each kept file this build did not write, and folders left empty.
        Returns the files deleted."""
        self.put_back()  # in case the build ended before the generator's files arrived
        if self.site_dir is None:
            return []
        deleted: list[Path] = []
        for name in self.kept:
            if _delete_older(self.site_dir / name, self.started, deleted):
                os.rmdir(self.site_dir / name)
        self.kept = []
        return deleted


def _keep_only(folder: Path, path: str, listed: Collection[str]) -> None:
    """Delete the files in `folder` (at `path` below the site folder) and below that are not in `listed`."""
    for entry in os.scandir(folder):
        below = f"{path}/{entry.name}"
        if entry.is_dir(follow_symlinks=False):
            _keep_only(Path(entry.path), below, listed)
        elif below not in listed:
            os.remove(entry.path)


def _delete_older(folder: Path, started: int, deleted: list[Path]) -> bool:
    """Delete the files in `folder` (and below) last written before `started`; whether it is now empty.

    The folder's names are listed before any is deleted, and each file is looked at by its name: a folder
    of what-changed views holds thousands, whose listing as entries took 2 MiB at the build's end."""
    try:
        names = os.listdir(folder)
    except OSError:
        return False
    remaining = len(names)
    for name in names:
        path = folder / name
        try:
            found = os.lstat(path)
        except OSError:  # gone meanwhile
            remaining -= 1
            continue
        if stat.S_ISDIR(found.st_mode):
            if _delete_older(path, started, deleted):
                os.rmdir(path)
                remaining -= 1
        elif found.st_mtime_ns < started:
            os.remove(path)
            deleted.append(path)
            remaining -= 1
    return remaining == 0
