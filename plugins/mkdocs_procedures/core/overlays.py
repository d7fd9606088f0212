"""Overlays: a board's local blocks, placed at named points of a regional chapter.

An overlay is a Markdown file, `boards/<board>/overlays/<chapter-id>.md`, made of blocks:

    ::: after #how-to-refer
    In our area, referrals go to the front door on {{ board.contacts.front_door.phone }}.
    :::

The opening line names a position and, except for `end`, the anchor of a regional heading:

- `before #anchor`: just above the heading;
- `after #anchor`: just below the heading, before the section's text;
- `end-of #anchor`: at the end of that section, before the next heading of the same or higher level;
- `end`: at the end of the chapter.

An optional title in double quotes follows: `::: end "Local contacts"`. Merging never changes, drops or
reorders regional text: it only inserts blocks between regional lines.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from markdown.extensions.toc import slugify as default_slugify
from markdown.extensions.toc import unique

from .chapters import read_front_matter
from .problems import Problem, did_you_mean


class Position(StrEnum):
    BEFORE = "before"
    AFTER = "after"
    END_OF = "end-of"
    END = "end"


# Where blocks that land between the same two regional lines go, relative to each other.
_ORDER_AT_SAME_LINE = {Position.AFTER: 0, Position.END_OF: 1, Position.BEFORE: 2, Position.END: 3}

_OPENER = re.compile(r'^:::[ \t]*(?P<rest>\S.*?)?[ \t]*$')
_OPENER_PARTS = re.compile(
    r'^(?P<position>[A-Za-z-]+)(?:[ \t]+#?(?P<anchor>[^\s"]+))?(?:[ \t]+"(?P<title>[^"]*)")?$'
)
_ATX_HEADING = re.compile(r"^(?P<hashes>#{1,6})[ \t]+(?P<text>.*?)[ \t#]*$")
_FENCE = re.compile(r"^[ \t]{0,3}(?P<fence>`{3,}|~{3,})")
_SETEXT_UNDERLINE = re.compile(r"^[ ]{0,3}(?:=+|-+)[ \t]*$")
_HTML_HEADING = re.compile(r"<h[1-6](?:[\s/>]|$)", re.I)
_EXPLICIT_ID = re.compile(r"\{[^}]*#(?P<id>[\w-]+)[^}]*\}\s*$")


@dataclass(frozen=True)
class Heading:
    level: int
    anchor: str
    line_index: int
    """0-based index of the heading's line in the Markdown body."""


@dataclass(frozen=True)
class LocalBlock:
    """One board's local text for one place in a chapter."""

    board: str
    position: Position
    anchor: str | None
    markdown: str
    path: str
    line: int
    """The line of the block's opening `:::` in its overlay file."""
    title: str | None = None


@dataclass(frozen=True)
class Overlay:
    board: str
    chapter_id: str
    path: str
    blocks: tuple[LocalBlock, ...]
    chapter_line: int | None = None


def _plain_heading_text(text: str) -> str:
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)  # links and images keep their text
    text = re.sub(r"<[^>]+>", "", text)
    return re.sub(r"[*_`]", "", text)


def headings_of(
    markdown: str, slugify: Callable[[str, str], str] = default_slugify
) -> list[Heading]:
    """The ATX headings of a Markdown body, with the anchors the `toc` extension gives them."""
    headings: list[Heading] = []
    used: set[str] = set()
    fence: str | None = None
    for index, line in enumerate(markdown.split("\n")):
        fence_match = _FENCE.match(line)
        if fence_match:
            marker = fence_match.group("fence")
            if fence is None:
                fence = marker
            elif marker[0] == fence[0] and len(marker) >= len(fence):
                fence = None
            continue
        if fence is not None:
            continue
        match = _ATX_HEADING.match(line)
        if not match:
            continue
        text = match.group("text")
        explicit = _EXPLICIT_ID.search(text)
        # Without an explicit `{#id}`, made unique the way the toc extension does: `a`, `a_1`, ...
        anchor = explicit.group("id") if explicit else unique(slugify(_plain_heading_text(text), "-"), used)
        used.add(anchor)
        headings.append(Heading(len(match.group("hashes")), anchor, index))
    return headings


@functools.lru_cache(maxsize=2048)
def parse_overlay(path: str, text: str, board: str, default_chapter: str) -> tuple[Overlay, list[Problem]]:
    """`read_overlay` for the boards' overlays as they are, kept for the same file and text (`mkdocs serve`
    reads them again on each rebuild); callers only read the problems."""
    return read_overlay(path, text, board, default_chapter)


