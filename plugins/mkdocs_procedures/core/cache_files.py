"""What a build keeps for the next one under `.cache/procedures/`: where, each file written whole or not
at all, and the packages' versions that name what was kept."""

from __future__ import annotations

import json
import os
from importlib import metadata
from pathlib import Path
from typing import Any


def cache_folder(root: Path) -> Path:
    """The folder of what builds of the manual at `root` keep for each other (deleting it is safe)."""
    return root / ".cache" / "procedures"


def keep_json(path: Path, value: object) -> None:
    """Write `value` as JSON to `path`, making its folder: first to a file of this process's own, then
    renamed over `path`, so that a build reading it meanwhile, or after this one stopped, finds the
    whole of the old file or of the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    written = path.with_name(f"{path.name}.{os.getpid()}")
    written.write_text(json.dumps(value), encoding="utf-8")
    os.replace(written, path)


def read_kept_json(path: Path) -> dict[str, Any]:
    """The JSON object kept in `path`; empty when the file is missing, unreadable or holds something else
    (what is kept is only ever a shortcut: the build then makes it again)."""
    try:
        kept = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return kept if isinstance(kept, dict) else {}


def installed_version(package: str) -> str | None:
    """The installed version of a package (by its distribution's name), or None when it is not installed."""
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None
