"""One search index per site: the regional index a build writes, split into the regional and each board's.

The regional site's index holds the regional text (local blocks are kept out of it). A board's index
holds the same regional pages, located in the board's own site, the board's own pages, and an entry for
each of its local blocks; so a board's search finds its local text and nothing of other boards'.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from typing import Any

from ..core.changes import readable
from ..core.chapters import Chapter
from ..core.region import Region
from .markup import VALUE_END, VALUE_START


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


_MARKED_VALUE = re.compile(f"{VALUE_START}(.*?){VALUE_END}", re.S)


class _ValueTexts:
    """A regional entry's text with each board value's wording found: the regional text, or a board's."""

    def __init__(self, text: str, paths: Iterator[str]) -> None:
        self.pieces = _MARKED_VALUE.split(text)  # text, wording, text, wording, ..., text
        self.paths = [next(paths, None) for _ in self.pieces[1::2]]

    def text(self, value_of: Callable[[str], str | None] | None = None) -> str:
        pieces = list(self.pieces)
        for number, path in enumerate(self.paths):
            found = value_of(path) if value_of is not None and path is not None else None
            if found is not None:
                pieces[2 * number + 1] = html.escape(found, quote=False)
        return "".join(pieces)


def latest_entries(documents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each page's entries from its last run of entries only, in order.

    A page's entries stand together: the page's own, then its sections'. Under `mkdocs serve --dirty`, Material
    keeps the last rebuild's entries and appends the pages made again, dropping the old entries of the
    first of them only: the others made again are there twice (see `entries_after_rebuild`)."""
    kept: list[dict[str, Any]] = []
    done: set[str] = set()
    for document in reversed(documents):
        page = _page_of(document)
        if page in done:
            continue
        kept.append(document)
        if document.get("location", "") == page:  # the page's own entry comes first in its run: the run is whole
            done.add(page)
    return kept[::-1]


def entries_after_rebuild(before: Sequence[dict[str, Any]] | None, after: list[dict[str, Any]], made: Collection[str],
                          pages: Collection[str]) -> list[dict[str, Any]]:
    """Every page's search entries once `mkdocs serve --dirty` has made the pages `made` (their URLs) again.

    Material's index after such a rebuild (`after`) holds the pages made, appended to the last index with
    the old entries of the first of them dropped: all of them when that page is the home page (every
    address starts with its own, the empty one). So the index is made here from the last one (`before`,
    None on the first build), each page made again getting its latest entries in its own place, a page
    new to the index at the end, and a page no longer in the site (`pages`) left out.
    """
    if before is None:
        return latest_entries(after)
    fresh: dict[str, list[dict[str, Any]]] = {}
    for entry in latest_entries([entry for entry in after if _page_of(entry) in made]):
        fresh.setdefault(_page_of(entry), []).append(entry)
    entries: list[dict[str, Any]] = []
    for entry in before:
        page = _page_of(entry)
        if page in made:
            entries.extend(fresh.pop(page, []))  # at the page's first entry; its other old ones go
        elif page in pages:
            entries.append(entry)
    return entries + [entry for page_entries in fresh.values() for entry in page_entries]


def _page_of(entry: dict[str, Any]) -> str:
    return str(entry.get("location", "")).split("#", 1)[0]


def split_search_index(
    index: dict[str, Any],
    board_ids: Sequence[str],
    board_copies: Collection[str],
    local_entries: Mapping[str, list[dict[str, str]]],
    value_paths: Mapping[str, Sequence[str]] | None = None,
    value_of: Callable[[str, str], str | None] = lambda board, path: None,
) -> Iterator[tuple[str | None, dict[str, Any]]]:
    """The regional index (board None), then one per board, each keeping the original's `config`: made one
    by one, so that each can be written and let go of before the next (at 1,000 chapters and nine boards,
    all ten at once took more memory than anything else at the end of the build).

    `board_copies` are the regional page URLs every board's site has a copy of; a board's own version
    of a page (its contents, its amendments) replaces the regional one in its index. A regional page's
    board values (`value_paths`: each page's, by URL, in page order) read as the regional wording in the
    regional index and as `value_of(board, path)` in each board's: no index holds another board's.
    """
    regional: list[dict[str, Any]] = []
    texts: dict[int, _ValueTexts] = {}
    paths = {url: iter(found) for url, found in (value_paths or {}).items()}
    own: dict[str, list[dict[str, Any]]] = {board: [] for board in board_ids}
    for document in index.get("docs", []):
        location = str(document.get("location", ""))
        board = location.split("/", 1)[0]
        if board in own and "/" in location:
            own[board].append({**document, "location": location[len(board) + 1:]})
            continue
        text = str(document.get("text", ""))
        if VALUE_START in text:
            texts[len(regional)] = _ValueTexts(text, paths.get(location.split("#", 1)[0], iter(())))
            document = {**document, "text": texts[len(regional)].text()}
        regional.append(document)
    yield None, {**index, "docs": regional}
    copied = [(number, document, page) for number, document in enumerate(regional)
              if (page := document["location"].split("#", 1)[0]) in board_copies]
    for board, documents in own.items():
        replaced = {document["location"].split("#", 1)[0] for document in documents}
        boards_value = functools.cache(functools.partial(value_of, board))
        copies = [{**document, "text": texts[number].text(boards_value)} if number in texts else document
                  for number, document, page in copied if page not in replaced]
        yield board, {**index, "docs": copies + documents + list(local_entries.get(board, []))}