def read_overlay(path: str, text: str, board: str, default_chapter: str) -> tuple[Overlay, list[Problem]]:
    """Read an overlay file into blocks; text outside blocks is an error, never silently dropped."""
    problems: list[Problem] = []
    front = read_front_matter(text)
    chapter_id = front.values.get("chapter", default_chapter)
    for name in front.values:
        if name != "chapter":
            problems.append(Problem(path, front.lines.get(name), f"unknown field `{name}`; an overlay's front "
                                    "matter may only name its `chapter` (an id)"))
    blocks: list[LocalBlock] = []
    lines = front.body.split("\n")
    opener: tuple[int, Position, str | None, str | None] | None = None
    body: list[str] = []
    for offset, line in enumerate(lines):
        number = front.body_line + offset
        if opener is None:
            match = _OPENER.match(line)
            if match and match.group("rest"):
                opener = _read_opener(path, number, match.group("rest"), problems)
                body = []
            elif match:
                problems.append(Problem(path, number, "a closing `:::` with no block open"))
            elif line.strip():
                problems.append(Problem(path, number, "text outside a block is not published; put it between "
                                        "`::: <position> #<anchor>` and `:::`"))
            continue
        match = _OPENER.match(line)
        if match and not match.group("rest"):
            start, position, anchor, title = opener
            markdown = "\n".join(body).strip("\n")
            if not markdown.strip():
                problems.append(Problem(path, start, "the block is empty; expected local text before `:::`"))
            else:
                blocks.append(LocalBlock(board, position, anchor, markdown, path, start, title))
            opener = None
            continue
        if match:
            problems.append(Problem(path, number, f"a new block starts before the block opened on line "
                                    f"{opener[0]} is closed; expected `:::` first"))
        if (found := _heading_in_block(line, body)) is not None:
            problems.append(Problem(path, number, f"headings are not allowed in local blocks ({found}); a block "
                                    "may not change the regional headings and anchors: use **bold text** for a "
                                    "local sub-title"))
        body.append(line)
    if opener is not None:
        problems.append(Problem(path, opener[0], "the block is never closed; expected a line `:::` after its text"))
    return Overlay(board, str(chapter_id), path, tuple(blocks), front.lines.get("chapter")), problems


def _heading_in_block(line: str, before: Sequence[str]) -> str | None:
    """How `line` would make a heading, written after the block's lines `before`; None if it would not."""
    if _in_fence(before):
        return None
    if _ATX_HEADING.match(line):
        return "a `#` heading"
    if _SETEXT_UNDERLINE.match(line) and before and before[-1].strip() and not _FENCE.match(before[-1]):
        return f"a line underlined with `{line.strip()[0] * 3}`"
    if _HTML_HEADING.search(line):
        return f"an HTML heading `{_HTML_HEADING.search(line).group(0).strip('<> /')}`"  # type: ignore[union-attr]
    return None


def _in_fence(lines: Sequence[str]) -> bool:
    return sum(1 for line in lines if _FENCE.match(line)) % 2 == 1


def _read_opener(
    path: str, number: int, rest: str, problems: list[Problem]
) -> tuple[int, Position, str | None, str | None]:
    match = _OPENER_PARTS.match(rest)
    positions = [position.value for position in Position]
    if match is None:
        problems.append(Problem(path, number, f"cannot read `::: {rest}`; expected `::: <position> #<anchor>` "
                                f"with a position from {', '.join(positions)}"))
        return number, Position.END, None, None
    word, anchor, title = match.group("position"), match.group("anchor"), match.group("title")
    if word not in positions:
        problems.append(Problem(path, number, f"unknown position `{word}`; {did_you_mean(word, positions)}"))
        return number, Position.END, None, None
    position = Position(word)
    if position is Position.END and anchor:
        problems.append(Problem(path, number, "`end` places a block at the end of the chapter and takes no "
                                "anchor; use `end-of #anchor` for the end of a section"))
    if position is not Position.END and not anchor:
        problems.append(Problem(path, number, f"`{word}` needs the anchor of a regional heading, such as "
                                f"`::: {word} #making-a-referral`"))
    return number, position, anchor if position is not Position.END else None, title


def check_targets(overlay: Overlay, headings: Sequence[Heading], chapter_path: str) -> list[Problem]:
    """An error for every block whose anchor is not a heading of the chapter."""
    anchors = [heading.anchor for heading in headings]
    return [
        Problem(block.path, block.line,
                f"anchor `#{block.anchor}` not found in {chapter_path}; {did_you_mean(block.anchor, anchors)}")
        for block in overlay.blocks
        if block.anchor is not None and block.anchor not in anchors
    ]


def insertion_index(block: LocalBlock, headings: Sequence[Heading], line_count: int) -> int:
    """The body line before which `block` goes."""
    if block.position is Position.END:
        return line_count
    position_of = {heading.anchor: number for number, heading in enumerate(headings)}
    number = position_of[block.anchor or ""]
    heading = headings[number]
    if block.position is Position.BEFORE:
        return heading.line_index
    if block.position is Position.AFTER:
        return heading.line_index + 1
    later = (other for other in headings[number + 1:] if other.level <= heading.level)
    return next((other.line_index for other in later), line_count)


def section_text(markdown: str, anchor: str | None) -> str | None:
    """The text of the section under the heading `anchor` (the whole body for None); None if absent."""
    if anchor is None:
        return markdown
    lines = markdown.split("\n")
    headings = headings_of(markdown)
    for number, heading in enumerate(headings):
        if heading.anchor == anchor:
            later = (other for other in headings[number + 1:] if other.level <= heading.level)
            end = next((other.line_index for other in later), len(lines))
            return "\n".join(lines[heading.line_index:end]).strip()
    return None


def merge(
    markdown: str,
    blocks: Iterable[LocalBlock],
    render: Callable[[LocalBlock], str],
    slugify: Callable[[str, str], str] = default_slugify,
) -> str:
    """Regional Markdown with each block's rendering inserted at its place, regional lines untouched.

    Blocks at the same place keep the order they are given in (callers pass them in board order).
    """
    lines = markdown.split("\n")
    headings = headings_of(markdown, slugify)
    placed = sorted(
        ((insertion_index(block, headings, len(lines)), _ORDER_AT_SAME_LINE[block.position], order, block)
         for order, block in enumerate(blocks)),
        key=lambda item: item[:3],
    )
    output: list[str] = []
    cursor = 0
    for index, _, _, block in placed:
        output.extend(lines[cursor:index])
        cursor = index
        output.extend(["", render(block).strip("\n"), ""])
    output.extend(lines[cursor:])
    return "\n".join(output)
