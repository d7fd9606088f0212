"""A board's pages made from the regional site's, instead of being rendered again for every board.

The regional page already holds every board's local blocks (hidden), every board's values and every
board's navigation section. A board's page is the same HTML with: the other boards' blocks removed and
its own shown; its values in place of the regional ones; the fragments that differ by board (the
"Last amended" line, the board note instead of the selector, the chapter's amendments, the stamp)
replaced; its navigation section shown; its name in the header; and every link re-pointed from the
regional page's address to the board page's (pages into the board's own site, the rest unchanged).

The plugin marks what differs with HTML comments (`<!--procedures:name-->...<!--/procedures:name-->`)
when it renders the regional page; this module only rewrites text.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from typing import Any

from .markup import value_html

LOCAL_START = "<!--procedures-local:{board}-->"
LOCAL_END = "<!--/procedures-local:{board}-->"
_LOCAL_BLOCK = re.compile(
    r"<!--procedures-local:(?P<board>[a-z0-9-]+)-->(?P<body>.*?)<!--/procedures-local:(?P=board)-->", re.S
)
_FRAGMENT = re.compile(r"<!--procedures:(?P<name>[a-z-]+)-->.*?<!--/procedures:(?P=name)-->", re.S)
_FRAGMENT_START = re.compile(r"<!--procedures:(?P<name>[a-z-]+)-->")
_REGIONAL_VALUE = re.compile(
    r'<span class="procedures-value" data-value="(?P<path>[^"]*)"><span class="procedures-value__regional">[^<]*</span>'
    r'(?P<locals>(?:<span class="procedures-value__local" data-board="[a-z0-9-]+" hidden data-search-exclude>'
    r'[^<]*</span>)*)</span>'
)
_LOCAL_VALUE = re.compile(r'<span class="procedures-value__local" data-board="(?P<board>[a-z0-9-]+)" hidden '
                          r'data-search-exclude>'
                          r'(?P<text>[^<]*)</span>')
_ABSOLUTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|/|#)", re.I)
_CONFIG_START = '<script id="__config" type="application/json">'
_BOARD_ROW = re.compile(r'<tr class="procedures-board-only" data-board="(?P<board>[a-z0-9-]+)" hidden>.*?</tr>', re.S)
_NAV_SECTION = re.compile(r'<li class="md-nav__item[^"]*" data-procedures-board="(?P<board>[a-z0-9-]+)" hidden>')
_TITLE = re.compile(r"(<title>)(.*?)(</title>)", re.S)
_SITEMAP_URL = re.compile(r"(?P<indent>[ \t]*)<url>\s*<loc>(?P<loc>[^<]*)</loc>.*?</url>\n?", re.S)


def fragment(name: str, content: str) -> str:
    """Mark `content` as differing between the regional site and the boards' sites."""
    return f"<!--procedures:{name}-->{content}<!--/procedures:{name}-->"


def local_block(board: str, content: str) -> str:
    return LOCAL_START.format(board=board) + "\n" + content + "\n" + LOCAL_END.format(board=board)


def for_board(page_html: str, board: str) -> str:
    """A regional page's HTML with `board`'s local blocks and amendments shown, the other boards' removed,
    and its values in place of the regional ones."""
    page_html = _LOCAL_BLOCK.sub(lambda match: _block_for(match, board), page_html)
    page_html = _REGIONAL_VALUE.sub(lambda match: _value_for(match, board), page_html)
    page_html = _BOARD_ROW.sub(lambda match: _row_for(match, board), page_html)
    return _NAV_SECTION.sub(lambda match: _nav_for(match, board), page_html)


def _block_for(match: re.Match[str], board: str) -> str:
    if match.group("board") != board:
        return ""
    return match.group("body").replace(' hidden="hidden"', "", 1)


def _value_for(match: re.Match[str], board: str) -> str:
    for local in _LOCAL_VALUE.finditer(match.group("locals")):
        if local.group("board") == board:
            return value_html(match.group("path"), html.unescape(local.group("text")), local.group("text"))
    return match.group(0)


def _row_for(match: re.Match[str], board: str) -> str:
    return match.group(0).replace(" hidden>", ">", 1) if match.group("board") == board else ""


