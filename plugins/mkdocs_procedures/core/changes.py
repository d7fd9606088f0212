"""What changed: a chapter before and after an amendment, as its readers read it, for people.

Both versions come as the blocks a reader sees on the page (`Block`: paragraphs, list items, table
rows, code blocks, notes and local boxes, each under its section's heading), made from the rendered
page by the render layer. Sections are matched by their titles, blocks within a section by their
text. A changed block has its inserted and deleted words marked; a change that is not one of words
is named: a link that now points elsewhere, a code example changed (line by line), formatting only,
a block moved from another section. A section is listed only with something marked or named in it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from .chapters import read_front_matter

_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(\*\*|__|\*|`)")
INTRODUCTION = "Introduction"
"""The section of what comes before a chapter's first heading."""
SIMILAR = 0.5
"""How alike (difflib's ratio of words) an old and a new block must be to be shown as one block edited."""


def readable(markdown: str) -> str:
    """Markdown as a reader sees its words: link text without targets, no emphasis markers."""
    return _EMPHASIS.sub("", _LINK.sub(r"\1", markdown))


@dataclass(frozen=True)
class Block:
    """One block of a page as a reader sees it."""

    kind: str
    """`paragraph`, `item` (of a list), `row` (of a table), `code`, `note` (an admonition), `local` (a
    board's box), `quote`."""
    section: str
    text: str
    """The words, as read (for a row, its cells' words; for code, its lines)."""
    cells: tuple[str, ...] = ()
    lines: tuple[str, ...] = ()
    links: tuple[tuple[str, str], ...] = ()
    """(text, address) of each link, in order."""
    form: str = ""
    """The block's markup with its words left out: what a formatting-only change changes."""
    ordered: bool = False
    number: int | None = None
    depth: int = 0
    label: str = ""
    """A note's or a local box's title; a row's `th` when it is a heading row."""
    variant: str = ""
    """A note's type (`warning`), a local box's board."""

    @property
    def identity(self) -> tuple[object, ...]:
        """What makes two blocks the same to a reader. Not an item's number: a step inserted renumbers
        the steps after it, and the view shows the inserted step with its number."""
        return (self.kind, self.text, self.cells, self.lines, self.links, self.form, self.depth, self.label)


@dataclass(frozen=True)
class Segment:
    kind: str
    """`same`, `inserted` or `deleted`."""
    text: str
    space: bool = True
    """Whether a space stands before it (none before a full stop that follows an inserted word)."""


