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


def _write_whole(path: Path, text: Iterable[str]) -> None:
    """Write `text` to `path`, making its folder: first to a file of this process's own, then renamed over
    `path`, so that a build reading it meanwhile, or after this one stopped, finds the whole of the old
    file or of the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    written = path.with_name(f"{path.name}.{os.getpid()}")
    try:
        with written.open("w", encoding="utf-8") as file:
            file.writelines(text)
        os.replace(written, path)
    except BaseException:  # a disk full, a value JSON cannot write: nothing half-written is left
        written.unlink(missing_ok=True)
        raise


def keep_json(path: Path, value: object) -> None:
    """Write `value` as JSON to `path`, whole or not at all (`_write_whole`)."""
    _write_whole(path, [json.dumps(value)])


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
    _write_whole(path, (json.dumps(value) + "\n" for value in values))  # JSON escapes a value's line breaks


def read_kept_json_lines(path: Path) -> Generator[Any, None, None]:
    """Each line's JSON value in `path`, one line at a time; nothing when the file is missing or unreadable,
    and nothing more from where it is not JSON or not UTF-8 (each line is only ever a shortcut)."""
    try:
        with path.open(encoding="utf-8") as lines:
            for line in lines:
                yield json.loads(line)
    except (OSError, ValueError):
        return


def text_pairs(lines: Iterable[Any]) -> dict[str, str]:
    """The lines read back (`read_kept_json_lines`) that are a name and a text, `[name, text]`, by name;
    any other line is left out."""
    return {line[0]: line[1] for line in lines
            if isinstance(line, list) and len(line) == 2 and isinstance(line[0], str) and isinstance(line[1], str)}


def installed_version(package: str) -> str | None:
    """The installed version of a package (by its distribution's name), or None when it is not installed."""
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None