def _nav_for(match: re.Match[str], board: str) -> str:
    return match.group(0).replace(" hidden>", ">") if match.group("board") == board else match.group(0)


class BoardCopies:
    """A regional page taken apart once into what every board's copy shares and what differs by board,
    so that each copy is one join instead of a pass of every rewrite over the whole page.

    `copy(...)` gives what `for_board`, `replace_fragments`, `canonical` and `with_site_name` give in turn.
    """

    def __init__(self, page_html: str, fragment_names: Collection[str], canonical_url: str, site_name: str) -> None:
        spans: list[tuple[int, int, str, re.Match[str] | str | None]] = []
        for kind, pattern in (("block", _LOCAL_BLOCK), ("value", _REGIONAL_VALUE), ("row", _BOARD_ROW),
                              ("nav", _NAV_SECTION)):
            spans.extend((match.start(), match.end(), kind, match) for match in pattern.finditer(page_html))
        spans.extend((start, end, "fragment", name) for start, end, name in _fragments(page_html)
                     if name in fragment_names)
        link = f'<link rel="canonical" href="{canonical_url}">'
        if (found := page_html.find(link)) >= 0:
            spans.append((found, found + len(link), "canonical", None))
        if header := _header_name(site_name).search(page_html):
            spans.append((header.end(1), header.end(), "site name", None))
        if title := _TITLE.search(page_html):
            spans.append((title.start(2), title.end(2), "title", title))
        self.site_name = site_name
        self.pieces: list[str | tuple[str, re.Match[str] | str | None]] = []
        cursor = 0
        for start, end, kind, match in sorted(spans, key=lambda span: (span[0], -span[1])):
            if start < cursor:
                continue  # inside a span already taken whole (a fragment holding a board's rows)
            self.pieces += [page_html[cursor:start], (kind, match)]
            cursor = end
        self.pieces.append(page_html[cursor:])

    def copy(self, board: str, fragments: Mapping[str, str], canonical_url: str, board_site_name: str) -> str:
        parts = []
        for piece in self.pieces:
            if isinstance(piece, str):
                parts.append(piece)
                continue
            kind, match = piece
            if kind == "canonical":
                parts.append(f'<link rel="canonical" href="{canonical_url}">')
            elif kind == "site name":
                parts.append(board_site_name)
            elif kind == "fragment":
                assert isinstance(match, str)
                parts.append(fragment(match, fragments[match]))
            else:
                assert isinstance(match, re.Match)
                parts.append(self._varying(kind, match, board, board_site_name))
        return "".join(parts)

    def _varying(self, kind: str, match: re.Match[str], board: str, board_site_name: str) -> str:
        if kind == "block":
            return _REGIONAL_VALUE.sub(lambda value: _value_for(value, board), _block_for(match, board))
        if kind == "value":
            return _value_for(match, board)
        if kind == "row":
            return _row_for(match, board)
        if kind == "nav":
            return _nav_for(match, board)
        return match.group(2).replace(self.site_name, board_site_name)  # the window title


def _fragments(page_html: str) -> Iterator[tuple[int, int, str]]:
    """Where each marked fragment starts and ends, and its name: what `_FRAGMENT` finds, each end found
    with `str.find` rather than tried at every character of the fragment."""
    position = 0
    while start := _FRAGMENT_START.search(page_html, position):
        closing = f"<!--/procedures:{start.group('name')}-->"
        end = page_html.find(closing, start.end())
        if end < 0:
            position = start.start() + 1
            continue
        position = end + len(closing)
        yield start.start(), position, start.group("name")


def replace_fragments(page_html: str, fragments: Mapping[str, str]) -> str:
    """Put each named fragment's board version in place of the regional one (kept marked)."""
    return _FRAGMENT.sub(lambda m: fragment(m.group("name"), fragments[m.group("name")])
                         if m.group("name") in fragments else m.group(0), page_html)


