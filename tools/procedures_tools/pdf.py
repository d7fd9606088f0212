"""`procedures pdf`: one PDF of the whole manual per site (regional and every board), in headless Chromium.

Each site's print book (`book.py`) is written into the site as `<site>/print/index.html` and printed
twice. The first print lays the pages out; the chapters' first pages are read from the PDF's outline
(Chromium's bookmarks from the headings), written into the contents, and the book is printed again.
The page numbers take the room kept for them in the first print, so nothing moves; the second print
is checked against the first all the same. Every sheet's margins carry the manual's and the board's
names, the stamp ("correct as printed on ...", with the time the PDF was made and the address of the
chapter on the sheet) and the page number (`sheet_marks.py`). The PDF opens with its bookmarks shown:
parts, chapters and their sections.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from pypdf import PdfReader, PdfWriter
from pypdf.generic import Destination, Fit, NameObject

from mkdocs_procedures.core.site_layout import whole_manual_pdf
from mkdocs_procedures.core.stamp import (
    DEFAULT_DATE_FORMAT,
    DEFAULT_TEMPLATE,
    StampFormatError,
    check_date_format,
    format_moment,
)
from mkdocs_procedures.render.sheet_marks import plain_text

from .book import Book, read_book
from .manual import Manual, ManualError

CHROMIUM = "/usr/bin/chromium"
# The flags the machine's closed network needs, and no sandbox when run as root in a container.
CHROMIUM_ARGUMENTS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                      "--disable-component-update", "--disable-sync", "--no-first-run"]
OUTLINE_DEPTH = 3
"""Parts, chapters, sections."""


class PdfError(ManualError):
    """A PDF could not be made: no browser, no built site, or a layout that does not settle."""


@dataclass(frozen=True)
class SitePdf:
    board: str | None
    file: Path
    pages: int
    chapter_pages: tuple[int, ...]


def make_pdfs(manual: Manual, site_dir: Path, moment: dt.datetime, boards: list[str] | None = None,
              browser: Any = None) -> list[SitePdf]:
    """Print every site's book (or only those of `boards`; "regional" names the regional site), in
    `browser` (a Playwright browser) or else in a Chromium started for the purpose."""
    site_dir = site_dir.resolve()  # Chromium opens the book by its file address
    wanted = boards if boards is not None else ["regional", *manual.region.boards]
    unknown = sorted(set(wanted) - {"regional", *manual.region.boards})
    if unknown:
        raise PdfError(f"unknown board(s) {', '.join(unknown)}; expected 'regional' or one of: "
                       f"{', '.join(manual.region.boards)}")
    date_format = str(manual.stamp.get("date_format", DEFAULT_DATE_FORMAT))
    try:
        check_date_format(date_format)
    except StampFormatError as error:
        raise PdfError(f"mkdocs.yml: procedures `stamp.date_format`: {error}") from error
    produced_on = format_moment(moment, date_format)
    amendments = _amendments(site_dir)
    made = []
    with _chromium(browser) as browser:
        for name in wanted:
            board = manual.region.boards.get(name) if name != "regional" else None
            board_id, board_name = (board.id, board.name) if board else (None, None)
            prefix = f"{board_id}/" if board_id else ""
            words = _stamp_words(manual, board_name, produced_on)
            book = read_book(site_dir, prefix, manual.site_url, manual.site_name, board_name,
                             _last_amended(amendments, board_id), produced_on, manual.contents_page, words)
            made.append(_print(browser, book, site_dir / prefix / whole_manual_pdf(board_id), board_id))
    return made


def _amendments(site_dir: Path) -> list[dict[str, Any]]:
    """The built site's amendments (`amendments.json`): the cover gives the newest date that applies."""
    file = site_dir / "amendments.json"
    try:
        records: list[dict[str, Any]] = json.loads(file.read_text(encoding="utf-8"))
    except OSError as error:
        raise PdfError(f"{file}: cannot read it ({error.strerror}); build the site first (`make site`)") from error
    return records


def _last_amended(amendments: list[dict[str, Any]], board: str | None) -> str:
    dates = [dt.date.fromisoformat(record["date"]) for record in amendments if record["board"] in (None, board)]
    return f"Last amended {max(dates):%d-%m-%Y}." if dates else "No amendments recorded."


