"""Board text rendered on its own, the way MkDocs renders the page it is shown on.

A local block goes into a regional page as HTML, rendered apart from the page and cleaned
(`render/sanitise.py`), so nothing a board writes can reach the page's own Markdown: its headings, ids,
anchors or the marks between boards. It is rendered with the site's Markdown extensions and with
MkDocs' own link handling for the page, so a link in a block is resolved, re-pointed and checked as a
link in the page is (MkDocs 1.6 is its last 1.x release: the private treeprocessor used here will not
change under us).
"""

from __future__ import annotations

from collections.abc import Callable

import markdown
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page, _RelativePathTreeprocessor


class BlockMarkdown:
    def __init__(self, config: MkDocsConfig, files: Files) -> None:
        self.config = config
        self.files = files
        self._links: dict[str, _RelativePathTreeprocessor] = {}

    def for_page(self, file: File) -> Callable[[str], str]:
        """Renders a block's Markdown as if it stood in `file`'s page; made on first use (few pages have
        blocks of every board, most have none)."""
        made: list[markdown.Markdown] = []

        def render(text: str) -> str:
            if not made:
                md = markdown.Markdown(extensions=self.config.markdown_extensions,
                                       extension_configs=self.config.mdx_configs or {})
                links = _RelativePathTreeprocessor(file, self.files, self.config)
                links._register(md)
                self._links[file.src_uri] = links
                made.append(md)
            return made[0].reset().convert(text)

        return render

    def checked_with(self, page: Page) -> None:
        """Give MkDocs the links to other pages' anchors found in `page`'s blocks, to check with the page's own."""
        links = self._links.pop(page.file.src_uri, None)
        if links is None or page.links_to_anchors is None:
            return
        for target, anchors in links.links_to_anchors.items():
            page.links_to_anchors.setdefault(target, {}).update(anchors)
