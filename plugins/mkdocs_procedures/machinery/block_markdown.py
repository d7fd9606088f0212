"""Board text rendered on its own, the way MkDocs renders the page it is shown on.

A local block goes into a regional page as HTML, rendered apart from the page and cleaned
(`render/sanitise.py`), so nothing a board writes can reach the page's own Markdown: its headings, ids,
anchors or the marks between boards. It is rendered with the site's Markdown extensions and with
MkDocs' own link handling for the page, so a link in a block is resolved, re-pointed and checked as a
link in the page is (MkDocs 1.6 is its last 1.x release: the private treeprocessor used here will not
change under us).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import markdown
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page, _RelativePathTreeprocessor

from ..core.overlays import LocalBlock
from .kept_renders import KeptBlocks, KeptRenders

_PAGES_LOG = logging.getLogger("mkdocs.structure.pages")


class _BlockLinks(logging.Filter):
    """Puts the block's file and line before MkDocs' message about a link in it."""

    def __init__(self, block: LocalBlock) -> None:
        super().__init__()
        self.block = block

    def filter(self, record: logging.LogRecord) -> bool:
        target = str(record.args[1]) if isinstance(record.args, tuple) and len(record.args) > 1 else ""
        lines = self.block.markdown.split("\n")
        offset = next((index for index, line in enumerate(lines) if target and target in line), 0)
        record.msg = f"{self.block.path}:{self.block.line + 1 + offset}: {record.msg}"
        return True


class BlockMarkdown:
    def __init__(self, config: MkDocsConfig, files: Files, kept: KeptRenders | None = None) -> None:
        self.config = config
        self.files = files
        self.kept = kept
        self._made: tuple[markdown.Markdown, _RelativePathTreeprocessor] | None = None
        self._anchor_links: dict[str, dict[File, dict[str, str]]] = {}
        self._kept_blocks: dict[str, KeptBlocks] = {}

    def _markdown(self, file: File) -> markdown.Markdown:
        """One Markdown for every block of the build (made on first use: most pages have no block), its
        links resolved from `file`'s page."""
        if self._made is None:
            md = markdown.Markdown(extensions=self.config.markdown_extensions,
                                   extension_configs=self.config.mdx_configs or {})
            links = _RelativePathTreeprocessor(file, self.files, self.config)
            links._register(md)
            self._made = md, links
        md, links = self._made
        links.file = file
        return md

    def _convert(self, file: File, text: str, files: Files) -> tuple[str, dict[File, dict[str, str]]]:
        """A block's HTML, and the links to anchors in it; its links looked up among `files`."""
        md = self._markdown(file)
        assert self._made is not None
        links = self._made[1]
        links.files, links.links_to_anchors = files, {}
        return md.reset().convert(text), links.links_to_anchors

    def for_page(self, file: File) -> Callable[[str, LocalBlock], str]:
        """Renders a block's Markdown as if it stood in `file`'s page. What MkDocs says of its links names
        the block's own file and line, where its board admin can mend it. A block rendered for the page by
        an earlier build, reading what it read then, is given as it was (`kept_renders.py`)."""
        kept = self.kept.blocks_of(file) if self.kept is not None else None
        if kept is not None:
            self._kept_blocks[file.src_uri] = kept
        page_anchor_links = self._anchor_links.setdefault(file.src_uri, {})

        def render(text: str, block: LocalBlock) -> str:
            where = _BlockLinks(block)
            _PAGES_LOG.addFilter(where)
            try:
                if kept is None:
                    html, anchor_links = self._convert(file, text, self.files)
                else:
                    html, anchor_links = kept.render(text, self.files,
                                                     lambda files: self._convert(file, text, files))
            finally:
                _PAGES_LOG.removeFilter(where)
            for target, anchors in anchor_links.items():
                for anchor, link in anchors.items():
                    page_anchor_links.setdefault(target, {}).setdefault(anchor, link)
            return html

        return render

    def checked_with(self, page: Page) -> None:
        """Give MkDocs the links to other pages' anchors found in `page`'s blocks, to check with the page's own."""
        kept = self._kept_blocks.pop(page.file.src_uri, None)
        if kept is not None:
            kept.save()
        found = self._anchor_links.pop(page.file.src_uri, None)
        if not found or page.links_to_anchors is None:
            return
        for target, anchors in found.items():
            page.links_to_anchors.setdefault(target, {}).update(anchors)