def rebase_links(page_html: str, source_url: str, target_url: str, board: str,
                 board_paths: Collection[str]) -> str:
    """Re-point relative links written for a page at `source_url` so they work from `target_url`.

    A link to a page the board's site also has (`board_paths`, site-relative directory URLs such as
    `responding/referrals/`) goes to the board's copy; any other link keeps its target.
    """
    def target_of(url: str) -> str:
        path, hash_mark, anchor = url.partition("#")
        resolved = _resolve(source_url, path)
        if resolved in board_paths:
            resolved = f"{board}/{resolved}"
        return _relative(resolved, target_url) + hash_mark + anchor

    page_html = _with_relative_urls(page_html, lambda url: html.escape(target_of(html.unescape(url))))

    def config(settings: dict[str, Any]) -> None:
        settings["base"] = _relative(f"{board}/", target_url) or "."
        if isinstance(settings.get("search"), str):
            settings["search"] = _relative(_resolve(source_url, settings["search"]), target_url)

    return _with_settings(page_html, config)


def with_site_name(page_html: str, site_name: str, board_site_name: str) -> str:
    """The board's name where Material writes the site's: the header and the window title.

    Both names are HTML as Material writes it (the site's name unescaped, from mkdocs.yml).
    """
    page_html = _header_name(site_name).sub(lambda m: m.group(1) + board_site_name, page_html, count=1)
    return _TITLE.sub(lambda m: m.group(1) + m.group(2).replace(site_name, board_site_name) + m.group(3),
                      page_html, count=1)


def _header_name(site_name: str) -> re.Pattern[str]:
    return re.compile(r'(<div class="md-header__topic">\s*<span class="md-ellipsis">\s*)' + re.escape(site_name))


def mark_board_sections(page_html: str, titles: Mapping[str, str]) -> str:
    """Tag each board's navigation section (found by its title, as written in the HTML) and hide it until
    that board is chosen."""
    if not titles:
        return page_html
    by_title = {title: board for board, title in titles.items()}
    pattern = re.compile(r'<span class="md-ellipsis">\s*(' + "|".join(map(re.escape, by_title)) + r")\s*</span>")
    pieces, cursor = [], 0
    for match in pattern.finditer(page_html):
        start = page_html.rfind('<li class="md-nav__item', cursor, match.start())
        if start < 0:
            continue
        end = page_html.index('">', start) + 1
        pieces += [page_html[cursor:end], f' data-procedures-board="{by_title[match.group(1)]}" hidden']
        cursor = end
    return "".join(pieces) + page_html[cursor:]


_NAV_ENTRY = '<li class="md-nav__item'
_KEPT_PIECE = 4096
"""The longest piece of a page `MovedLinks` keeps (a navigation entry is a few hundred characters)."""


class MovedLinks:
    """What `one_level_down` made of the pages of one folder, for the folder's next pages: each link
    leading out of the folder, and each navigation entry. Every page of a folder shows the same
    navigation but for its own entries, written from the same folder, so the entries come out the same.
    Give the same one only with the same `board_paths`."""

    def __init__(self) -> None:
        self.folder: str | None = None
        self.links: dict[str, str | None] = {}
        self.pieces: dict[str, str] = {}

    def of_folder(self, folder: str) -> MovedLinks:
        if folder != self.folder:  # a folder's pages come one after another: the last folder's are let go
            self.folder, self.links, self.pieces = folder, {}, {}
        return self


def one_level_down(page_html: str, page_url: str, board_paths: Collection[str],
                   moved_before: MovedLinks | None = None) -> str:
    """A regional page's links re-pointed for its copy one folder down, in any board's site.

    A board's site mirrors the regional one, so a link to a page it has a copy of stays as it is (it
    now reaches the board's copy); every other link climbs one more folder to keep its target.
    `moved_before` keeps what the folder's earlier pages gave (see `MovedLinks`).
    """
    folder = page_url.rstrip("/").rpartition("/")[0]
    kept = (moved_before or MovedLinks()).of_folder(folder)
    from_the_page = False  # whether a link was read from the page's own address, not from its folder

    def moved(url: str) -> str | None:
        nonlocal from_the_page
        # A link up and out of the page's own folder reaches the same page from every page in that folder.
        if url.startswith("../") and url in kept.links:
            return kept.links[url]
        path = (html.unescape(url) if "&" in url else url).partition("#")[0]
        found = None if not path or _resolve(page_url, path) in board_paths else "../" + url
        if url.startswith("../"):
            kept.links[url] = found
        elif path:
            from_the_page = True
        return found

    # Taken apart at the navigation's entries: each piece is rewritten once for the folder. A piece
    # starts just after `<li class="md-nav__item`, so no attribute starts it, as none follows that text.
    pieces = page_html.split(_NAV_ENTRY)
    for index, piece in enumerate(pieces):
        if (done := kept.pieces.get(piece)) is not None:
            pieces[index] = done
            continue
        from_the_page = False
        pieces[index] = _with_relative_urls(piece, moved)
        if not from_the_page and len(piece) <= _KEPT_PIECE:
            kept.pieces[piece] = pieces[index]
    page_html = _NAV_ENTRY.join(pieces)

    def config(settings: dict[str, Any]) -> None:
        # The board's root is as far above the copy as the regional root is above the page.
        settings["base"] = _relative("", page_url) or "."
        if isinstance(settings.get("search"), str):
            settings["search"] = "../" + settings["search"]

    return _with_settings(page_html, config)


