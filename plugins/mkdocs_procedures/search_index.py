"""One search index per site: the combined index a build writes, split into the regional and each board's.

A board's pages live under `<board>/`; its index lists only them, with locations relative to the
board's own root, so searching a board's site finds its local text and nothing from other boards.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def split_search_index(index: dict[str, Any], board_ids: Sequence[str]) -> dict[str | None, dict[str, Any]]:
    """The regional index (key None) and one per board, each keeping the original's `config`."""
    documents: dict[str | None, list[dict[str, Any]]] = {None: [], **{board: [] for board in board_ids}}
    for document in index.get("docs", []):
        location = str(document.get("location", ""))
        board = location.split("/", 1)[0]
        if board in documents and board is not None and "/" in location:
            documents[board].append({**document, "location": location[len(board) + 1:]})
        else:
            documents[None].append(document)
    return {board: {**index, "docs": docs} for board, docs in documents.items()}
