"""Old addresses as files of the build: a redirect page where a page moved from, and a page saying
"withdrawn" where one was withdrawn, on the regional site and in every board's site, and
`redirects.json` listing both.

The paths come from `core/old_addresses.py`; here they become the generator's addresses.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field

import yaml
from mkdocs.structure.files import InclusionLevel

from ..core.amendments import Catalogue, uk_date
from ..core.old_addresses import Moved, Withdrawn
from ..core.site_layout import LOG_PAGE, REDIRECTS
from ..render.amendment_views import relative_url
from ..render.markup import PageMarkup
from .serving import Made


@dataclass
class OldPages:
    markup: PageMarkup
    site_url: str
    site_name: str
    language: str
    url_of: Callable[[str], str]
    """A source path's address below its site's root (`responding/old.md` → `responding/old/`)."""
    contents_page: str = "contents.md"
    moved: list[tuple[str, str, str | None]] = field(default_factory=list)
    """(old address, new address, board), every board's copies included."""
    withdrawn: list[tuple[str, Withdrawn, str | None, str | None]] = field(default_factory=list)
    """(old address, what was withdrawn, the replacing chapter's address, board), every board's copies
    included."""
    titles: Mapping[str, str] = field(default_factory=dict)

    def plan(self, moved: Sequence[Moved], withdrawn: Sequence[Withdrawn], catalogue: Catalogue,
             boards: Collection[str], taken: Collection[str]) -> None:
        """Where each old address is, and where it leads, on every site; an address a live page has now
        is left to that page."""
        self.moved, self.withdrawn = [], []
        self.titles = {path: title for path, (_, title) in catalogue.chapters.items()}

        def address(path: str, board: str | None) -> str:
            if board is None:
                return self.url_of(path.removeprefix(catalogue.docs_root))
            return f"{board}/" + self.url_of(path.removeprefix(catalogue.boards_root).split("/", 2)[2])

        for move in moved:
            sites = [move.board] if move.board else [None, *boards]
            for site in sites:
                prefix = f"{site}/" if site and not move.board else ""
                old, new = prefix + address(move.old_path, move.board), prefix + address(move.new_path, move.board)
                if old not in taken and old != new:
                    self.moved.append((old, new, site))
        for gone in withdrawn:
            sites = [gone.board] if gone.board else [None, *boards]
            for site in sites:
                prefix = f"{site}/" if site and not gone.board else ""
                old = prefix + address(gone.old_path, gone.board)
                replaced = prefix + address(gone.replaced_by, None) if gone.replaced_by else None
                if old not in taken:
                    self.withdrawn.append((old, gone, replaced, site))

    def pages(self) -> list[Made]:
        """The "withdrawn" pages, as Markdown pages of the site (its theme, navigation and search)."""
        made: list[Made] = []
        for old, gone, replaced, board in self.withdrawn:
            site = f"{board}/" if board else ""
            body = self.markup.render(
                "withdrawn.md", title=gone.title, iso=gone.withdrawn_on.isoformat(), date=uk_date(gone.withdrawn_on),
                details=gone.details, replaced_href=relative_url(replaced, old) if replaced else None,
                replaced_title=self.titles.get(gone.replaced_by or "", ""),
                contents_href=relative_url(site + self.url_of(self.contents_page), old),
                log_href=relative_url(site + self.url_of(LOG_PAGE), old))
            # A title is text: Material writes it as it is into `<title>` and the heading.
            front = {"title": html.escape(f"{gone.title} (withdrawn)", quote=False), "search": {"exclude": True}}
            made.append((_source_of(old), "---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n\n" + body,
                         InclusionLevel.NOT_IN_NAV))
        return made

    def files(self) -> list[Made]:
        """A redirect page at every old address of a moved page, and `redirects.json`."""
        made: list[Made] = []
        for old, new, _ in self.moved:
            made.append((old + "index.html" if old.endswith("/") else old, self.markup.render(
                "moved.html", language=self.language, site_name=self.site_name, canonical=self.site_url + new,
                href=relative_url(new, old)), InclusionLevel.UNDEFINED))
        listing = {
            "moved": [{"from": old, "to": new, "board": board} for old, new, board in self.moved],
            "withdrawn": [{"address": old, "title": gone.title, "withdrawn_on": gone.withdrawn_on.isoformat(),
                           "details": gone.details, "replaced_by": replaced, "board": board}
                          for old, gone, replaced, board in self.withdrawn],
        }
        made.append((REDIRECTS, json.dumps(listing, indent=2, ensure_ascii=False) + "\n", InclusionLevel.UNDEFINED))
        return made


def _source_of(address: str) -> str:
    """The generated page's source path for an address: `responding/old/` → `responding/old.md`."""
    return (address.rstrip("/") or "index") + ".md"
