"""Reading the manual's own files, and only those: no file reached through a symbolic link (which could
publish any file of the machine that builds the site), and none larger than a manual's file can be.

Board admins own their board's folder and nothing else, so whatever they put there is read as a file of
the repository or refused with a message naming it.
"""

from __future__ import annotations

import contextlib
import functools
import os
import stat
from pathlib import Path, PurePath

from .problems import Problem

MAX_TEXT_BYTES = 1024 * 1024
"""The largest Markdown or YAML file the build reads: a chapter of a manual is a few dozen KiB."""


@functools.lru_cache(maxsize=4096)
def _real_folder(folder: str) -> str:
    return os.path.realpath(folder)


def forget_real_folders() -> None:
    """Resolve folders afresh: call before reading the manual again in the same process (`mkdocs serve`
    rebuilds), since a folder may have been replaced by a symbolic link since."""
    _real_folder.cache_clear()


def relative_inside(source: str, root: str) -> str | None:
    """`source`'s path inside `root` as the build names files (with `/`), "" for the root itself; None
    when it is not inside `root`."""
    relative = _relative(source, root)
    return relative.replace(os.sep, "/") if relative is not None else None


def _relative(source: str, root: str) -> str | None:
    """`source` from `root` ("" for the root itself), as `Path.relative_to` gives it (the same parts, by
    their text, with no folder resolved); None when it is not inside. Strings: this runs for every file
    read, and `mkdocs serve` reads them all again on each rebuild."""
    if not (os.path.isabs(source) and os.path.isabs(root)) or "//" in (source[:2], root[:2]):
        # `.` holds every relative path, and POSIX gives `//` a meaning of its own: as Path says.
        try:
            relative = PurePath(source).relative_to(root)
        except ValueError:
            return None
        return str(relative) if relative.parts else ""
    if source == root:
        return ""
    prefix = root if root.endswith(os.sep) else root + os.sep
    return source[len(prefix):] if source.startswith(prefix) else None


def why_not_read(source: Path, root: Path, limit: int = MAX_TEXT_BYTES) -> str | None:
    """Why the build will not read `source`, a path inside `root` (a folder or a file); None when it may.

    Each folder is resolved once (hundreds of files share a few folders), then the file itself is
    checked not to be a link."""
    source_text, root_text = os.fspath(source), os.fspath(root)
    return _why_not_read(source_text, root_text, _relative(source_text, root_text), limit)


def _why_not_read(source_text: str, root_text: str, relative: str | None, limit: int) -> str | None:
    if relative is None:
        return "is outside the manual's folder"
    found = None
    if not relative:
        linked = os.path.realpath(source_text) != _real_folder(root_text)
    else:
        with contextlib.suppress(OSError):
            found = os.lstat(source_text)
        folder = os.path.dirname(relative)
        real_root = _real_folder(root_text)
        linked = (found is not None and stat.S_ISLNK(found.st_mode)) or _real_folder(
            os.path.dirname(source_text)) != (os.path.join(real_root, folder) if folder else real_root)
    if linked:
        return ("is a symbolic link or inside one; the build reads only the repository's own files "
                "(copy the file in instead)")
    if found is None:
        with contextlib.suppress(OSError):
            found = os.stat(source_text)
    if found is not None and stat.S_ISREG(found.st_mode) and found.st_size > limit:
        return f"is {found.st_size / 1024 / 1024:.1f} MiB; expected at most {limit // 1024 // 1024} MiB"
    return None


def read_text(source: Path, root: Path, limit: int = MAX_TEXT_BYTES) -> tuple[str | None, list[Problem]]:
    """The text of a manual's file, or None and the problem that stops it being read."""
    source_text, root_text = os.fspath(source), os.fspath(root)
    relative = _relative(source_text, root_text)
    path = relative.replace(os.sep, "/") if relative is not None else source_text
    if (reason := _why_not_read(source_text, root_text, relative, limit)) is not None:
        return None, [Problem(path, None, f"this file {reason}")]
    try:
        with open(source_text, encoding="utf-8") as file:
            return file.read(), []
    except UnicodeDecodeError as error:
        return None, [Problem(path, None, f"this file is not UTF-8 text (byte {error.start}); save it as UTF-8")]
    except OSError as error:
        return None, [Problem(path, None, f"this file cannot be read: {error.strerror}")]
