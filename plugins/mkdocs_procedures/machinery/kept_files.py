"""Files the plugin makes, kept on disk for `mkdocs serve --dirty`.

MkDocs rebuilds, in a dirty build, only the pages whose source is newer than their output; a file made
in memory counts as new every time. Kept here instead, a made file is rewritten only when its content
changes, so an edit rebuilds the edited page and what was made from it, not the whole manual.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path


class KeptFiles:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def keep(self, src_uri: str, content: str | bytes) -> Path:
        """Write `content` to the kept file `src_uri` unless it already holds it; returns its path."""
        data = content.encode("utf-8") if isinstance(content, str) else content
        target = self.folder / src_uri
        try:
            if target.read_bytes() == data:
                return target
        except OSError:
            target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        return target


def forget_stale_outputs(outputs: Iterable[tuple[str | Path, Iterable[str | Path]]]) -> list[str | Path]:
    """Remove each output older than any of its inputs, so a dirty build makes it again. A regional page
    depends on the boards' overlays and `board.yml` as well as on its own source. Returns what was removed."""
    removed = []
    for output, inputs in outputs:
        try:
            written = os.stat(output).st_mtime_ns
        except OSError:
            continue
        if any(_modified(path) > written for path in inputs):
            os.remove(output)
            removed.append(output)
    return removed


def _modified(path: str | Path) -> int:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return 0
