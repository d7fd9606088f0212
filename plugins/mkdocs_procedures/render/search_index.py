"""One search index per site: the regional index a build writes, split into the regional and each board's.

The regional site's index holds the regional text (local blocks are kept out of it). A board's index
holds the same regional pages, located in the board's own site, the board's own pages, and an entry for
each of its local blocks; so a board's search finds its local text and nothing of other boards'.
"""

from __future__ import annotations

import html
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from ..core.changes import readable
from ..core.chapters import Chapter
from ..core.region import Region


def local_block_entries(chapters: Mapping[str, Chapter], region: Region, urls: Mapping[str, str],
                        board_id: str) -> list[dict[str, str]]:
    """A search entry for each of a board's local blocks, at the place its copy of the chapter shows it.

    `chapters` and `urls` are keyed by the regional source path; `urls` gives each page's address.
    """
    board = region.boards[board_id]
    entries = []
    for src_uri, chapter in chapters.items():
        for block in region.blocks_for(chapter.id, board_id):
            entries.append({
                "location": urls[src_uri] + (f"#{block.anchor}" if block.anchor else ""),
                # Material shows an entry's title and text as HTML: board text is put in as text.
                "title": html.escape(f"{chapter.title}: {block.title or board.name}", quote=False),
                "text": html.escape(readable(region.values.fill(block.markdown, board)), quote=False),
            })
    return entries


def split_search_index(
    index: dict[str, Any],
    board_ids: Sequence[str],
    board_copies: Collection[str],
    local_entries: Mapping[str, list[dict[str, str]]],
) -> dict[str | None, dict[str, Any]]:
    """The regional index (key None) and one per board, each keeping the original's `config`.

    `board_copies` are the regional page URLs every board's site has a copy of; a board's own version
    of a page (its contents, its amendments) replaces the regional one in its index.
    """
    regional: list[dict[str, Any]] = []
    own: dict[str, list[dict[str, Any]]] = {board: [] for board in board_ids}
    for document in index.get("docs", []):
        location = str(document.get("location", ""))
        board = location.split("/", 1)[0]
        if board in own and "/" in location:
            own[board].append({**document, "location": location[len(board) + 1:]})
        else:
            regional.append(document)
    indexes: dict[str | None, dict[str, Any]] = {None: {**index, "docs": regional}}
    for board, documents in own.items():
        replaced = {document["location"].split("#", 1)[0] for document in documents}
        copies = [document for document in regional
                  if (page := document["location"].split("#", 1)[0]) in board_copies and page not in replaced]
        indexes[board] = {**index, "docs": copies + documents + list(local_entries.get(board, []))}
    return indexes
