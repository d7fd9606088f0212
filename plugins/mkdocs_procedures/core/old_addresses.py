"""Addresses that must not break: where every page the manual ever published went.

A chapter's address is printed on paper, in QR codes and in other organisations' documents. When the
chapter moves (a rename git saw, a move named in `previous_paths`, or a file deleted while a live chapter
took its id) its old address leads to the new one; when it is withdrawn, its old address says so, when,
why, and what replaced it (a live chapter naming it in `replaces`). The same holds for a board's own pages
inside the board's site.

Pure: it reads the history's file changes and the catalogue of what the tree publishes now, and gives
paths; the adapter turns paths into addresses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from .amendments import Catalogue, titles_and_ids
from .history import EMPTY_BLOB, History


@dataclass(frozen=True)
class Moved:
    """A page's old source path and the path of the page it is now (project paths, `docs/...md`)."""

    old_path: str
    new_path: str
    board: str | None = None
    """For a board's own page: its board (both paths are in the board's `pages/`)."""


@dataclass(frozen=True)
class Withdrawn:
    """A page deleted with no successor: what its old address says instead of "not found"."""

    old_path: str
    title: str
    withdrawn_on: dt.date
    details: str
    """What the commit that withdrew it said."""
    board: str | None = None
    replaced_by: str | None = None
    """The path of a live chapter naming this one in `replaces`."""


def old_addresses(history: History, catalogue: Catalogue, zone: ZoneInfo, replaced: Mapping[str, str],
                  exists: Callable[[str], bool]) -> tuple[list[Moved], list[Withdrawn]]:
    """Every page path the published branch ever had that the tree no longer has: moved or withdrawn.

    `replaced` maps a withdrawn chapter's path to the live chapter that replaces it (`replaces:`);
    `exists(path)` says whether the tree has a file there still (a page, or a file the site leaves out)."""
    title_of_blob, id_of_blob = titles_and_ids(history)
    live = {**{path: None for path in catalogue.chapters}, **{path: board for path, (board, _, _) in
                                                                catalogue.board_pages.items()}}
    by_id = {chapter_id: path for path, (chapter_id, _) in catalogue.chapters.items()}
    board_page_ids = {(board, page_id): path for path, (board, page_id, _) in catalogue.board_pages.items()}
    current: dict[str, str] = dict(catalogue.previous_paths)  # a path then → the path the file has now
    last_seen: dict[str, tuple[str | None, dt.date, str]] = {}  # a gone path → its last blob, day and details
    for commit in history.commits:  # newest first
        for change in commit.changes:
            board = _page_board(change.path, catalogue)
            if board is None and not _is_chapter(change.path, catalogue):
                continue
            now = current.get(change.path, change.path)
            if change.old_path is not None:
                current.setdefault(change.old_path, now)
            for gone in (change.old_path, change.path):
                if gone is not None and gone not in live and gone not in last_seen and not exists(gone):
                    # Its last text: before the rename or deletion that took it away.
                    blob = change.old_blob if gone == change.old_path or change.status == "D" else change.new_blob
                    last_seen[gone] = (blob if blob != EMPTY_BLOB else None,
                                       commit.landed_at.astimezone(zone).date(), commit.details)
    moved: list[Moved] = []
    withdrawn: list[Withdrawn] = []
    for path, (blob, day, details) in sorted(last_seen.items()):
        board = _page_board(path, catalogue)
        target = current.get(path)
        if target is None or target not in live or live[target] != board:
            page_id = id_of_blob(blob)
            target = (board_page_ids.get((board, page_id)) if board else by_id.get(page_id or "")) if page_id \
                else None
        if target is not None and target != path:
            moved.append(Moved(path, target, board))
            continue
        # Moved, then withdrawn from where it went: withdrawn when and as that place was.
        end = current.get(path)
        if end is not None and end in last_seen and end != path:
            day, details = last_seen[end][1], last_seen[end][2]
        withdrawn.append(Withdrawn(path, title_of_blob(blob) or _stem(path), day, details, board,
                                   replaced.get(path) or (replaced.get(end) if end else None)))
    return moved, withdrawn


def _is_chapter(path: str, catalogue: Catalogue) -> bool:
    return path.startswith(catalogue.docs_root) and path.endswith(".md")


def _page_board(path: str, catalogue: Catalogue) -> str | None:
    """The board whose own page `path` is (`boards/<board>/pages/...md`), or None."""
    if not path.startswith(catalogue.boards_root) or not path.endswith(".md"):
        return None
    parts = path.removeprefix(catalogue.boards_root).split("/")
    return parts[0] if len(parts) >= 3 and parts[1] == "pages" else None


def _stem(path: str) -> str:
    return path.rsplit("/", 1)[-1].removesuffix(".md")
