"""What a build keeps for the next one under `.cache/procedures/`: where, each file written whole or not
at all, and the packages' versions that name what was kept."""

from __future__ import annotations

import json
import os
from collections.abc import Generator, Iterable
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


def keep_json_lines(path: Path, values: Iterable[object]) -> None:
    """Write each of `values` as JSON on a line of its own (JSON Lines) to `path`, whole or not at all as
    `keep_json` does: a large file read back line by line (`read_kept_json_lines`) is never held whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    written = path.with_name(f"{path.name}.{os.getpid()}")
    with written.open("w", encoding="utf-8") as lines:
        for value in values:
            lines.write(json.dumps(value) + "\n")  # JSON escapes every line break inside a value
    os.replace(written, path)


def read_kept_json_lines(path: Path) -> Generator[Any, None, None]:
    """Each line's JSON value in `path`, one line at a time; nothing when the file is missing or unreadable,
    and nothing more from where it is not JSON or not UTF-8 (each line is only ever a shortcut)."""
    try:
        with path.open(encoding="utf-8") as lines:
            for line in lines:
                yield json.loads(line)
    except (OSError, ValueError):
        return


def installed_version(package: str) -> str | None:
    """The installed version of a package (by its distribution's name), or None when it is not installed."""
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None
