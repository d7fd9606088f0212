"""The sites one build publishes: the combined regional site and one site per board.

Every published page is a *variant*: a regional page for the regional site (all boards' local blocks,
hidden until the reader picks a board), the same page for one board (`<board>/<path>`, that board's
blocks shown), or a board-only page. This module plans the variants and writes each one's Markdown.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from markdown.extensions.toc import slugify as default_slugify

from .boards import VALUE_PLACEHOLDER, Board
from .overlays import LocalBlock, merge
from .region import BoardPage, Region, RegionalChapter
from .rendering import PageMarkup


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


def plan_variants(chapters: Sequence[RegionalChapter], region: Region) -> dict[str, Variant]:
    """Every page the build publishes, by source path: regional pages first, then each board's."""
    variants = {chapter.src_uri: Variant(chapter.src_uri, None, chapter) for chapter in chapters}
    for board in region.boards.values():
        for chapter in chapters:
            uri = variant_uri(board, chapter.src_uri)
            variants[uri] = Variant(uri, board, chapter)
        for page in region.pages.get(board.id, []):
            uri = variant_uri(board, page.src_uri)
            variants[uri] = Variant(uri, board, None, page)
    return variants


def board_nav(regional_nav: Any, board: Board, pages: Sequence[BoardPage]) -> list[Any]:
    """A board's navigation: the regional one with its paths moved under the board, then its own pages."""
    def move(item: Any) -> Any:
        if isinstance(item, str):
            return item if re.match(r"^[a-z]+://", item) else variant_uri(board, item)
        if isinstance(item, dict):
            return {title: move(value) for title, value in item.items()}
        if isinstance(item, list):
            return [move(child) for child in item]
        return item

    moved = move(regional_nav)
    if pages:
        local = sorted(pages, key=lambda page: page.chapter.title.lower())
        moved.append({f"{board.short_name} local information":
                      [{page.chapter.title: variant_uri(board, page.src_uri)} for page in local]})
    return list(moved)


class VariantMarkdown:
    """Writes a variant's Markdown: board values filled in and local blocks merged in place."""

    def __init__(self, region: Region, markup: PageMarkup,
                 slugify: Callable[[str, str], str] = default_slugify) -> None:
        self.region = region
        self.markup = markup
        self.slugify = slugify

    def markdown(self, variant: Variant, markdown: str) -> str:
        if variant.board_page is not None:
            return self._fill_values(markdown, variant.board)
        if variant.regional is None:
            return markdown
        board_id = variant.board.id if variant.board is not None else None
        blocks = self.region.blocks_for(variant.regional.chapter.id, board_id)
        filled = self._fill_values(markdown, variant.board)
        return merge(filled, blocks, lambda block: self._render_block(block, hidden=variant.board is None),
                     self.slugify)

    def _render_block(self, block: LocalBlock, hidden: bool) -> str:
        board = self.region.boards[block.board]
        return self.markup.local_block(board, self._fill_values(block.markdown, board), block.title, hidden)

    def _fill_values(self, markdown: str, board: Board | None) -> str:
        values = self.region.values

        def fill(match: re.Match[str]) -> str:
            path = match.group("path")
            if board is not None:
                return self.markup.board_value(path, values.for_board(board, path) or "")
            local = [(other.id, values.for_board(other, path) or "") for other in values.boards.values()]
            return self.markup.regional_value(path, values.defaults.get(path, ""), local)

        return VALUE_PLACEHOLDER.sub(fill, markdown)
