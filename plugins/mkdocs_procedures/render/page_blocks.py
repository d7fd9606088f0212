"""A rendered page's text as the blocks a reader sees (`core.changes.Block`), for what-changed views.

Paragraphs, each list item (with its number and depth), each table row (cell by cell), each code
block (line by line), each note (admonition or details) and each board's local box become one block,
under the title of the heading above it. Nothing with words in it is left out: an element of another
kind is read for the blocks inside it, or read as a paragraph. Pages are read with lxml: a long
history reads thousands of versions of its pages.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from ..core.changes import INTRODUCTION, Block

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
CONTAINERS = frozenset(("p", "ul", "ol", "table", "pre", "div", "blockquote", "dl", "details", *HEADINGS))
_SPACE = re.compile(r"\s+")
_BEFORE_PUNCTUATION = re.compile(r" (?=[.,;:!?)\]])|(?<=[(\[]) ")
_LEFT_OUT = frozenset(("script", "style", "template"))

if TYPE_CHECKING:  # lxml is loaded when a page is first read: a build with every comparison kept never reads one
    from lxml.html import HtmlElement


def _squash(text: str) -> str:
    return _BEFORE_PUNCTUATION.sub("", _SPACE.sub(" ", text).strip())


def _text(element: HtmlElement) -> str:
    """The words of an element as read: inline elements apart by a space, none before punctuation."""
    return _squash(" ".join(element.itertext()))


def _classes(element: HtmlElement) -> list[str]:
    return (element.get("class") or "").split()


def _form(element: HtmlElement) -> str:
    """The element's markup without its words: tag names and attributes other than link addresses."""
    parts = []
    for tag in element.iterdescendants():
        if not isinstance(tag.tag, str):
            continue
        attributes = " ".join(f"{name}={value}" for name, value in sorted(tag.attrib.items())
                              if name not in ("href", "id"))
        parts.append(f"<{tag.tag} {attributes}>" if attributes else f"<{tag.tag}>")
    return "".join(parts)


class PageBlocks:
    """Reads rendered pages into blocks; `address(href)` gives a link's address as readers are told it."""

    def __init__(self, address: Callable[[str], str] = lambda href: href) -> None:
        self.address = address
        self.section = INTRODUCTION

    def read(self, page_html: str) -> tuple[Block, ...]:
        if not page_html.strip():
            return ()
        import lxml.html  # 4 MiB, only where pages are compared

        root = lxml.html.fragment_fromstring(page_html, create_parent="div")
        for element in list(root.iter()):
            if not isinstance(element.tag, str) or element.tag in _LEFT_OUT or "headerlink" in _classes(element):
                element.drop_tree()
        self.section = INTRODUCTION
        return tuple(self._children(root, 0))

    def _links(self, element: HtmlElement) -> tuple[tuple[str, str], ...]:
        return tuple((_text(link), self.address(str(link.get("href"))))
                     for link in element.iter("a") if link.get("href") is not None and _text(link))

    def _paragraph(self, element: HtmlElement, kind: str = "paragraph") -> Iterator[Block]:
        if text := _text(element):
            yield Block(kind, self.section, text, links=self._links(element), form=_form(element))

    def _children(self, parent: HtmlElement, depth: int) -> Iterator[Block]:
        loose = [parent.text or ""]
        for child in parent:
            if isinstance(child.tag, str) and (child.tag in CONTAINERS or child.find(".//p") is not None):
                if text := _squash(" ".join(loose)):
                    yield Block("paragraph", self.section, text)
                loose = []
                yield from self._element(child, depth)
            else:  # inline: part of the loose text around it
                loose.append(" ".join(child.itertext()) if isinstance(child.tag, str) else "")
            loose.append(child.tail or "")
        if text := _squash(" ".join(loose)):
            yield Block("paragraph", self.section, text)

    def _element(self, element: HtmlElement, depth: int) -> Iterator[Block]:
        name, classes = element.tag, _classes(element)
        if name in HEADINGS:
            self.section = _text(element) or self.section
        elif name in ("ul", "ol"):
            yield from self._list(element, depth)
        elif name == "table":
            yield from self._table(element)
        elif name == "pre" or "highlight" in classes:
            code = element.find(".//code")
            source = (code if code is not None else element).text_content()
            lines = tuple(line.rstrip() for line in source.rstrip("\n").split("\n"))
            yield Block("code", self.section, "\n".join(lines), lines=lines)
        elif "procedures-local" in classes:
            yield self._box(element, "local", "procedures-local__title", str(element.get("data-board") or ""))
        elif "admonition" in classes or name == "details":
            kind = next((c for c in classes if c not in ("admonition", "inline", "end")), "note")
            yield self._box(element, "note", "admonition-title", kind)
        elif name == "dl":
            for child in element:
                if isinstance(child.tag, str):
                    yield from self._element(child, depth)
        elif name == "blockquote":
            yield from self._paragraph(element, "quote")
        elif name in ("p", "dt", "dd", "figcaption", "caption"):
            yield from self._paragraph(element)
        elif any(isinstance(child.tag, str) and child.tag in CONTAINERS for child in element.iter()
                 if child is not element):
            yield from self._children(element, depth)
        else:
            yield from self._paragraph(element)

    def _box(self, element: HtmlElement, kind: str, title_class: str, variant: str) -> Block:
        label = ""
        for title in element.iter():
            if title is not element and (title_class in _classes(title) or title.tag == "summary"):
                for tag in [t for t in title.iter() if "procedures-local__tag" in _classes(t)]:
                    tag.drop_tree()
                label = _text(title)
                title.drop_tree()
                break
        return Block(kind, self.section, _text(element), links=self._links(element), form=_form(element),
                     label=label, variant=variant)

    def _list(self, element: HtmlElement, depth: int) -> Iterator[Block]:
        ordered = element.tag == "ol"
        start = str(element.get("start", "1"))
        number = int(start) if start.isdigit() else 1
        for item in element:
            if item.tag != "li":
                continue
            nested = [child for child in item if child.tag in ("ul", "ol")]
            for inner in nested:
                inner.drop_tree()
            yield Block("item", self.section, _text(item), links=self._links(item), form=_form(item),
                        ordered=ordered, number=number if ordered else None, depth=depth)
            number += 1
            for inner in nested:
                yield from self._list(inner, depth + 1)

    def _table(self, element: HtmlElement) -> Iterator[Block]:
        for row in element.iter("tr"):
            cells = [cell for cell in row if cell.tag in ("th", "td")]
            texts = tuple(_text(cell) for cell in cells)
            heading = bool(cells) and all(cell.tag == "th" for cell in cells)
            yield Block("row", self.section, " ".join(texts), cells=texts, links=self._links(row),
                        form=_form(row), label="th" if heading else "")