def _with_settings(page_html: str, change: Callable[[dict[str, Any]], None]) -> str:
    """The page with the theme's settings (the JSON of its `__config` script) as `change` leaves them."""
    start = page_html.find(_CONFIG_START)
    end = page_html.find("</script>", start) if start >= 0 else -1
    if end < 0:
        return page_html
    start += len(_CONFIG_START)
    settings = json.loads(page_html[start:end])
    change(settings)
    return page_html[:start] + json.dumps(settings) + page_html[end:]


def _with_relative_urls(page_html: str, rewrite: Callable[[str], str | None]) -> str:
    """The page with each relative `href` and `src` value passed through `rewrite` (None keeps it).

    Each attribute is found with `str.find`, which runs through a page's text many times faster than
    a regular expression starting at every character; an attribute counts only after white space."""
    pieces: list[str] = []
    cursor = position = 0
    next_href, next_src = page_html.find('href="'), page_html.find('src="')
    while next_href >= 0 or next_src >= 0:
        if next_src < 0 or 0 <= next_href < next_src:
            start, value = next_href, next_href + 6
        else:
            start, value = next_src, next_src + 5
        end = page_html.find('"', value)
        if end < 0:  # no value ends: nothing after this is an attribute's either
            break
        url = page_html[value:end]
        if url and start and page_html[start - 1].isspace() and not _ABSOLUTE.match(url):
            rewritten = rewrite(url)
            if rewritten is not None:
                pieces += [page_html[cursor:value], rewritten]
                cursor = end
        position = end + 1
        if next_href < position:
            next_href = page_html.find('href="', position)
        if next_src < position:
            next_src = page_html.find('src="', position)
    pieces.append(page_html[cursor:])
    return "".join(pieces)


def _resolve(page_url: str, link: str) -> str:
    """A site-relative path from a link on a page at the site-relative directory URL `page_url`.

    Plain string work rather than `posixpath`: it runs for every link of every page.
    """
    parts = [part for part in page_url.split("/") if part and part != "."]
    segments = link.split("/")
    for segment in segments:
        if segment == "..":
            if parts:
                parts.pop()
        elif segment and segment != ".":
            parts.append(segment)
    resolved = "/".join(parts)
    if resolved and segments[-1] in ("", ".", ".."):
        resolved += "/"  # a directory URL, as MkDocs writes page addresses
    return resolved


def _relative(target: str, page_url: str) -> str:
    """A link from the directory URL `page_url` to the site path `target`, up to the root and down."""
    depth = len([part for part in page_url.split("/") if part and part != "."])
    return ("../" * depth + target) or "./"


def sitemap_with_copies(sitemap: str, copies: Mapping[str, Sequence[str]]) -> str:
    """MkDocs' `sitemap.xml` with each board's copy of a page listed after the page (same last change).

    `copies` maps a regional page's address to its copies' addresses, as the sitemap writes them.
    """
    def entry(match: re.Match[str]) -> str:
        listed = match.group(0)
        block = listed if listed.endswith("\n") else listed + "\n"
        location = f"<loc>{match.group('loc')}</loc>"
        added = [block.replace(location, f"<loc>{html.escape(copy)}</loc>", 1)
                 for copy in copies.get(html.unescape(match.group("loc")), [])]
        return listed + ("\n" if added and not listed.endswith("\n") else "") + "".join(added)

    return _SITEMAP_URL.sub(entry, sitemap)
