"""What changed: a chapter's text before and after an amendment, section by section, for people.

Only the sections that changed are shown. Within a section, words inserted and deleted are marked;
Markdown punctuation (link targets, emphasis markers) is left out so the text reads as it does on
the page.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass

from .chapters import split_front_matter
from .overlays import headings_of

_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(\*\*|__|\*|`)")
_BREAK = "\n\n"
_PARAGRAPH = re.compile(r"\n\s*\n|\n(?=[ \t]*(?:[-*+]|\d+\.)[ \t])")
_HEADING_MARKS = re.compile(r"^#+\s*|\s*\{[^}]*\}\s*$|\s*#*\s*$")


@dataclass(frozen=True)
class Segment:
    kind: str
    """`same`, `inserted` or `deleted`."""
    text: str


@dataclass(frozen=True)
class SectionChange:
    title: str
    kind: str
    """`changed`, `added` or `removed`."""
    paragraphs: tuple[tuple[Segment, ...], ...]


@dataclass(frozen=True)
class FieldChange:
    name: str
    before: str
    after: str


@dataclass(frozen=True)
class ChapterChange:
    fields: tuple[FieldChange, ...]
    sections: tuple[SectionChange, ...]

    @property
    def empty(self) -> bool:
        return not self.fields and not self.sections


def readable(markdown: str) -> str:
    """Markdown as a reader sees its words: link text without targets, no emphasis markers."""
    return _EMPHASIS.sub("", _LINK.sub(r"\1", markdown))


def sections_of(body: str) -> list[tuple[str, str]]:
    """(heading, text) pairs; text before the first heading is the "Introduction"."""
    lines = body.split("\n")
    headings = headings_of(body)
    intro = "\n".join(lines[: headings[0].line_index if headings else len(lines)]).strip()
    sections = [("Introduction", intro)] if intro else []
    for number, heading in enumerate(headings):
        end = headings[number + 1].line_index if number + 1 < len(headings) else len(lines)
        title = _HEADING_MARKS.sub("", lines[heading.line_index])
        sections.append((readable(title), "\n".join(lines[heading.line_index + 1 : end]).strip()))
    return sections


def _words(text: str) -> list[str]:
    tokens: list[str] = []
    # Paragraphs, and each list item on its own, as the page shows them.
    for number, paragraph in enumerate(_PARAGRAPH.split(readable(text).strip())):
        if number:
            tokens.append(_BREAK)
        tokens.extend(paragraph.split())
    return tokens


def _paragraphs(segments: list[Segment]) -> tuple[tuple[Segment, ...], ...]:
    paragraphs: list[list[Segment]] = [[]]
    for segment in segments:
        pieces = segment.text.split(_BREAK)
        for number, piece in enumerate(pieces):
            if number:
                paragraphs.append([])
            if piece.strip():
                paragraphs[-1].append(Segment(segment.kind, " ".join(piece.split())))
    return tuple(tuple(paragraph) for paragraph in paragraphs if paragraph)


def word_diff(before: str, after: str) -> tuple[tuple[Segment, ...], ...]:
    """Paragraphs of segments: the words kept, inserted and deleted between two texts."""
    old, new = _words(before), _words(after)
    segments: list[Segment] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if tag == "equal":
            segments.append(Segment("same", " ".join(old[old_start:old_end])))
            continue
        if tag in ("delete", "replace"):
            segments.append(Segment("deleted", " ".join(w for w in old[old_start:old_end] if w != _BREAK)))
        if tag in ("insert", "replace"):
            segments.append(Segment("inserted", " ".join(new[new_start:new_end])))
    return _paragraphs(segments)


def compare(before: str, after: str, wording: Callable[[str], str] = lambda text: text) -> ChapterChange:
    """How a chapter file changed: its title and status, and every section whose text changed.

    `wording` turns the source into what readers see (for example, board values into their wording).
    """
    old, new = split_front_matter_safely(wording(before)), split_front_matter_safely(wording(after))
    defaults = {"title": "", "status": "current"}
    fields = tuple(
        FieldChange(name, str(old[0].get(name, default)), str(new[0].get(name, default)))
        for name, default in defaults.items()
        if old[0].get(name, default) != new[0].get(name, default)
    )
    old_sections, new_sections = sections_of(old[1]), sections_of(new[1])
    changes: list[SectionChange] = []
    matcher = difflib.SequenceMatcher(None, [t for t, _ in old_sections], [t for t, _ in new_sections],
                                      autojunk=False)
    for tag, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if tag == "equal":
            for (title, old_text), (_, new_text) in zip(old_sections[old_start:old_end],
                                                         new_sections[new_start:new_end], strict=True):
                if old_text != new_text:
                    changes.append(SectionChange(title, "changed", word_diff(old_text, new_text)))
            continue
        for title, text in old_sections[old_start:old_end]:
            changes.append(SectionChange(title, "removed", word_diff(text, "")))
        for title, text in new_sections[new_start:new_end]:
            changes.append(SectionChange(title, "added", word_diff("", text)))
    return ChapterChange(fields, tuple(changes))


def split_front_matter_safely(text: str) -> tuple[dict[str, object], str]:
    """Front matter and body; an old version whose front matter no longer parses is shown as text."""
    try:
        front = split_front_matter(text)
    except ValueError:
        return {}, text
    return front.values, front.body
