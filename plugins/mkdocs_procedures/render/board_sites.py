"""Every board's site beside the regional one: the boards' copies of regional pages, their own pages made
from what the generator rendered, one search index per site, and the sitemap listing every copy.

Made once the manual is read (its chapters, boards and pages, and where each regional page is
published); the copies are written by the helper process where there is one.
"""

from __future__ import annotations

import contextlib
import functools
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.boards import Board
from ..core.chapters import Chapter
from ..core.region import Region
from ..core.site_layout import SEARCH_FOLDER
from . import board_pages
from .decorations import PageDecorations
from .output_files import write_output
from .search_index import local_block_entries, split_search_index
from .variants import Variant, local_section_title, variant_uri

SEARCH_SETTINGS = '{"config":'
"""How Material's search index starts: its settings, before its entries."""
SEARCH_SETTINGS_READ = 65536
"""How much of the index is read for its settings (language, separator, pipeline, fields: a few hundred bytes)."""
SEARCH_ENTRIES_WRITTEN = 500
"""How many search entries are made into text at a time when an index is written."""


@dataclass
class BoardSites:
    region: Region
    variants: Mapping[str, Variant]
    chapters: Mapping[str, Chapter]
    """Regional chapters by source path."""
    regional_urls: Mapping[str, str]
    """Regional page URL → its source path: the pages every board's site has a copy of."""
    decorations: PageDecorations
    site_url: str
    site_name: str
    value_paths: Mapping[str, Sequence[str]] = field(default_factory=dict)
    """Each regional page's board values in page order, by source path (`VariantMarkdown.value_paths`)."""
    moved_links: board_pages.MovedLinks = field(default_factory=board_pages.MovedLinks)
    """What `board_pages.one_level_down` made of a folder's pages, for the folder's next page."""

    def write_copies(self, output: str, src_uri: str, url: str, dest_uri: str, site_dir: str) -> None:
        """Each board's copy of a regional page, made from its HTML and written beside the regional site."""
        variant = self.variants[src_uri]
        moved = board_pages.one_level_down(output, url, self.regional_urls, self.moved_links)  # alike for every board
        copies: board_pages.BoardCopies | None = None
        for board in map(self.region.boards.__getitem__, self.copied_to(src_uri)):
            board_url = f"{board.id}/{url}"
            fragments = self.decorations.for_board(variant, board_url, board, copy=True)
            if copies is None:
                copies = board_pages.BoardCopies(moved, fragments, self.site_url + url, self.site_name)
            copy = copies.copy(board.id, fragments, self.site_url + board_url, self.decorations.board_site_name(board))
            write_output(Path(site_dir, board.id, dest_uri), copy)

    def copied_to(self, src_uri: str) -> list[str]:
        """The boards that get a copy of a regional page: all but those rendering their own (contents)."""
        return [board.id for board in self.region.boards.values()
                if variant_uri(board, src_uri) not in self.variants]

    def mark_sections(self, output: str) -> str:
        """Mark each board's own navigation section, so that only that board's pages show it."""
        titles = {board.id: local_section_title(board) for board in self.region.boards.values()}
        return board_pages.mark_board_sections(output, titles)

    def board_of(self, src_uri: str) -> Board | None:
        """The board whose own page (contents, amendments, local pages) this is, by its source path."""
        board_id = src_uri.split("/", 1)[0] if "/" in src_uri else None
        return self.region.boards.get(board_id) if board_id else None

    def as_board_page(self, output: str, board: Board, url: str) -> str:
        """A page of the board's own as rendered: links to regional pages go to the board's copies, and the
        board's name and search are its own."""
        output = board_pages.for_board(output, board.id)
        output = board_pages.rebase_links(output, url, url, board.id, self.regional_urls)
        return board_pages.with_site_name(output, self.site_name, self.decorations.board_site_name(board))

    def sitemap(self, sitemap: str) -> str:
        """The sitemap with every board's copy of each chapter beside the regional page."""
        copies = {self.site_url + url: [f"{self.site_url}{board}/{url}" for board in self.copied_to(src_uri)]
                  for url, src_uri in self.regional_urls.items() if src_uri in self.chapters}
        return board_pages.sitemap_with_copies(sitemap, copies)

    def split_search_index(self, site_dir: str, documents: list[dict[str, Any]] | None = None,
                           last_written: dict[str | None, IndexParts] | None = None,
                           written: list[dict[str, Any]] | None = None) -> None:
        """One search index per site, split from the regional index the generator wrote, or from its
        `documents` when given (under `mkdocs serve --dirty`, which writes the regional index again).
        `written` are the entries the generator wrote, when they are at hand: its file is then not read
        back but for the settings at its start (9,000 entries at 300 chapters, parsed again, were 6.6 MiB
        at the build's end, beside the generator's own).

        With `last_written` (each index's parts as last written into this site folder, kept by the caller
        and updated here), a part that has not changed is not made into text again, and a board's index
        that has not changed is not written again (the generator writes the regional one every time)."""
        index_file = Path(site_dir) / SEARCH_FOLDER / "search_index.json"
        if not index_file.is_file() or (documents is None and not self.region.boards):
            return  # no index, or the generator's is the only one
        regional = written_search_index(index_file, documents if documents is not None else written)
        if not self.region.boards:
            write_search_index(index_file, regional)
            return
        urls = {src_uri: url for url, src_uri in self.regional_urls.items()}
        local = {board: local_block_entries(self.chapters, self.region, urls, board) for board in self.region.boards}
        paths = {url: self.value_paths.get(src_uri, []) for url, src_uri in self.regional_urls.items()}

        def value_of(board: str, path: str) -> str | None:
            return self.region.values.for_board(self.region.boards[board], path)

        indexes = split_search_index(regional, list(self.region.boards), set(self.regional_urls), local, paths,
                                     value_of)
        for board_id, index in indexes:
            target = Path(site_dir, board_id, SEARCH_FOLDER, "search_index.json") if board_id else index_file
            if last_written is None:
                target.parent.mkdir(parents=True, exist_ok=True)
                write_search_index(target, index)
                continue
            parts, changed = search_index_parts(index, last_written.get(board_id, []))
            last_written[board_id] = parts
            if changed or board_id is None or not target.is_file():
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text("".join(text for _, text in parts), encoding="utf-8")


