"""Reading the manual's own files, and only those: no file reached through a symbolic link (which could
publish any file of the machine that builds the site), and none larger than a manual's file can be.

Board admins own their board's folder and nothing else, so whatever they put there is read as a file of
the repository or refused with a message naming it.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

from .problems import Problem

MAX_TEXT_BYTES = 1024 * 1024
"""The largest Markdown or YAML file the build reads: a chapter of a manual is a few dozen KiB."""


@functools.lru_cache(maxsize=8)
def _real(root: Path) -> Path:
    return Path(os.path.realpath(root))


@functools.lru_cache(maxsize=4096)
def _real_folder(folder: Path) -> Path:
    return Path(os.path.realpath(folder))


def forget_real_folders() -> None:
    """Resolve folders afresh: call before reading the manual again in the same process (`mkdocs serve`
    rebuilds), since a folder may have been replaced by a symbolic link since."""
    _real_folder.cache_clear()


def why_not_read(source: Path, root: Path, limit: int = MAX_TEXT_BYTES) -> str | None:
    """Why the build will not read `source`, a path inside `root` (a folder or a file); None when it may.

    Each folder is resolved once (hundreds of files share a few folders), then the file itself is
    checked not to be a link."""
    try:
        relative = source.relative_to(root)
    except ValueError:
        return "is outside the manual's folder"
    if not relative.parts:
        linked = Path(os.path.realpath(source)) != _real(root)
    else:
        linked = source.is_symlink() or _real_folder(source.parent) != _real(root) / relative.parent
    if linked:
        return ("is a symbolic link or inside one; the build reads only the repository's own files "
                "(copy the file in instead)")
    if source.is_file() and (size := source.stat().st_size) > limit:
        return f"is {size / 1024 / 1024:.1f} MiB; expected at most {limit // 1024 // 1024} MiB"
    return None


def read_text(source: Path, root: Path, limit: int = MAX_TEXT_BYTES) -> tuple[str | None, list[Problem]]:
    """The text of a manual's file, or None and the problem that stops it being read."""
    path = source.relative_to(root).as_posix() if source.is_relative_to(root) else str(source)
    if (reason := why_not_read(source, root, limit)) is not None:
        return None, [Problem(path, None, f"this file {reason}")]
    try:
        return source.read_text(encoding="utf-8"), []
    except UnicodeDecodeError as error:
        return None, [Problem(path, None, f"this file is not UTF-8 text (byte {error.start}); save it as UTF-8")]
    except OSError as error:
        return None, [Problem(path, None, f"this file cannot be read: {error.strerror}")]
