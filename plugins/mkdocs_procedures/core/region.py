"""The region: the regional chapters and every board's overlays and board-only pages, cross-checked.

Loading the region reads `boards/` once and reports every problem at once, each naming the board, the
file and the line, with the nearest valid anchors or ids.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from markdown.extensions.toc import slugify as default_slugify

from .boards import Board, BoardValues, load_board, survey_boards
from .chapters import Chapter, read_chapter, split_front_matter
from .overlays import Heading, LocalBlock, Overlay, check_targets, headings_of, parse_overlay
from .problems import Problem, Severity, did_you_mean
from .site_layout import BOARD_SITE_NAMES
from .source_files import forget_real_folders, read_text, why_not_read

OVERLAYS_FOLDER = "overlays"
PAGES_FOLDER = "pages"


@dataclass(frozen=True)
class RegionalChapter:
    """A regional page as the region needs it: its front matter and its Markdown body."""

    src_uri: str
    chapter: Chapter
    body: str
    body_line: int


@dataclass(frozen=True)
class BoardPage:
    """A page only one board publishes; it appears at `<board>/<src_uri>`."""

    board: str
    src_uri: str
    path: str
    chapter: Chapter
    text: str


@dataclass
class Region:
    boards: dict[str, Board] = field(default_factory=dict)
    values: BoardValues = field(default_factory=lambda: BoardValues({}, {}))
    overlays: dict[str, list[Overlay]] = field(default_factory=dict)
    """Overlays by chapter id, in board order."""
    pages: dict[str, list[BoardPage]] = field(default_factory=dict)
    """Board-only pages by board id."""

    def blocks_for(self, chapter_id: str, board: str | None = None) -> list[LocalBlock]:
        """The local blocks of a chapter: every board's (regional site) or one board's."""
        return [
            block
            for overlay in self.overlays.get(chapter_id, [])
            if board is None or overlay.board == board
            for block in overlay.blocks
        ]


def load_region(
    root: Path,
    boards_dir: Path | None,
    chapters: Sequence[RegionalChapter],
    defaults: Mapping[str, str],
    slugify: Callable[[str, str], str] = default_slugify,
    earlier: bool = False,
    theme_statuses: Sequence[str] = (),
) -> tuple[Region, list[Problem]]:
    """Read every board under `boards_dir` and check it against the regional `chapters`.

    `earlier`: the tree is an earlier version (an edition, or the manual as it stood on a day), published
    as it was; what later rules would refuse in it, but can mend, is mended (see `load_board`)."""
    problems: list[Problem] = []
    region = Region()
    forget_real_folders()
    if boards_dir is not None:
        folders, found = survey_boards(boards_dir, root)
        problems.extend(found)
        for folder in folders:
            board, found = load_board(folder, root, earlier)
            problems.extend(found)
            if board is not None:
                region.boards[board.id] = board
    region.values = BoardValues(region.boards, dict(defaults))
    by_id = {regional.chapter.id: regional for regional in chapters}
    regional_uris = {regional.src_uri for regional in chapters}
    top_names = {uri.split("/", 1)[0].removesuffix(".md") for uri in regional_uris}

    for regional in chapters:
        problems.extend(region.values.problems_in(regional.chapter.path, regional.body, regional.body_line))

    headings = _Headings(by_id, slugify)
    for board in region.boards.values():
        folder = root / Path(board.config_path).parent
        where = Path(board.config_path).parent.as_posix()
        if board.id in top_names:
            problems.append(Problem(where, None, f"board `{board.id}`: its id collides with the regional path "
                                    f"`/{board.id}/`; rename the board's folder"))
        problems.extend(_read_overlays(region, board, folder, root, by_id, headings))
        problems.extend(_read_pages(region, board, folder, root, regional_uris, by_id, theme_statuses))
        problems.extend(_unexpected_files(folder, root, board))
    return region, problems


def _read_overlays(
    region: Region, board: Board, folder: Path, root: Path,
    by_id: Mapping[str, RegionalChapter], headings: _Headings,
) -> list[Problem]:
    problems: list[Problem] = []
    claimed: dict[str, str] = {}
    overlays = folder / OVERLAYS_FOLDER
    where = overlays.relative_to(root).as_posix()
    for name in _names_ending(overlays, ".md"):
        source, path = overlays / name, f"{where}/{name}"
        text, unreadable = read_text(source, root)
        problems.extend(unreadable)
        if text is None:
            continue
        overlay, found = parse_overlay(path, text, board.id, source.stem)
        problems.extend(found)
        target = by_id.get(overlay.chapter_id)
        if target is None:
            problems.append(Problem(path, overlay.chapter_line or 1,
                                    f"board `{board.id}`: no regional chapter has the id `{overlay.chapter_id}`; "
                                    f"{did_you_mean(overlay.chapter_id, by_id)}"))
            continue
        if overlay.chapter_id in claimed:
            problems.append(Problem(path, overlay.chapter_line or 1,
                                    f"board `{board.id}`: {claimed[overlay.chapter_id]} already holds this "
                                    f"board's blocks for `{overlay.chapter_id}`; expected one overlay per chapter"))
            continue
        claimed[overlay.chapter_id] = path
        problems.extend(check_targets(overlay, headings[overlay.chapter_id], target.chapter.path))
        for block in overlay.blocks:
            problems.extend(region.values.problems_in(path, block.markdown, block.line + 1, board))
        region.overlays.setdefault(overlay.chapter_id, []).append(overlay)
    return problems


def _names_ending(folder: Path, suffix: str) -> list[str]:
    """The names in `folder` ending with `suffix`, in order (none when it is not a folder), as
    `sorted(folder.glob("*" + suffix))` names them, without a path made for each name it passes over."""
    try:
        return sorted(name for name in os.listdir(folder) if name.endswith(suffix))
    except OSError:
        return []


_chapter_headings = functools.lru_cache(maxsize=2048)(headings_of)
"""A regional chapter's headings, kept by text: `mkdocs serve` reads every chapter again on each rebuild."""


