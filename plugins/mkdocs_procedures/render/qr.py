"""QR codes for the print stamp: the check address of a printed page, drawn as inline SVG at build time.

A code depends only on the text it carries, and that text (chapter, version, board) changes only when
the chapter is amended, so codes are kept on disk between builds. segno picks the mask that scans best;
that choice is the costly part of drawing a code (about 4 ms), which is why the codes are kept.
"""

from __future__ import annotations

import contextlib
import hashlib
from pathlib import Path

from ..core.cache_files import keep_json, read_kept_json


class QrCodes:
    """Inline SVG QR codes, drawn once per text and kept in `folder` (no folder: nothing is kept), in one
    file per page: a page's codes are asked for one after another (a regional page's for every board, then
    each board's copy its own), so one read gives them all, where a file per code took thousands.

    The process that makes a page calls `keep(page)` once its codes were asked for: its file then holds
    those, and only those. A process making copies of pages made elsewhere only reads.

    Not held in memory beyond the page in hand: thousands of codes are megabytes."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.page: str | None = None
        self.kept: dict[str, str] = {}
        """The codes kept for the page in hand, by their text."""
        self.asked: dict[str, str] = {}
        """The codes asked for the page in hand since its file was read."""

    def svg(self, text: str, page: str = "") -> str:
        """The code of `text`, shown on the page at the site-relative address `page`."""
        if page != self.page:
            self.page, self.kept, self.asked = page, self._read(page), {}
        found = self.kept.get(text)
        if found is None:
            found = self._draw(text)
        self.asked[text] = found
        return found

    def keep(self, page: str) -> None:
        """Keep the codes asked for `page` as its file, when they are not what the file holds."""
        if self.folder is None or page != self.page or self.asked == self.kept:
            return
        with contextlib.suppress(OSError):  # the next build draws them again
            keep_json(self._file(page), self.asked)
        self.kept = dict(self.asked)

    def _file(self, page: str) -> Path:
        assert self.folder is not None
        name = hashlib.sha1(page.encode("utf-8")).hexdigest()
        return self.folder / "by-page" / name[:2] / f"{name}.json"

    def _read(self, page: str) -> dict[str, str]:
        kept = read_kept_json(self._file(page)) if self.folder is not None else {}
        return {text: svg for text, svg in kept.items() if isinstance(text, str) and isinstance(svg, str)}

    def _draw(self, text: str) -> str:
        import segno  # here, not above: a build with every code kept never loads it (2.5 MiB)

        code = segno.make_qr(text, error="m")
        svg = code.svg_inline(scale=2, border=2, svgclass="procedures-qr")
        return svg.replace("<svg ", '<svg role="img" aria-label="QR code of the check address" ', 1)
