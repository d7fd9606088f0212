"""Writing the build's files into the site folder, and leaving alone those that would be the same."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from ..core.cache_files import read_kept_json


def write_output(target: Path, content: str | bytes) -> None:
    """Write `content` to `target`, making its folder only when it is missing (a rebuild writes over the
    last build's files, whose folders are there).

    A file that is there is written over in place and then cut to its new length, not emptied first:
    emptying gives the file's blocks back to the disk, to be taken again at once (three to eight times
    the time, for the pages of a manual on this project's machine)."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        with open(target, "r+b") as existing:
            existing.write(data)
            existing.truncate()
        return
    except FileNotFoundError:
        pass
    try:
        target.write_bytes(data)
    except FileNotFoundError:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


class UnchangedOutputs:
    """Files made from the same content as in the last build into the same site folder: that build's
    file is kept (and marked as written by this build), not made and written again.

    What each file was made from is recorded as a digest, in `record`, for one site folder. The record
    is deleted as the build starts writing and saved once it has written everything, so a build that
    stopped half way leaves nothing to trust."""

    def __init__(self, record: Path, site_dir: Path) -> None:
        self.record, self.site_dir = record, site_dir
        self.before: dict[str, str] = {}
        kept = read_kept_json(record)
        if kept.get("site") == str(site_dir.resolve()) and isinstance(kept.get("files"), dict):
            self.before = kept["files"]
        record.unlink(missing_ok=True)
        self.now: dict[str, str] = {}

    def unchanged(self, path: str, content: object) -> bool:
        """Whether the file `path` (below the site folder) made from `content` (its repr names it) is the
        last build's: then it is kept as it is."""
        digest = self.now[path] = hashlib.sha1(repr(content).encode("utf-8")).hexdigest()
        if self.before.get(path) != digest:
            return False
        try:
            os.utime(self.site_dir / path)  # written by this build, as far as deleting the unwritten goes
        except OSError:
            return False
        return True

    def save(self) -> None:
        self.record.parent.mkdir(parents=True, exist_ok=True)
        self.record.write_text(json.dumps({"site": str(self.site_dir.resolve()), "files": self.now}), encoding="utf-8")