class _Headings(dict[str, list[Heading]]):
    """Each regional chapter's headings by its id, worked out once for every board's overlay of it."""

    def __init__(self, by_id: Mapping[str, RegionalChapter], slugify: Callable[[str, str], str]) -> None:
        super().__init__()
        self.by_id, self.slugify = by_id, slugify

    def __missing__(self, chapter_id: str) -> list[Heading]:
        self[chapter_id] = _chapter_headings(self.by_id[chapter_id].body, self.slugify)
        return self[chapter_id]


def _read_pages(
    region: Region, board: Board, folder: Path, root: Path,
    regional_uris: set[str], by_id: Mapping[str, RegionalChapter], theme_statuses: Sequence[str] = (),
) -> list[Problem]:
    problems: list[Problem] = []
    pages_folder = folder / PAGES_FOLDER
    for source in sorted(pages_folder.rglob("*.md")):
        path = source.relative_to(root).as_posix()
        src_uri = source.relative_to(pages_folder).as_posix()
        text, unreadable = read_text(source, root)
        problems.extend(unreadable)
        if text is None:
            continue
        chapter, found = read_chapter(path, text, src_uri, theme_statuses=theme_statuses)
        problems.extend(found)
        if chapter is None:
            continue
        if (name := src_uri.split("/", 1)[0].removesuffix(".md")) in BOARD_SITE_NAMES:
            problems.append(Problem(path, None, f"board `{board.id}`: the board's site makes its own `/{board.id}/"
                                    f"{name}/`; rename this page (a board's page may not be called any of "
                                    f"{', '.join(f'`{reserved}`' for reserved in sorted(BOARD_SITE_NAMES))})"))
            continue
        if src_uri in regional_uris:
            problems.append(Problem(path, None, f"board `{board.id}`: this board-only page would hide the regional "
                                    f"page docs/{src_uri}; rename it, or add local text with an overlay"))
            continue
        if chapter.id in by_id:
            problems.append(Problem(path, chapter.line_of("id") or 1,
                                    f"board `{board.id}`: field `id`: `{chapter.id}` is already the id of "
                                    f"{by_id[chapter.id].chapter.path}; expected an id no regional chapter uses"))
            continue
        front = split_front_matter(text)
        problems.extend(region.values.problems_in(path, front.body, front.body_line, board))
        region.pages.setdefault(board.id, []).append(BoardPage(board.id, src_uri, path, chapter, text))
    return problems


def _unexpected_files(folder: Path, root: Path, board: Board) -> list[Problem]:
    """Files a board admin may expect to be published but which nothing reads. (Walked as text, not as
    paths: `mkdocs serve` walks every board again on each rebuild.)"""
    entries: list[tuple[tuple[str, ...], bool]] = []  # each entry's parts below the folder; whether a folder
    for place, folders, names in os.walk(folder):  # not into linked folders, which are listed
        parts = tuple(os.path.relpath(place, folder).split(os.sep)) if place != os.fspath(folder) else ()
        entries += [((*parts, name), True) for name in folders] + [((*parts, name), False) for name in names]
    where = folder.relative_to(root).as_posix()
    problems = []
    for parts, is_folder in sorted(entries):
        relative, name = "/".join(parts), parts[-1]
        path = f"{where}/{relative}"
        if is_folder and os.path.islink(os.path.join(folder, *parts)):
            problems.append(Problem(path, None, f"board `{board.id}`: this folder "
                                    f"{why_not_read(Path(folder, *parts), root)}"))
            continue
        if is_folder or relative == "board.yml":
            continue
        if name.startswith("."):
            problems.append(Problem(path, None, f"board `{board.id}`: a hidden file is not published",
                                    Severity.WARNING))
            continue
        if name.endswith(".md") and ((parts[0] == OVERLAYS_FOLDER and len(parts) == 2) or parts[0] == PAGES_FOLDER):
            continue
        problems.append(Problem(path, None,
                                f"board `{board.id}`: this file is not published; expected `board.yml`, "
                                f"`{OVERLAYS_FOLDER}/<chapter-id>.md` or `{PAGES_FOLDER}/<name>.md`",
                                Severity.WARNING))
    return problems
