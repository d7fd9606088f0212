"""The whole manual of one site (regional or a board's) as a single printable page: the print book.

It is put together from the built site, so it holds exactly what readers see: each chapter's article,
with the board's local content, banners, "last amended" and the chapter's stamp with its version and
check address. The book gets a cover, a contents list (page numbers are filled in by `pdf.py` once
Chromium has laid the pages out) and the chapters in the order of the site's contents page. Headings
move one level down so that parts are the top of the PDF's outline; ids are made unique per chapter;
links between chapters become links inside the book, and any other link the page's full address.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urldefrag, urljoin

import jinja2
from bs4 import BeautifulSoup, Tag

from mkdocs_procedures.core.site_layout import PRINT_FOLDER
from mkdocs_procedures.render.sheet_marks import css_string, declarations

from .manual import ManualError

BOOK = f"{PRINT_FOLDER}/"
# What a book leaves out: screen-only parts, hidden text (other boards' local blocks), permalinks.
# The stamp's words go in each sheet's margins, so a chapter's stamp keeps only its version and check link.
LEFT_OUT = (".headerlink, .procedures-no-print, .procedures-boards, .procedures-cite, [hidden], "
            ".procedures-stamp__printed, .procedures-stamp__built, .procedures-stamp__board")
AMENDMENTS_HEADING = ".procedures-chapter-amendments > h2"
EARLIER_BANNER = ".procedures-banner--edition strong, .procedures-banner--as-at strong"
HEADINGS = ["h1", "h2", "h3", "h4", "h5", "h6"]


class BookError(ManualError):
    """The built site lacks a page the book needs."""


@dataclass
class BookChapter:
    title: str
    anchor: str
    url: str
    html: str = ""
    page: int | None = None
    stamp: str = ""
    """What the foot of each of the chapter's sheets says: the stamp's words, with the chapter's address."""


@dataclass
class BookPart:
    title: str
    chapters: list[BookChapter] = field(default_factory=list)


@dataclass
class Book:
    """One site's manual as one page; `render` writes it with or without page numbers."""

    site_dir: Path
    prefix: str  # "" for the regional site, "<board>/" for a board's
    title: str
    board: str | None
    site_url: str
    last_amended: str
    produced_on: str
    stylesheets: list[str]
    parts: list[BookPart]
    earlier: str | None = None
    """What an edition's or an as-at build's banner says it is ("This is the edition of ...")."""
    stamp: str = ""
    """What the foot of the cover's and the contents' sheets says, with the site's address."""
    not_in_outline: frozenset[str] = frozenset()
    """Headings that are no section of their chapter (its amendments), left out of the PDF's bookmarks."""

    @property
    def folder(self) -> Path:
        return self.site_dir / self.prefix / BOOK

    @property
    def chapters(self) -> list[BookChapter]:
        return [chapter for part in self.parts for chapter in part.chapters]

    def render(self) -> str:
        template = _environment().get_template("book.html")
        return template.render(book=self)


