"""What a build keeps for the next one under `.cache/`: each file written whole or not at all."""

from __future__ import annotations

import json
import os
from pathlib import Path


def keep_json(path: Path, value: object) -> None:
    """Write `value` as JSON to `path`, making its folder: first to a file of this process's own, then
    renamed over `path`, so that a build reading it meanwhile, or after this one stopped, finds the
    whole of the old file or of the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    written = path.with_name(f"{path.name}.{os.getpid()}")
    written.write_text(json.dumps(value), encoding="utf-8")
    os.replace(written, path)
