"""QR codes for the print stamp: the check address of a printed page, drawn as inline SVG at build time.

A code depends only on the text it carries, and that text (chapter, version, board) changes only when
the chapter is amended, so codes are kept on disk between builds, one small file each, named by the
text's hash. segno picks the mask that scans best; that choice is the costly part of drawing a code
(about 4 ms), which is why the codes are kept.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import segno


class QrCodes:
    """Inline SVG QR codes, drawn once per text and kept in `folder` (no folder: nothing is kept).

    Not held in memory: each text is one page's on one site, asked for once by a build's process (a
    regional page holds each board's, the board's copy its own), and thousands of codes are megabytes."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    def svg(self, text: str) -> str:
        return self._kept(text) or self._draw(text)

    def _file(self, text: str) -> Path | None:
        if self.folder is None:
            return None
        name = hashlib.sha1(text.encode("utf-8")).hexdigest()
        return self.folder / name[:2] / f"{name}.svg"

    def _kept(self, text: str) -> str | None:
        file = self._file(text)
        try:
            return file.read_text(encoding="utf-8") if file else None
        except OSError:
            return None

    def _draw(self, text: str) -> str:
        code = segno.make_qr(text, error="m")
        svg = code.svg_inline(scale=2, border=2, svgclass="procedures-qr")
        svg = svg.replace("<svg ", '<svg role="img" aria-label="QR code of the check address" ', 1)
        file = self._file(text)
        if file is not None:
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_text(svg, encoding="utf-8")
        return svg
