"""What a build keeps for the next one under `.cache/procedures/`: where, each file written whole or not
at all, and the packages' versions that name what was kept."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path
from typing import IO, Any


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


_NAMED_LINE = re.compile(rb'\["([^"\\]*)",')
"""The start of a `[name, text]` line whose name JSON wrote as it is (no escapes): the name, unparsed text."""


class KeptTexts:
    """Texts kept by name between builds in one JSON Lines file: a first line `{"salt": ...}`, then a
    `[name, text]` line each. Only where each line starts is held: a text is read from the file when it
    is asked for (the what-changed views' bodies are 10 MB at 300 chapters, 17 MB at 1,000, and were
    held whole through the views' helper's work).

    `save()` keeps the texts asked for or given (`keep`) since, and only those: lines kept as they were
    are copied from the old file, not read and written again. Texts given are held until then."""

    def __init__(self, path: Path, salt: str) -> None:
        self.path = path
        self.salt = salt
        self._file: IO[bytes] | None = None
        self._starts: dict[str, int] | None = None
        self.used: dict[str, int | str] = {}
        """What `save` keeps, by name: where its line starts in the file read, or a text given."""

    def get(self, name: str) -> str | None:
        """The text kept as `name`; None when there is none or its line does not read back."""
        start = self._lines().get(name)
        if start is None:
            return None
        try:
            value = json.loads(self._line_at(start))
        except ValueError:  # a line cut short, bytes not UTF-8: the caller makes the text again
            return None
        if not (isinstance(value, list) and len(value) == 2 and value[0] == name and isinstance(value[1], str)):
            return None
        self.used[name] = start
        return value[1]

    def keep(self, name: str, text: str) -> None:
        self.used[name] = text

    def save(self) -> None:
        """Write the texts asked for or given, unless the file holds exactly those already."""
        starts = self._lines()
        if self.used.keys() == starts.keys() and all(isinstance(kept, int) for kept in self.used.values()):
            self.close()
            return

        def lines() -> Iterable[str]:
            yield json.dumps({"salt": self.salt}) + "\n"
            for name, kept in self.used.items():
                yield (self._line_at(kept).decode("utf-8", "replace").rstrip("\n") + "\n" if isinstance(kept, int)
                       else json.dumps([name, kept]) + "\n")  # JSON escapes a text's line breaks

        try:
            _write_whole(self.path, lines())
        finally:
            self.close()

    def close(self) -> None:
        """Let go of the file read and of what was noted of it (the next `get` reads it again)."""
        if self._file is not None:
            self._file.close()
        self._file, self._starts, self.used = None, None, {}

    def _lines(self) -> dict[str, int]:
        """Where each name's line starts, read once: nothing when the file is missing, unreadable or kept
        with another salt. A line whose name cannot be read without parsing it is left out."""
        if self._starts is not None:
            return self._starts
        self._starts = {}
        try:
            self._file = self.path.open("rb")
            first = self._file.readline()
            if json.loads(first) != {"salt": self.salt}:
                return self._starts
            start = len(first)
            for line in self._file:
                if (found := _NAMED_LINE.match(line)) is not None:
                    self._starts[found.group(1).decode("utf-8", "replace")] = start
                start += len(line)
        except (OSError, ValueError):
            return self._starts
        return self._starts

    def _line_at(self, start: int) -> bytes:
        assert self._file is not None  # `_lines` opened it: a start was found in it
        self._file.seek(start)
        return self._file.readline()


def installed_version(package: str) -> str | None:
    """The installed version of a package (by its distribution's name), or None when it is not installed."""
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None
