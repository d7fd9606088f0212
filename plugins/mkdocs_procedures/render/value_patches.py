"""A board's changed values written into the pages already made, instead of making each page again.

When a board admin changes a contact in `board.yml` (a phone number, an e-mail address), each page naming
it changes by that text alone: on the regional page, the board's hidden value beside the regional
wording and the value in the board's own (hidden) local blocks; on the board's copy, the value wherever
it shows. `mkdocs serve` writes the new text in place of the old, in a small part of the time that
making the page again takes.

Only where it is certain: both texts must be ones that Markdown and the cleaner leave as they are
(`plain_value`; the caller also asks the site's own Markdown), and each page must hold the old text
exactly where its chapter and the board's overlay name the value, and nowhere else (not in a heading's
entry in the table of contents, nor as another board's value). Otherwise the page is made again.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from ..core.boards import VALUE_PLACEHOLDER
from .board_pages import LOCAL_END, LOCAL_START
from .markup import value_html

_PLAIN = re.compile(r"[^\s&<>\"'\\`*_{}\[\]()!|#]+(?: [^\s&<>\"'\\`*_{}\[\]()!|#]+)*")
"""Words between single spaces, with no character that HTML escapes or Markdown reads as syntax."""


@dataclass(frozen=True)
class ValueChange:
    path: str
    """The value's path: `contacts.front_door.phone`."""
    before: str
    after: str
    regional_count: int
    """How often the chapter's own text names the value."""
    block_count: int
    """How often the board's local blocks in the chapter name it."""

    @property
    def shown_before(self) -> str:
        return value_html(self.path, self.before, self.before)  # plain text: the same escaped

    @property
    def shown_after(self) -> str:
        return value_html(self.path, self.after, self.after)


def plain_value(text: str) -> bool:
    """Whether a value's text needs no escaping in HTML and holds nothing Markdown reads as syntax."""
    return bool(_PLAIN.fullmatch(text))


def changes_shown(before: Mapping[str, str | None], after: Mapping[str, str | None], chapter_text: str,
                  block_texts: Sequence[str], shown_as_written: Callable[[str], bool] = plain_value,
                  ) -> list[ValueChange] | None:
    """The changed values (old and new text by path) that a chapter's text or the board's blocks in it name,
    with how often. None when an old or new text named is not plain and shown as written."""
    changes = []
    for path, old in before.items():
        new = after.get(path)
        regional = _count(chapter_text, path)
        blocks = sum(_count(text, path) for text in block_texts)
        if not regional and not blocks:
            continue
        if not (old and new and plain_value(old) and plain_value(new) and shown_as_written(old)
                and shown_as_written(new)):
            return None
        changes.append(ValueChange(path, old, new, regional, blocks))
    return changes


def regional_page_with(page_html: bytes, board: str, changes: Sequence[ValueChange]) -> bytes | None:
    """The regional page (as written, UTF-8) with `board`'s changed values: its hidden value beside each
    regional wording, and each value in its hidden local blocks. None when the page does not hold each old
    value exactly where the chapter and the blocks name it, and nowhere else."""
    patched: bytes | None = page_html
    for change in changes:
        if patched is None:
            return None
        patched = _regional_page_with(patched, board, change)
    return patched


def board_copy_with(page_html: bytes, changes: Sequence[ValueChange]) -> bytes | None:
    """The board's copy of a page (as written, UTF-8) with its changed values (every one shown as the
    board's). None when the page does not hold each old value exactly where the chapter and the blocks
    name it, and nowhere else."""
    for change in changes:
        shown_before = change.shown_before.encode()
        found = _wholly_within(page_html, change.before.encode(), [shown_before])
        if found is None or len(found) != change.regional_count + change.block_count:
            return None
        shown_after = change.shown_after.encode()
        page_html = _replaced(page_html, [(start, len(shown_before), shown_after) for start, _ in found])
    return page_html


def _regional_page_with(page_html: bytes, board: str, change: ValueChange) -> bytes | None:
    shown_before, local_before = change.shown_before.encode(), _local_value(board, change.before)
    found = _wholly_within(page_html, change.before.encode(), [local_before, shown_before])
    if found is None:
        return None  # the old text is somewhere the chapter and the blocks do not name the value
    value_start, path_mark = b'<span class="procedures-value" data-value="', html.escape(change.path).encode() + b'"'
    block_start, block_end = LOCAL_START.format(board=board).encode(), LOCAL_END.format(board=board).encode()
    beside, in_blocks = [], []
    for start, within in found:
        if within is local_before:  # the board's value beside the regional wording, in a span of the changed path
            span = page_html.rfind(value_start, 0, start)
            if span < 0 or not page_html.startswith(path_mark, span + len(value_start)):
                return None
            beside.append((start, len(local_before), _local_value(board, change.after)))
        else:  # a value in one of the board's local blocks
            if page_html.rfind(block_start, 0, start) <= page_html.rfind(block_end, 0, start):
                return None
            in_blocks.append((start, len(shown_before), change.shown_after.encode()))
    if (len(beside), len(in_blocks)) != (change.regional_count, change.block_count):
        return None
    return _replaced(page_html, beside + in_blocks)


def _wholly_within(page_html: bytes, text: bytes, wholes: Sequence[bytes]) -> list[tuple[int, bytes]] | None:
    """Where each of `wholes` (each holding `text`) stands in the page, by its start, when every occurrence
    of `text` in the page is inside one of them; None when one is not."""
    offsets = [(whole, offset) for whole in wholes for offset in _positions(whole, text)]
    found: list[tuple[int, bytes]] = []
    covered = 0
    for position in _positions(page_html, text):
        if position < covered:
            continue  # inside the last one found (an e-mail address is in its link's address and text)
        start, whole = next(((position - offset, whole) for whole, offset in offsets
                             if position >= offset and page_html.startswith(whole, position - offset)), (-1, b""))
        if start < 0:
            return None
        found.append((start, whole))
        covered = start + len(whole)
    return found


def _replaced(page_html: bytes, replacements: Sequence[tuple[int, int, bytes]]) -> bytes:
    """The page with each (start, length) span replaced by its new text."""
    pieces, cursor = [], 0
    for start, length, text in sorted(replacements):
        pieces += [page_html[cursor:start], text]
        cursor = start + length
    return b"".join(pieces) + page_html[cursor:]


def _positions(text: bytes, part: bytes) -> list[int]:
    found, start = [], 0
    while (position := text.find(part, start)) >= 0:
        found.append(position)
        start = position + 1
    return found


def _count(text: str, path: str) -> int:
    return sum(1 for match in VALUE_PLACEHOLDER.finditer(text) if match.group("path") == path)


def _local_value(board: str, text: str) -> bytes:
    """A board's own value beside the regional wording on a regional page (`board_value.html`)."""
    return (f'<span class="procedures-value__local" data-board="{board}" hidden data-search-exclude>{text}</span>'
            .encode())