@dataclass(frozen=True)
class BlockChange:
    block: Block
    """The block as it is now (as it was, for one deleted)."""
    change: str
    """`edited`, `inserted`, `deleted`, `moved`, or `named` (no words changed; `notes` say what did)."""
    words: tuple[Segment, ...] = ()
    cells: tuple[tuple[Segment, ...], ...] = ()
    lines: tuple[Segment, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class SectionChange:
    title: str
    kind: str
    """`changed`, `added` or `removed`."""
    blocks: tuple[BlockChange, ...]


@dataclass(frozen=True)
class FieldChange:
    name: str
    before: str
    after: str


@dataclass(frozen=True)
class ChapterChange:
    fields: tuple[FieldChange, ...] = ()
    sections: tuple[SectionChange, ...] = ()
    unseen: bool = False
    """The source changed, but readers see the same page (white space, markup that renders alike)."""

    @property
    def empty(self) -> bool:
        return not self.fields and not self.sections


# Opening and closing punctuation, typewriter and typographic quotes (U+2018, U+2019, U+201C, U+201D).
_EDGES = re.compile("^([(\\[\"\u201c\u2018']*)(.*?)([.,;:!?)\\]\"\u201d\u2019']*)$", re.S)


def _tokens(text: str) -> list[tuple[str, bool]]:
    """Words, with the punctuation at their edges as tokens of its own: (token, a space before it)."""
    tokens: list[tuple[str, bool]] = []
    for word in text.split():
        match = _EDGES.match(word)
        parts = match.groups() if match else ("", word, "")
        first = True
        for part in parts:
            if part:
                tokens.append((part, first))
                first = False
    return tokens


def _segment(kind: str, tokens: Sequence[tuple[str, bool]]) -> Segment:
    text = "".join((" " if space and index else "") + token for index, (token, space) in enumerate(tokens))
    return Segment(kind, text, tokens[0][1])


def word_diff(before: str, after: str) -> tuple[Segment, ...]:
    """The words kept, inserted and deleted between two texts, in reading order."""
    old, new = _tokens(before), _tokens(after)
    segments: list[Segment] = []
    for tag, old_start, old_end, new_start, new_end in difflib.SequenceMatcher(
            None, [token for token, _ in old], [token for token, _ in new], autojunk=False).get_opcodes():
        if tag == "equal":
            segments.append(_segment("same", new[new_start:new_end]))
            continue
        if tag in ("delete", "replace"):
            segments.append(_segment("deleted", old[old_start:old_end]))
        if tag in ("insert", "replace"):
            segments.append(_segment("inserted", new[new_start:new_end]))
    return tuple(segments)


def line_diff(before: Sequence[str], after: Sequence[str]) -> tuple[Segment, ...]:
    """A code block line by line: each line kept, inserted or deleted."""
    segments: list[Segment] = []
    for tag, old_start, old_end, new_start, new_end in difflib.SequenceMatcher(
            None, list(before), list(after), autojunk=False).get_opcodes():
        if tag == "equal":
            segments.extend(Segment("same", line) for line in before[old_start:old_end])
            continue
        segments.extend(Segment("deleted", line) for line in before[old_start:old_end])
        segments.extend(Segment("inserted", line) for line in after[new_start:new_end])
    return tuple(segments)


def _same(text: str) -> tuple[Segment, ...]:
    return (Segment("same", text),) if text else ()


def _link_notes(old: Block, new: Block) -> tuple[str, ...]:
    """"Link now points to ..." for each link whose text stayed and whose address changed; new and
    removed links among the same words are named too."""
    notes: list[str] = []
    old_targets = {text: target for text, target in old.links}
    new_texts = {text for text, _ in new.links}
    for text, target in new.links:
        if text in old_targets and old_targets[text] != target:
            notes.append(f"The link “{text}” now points to {target} (it pointed to {old_targets[text]}).")
        elif text not in old_targets:
            notes.append(f"“{text}” is now a link to {target}.")
    notes.extend(f"“{text}” is no longer a link (it pointed to {target})."
                 for text, target in old.links if text not in new_texts)
    return tuple(notes)


def _edited(old: Block, new: Block) -> BlockChange:
    """How one block changed: words marked, or what changed named."""
    if new.kind == "code" or old.kind == "code":
        lines = line_diff(old.lines, new.lines)
        return BlockChange(new, "named", lines=lines, notes=("The code example changed.",))
    notes = _link_notes(old, new)
    if new.kind == "row" and old.kind == "row" and old.cells != new.cells:
        width = max(len(old.cells), len(new.cells))
        cells = tuple(word_diff(old.cells[i] if i < len(old.cells) else "", new.cells[i] if i < len(new.cells) else "")
                      for i in range(width))
        return BlockChange(new, "edited", cells=cells, notes=notes)
    if old.text != new.text or old.label != new.label:
        words = word_diff(old.text, new.text)
        if old.label != new.label:
            notes = (f"The title changed from “{old.label}” to “{new.label}”.", *notes)
        return BlockChange(new, "edited", words=words, notes=notes)
    if notes:
        return BlockChange(new, "named", words=_same(new.text), cells=_cells(new), notes=notes)
    return BlockChange(new, "named", words=_same(new.text), cells=_cells(new),
                       notes=(*notes, "Formatting only (no wording changed)."))


def _cells(block: Block) -> tuple[tuple[Segment, ...], ...]:
    return tuple(_same(cell) for cell in block.cells)


def _whole(block: Block, change: str) -> BlockChange:
    """A block inserted or deleted whole."""
    kind = "inserted" if change == "inserted" else "deleted"
    return BlockChange(block, change, words=(Segment(kind, block.text),) if block.text else (),
                       cells=tuple((Segment(kind, cell),) for cell in block.cells),
                       lines=tuple(Segment(kind, line) for line in block.lines))


def _similarity(old: Block, new: Block) -> float:
    if old.kind != new.kind:
        return 0.0
    if old.text == new.text:
        return 1.0
    return difflib.SequenceMatcher(None, old.text.split(), new.text.split(), autojunk=False).ratio()


def _paired(old: Sequence[Block], new: Sequence[Block]) -> list[BlockChange]:
    """A run of old blocks replaced by a run of new ones: each new block paired, in order, with the
    most alike old block not yet taken (when alike enough); the rest inserted or deleted."""
    changes: list[BlockChange] = []
    cursor = 0
    for block in new:
        scores = [(_similarity(candidate, block), -index) for index, candidate in enumerate(old) if index >= cursor]
        score, index = max(scores, default=(0.0, 1))
        if score >= SIMILAR:
            changes.extend(_whole(gone, "deleted") for gone in old[cursor:-index])
            changes.append(_edited(old[-index], block))
            cursor = -index + 1
        else:
            changes.append(_whole(block, "inserted"))
    changes.extend(_whole(gone, "deleted") for gone in old[cursor:])
    return changes


def _block_changes(old: Sequence[Block], new: Sequence[Block]) -> list[BlockChange]:
    changes: list[BlockChange] = []
    matcher = difflib.SequenceMatcher(None, [b.identity for b in old], [b.identity for b in new], autojunk=False)
    for tag, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if tag != "equal":
            changes.extend(_paired(old[old_start:old_end], new[new_start:new_end]))
    return changes


def _sections(blocks: Sequence[Block]) -> list[tuple[str, list[Block]]]:
    sections: list[tuple[str, list[Block]]] = []
    for block in blocks:
        if not sections or sections[-1][0] != block.section:
            sections.append((block.section, []))
        sections[-1][1].append(block)
    return sections


def _with_moves(sections: list[SectionChange]) -> list[SectionChange]:
    """A block deleted from one section and inserted, the same, in another is named as moved."""
    deleted = {(change.block.kind, change.block.text, change.block.cells, change.block.lines): section.title
               for section in sections for change in section.blocks if change.change == "deleted"}
    inserted = {(change.block.kind, change.block.text, change.block.cells, change.block.lines): section.title
                for section in sections for change in section.blocks if change.change == "inserted"}
    moved = {key for key in deleted.keys() & inserted.keys() if deleted[key] != inserted[key] and key[1]}
    if not moved:
        return sections
    result = []
    for section in sections:
        blocks = []
        for change in section.blocks:
            key = (change.block.kind, change.block.text, change.block.cells, change.block.lines)
            if key in moved and change.change == "inserted":
                change = BlockChange(change.block, "moved", words=_same(change.block.text),
                                     cells=_cells(change.block), lines=tuple(Segment("same", line)
                                                                             for line in change.block.lines),
                                     notes=(f"Moved here from the section “{deleted[key]}”.",))
            elif key in moved and change.change == "deleted":
                change = BlockChange(change.block, "moved", words=_same(change.block.text),
                                     cells=_cells(change.block), lines=tuple(Segment("same", line)
                                                                             for line in change.block.lines),
                                     notes=(f"Moved from here to the section “{inserted[key]}”.",))
            blocks.append(change)
        result.append(replace(section, blocks=tuple(blocks)))
    return result


def compare_blocks(before: Sequence[Block], after: Sequence[Block]) -> tuple[SectionChange, ...]:
    """Every section with something changed in it, in the order of the page after the change (a section
    removed stands where it was)."""
    old_sections, new_sections = _sections(before), _sections(after)
    changes: list[SectionChange] = []
    matcher = difflib.SequenceMatcher(None, [title for title, _ in old_sections],
                                      [title for title, _ in new_sections], autojunk=False)
    for tag, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if tag == "equal":
            for (title, old_blocks), (_, new_blocks) in zip(old_sections[old_start:old_end],
                                                              new_sections[new_start:new_end], strict=True):
                if found := _block_changes(old_blocks, new_blocks):
                    changes.append(SectionChange(title, "changed", tuple(found)))
            continue
        for title, blocks in old_sections[old_start:old_end]:
            changes.append(SectionChange(title, "removed", tuple(_whole(block, "deleted") for block in blocks)))
        for title, blocks in new_sections[new_start:new_end]:
            changes.append(SectionChange(title, "added", tuple(_whole(block, "inserted") for block in blocks)))
    return tuple(_with_moves(changes))


@dataclass(frozen=True)
class PageVersion:
    """One version of a page as readers see it: its title and status, and its blocks."""

    fields: dict[str, str] = field(default_factory=dict)
    blocks: tuple[Block, ...] = ()


def compare(before: PageVersion, after: PageVersion, sources_differ: bool = True) -> ChapterChange:
    """How a page changed for its readers: its fields (title, status) and every section with a change."""
    names = list(dict.fromkeys([*before.fields, *after.fields]))
    fields = tuple(FieldChange(name, before.fields.get(name, ""), after.fields.get(name, ""))
                   for name in names if before.fields.get(name, "") != after.fields.get(name, ""))
    sections = compare_blocks(before.blocks, after.blocks)
    return ChapterChange(fields, sections, unseen=sources_differ and not fields and not sections)


def split_front_matter_safely(text: str) -> tuple[dict[str, object], str]:
    """Front matter and body; an old version whose front matter no longer parses is shown as text."""
    try:
        front = read_front_matter(text)
    except ValueError:
        return {}, text
    return front.values, front.body
