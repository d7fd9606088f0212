"""Links between pages, as written in Markdown: re-pointed when a page is published in another place."""

from __future__ import annotations

import re
from collections.abc import Callable

_INLINE_LINK = re.compile(r"(?<!!)\[(?:[^\]\\]|\\.)*\]\((?P<target><[^>]*>|[^)\s]+)(?:\s+\"[^\"]*\")?\)")
_EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//|/)", re.I)


def rewrite_links(markdown: str, rewrite: Callable[[str], str]) -> str:
    """`markdown` with each relative inline link target replaced by `rewrite(target)`."""
    def replace(match: re.Match[str]) -> str:
        target = match.group("target").strip("<>")
        if _EXTERNAL.match(target) or target.startswith("#"):
            return match.group(0)
        return match.group(0).replace(match.group("target"), rewrite(target), 1)

    return _INLINE_LINK.sub(replace, markdown)
