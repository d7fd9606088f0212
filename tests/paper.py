"""Reading printed sheets as a reader would: what each sheet's margins say and what its body holds, by
where the text stands on the sheet, and pictures of sheets for a person to look at."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from pypdf import PageObject, PdfReader

from .conftest import installed

# procedures.css: `@page { margin: 18mm 14mm 22mm }`; the margin boxes stand outside the body.
MM = 72 / 25.4
TOP_MARGIN = 18 * MM
BOTTOM_MARGIN = 22 * MM
CHECK_LINE = re.compile(r"Version [0-9a-f]{12}\. Is this printout still current\? Check at \S+(?:\s\S+)?")


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def unwrapped(text: str) -> str:
    """`text` with no white space at all: an address the sheet's width broke over two lines is whole again."""
    return re.sub(r"\s+", "", text)


@dataclass
class Sheet:
    number: int
    top: str = ""
    """The head margin: the manual's and the board's names."""
    foot: str = ""
    """The foot margin: the stamp and the page number."""
    body: str = ""
    lines: list[tuple[float, float, str]] = field(default_factory=list)
    """(x, y, text) of each piece of the body's text, in points from the sheet's lower left corner."""

    @property
    def margins(self) -> str:
        return squash(f"{self.top} {self.foot}")

    @property
    def body_without_check(self) -> str:
        """The body's text less the chapter's check line ("Version ... Check at ...")."""
        return squash(CHECK_LINE.sub("", squash(self.body)))


def read_sheet(page: PageObject, number: int) -> Sheet:
    height = float(page.mediabox.height)
    sheet = Sheet(number)
    pieces: dict[str, list[str]] = {"top": [], "foot": [], "body": []}

    def place(text: str, matrix: list[float], text_matrix: list[float], *_: object) -> None:
        if not text.strip():
            pieces["body"].append(text)  # line breaks and spaces between pieces
            return
        x = text_matrix[4] * matrix[0] + matrix[4]
        y = text_matrix[5] * matrix[3] + matrix[5]
        where = "top" if y > height - TOP_MARGIN else "foot" if y < BOTTOM_MARGIN else "body"
        pieces[where].append(text)
        if where == "body":
            sheet.lines.append((x, y, text))

    page.extract_text(visitor_text=place)
    sheet.top, sheet.foot = squash(" ".join(pieces["top"])), squash(" ".join(pieces["foot"]))
    sheet.body = "".join(pieces["body"])
    return sheet


def read_sheets(pdf: Path | PdfReader) -> list[Sheet]:
    reader = pdf if isinstance(pdf, PdfReader) else PdfReader(pdf)
    return [read_sheet(page, number) for number, page in enumerate(reader.pages, start=1)]


def pdftoppm() -> str:
    """Poppler's pdftoppm (Debian's poppler-utils, which `make test` installs)."""
    return installed(shutil.which("pdftoppm"), "pdftoppm is not installed: `apt-get install poppler-utils` "
                     "(Debian package)", "render the printed sheets")


def render_sheets(pdf: Path, target: Path, first: int, last: int, resolution: int = 60) -> list[Path]:
    """Sheets `first` to `last` of `pdf` as PNG files `<target>-<n>.png`, for a person to look at."""
    target.parent.mkdir(parents=True, exist_ok=True)
    def pictures() -> list[Path]:
        return sorted(file for file in target.parent.glob(f"{target.name}-*.png")
                      if re.fullmatch(rf"{re.escape(target.name)}-\d+\.png", file.name))

    for old in pictures():
        old.unlink()
    subprocess.run([pdftoppm(), "-png", "-r", str(resolution), "-f", str(first), "-l", str(last), str(pdf),
                    str(target)], check=True, capture_output=True)
    return pictures()
