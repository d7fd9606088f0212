"""The previous build's board copies and what-changed views, deleted beside the new build.

The site generator empties the site folder before it builds. Most of what it deletes is the plugin's:
every board's copy of every chapter and a what-changed view of every amendment, thousands of files.
Those folders are moved out of the site folder first (one rename each, into a folder on the same
disk) and a second process deletes them while the site is built again.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from multiprocessing.process import BaseProcess
from pathlib import Path

from .helper import deleting


class OldOutputs:
    def __init__(self, trash_dir: Path) -> None:
        self.trash_dir = trash_dir
        self.deleting: BaseProcess | None = None

    def delete_beside(self, site_dir: Path, folders: Iterable[str]) -> list[str]:
        """Move `folders` out of `site_dir` and start deleting them; returns the folders moved.

        Nothing is moved when the trash folder is on another disk (a rename there would copy)."""
        present = [name for name in folders if (site_dir / name).is_dir()]
        if not present:
            return []
        self.trash_dir.mkdir(parents=True, exist_ok=True)
        if os.stat(self.trash_dir).st_dev != os.stat(site_dir).st_dev:
            return []
        batch = Path(tempfile.mkdtemp(dir=self.trash_dir))
        for name in present:
            os.rename(site_dir / name, batch / name)
        # The whole trash folder: anything a stopped build left there goes too.
        self.deleting = deleting(self.trash_dir)
        return present

    def wait(self) -> None:
        """Wait until the old folders are gone (at the end of the build)."""
        if self.deleting is not None:
            self.deleting.join()
            self.deleting = None