def _stamp_words(manual: Manual, board: str | None, produced_on: str) -> Callable[[str], str]:
    """The stamp's words for a sheet showing the page at an address, as plain text: one wording, one time."""
    wording = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined).from_string(
        str(manual.stamp.get("template", DEFAULT_TEMPLATE)))
    return lambda url: plain_text(wording.render(printed_on=produced_on, url=url, board=board))


def _print(browser: Any, book: Book, target: Path, board: str | None) -> SitePdf:
    book.folder.mkdir(parents=True, exist_ok=True)
    page_file = book.folder / "index.html"
    first = _print_once(browser, book, page_file)
    starts = _chapter_starts(first, len(book.chapters), page_file)
    for chapter, start in zip(book.chapters, starts, strict=True):
        chapter.page = start
    final = _print_once(browser, book, page_file)
    if _chapter_starts(final, len(book.chapters), page_file) != starts:
        raise PdfError(f"{page_file}: the page numbers moved the chapters; the contents would be wrong")
    finished = _with_outline_shown(final, book.not_in_outline)
    target.write_bytes(finished)
    return SitePdf(board, target, len(PdfReader(io.BytesIO(finished)).pages), tuple(starts))


def _print_once(browser: Any, book: Book, page_file: Path) -> bytes:
    page_file.write_text(book.render(), encoding="utf-8")
    page = browser.new_page()
    try:
        page.goto(page_file.as_uri(), wait_until="load")
        # The sheet size and margins, and what the margins say, come from the book's CSS (`@page`).
        pdf: bytes = page.pdf(prefer_css_page_size=True, print_background=True, outline=True, tagged=True)
        return pdf
    finally:
        page.close()


def _with_outline_shown(pdf: bytes, not_in_outline: Collection[str]) -> bytes:
    """The PDF opening on its bookmarks, which hold parts, chapters and their sections only: Chromium
    bookmarks every heading, down to the smallest and the chapters' amendments."""
    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter(clone_from=reader)  # keeps the tags, the language and the title
    del writer.root_object[NameObject("/Outlines")]

    def add(entries: list[Any], parent: Any, depth: int) -> None:
        last = None
        for entry in entries:
            if isinstance(entry, list):
                if last is not None and depth < OUTLINE_DEPTH:
                    add(entry, last, depth + 1)
                continue
            if depth > 1 and str(entry.title) in not_in_outline:
                last = None
                continue
            page = reader.get_destination_page_number(entry)
            last = writer.add_outline_item(title=str(entry.title), page_number=page, parent=parent,
                                           fit=Fit.xyz(entry.left, entry.top, entry.zoom))

    add(reader.outline, None, 1)
    writer.page_mode = "/UseOutlines"
    finished = io.BytesIO()
    writer.write(finished)
    return finished.getvalue()


def _chapter_starts(pdf: bytes, count: int, page_file: Path) -> list[int]:
    """The page (from 1) of each chapter: the second level of the outline (parts, then chapters)."""
    reader = PdfReader(io.BytesIO(pdf))
    pages = [reader.get_destination_page_number(entry) for entry in _second_level(reader.outline)]
    starts = [page + 1 for page in pages if page is not None]
    if len(starts) != count:
        raise PdfError(f"{page_file}: the PDF's outline lists {len(starts)} chapters, expected {count}; "
                       "every chapter must start with its title as the page's first heading")
    return starts


def _second_level(outline: list[Any]) -> Iterator[Destination]:
    """Chapters are the children of parts; "Contents" is a top-level entry too, and its children are none."""
    for position, entry in enumerate(outline):
        if isinstance(entry, Destination) and entry.title != "Contents":
            following = outline[position + 1] if position + 1 < len(outline) else None
            if isinstance(following, list):
                yield from (child for child in following if isinstance(child, Destination))


@contextmanager
def _chromium(running: Any = None) -> Iterator[Any]:
    if running is not None:
        yield running
        return
    executable = os.environ.get("CHROMIUM") or shutil.which("chromium") or CHROMIUM
    if not Path(executable).is_file():
        raise PdfError(f"{executable}: Chromium is not installed; install Debian's package "
                       "(`apt-get install chromium`) or name another with CHROMIUM (as the tests do)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGUMENTS)
        try:
            yield browser
        finally:
            browser.close()

