"""Writing one of the build's files into the site folder."""

from __future__ import annotations

from pathlib import Path


def write_output(target: Path, content: str | bytes) -> None:
    """Write `content` to `target`, making its folder only when it is missing (a rebuild writes over the
    last build's files, whose folders are there)."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        target.write_bytes(data)
    except FileNotFoundError:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
