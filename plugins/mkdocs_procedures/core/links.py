"""Links between pages, checked without building: missing pages and anchors, with the nearest ones."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from .overlays import headings_of
from .problems import Problem, did_you_mean

_INLINE_LINK = re.compile(r"(?<!!)\[(?:[^\]\\]|\\.)*\]\((?P<target><[^>]*>|[^)\s]+)(?:\s+\"[^\"]*\")?\)")
_FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})", re.M)
_EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//|/)", re.I)


@dataclass(frozen=True)
class Link:
    target: str
    line: int


def links_in(markdown: str, first_line: int = 1) -> list[Link]:
    """Inline links outside fenced code, with the line each stands on."""
    found = []
    inside = False
    for line_number, line in enumerate(markdown.split("\n")):
        if _FENCE.match(line):
            inside = not inside
        elif not inside:
            for match in _INLINE_LINK.finditer(line):
                found.append(Link(match.group("target").strip("<>"), first_line + line_number))
    return found


def rewrite_links(markdown: str, rewrite: Callable[[str], str]) -> str:
    """`markdown` with each relative inline link target replaced by `rewrite(target)`."""
    def replace(match: re.Match[str]) -> str:
        target = match.group("target").strip("<>")
        if _EXTERNAL.match(target) or target.startswith("#"):
            return match.group(0)
        return match.group(0).replace(match.group("target"), rewrite(target), 1)

    return _INLINE_LINK.sub(replace, markdown)


def check_links(path: str, markdown: str, first_line: int, page_uri: str,
                pages: Mapping[str, str], exists: Callable[[str], bool]) -> list[Problem]:
    """Problems with the internal links of one page.

    `page_uri` is where the page is published (relative to its site's docs); `pages` maps each page's
    uri to its Markdown body (for anchors); `exists(uri)` says whether another file exists there.
    """
    problems = []
    for link in links_in(markdown, first_line):
        if _EXTERNAL.match(link.target):
            continue
        target, _, anchor = link.target.partition("#")
        uri = posixpath.normpath(posixpath.join(posixpath.dirname(page_uri), target)) if target else page_uri
        if target and uri not in pages and not exists(uri):
            choices = [candidate for candidate in pages if candidate.endswith(".md")]
            hint = did_you_mean(posixpath.relpath(uri), choices)
            problems.append(Problem(path, link.line, f"link to `{link.target}`: no page `{uri}`; {hint}"))
            continue
        if anchor and uri in pages:
            anchors = [heading.anchor for heading in headings_of(pages[uri])]
            if anchor not in anchors:
                problems.append(Problem(path, link.line, f"link to `{link.target}`: anchor `#{anchor}` not found "
                                        f"in {uri}; {did_you_mean(anchor, anchors)}"))
    return problems
