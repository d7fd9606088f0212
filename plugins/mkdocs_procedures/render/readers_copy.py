"""Each version of an amended page as its readers read it, for the what-changed views.

- A regional chapter: its Markdown rendered as the regional site renders it, board values in their
  regional wording.
- A board's overlay: the chapter as that board's site shows it, the regional text of today with the
  overlay's local boxes (as they were before, and after, the change) in their sections and the board's
  values filled in.
- A board's own page: rendered with the board's values and cleaned as the site cleans it.
- A board's `board.yml`: the details readers see (name, website, contacts), field by field.

The page is then read into blocks (`page_blocks.py`) and compared (`core.changes`). The Markdown is
rendered by `render_markdown`, given by the adapter: the site's own extensions.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from ..core.amendments import Amendment
from ..core.boards import Board, board_from_text
from ..core.changes import (
    ChapterChange,
    FieldChange,
    PageVersion,
    compare,
    split_front_matter_safely,
)
from ..core.located_yaml import LocatedYamlError, load_located
from ..core.overlays import LocalBlock, read_overlay
from ..core.region import Region, RegionalChapter
from . import sanitise
from .markup import without_value_marks
from .page_blocks import PageBlocks
from .variants import VariantMarkdown

DETAILS = {"name": "Name", "short_name": "Short name", "website": "Website"}
CONTACT_DETAILS = {"label": "service", "phone": "phone", "email": "e-mail", "hours": "hours",
                   "address": "address", "notes": "notes"}


class ReadersCopy:
    def __init__(self, render_markdown: Callable[[str], str], region: Region, variants: VariantMarkdown,
                 chapters: Mapping[str, RegionalChapter], urls: Mapping[str, str], site_url: str,
                 docs_root: str, boards_root: str,
                 read_at: Callable[[str, str], str | None] = lambda commit, path: None) -> None:
        """`chapters` are the regional chapters by id; `urls` the site addresses by source path;
        `read_at(commit, path)` a file as it was at a commit (a board's `board.yml`, for its values then)."""
        self.read_at = read_at
        self.boards_read_as_they_are: set[str] = set()
        """The boards whose values as they are now (not as they were when a change landed) a comparison read:
        their `board.yml` was missing or wrong at that commit, or the change was never committed."""
        self._versions: dict[tuple[str, tuple[tuple[str, str | None], ...], str], PageVersion] = {}
        self._overlay_versions: dict[tuple[str, str, str, str], PageVersion] = {}
        self.render_markdown = render_markdown
        self.region = region
        self.variants = variants
        self.chapters = chapters
        self.urls = urls
        self.site_url = site_url
        self.docs_root = docs_root.rstrip("/") + "/"
        self.boards_root = boards_root.rstrip("/") + "/"

    def kind(self, amendment: Amendment) -> str:
        """`regional`, `overlay`, `page` or `details`: what the amended file was when it changed."""
        path = amendment.change.path if amendment.change else amendment.path
        if not path.startswith(self.boards_root):
            return "regional"
        parts = path.removeprefix(self.boards_root).split("/")
        if parts[1:] == ["board.yml"]:
            return "details"
        return "overlay" if parts[1:2] == ["overlays"] else "page"

    def context(self, amendment: Amendment) -> str:
        """What the comparison reads besides the two versions of the file, as a short hash (a cache key)."""
        kind = self.kind(amendment)
        board = self.region.boards.get(amendment.board or "")
        parts: list[Any] = [kind, sorted(self.region.values.defaults.items())]
        if board is not None and kind in ("overlay", "page"):
            # The board's values as they were when the change landed: its commit names them.
            parts.append([amendment.commit, board.name, board.colour])
        if kind == "overlay" and (chapter := self.chapters.get(amendment.chapter or "")) is not None:
            parts.append(chapter.body)
        return hashlib.sha1(json.dumps(parts).encode()).hexdigest()[:16]

    def compare(self, amendment: Amendment, before: str, after: str) -> ChapterChange:
        """How the amended page changed for its readers, from the file's text before and after."""
        kind = self.kind(amendment)
        if kind == "details":
            return self._details(before, after)
        if before.strip() == after.strip():
            return ChapterChange(unseen=True)
        if kind == "overlay":
            return self._overlay(amendment, before, after)
        board = self._board_then(amendment) if kind == "page" else None
        src_uri = self._src_uri(amendment)
        return compare(self._page(before, board, src_uri), self._page(after, board, src_uri))

    def _src_uri(self, amendment: Amendment) -> str:
        path = amendment.path
        if path.startswith(self.docs_root):
            return path.removeprefix(self.docs_root)
        return path.removeprefix(self.boards_root).split("/", 2)[-1]

    def _page(self, source: str, board: Board | None, src_uri: str) -> PageVersion:
        """A version of a page; each version is the "after" of one change and the "before" of the next,
        so it is read once."""
        values = tuple((path, board.value(path)) for path in board.value_paths()) if board is not None else ()
        key = (hashlib.sha1(source.encode()).hexdigest(), values, src_uri)
        if key not in self._versions:
            self._versions[key] = self._read_page(source, board, src_uri)
        return self._versions[key]

    def _read_page(self, source: str, board: Board | None, src_uri: str) -> PageVersion:
        values, body = split_front_matter_safely(source)
        html = without_value_marks(self.render_markdown(self.variants.fill_values(body, board)))
        if board is not None:
            html = sanitise.board_page_html(html)
        return PageVersion(_fields(values), self._blocks(src_uri).read(html))

    def _board_then(self, amendment: Amendment) -> Board | None:
        """The amendment's board with its values (phone numbers, ...) as they were when it landed."""
        board = self.region.boards.get(amendment.board or "")
        if board is None:
            return None
        text = self.read_at(amendment.commit, f"{self.boards_root}{board.id}/board.yml") if amendment.commit else None
        then, _ = board_from_text(board.id, board.config_path, text, earlier=True) if text else (None, [])
        if then is None:
            self.boards_read_as_they_are.add(board.id)
            return board
        return replace(then, colour=board.colour)

    def _overlay(self, amendment: Amendment, before: str, after: str) -> ChapterChange:
        board = self._board_then(amendment)
        chapter = self.chapters.get(amendment.chapter or "")
        body = chapter.body if chapter is not None else ""
        src_uri = chapter.src_uri if chapter is not None else ""
        fields = {"title": chapter.chapter.title, "status": str(chapter.chapter.status)} if chapter is not None else {}

        def version(source: str) -> PageVersion:
            # Each version of an overlay is the "after" of one change and the "before" of the next: read once.
            key = (hashlib.sha1(source.encode()).hexdigest(), amendment.path, amendment.chapter or "", repr(board))
            if key not in self._overlay_versions:
                blocks = self._local_blocks(amendment, source)
                markdown = (self.variants.merged(body, blocks, board, self._render_block) if board is not None
                            else "\n\n".join(block.markdown for block in blocks))
                self._overlay_versions[key] = PageVersion(
                    fields, self._blocks(src_uri).read(without_value_marks(self.render_markdown(markdown))))
            return self._overlay_versions[key]

        return compare(version(before), version(after))

    def _local_blocks(self, amendment: Amendment, source: str) -> tuple[LocalBlock, ...]:
        if not source.strip():
            return ()
        try:
            overlay, _ = read_overlay(amendment.path, source, amendment.board or "", amendment.chapter or "")
        except ValueError:  # an old version whose front matter does not parse
            return ()
        return overlay.blocks

    def _render_block(self, markdown: str, block: LocalBlock) -> str:
        return self.render_markdown(markdown)

    def _blocks(self, src_uri: str) -> PageBlocks:
        here = posixpath.dirname(src_uri)

        def address(href: str) -> str:
            if "://" in href or href.startswith(("mailto:", "tel:")):
                return href
            path, hash_mark, anchor = href.partition("#")
            if not path:
                return href
            target = posixpath.normpath(posixpath.join(here, path))
            url = self.urls.get(target)
            return self.site_url + url + hash_mark + anchor if url is not None else href

        return PageBlocks(address)

    def _details(self, before: str, after: str) -> ChapterChange:
        old, new = _board_details(before), _board_details(after)
        fields = tuple(FieldChange(name, old.get(name, ""), new.get(name, ""))
                       for name in dict.fromkeys([*old, *new]) if old.get(name, "") != new.get(name, ""))
        return ChapterChange(fields, unseen=not fields and before.strip() != after.strip())


def _fields(values: Mapping[str, object]) -> dict[str, str]:
    return {"title": str(values.get("title", "") or ""), "status": str(values.get("status", "") or "current")}


def _board_details(text: str) -> dict[str, str]:
    """What readers see of a board's `board.yml`, by a name for each detail; nothing for YAML that does
    not read (an old, broken version)."""
    try:
        values = load_located(text).values if text.strip() else {}
    except LocatedYamlError:
        return {}
    if not isinstance(values, dict):
        return {}
    details = {label: str(values[name]) for name, label in DETAILS.items() if values.get(name) is not None}
    contacts = values.get("contacts")
    for key, contact in (contacts.items() if isinstance(contacts, dict) else []):
        if not isinstance(contact, dict):
            continue
        name = str(key).replace("_", " ").capitalize()
        details.update({f"{name}: {label}": str(contact[field]) for field, label in CONTACT_DETAILS.items()
                        if contact.get(field) is not None})
    return details
