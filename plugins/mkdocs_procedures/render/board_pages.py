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
from collections.abc import Callable, Collection, Mapping, Sequence

from .markup import value_html

LOCAL_START = "<!--procedures-local:{board}-->"
LOCAL_END = "<!--/procedures-local:{board}-->"
_LOCAL_BLOCK = re.compile(
    r"<!--procedures-local:(?P<board>[a-z0-9-]+)-->(?P<body>.*?)<!--/procedures-local:(?P=board)-->", re.S
)
_FRAGMENT = re.compile(r"<!--procedures:(?P<name>[a-z-]+)-->.*?<!--/procedures:(?P=name)-->", re.S)
_REGIONAL_VALUE = re.compile(
    r'<span class="procedures-value" data-value="(?P<path>[^"]*)"><span class="procedures-value__regional">[^<]*</span>'
    r'(?P<locals>(?:<span class="procedures-value__local" data-board="[a-z0-9-]+" hidden data-search-exclude>'
    r'[^<]*</span>)*)</span>'
)
_LOCAL_VALUE = re.compile(r'<span class="procedures-value__local" data-board="(?P<board>[a-z0-9-]+)" hidden '
                          r'data-search-exclude>'
                          r'(?P<text>[^<]*)</span>')
# Without a leading `\b`, which would be tried at every character of a 150 KB page: the white space
# before the attribute's name is checked in `_with_relative_urls`.
_URL_ATTRIBUTE = re.compile(r'(?P<name>href|src)="(?P<url>[^"]*)"')
_ABSOLUTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|/|#)", re.I)
_CONFIG = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.S)
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
        spans: list[tuple[int, int, str, re.Match[str] | None]] = []
        for kind, pattern in (("block", _LOCAL_BLOCK), ("value", _REGIONAL_VALUE), ("row", _BOARD_ROW),
                              ("nav", _NAV_SECTION), ("fragment", _FRAGMENT)):
            spans.extend((match.start(), match.end(), kind, match) for match in pattern.finditer(page_html)
                         if kind != "fragment" or match.group("name") in fragment_names)
        link = f'<link rel="canonical" href="{canonical_url}">'
        if (found := page_html.find(link)) >= 0:
            spans.append((found, found + len(link), "canonical", None))
        if header := _header_name(site_name).search(page_html):
            spans.append((header.end(1), header.end(), "site name", None))
        if title := _TITLE.search(page_html):
            spans.append((title.start(2), title.end(2), "title", title))
        self.site_name = site_name
        self.pieces: list[str | tuple[str, re.Match[str] | None]] = []
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
            else:
                assert match is not None
                parts.append(self._varying(kind, match, board, fragments, board_site_name))
        return "".join(parts)

    def _varying(self, kind: str, match: re.Match[str], board: str, fragments: Mapping[str, str],
                 board_site_name: str) -> str:
        if kind == "block":
            return _REGIONAL_VALUE.sub(lambda value: _value_for(value, board), _block_for(match, board))
        if kind == "value":
            return _value_for(match, board)
        if kind == "row":
            return _row_for(match, board)
        if kind == "nav":
            return _nav_for(match, board)
        if kind == "fragment":
            return fragment(match.group("name"), fragments[match.group("name")])
        return match.group(2).replace(self.site_name, board_site_name)  # the window title


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

    def config(match: re.Match[str]) -> str:
        settings = json.loads(match.group(2))
        settings["base"] = _relative(f"{board}/", target_url) or "."
        if isinstance(settings.get("search"), str):
            settings["search"] = _relative(_resolve(source_url, settings["search"]), target_url)
        return match.group(1) + json.dumps(settings) + match.group(3)

    return _CONFIG.sub(config, page_html, count=1)


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


def one_level_down(page_html: str, page_url: str, board_paths: Collection[str],
                   moved_before: dict[tuple[str, str], str | None] | None = None) -> str:
    """A regional page's links re-pointed for its copy one folder down, in any board's site.

    A board's site mirrors the regional one, so a link to a page it has a copy of stays as it is (it
    now reaches the board's copy); every other link climbs one more folder to keep its target.
    `moved_before` keeps what links leading out of a folder became, for the next page in it (the
    navigation repeats every link on every page): give the same one only with the same `board_paths`.
    """
    known = {} if moved_before is None else moved_before
    folder = page_url.rstrip("/").rpartition("/")[0]

    def moved(url: str) -> str | None:
        # A link up and out of the page's own folder reaches the same page from every page in that folder.
        if url.startswith("../") and (folder, url) in known:
            return known[folder, url]
        path = (html.unescape(url) if "&" in url else url).partition("#")[0]
        found = None if not path or _resolve(page_url, path) in board_paths else "../" + url
        if url.startswith("../"):
            known[folder, url] = found
        return found

    page_html = _with_relative_urls(page_html, moved)

    def config(match: re.Match[str]) -> str:
        settings = json.loads(match.group(2))
        # The board's root is as far above the copy as the regional root is above the page.
        settings["base"] = _relative("", page_url) or "."
        if isinstance(settings.get("search"), str):
            settings["search"] = "../" + settings["search"]
        return match.group(1) + json.dumps(settings) + match.group(3)

    return _CONFIG.sub(config, page_html, count=1)


def _with_relative_urls(page_html: str, rewrite: Callable[[str], str | None]) -> str:
    """The page with each relative `href` and `src` value passed through `rewrite` (None keeps it)."""
    def attribute(match: re.Match[str]) -> str:
        url, start = match.group("url"), match.start()
        if not url or _ABSOLUTE.match(url) or not (start and page_html[start - 1].isspace()):
            return match.group(0)
        rewritten = rewrite(url)
        return match.group(0) if rewritten is None else f'{match.group("name")}="{rewritten}"'

    return _URL_ATTRIBUTE.sub(attribute, page_html)


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
