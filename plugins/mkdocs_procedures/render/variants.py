"""The pages MkDocs renders for the regional site and the boards' sites, and each one's Markdown.

A *variant* is a page MkDocs renders: every regional page (holding all boards' local blocks, hidden
until the reader picks a board), and for each board its contents page and its board-only pages. Each
board's copies of the other regional pages are made from the rendered regional pages
(`board_pages.py`), not rendered again.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace

from markdown.extensions.toc import slugify as default_slugify

from ..core.boards import VALUE_PLACEHOLDER, Board, value_paths_named
from ..core.links import rewrite_links
from ..core.overlays import LocalBlock, Position, headings_of, merge
from ..core.region import BoardPage, Region, RegionalChapter
from . import board_pages, sanitise
from .markup import PageMarkup


@dataclass(frozen=True)
class Variant:
    src_uri: str
    board: Board | None
    regional: RegionalChapter | None
    """The regional page this variant shows; None for a board-only page."""
    board_page: BoardPage | None = None

    @property
    def chapter_id(self) -> str | None:
        if self.regional is not None:
            return self.regional.chapter.id
        return self.board_page.chapter.id if self.board_page is not None else None


def variant_uri(board: Board, src_uri: str) -> str:
    return f"{board.id}/{src_uri}"


def plan_variants(chapters: Sequence[RegionalChapter], region: Region, contents_page: str) -> dict[str, Variant]:
    """The pages MkDocs renders, by source path: every regional page, and for each board its contents
    page and its board-only pages. A board's other pages are made from the regional ones."""
    variants = {chapter.src_uri: Variant(chapter.src_uri, None, chapter) for chapter in chapters}
    contents = next((chapter for chapter in chapters if chapter.src_uri == contents_page), None)
    for board in region.boards.values():
        if contents is not None:
            uri = variant_uri(board, contents.src_uri)
            variants[uri] = Variant(uri, board, contents)
        for page in region.pages.get(board.id, []):
            uri = variant_uri(board, page.src_uri)
            variants[uri] = Variant(uri, board, None, page)
    return variants


def local_section_title(board: Board) -> str:
    """The title of a board's navigation section, escaped here: Material writes nav titles as they are."""
    return html.escape(f"{board.short_name} local information", quote=False)


def local_section(board: Board, pages: Sequence[BoardPage]) -> dict[str, list[dict[str, str]]]:
    """A board's own pages as a navigation section, in title order."""
    local = sorted(pages, key=lambda page: page.chapter.title.lower())
    return {local_section_title(board): [{page.chapter.title: variant_uri(board, page.src_uri)} for page in local]}


class VariantMarkdown:
    """Writes a variant's Markdown: board values filled in and local blocks merged in place."""

    def __init__(self, region: Region, markup: PageMarkup, regional_uris: Collection[str] = (),
                 slugify: Callable[[str, str], str] = default_slugify, every_boards_values: bool = True) -> None:
        self.every_boards_values = every_boards_values
        """Whether a regional page carries every board's values (hidden) beside its own, for the boards'
        copies made from it; not when only checking the manual, which makes no copies."""
        self.region = region
        self.markup = markup
        self.regional_uris = frozenset(regional_uris)
        """The regional pages' source paths, which board pages' links may name."""
        self.slugify = slugify
        self.value_paths: dict[str, list[str]] = {}
        """Each regional page's board values, in the order the page has them (for the boards' search): as the
        page's Markdown has them once rendered; until then (a page `mkdocs serve --dirty` does not make
        again keeps its entries in the search index), as its chapter's text has them."""

    def markdown(self, variant: Variant, markdown: str, render_block: Callable[[str, LocalBlock], str]) -> str:
        """The variant's Markdown. Each local block is rendered alone by `render_block` (Markdown to HTML, as
        the page itself would be, with links resolved from the page), cleaned, and goes in as raw HTML that
        the page's own Markdown leaves alone: board text can add no heading, id or anchor to the page."""
        if variant.board_page is not None:
            return self._board_links(self.fill_values(markdown, variant.board), variant, self.regional_uris)
        if variant.regional is None:
            return markdown
        board_id = variant.board.id if variant.board is not None else None
        if variant.board is None:
            self.value_paths[variant.src_uri] = value_paths_named(markdown)
        blocks = self.region.blocks_for(variant.regional.chapter.id, board_id)
        filled = self.fill_values(markdown, variant.board)
        return merge(filled, blocks, lambda block: self._render_block(block, variant.board is None, render_block),
                     self.slugify)

    def merged(self, markdown: str, blocks: Sequence[LocalBlock], board: Board,
               render_block: Callable[[str, LocalBlock], str]) -> str:
        """A board's copy of regional Markdown with the given local blocks in place (shown) and the board's
        values filled in: a version of the board's page, for comparing versions of its overlay. An earlier
        version's block at a heading the chapter no longer has (renamed since) is shown at its end."""
        filled = self.fill_values(markdown, board)
        anchors = {heading.anchor for heading in headings_of(filled, self.slugify)}
        placed = [block if block.anchor is None or block.anchor in anchors
                  else replace(block, position=Position.END, anchor=None) for block in blocks]
        return merge(filled, placed, lambda block: self._render_block(block, False, render_block, board), self.slugify)

    def _render_block(self, block: LocalBlock, hidden: bool, render_block: Callable[[str, LocalBlock], str],
                      board: Board | None = None) -> str:
        board = board or self.region.boards[block.board]
        content = sanitise.block_html(render_block(self.fill_values(block.markdown, board), block))
        rendered = self.markup.local_block(board, content, block.title, hidden)
        # On the regional site each block is marked, so each board's page can be made from it.
        return board_pages.local_block(board.id, rendered) if hidden else rendered

    @staticmethod
    def _board_links(markdown: str, variant: Variant, regional_uris: Collection[str]) -> str:
        """A board page links as if it stood in the board's copy of the manual (`responding/x.md`); point
        those links at the regional page, whose board copy the published page then links to."""
        assert variant.board_page is not None and variant.board is not None
        here = posixpath.dirname(variant.board_page.src_uri)

        def rewrite(target: str) -> str:
            path, hash_mark, anchor = target.partition("#")
            resolved = posixpath.normpath(posixpath.join(here, path)) if path else ""
            if resolved not in regional_uris:
                return target
            return posixpath.relpath(resolved, posixpath.dirname(variant.src_uri)) + hash_mark + anchor

        return rewrite_links(markdown, rewrite)

    def fill_values(self, markdown: str, board: Board | None) -> str:
        """`markdown` with each board value as `board` has it, or on a regional page in its regional wording."""
        values = self.region.values

        def fill(match: re.Match[str]) -> str:
            path = match.group("path")
            if board is not None:
                return self.markup.board_value(path, values.for_board(board, path) or "")
            local = [(other.id, values.for_board(other, path) or "") for other in values.boards.values()
                     if self.every_boards_values]
            return self.markup.regional_value(path, values.defaults.get(path, ""), local)

        return VALUE_PLACEHOLDER.sub(fill, markdown)