def written_search_index(index_file: Path, entries: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The search index in `index_file` (settings, then entries, as Material writes it); with `entries`,
    those in place of the file's, whose entries are then not parsed when its settings can be read alone."""
    if entries is not None:
        with index_file.open(encoding="utf-8") as file:
            start = file.read(SEARCH_SETTINGS_READ)
        if start.startswith(SEARCH_SETTINGS):
            with contextlib.suppress(ValueError):
                settings, _ = json.JSONDecoder().raw_decode(start, len(SEARCH_SETTINGS))
                return {"config": settings, "docs": entries}
    index = json.loads(index_file.read_text(encoding="utf-8"))
    if entries is not None:
        index["docs"] = entries
    return dict(index)


IndexParts = list[tuple[object, str]]
"""A search index's text in parts, each with what it was made from (`search_index_parts`)."""


def write_search_index(path: Path, index: dict[str, Any]) -> None:
    """Write a search index as Material does, its entries a few hundred at a time: the text of a whole
    index (1.3 MB at 300 chapters) and its bytes, ten times over, were the most memory the build's end took."""
    with path.open("w", encoding="utf-8") as file:
        for _, text in _index_parts(index):
            file.write(text())


def search_index_parts(index: dict[str, Any], last: IndexParts) -> tuple[IndexParts, bool]:
    """A search index's text in parts, as `write_search_index` writes it, and whether it changed since the
    `last` parts (under `mkdocs serve --dirty`, each site's index as last written): a part made from the
    same settings or entries as the last one in its place is not made into text again."""
    parts: IndexParts = []
    changed = False
    for number, (source, text) in enumerate(_index_parts(index)):
        if number < len(last) and last[number][0] == source:
            parts.append(last[number])
        else:
            parts.append((source, text()))
            changed = True
    return parts, changed or len(parts) != len(last)


def _index_parts(index: dict[str, Any]) -> Iterator[tuple[object, Callable[[], str]]]:
    """The index's text in parts, each with what it is made from: the settings, then the entries a few
    hundred at a time (each part's place in the text is part of what it is made from)."""
    yield "{", functools.partial(str, "{")
    for number, (key, value) in enumerate(index.items()):
        name = ("," if number else "") + _search_json(key) + ":"
        if key != "docs" or not isinstance(value, list):
            yield (name, value), functools.partial(_setting_json, name, value)
            continue
        yield name + "[", functools.partial(str, name + "[")
        for start in range(0, len(value), SEARCH_ENTRIES_WRITTEN):
            entries = value[start:start + SEARCH_ENTRIES_WRITTEN]
            yield (start, entries), functools.partial(_entries_json, start, entries)
        yield "]", functools.partial(str, "]")
    yield "}", functools.partial(str, "}")


def _setting_json(name: str, value: object) -> str:
    return name + _search_json(value)


def _entries_json(start: int, entries: list[Any]) -> str:
    return ("," if start else "") + _search_json(entries)[1:-1]


def _search_json(value: object) -> str:
    # As Material writes it: what JSON has no form for (an odd front matter value) is written as text.
    return json.dumps(value, separators=(",", ":"), default=str)