def read_book(site_dir: Path, prefix: str, site_url: str, title: str, board: str | None,
              last_amended: str, produced_on: str, contents_page: str = "contents.md",
              stamp: Callable[[str], str] = str) -> Book:
    """Put the book together from the built site in `site_dir` (the site's own pages under `prefix`),
    in the order of its contents page (`contents_page`, the source path `contents_page` setting names).
    `stamp(address)` gives the stamp's words for the sheets of the page at that address."""
    contents_url = site_url + prefix + page_url(contents_page)
    contents_file = _page_file(site_dir, site_url, contents_url)
    contents = _read(contents_file)
    article = _article(contents, contents_file)
    for permalink in article.select(".headerlink"):
        permalink.decompose()
    parts: list[BookPart] = []
    for heading in article.find_all("h2"):
        listing = heading.find_next_sibling()
        if not isinstance(listing, Tag) or listing.name != "ul":
            continue  # the page's own sections, such as its amendments
        part = BookPart(heading.get_text(" ", strip=True))
        for link in listing.select("a[href]"):
            url = urljoin(contents_url, str(link["href"]))
            part.chapters.append(BookChapter(link.get_text(" ", strip=True), "", url))
        parts.append(part)
    chapters = [chapter for part in parts for chapter in part.chapters]
    if not chapters:
        raise BookError(f"{contents_file}: no chapters listed on the contents page; expected parts (h2) and links")
    for number, chapter in enumerate(chapters, start=1):
        chapter.anchor = f"chapter-{number}"
    anchors = {chapter.url: chapter.anchor for chapter in chapters}
    book_folder = site_dir / prefix / BOOK
    not_in_outline: set[str] = set()
    for chapter in chapters:
        source = _page_file(site_dir, site_url, chapter.url)
        chapter_article = _article(_read(source), source)
        not_in_outline.update(heading.get_text(" ", strip=True)
                              for heading in chapter_article.select(AMENDMENTS_HEADING))
        chapter.html = _chapter_html(chapter_article, chapter, anchors, source.parent, book_folder)
        chapter.stamp = stamp(chapter.url)
    stylesheets = [_relative_file(contents_file.parent, str(link["href"]), book_folder)
                   for link in contents.select('head link[rel="stylesheet"]')]
    banner = article.select_one(EARLIER_BANNER)
    earlier = banner.get_text(" ", strip=True) if banner else None
    return Book(site_dir, prefix, title, board, site_url + prefix, last_amended, produced_on, stylesheets, parts,
                earlier, stamp(site_url + prefix), frozenset(not_in_outline))


def _chapter_html(article: Tag, chapter: BookChapter, anchors: dict[str, str], folder: Path,
                  book_folder: Path) -> str:
    for element in article.select(LEFT_OUT):
        element.decompose()
    for stamp in article.select(".procedures-stamp"):
        if not stamp.select_one(".procedures-stamp__check"):
            stamp.decompose()  # nothing left to print at the chapter's end
    for heading in article.find_all(HEADINGS):
        level = HEADINGS.index(heading.name)
        heading.name = HEADINGS[min(level + 1, len(HEADINGS) - 1)]
    prefix = chapter.anchor + "-"
    for element in article.find_all(id=True):
        element["id"] = prefix + str(element["id"])
    for link in article.find_all("a", href=True):
        link["href"] = _book_link(str(link["href"]), chapter, anchors)
    for element in article.find_all(src=True):
        element["src"] = _relative_file(folder, str(element["src"]), book_folder)
    return article.decode_contents()


def page_url(src_path: str) -> str:
    """A page's directory URL below its site's root, as MkDocs writes it: `a/b.md` → `a/b/`, `a/index.md` → `a/`."""
    stem = src_path.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        stem = stem.removesuffix("index").rstrip("/")
    return stem + "/" if stem else ""


def _book_link(href: str, chapter: BookChapter, anchors: dict[str, str]) -> str:
    """A link inside the book where it leads to a chapter in it; else the full address."""
    target = urljoin(chapter.url, href)
    page, fragment = urldefrag(target)
    if page in anchors:
        return f"#{anchors[page]}-{fragment}" if fragment else f"#{anchors[page]}"
    return target


def _relative_file(folder: Path, href: str, book_folder: Path) -> str:
    if "://" in href or href.startswith(("data:", "#")):
        return href
    return Path(os.path.relpath(folder / href, book_folder)).as_posix()


def _page_file(site_dir: Path, site_url: str, url: str) -> Path:
    if not url.startswith(site_url):
        raise BookError(f"{url}: not an address on this site ({site_url})")
    return site_dir / url.removeprefix(site_url) / "index.html"


def _read(file: Path) -> BeautifulSoup:
    try:
        return BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")
    except OSError as error:
        raise BookError(f"{file}: cannot read the built page ({error.strerror}); build the site first") from error


def _article(page: BeautifulSoup, file: Path) -> Tag:
    article = page.find("article")
    if not isinstance(article, Tag):
        raise BookError(f"{file}: no <article> in the page; expected a page built by MkDocs with Material")
    return article


def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("procedures_tools", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    environment.filters["css_string"] = css_string
    environment.globals["sheet_marks"] = declarations
    return environment
