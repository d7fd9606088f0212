"""What a page carries besides its own text: the "Last amended" line, the board selector or the board's
note, "Cite this version", the chapter's amendments, the print stamp (with version, check address and
QR code), and on an earlier version the banner naming it. Made for each regional page and for each
board's copy of it.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from ..core.boards import Board
from ..core.editions import Edition
from ..core.region import Region
from ..core.schedule import NextUpdate, RecentMark
from ..core.site_layout import CHECK_FOLDER, FEED, PRIVACY_PAGE_URL, REDIRECTS
from ..core.stamp import PrintStamp
from . import sheet_marks
from .amendment_views import AmendmentViews
from .markup import PageMarkup
from .qr import QrCodes
from .variants import Variant

STAMP_URL = "procedures-stamp-address"
HOME_PAGE = "index.md"
"""The site's home page (MkDocs' own rule): decorated as a way in, not as a chapter."""


_FIRST_TAG = re.compile(r"^\s*<([a-z]+)")


def by_board(regional: str, boards: Mapping[str, str]) -> str:
    """A regional page's fragment with each board's own version beside it, hidden until the reader picks
    that board (`procedures.js` swaps them): what differs by board is that board's on screen and on paper.
    Each version is one element; a board whose version is the regional one gets none."""
    versions = [_FIRST_TAG.sub(rf'<\1 data-board="{board}" hidden', html, count=1)
                for board, html in boards.items() if html and html != regional]
    if not versions:
        return regional
    return f'<div class="procedures-variants">{regional}{"".join(versions)}</div>'


@dataclass
class PageDecorations:
    markup: PageMarkup
    site_url: str
    site_name: str
    built_at: dt.datetime
    qr_codes: QrCodes
    relative_url: Callable[[str, str], str]
    """A link from one page's directory URL to another's (the generator's own rule, given by the adapter)."""
    selector_label: str
    earlier: list[str] = field(default_factory=list)
    """Set when building an earlier version: `as-at <day> <sha>` or `edition <name> <day> <sha>`."""
    current_site: str | None = None
    """An edition's current site, to link each page to its current version."""
    region: Region = field(default_factory=Region)
    views: AmendmentViews | None = None
    editions: list[Edition] = field(default_factory=list)
    stamps: dict[str | None, str] = field(default_factory=dict)
    built_wordings: dict[str | None, str] = field(default_factory=dict)
    contacts_page: str = "local-contacts.md"
    """Each board's own page of key contacts (relative to its `pages/`), where it has one."""
    _old_addresses: tuple[dict[str, str], set[str]] | None = field(default=None, repr=False)
    recent_days: int = 30
    """How long the contents marks a chapter "New" or "Updated" after it was added or amended; 0: never."""
    next_update: NextUpdate | None = None

    def next_update_note(self) -> str:
        """The next planned update, on each site's home and Amendments pages (not on earlier versions)."""
        if self.next_update is None or self.earlier:
            return ""
        return self.markup.render("next_update.html", update=self.next_update)

    def recent_mark(self, chapter: str | None, board: str | None) -> tuple[RecentMark, dt.date] | None:
        """A chapter's mark on a site's contents, as of the build (an earlier version marks nothing: it is
        not read as news)."""
        if self.views is None or chapter is None or self.earlier:
            return None
        return self.views.recent_mark(chapter, board, self.built_at.date(), self.recent_days)

    def contacts_url(self, board: Board) -> str | None:
        """The site path of the board's contacts page, or None when the board has none."""
        if not any(page.src_uri == self.contacts_page for page in self.region.pages.get(board.id, [])):
            return None
        stem = self.contacts_page.removesuffix(".md").removesuffix("index").rstrip("/")
        return f"{board.id}/{stem}/" if stem else f"{board.id}/"

    def partnerships(self, url: str | None) -> str:
        """The regional home page's way to every board: its contacts and its copy of the manual. With no
        `url` (the "not found" page, served at any address) the links are the full addresses."""
        def link(target: str | None) -> str | None:
            if target is None or url is not None:
                return self._link(target, url or "")
            return self.site_url + target

        boards = [(board, link(self.contacts_url(board)), link(f"{board.id}/"))
                  for board in self.region.boards.values()]
        return self.markup.render("partnerships.html", boards=boards) if boards else ""

    def not_found(self) -> str:
        """What the "not found" page offers: the way home, the search above, every partnership."""
        partnerships = self.partnerships(None)
        return self.markup.render("not_found.html", home=self.site_url, partnerships=bool(partnerships)) + partnerships

    def _link(self, target: str | None, url: str) -> str | None:
        return self.relative_url(target, url or "./") if target is not None else None

    def regional(self, variant: Variant, url: str) -> dict[str, str]:
        assert variant.chapter_id is not None
        views = self.views
        chapter, boards = variant.chapter_id, self.region.boards.values()
        # The home page is a way in, not a chapter: no "Last amended", no amendments, nothing to cite.
        views = None if self._home(variant) else views
        top = by_board(views.last_amended(chapter, None), {board.id: views.last_amended(chapter, board.id)
                                                            for board in boards}) if views else ""
        amendments = views.chapter_section(variant.chapter_id, None, url, combined=True) if views else ""
        if views:
            top = views.since_last_read(chapter, None, url, self.relative_url(PRIVACY_PAGE_URL, url or "./")) + top
        selector = ""
        if self._home(variant):
            top += self.next_update_note() + self.partnerships(url)
        elif self.region.boards:
            top += self._selector("top", url)
            selector = self._selector("bottom", url)
        # A reader who picks a board prints that board's page: its address, its check link, its name.
        stamp = by_board(self.stamp(url, None, None, chapter, page=url),
                         {board.id: self.stamp(f"{board.id}/{url}", board.name, board.id, chapter, page=url)
                          for board in boards})
        self.qr_codes.keep(url)  # each board's copy of the page takes its code from there
        return {"top": top, "cite": "" if self._home(variant) else self._citation(variant, url, None),
                "amendments": amendments,
                # A reader who picks a board subscribes to the board's copy of the chapter.
                "feed": by_board(views.chapter_feed_link(chapter, None, url),
                                 {board.id: views.chapter_feed_link(chapter, board.id, url) for board in boards})
                if views else "",
                "selector": selector, "stamp": stamp}

    def for_board(self, variant: Variant, url: str, board: Board, copy: bool = False) -> dict[str, str]:
        """What differs on a board's page: last amended, the board note, no selector, the stamp; and on
        the board's own pages its amendments (a copy of a regional page keeps the regional table, with
        only this board's rows)."""
        assert variant.chapter_id is not None
        views = None if self._home(variant) else self.views
        top = views.last_amended(variant.chapter_id, board.id) if views else ""
        if views:
            privacy = self.relative_url(f"{board.id}/{PRIVACY_PAGE_URL}", url or "./")
            top = views.since_last_read(variant.chapter_id, board.id, url, privacy) + top
        if self._home(variant):
            top += self.next_update_note()
        if variant.regional is not None:
            regional_url = url.removeprefix(f"{board.id}/")
            top += self.markup.board_note(board, self.relative_url(regional_url or "./", url or "./"),
                                          self._link(self.contacts_url(board), url))
        # A copy of a regional page shows the code that page holds for the board; a board's own page its own.
        page = url.removeprefix(f"{board.id}/") if copy else url
        stamp = self.stamp(url, board.name, board.id, variant.chapter_id, page=page)
        if not copy:
            self.qr_codes.keep(page)
        fragments = {"top": top, "selector": "", "stamp": stamp,
                     "notice": self.earlier_notice(url),
                     "cite": "" if self._home(variant) else self._citation(variant, url, board.id),
                     "head": self.head(url, board)}
        if not copy:
            fragments["amendments"] = (views.chapter_section(variant.chapter_id, board.id, url, combined=False)
                                       if views else "")
        elif views is None:
            fragments["amendments"] = ""
        # A copy keeps the regional section (with only the board's rows); the feed it links is the board's.
        fragments["feed"] = views.chapter_feed_link(variant.chapter_id, board.id, url) if views else ""
        return fragments

    def stamp(self, url: str, board_name: str | None, board_id: str | None = None, chapter: str | None = None,
              page: str | None = None) -> str:
        """The stamp for a page, with its version and where to check a printout of it; `page` is the page
        that holds its QR code (by default the page at `url`)."""
        stamp = self._plain_stamp(url, board_name)
        version = self.views.version_of(chapter, board_id) if self.views and chapter else None
        if version is None:
            return stamp
        query = f"c={chapter}&v={version}" + (f"&b={board_id}" if board_id else "")
        check_url = f"{self.site_url}{CHECK_FOLDER}/?{query}"
        check = self.markup.render_filled("stamp_check.html", {}, version=version, check_url=check_url,
                                          qr=Markup(self.qr_codes.svg(check_url, url if page is None else page)))
        return stamp.replace("</aside>", check + "</aside>", 1)

    def head(self, url: str, board: Board | None) -> str:
        """What a page's head carries for its site: the link to the site's feed of amendments (the board's
        own, on a board's page), and what the margins of each printed sheet say when no script runs."""
        board_name = board.name if board else None
        wording = self._built_wording(url, board_name)
        feed = f"{self.site_url}{board.id}/{FEED}" if board else self.site_url + FEED
        title = f"{self.site_name}: {board.name}" if board else self.site_name
        link = (f'<link rel="alternate" type="application/atom+xml" title="{html.escape(title)}: amendments" '
                f'href="{html.escape(feed)}">')
        return link + sheet_marks.style_element(self.site_name, board_name, wording)

    def _home(self, variant: Variant) -> bool:
        return variant.regional is not None and variant.regional.src_uri == HOME_PAGE

    def earlier_notice(self, url: str) -> str:
        """On an earlier version's page: which version it is, and where the current page is (if any)."""
        if self.earlier[:1] == ["as-at"] and len(self.earlier) == 3:
            day = dt.date.fromisoformat(self.earlier[1]).strftime("%d-%m-%Y")
            return self.markup.render("as_at.html", date=day, version=self.earlier[2][:12])
        if self.earlier[:1] == ["edition"] and len(self.earlier) == 4:
            day = dt.date.fromisoformat(self.earlier[2]).strftime("%d-%m-%Y")
            current = Path(self.current_site or "", url, "index.html")
            # The edition is published at editions/<name>/; the current site is two folders above it.
            up = "../" * (url.count("/") + 2)
            # The current site's page at this address, or the page it moved to; none once withdrawn.
            moved, withdrawn = self._current_old_addresses()
            href = up + url if self.current_site and current.is_file() and url not in withdrawn else None
            if url in moved:
                href = up + moved[url]
            # Every edition's copy of this page, listed by the script from editions/versions.json; a board's
            # copies stay the board's, and without scripts the current site's Editions page lists them all.
            board = url.split("/", 1)[0] if url.split("/", 1)[0] in self.region.boards else None
            editions_page = up + (f"{board}/" if board else "") + "editions/"
            return self.markup.render("edition.html", date=day, current_href=href, editions_href=editions_page,
                                      editions_root="../" * (url.count("/") + 1), edition=self.earlier[1], page=url)
        return ""

    def _current_old_addresses(self) -> tuple[dict[str, str], set[str]]:
        """The current site's moved (old → new address) and withdrawn addresses, from its redirects.json."""
        if self._old_addresses is None:
            moved: dict[str, str] = {}
            withdrawn: set[str] = set()
            try:
                listing = json.loads(Path(self.current_site or "", REDIRECTS).read_text(encoding="utf-8"))
                moved = {str(entry["from"]): str(entry["to"]) for entry in listing.get("moved", [])}
                withdrawn = {str(entry["address"]) for entry in listing.get("withdrawn", [])}
            except (OSError, ValueError, KeyError, TypeError, AttributeError):
                pass  # a current site built before old addresses were kept: its pages say what they are
            self._old_addresses = moved, withdrawn
        return self._old_addresses

    def board_site_name(self, board: Board) -> str:
        """The header of a board's site, as HTML: the board's short name is text, the site's as written."""
        return f"{html.escape(board.short_name)}: {self.site_name}"

    def _citation(self, variant: Variant, url: str, board: str | None) -> str:
        chapter = variant.regional.chapter if variant.regional else variant.board_page.chapter if \
            variant.board_page else None
        if self.views is None or chapter is None or self.earlier:
            return ""
        return self.views.citation(chapter.id, chapter.title, board, url, self.site_url, self.editions)

    def _built_wording(self, url: str, board_name: str | None) -> str:
        """The stamp's words for the sheets' margins (plain text, the address as it is)."""
        return self._with_address(self.built_wordings, self.markup.built_wording, url, board_name, str)

    def _plain_stamp(self, url: str, board_name: str | None) -> str:
        """The stamp's wording (HTML, the address escaped)."""
        return self._with_address(self.stamps, self.markup.print_stamp, url, board_name, html.escape)

    def _with_address(self, kept: dict[str | None, str], render: Callable[[PrintStamp], str], url: str,
                      board_name: str | None, written: Callable[[str], str]) -> str:
        """What `render` makes of a page's stamp: rendered once per board with a stand-in address, then the
        page's own filled in as `written` gives it."""
        if board_name not in kept:
            kept[board_name] = render(PrintStamp(STAMP_URL, self.built_at, board_name))
        text = kept[board_name]
        if STAMP_URL not in text:  # a template that changes the address itself: render it for this page
            return render(PrintStamp(self.site_url + url, self.built_at, board_name))
        return text.replace(STAMP_URL, written(self.site_url + url))

    def _selector(self, place: str, url: str) -> str:
        boards = list(self.region.boards.values())
        links = [(board, self.relative_url(f"{board.id}/{url}", url)) for board in boards]
        return self.markup.board_selector(place, self.selector_label, boards, links)
