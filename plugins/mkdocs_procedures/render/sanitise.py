"""Board content as HTML that can do no harm: what a board admin writes, cleaned before anyone reads it.

Board admins own only their board's folder. What they write is Markdown with a safe subset of HTML:
text, lists, tables, links, images from the site, `details`, admonitions and quotes. Everything else
goes: scripts and what they hide in (event handlers, `javascript:` links, `style`, forms, frames,
`svg`), comments (so no board text can ever look like the marks the build puts between boards), ids
and `data-` attributes (so no board text can take a regional anchor or pass for the build's own
markup), and unbalanced tags (the cleaner writes the fragment anew, every tag closed in place). A
board's local block also loses its headings (their text stays), so it can never add to the page's
table of contents; a board's own page keeps its headings and their anchors.

The cleaning is done by `nh3`, the Python binding of the Ammonia sanitiser, with the allow-lists below.
"""

from __future__ import annotations

import nh3

_TEXT = {
    "p", "br", "hr", "strong", "em", "b", "i", "u", "s", "del", "ins", "mark", "small", "sub", "sup", "abbr",
    "time", "code", "pre", "kbd", "samp", "blockquote", "q", "cite", "span", "div",
    "ul", "ol", "li", "dl", "dt", "dd",
    "table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td",
    "a", "img", "figure", "figcaption", "details", "summary",
}
_HEADINGS = {"h2", "h3", "h4", "h5", "h6"}
_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"colspan", "rowspan", "scope", "align"},
    "td": {"colspan", "rowspan", "align"},
    "ol": {"start"},
    "abbr": {"title"},
    "time": {"datetime"},
    "details": {"open"},
    "col": {"span"},
    "colgroup": {"span"},
}
_ADMONITION_KINDS = {"note", "abstract", "summary", "tldr", "info", "todo", "tip", "hint", "important", "success",
                     "check", "done", "question", "help", "faq", "warning", "caution", "attention", "failure",
                     "fail", "missing", "danger", "error", "bug", "example", "quote", "cite"}
_CLASSES = {
    "div": {"admonition", *_ADMONITION_KINDS},
    "details": _ADMONITION_KINDS,
    "p": {"admonition-title"},
    "span": {"procedures-value"},
    "a": {"procedures-value"},  # a board's phone number or e-mail address, as a link to call or write
}
_LINK_SCHEMES = {"http", "https", "mailto", "tel"}
_NEVER_SHOWN = {"script", "style", "template", "textarea", "select", "option", "iframe", "object", "noscript",
                "svg", "math"}
"""Elements dropped with everything inside them: their content is not text a reader should see."""


def _attribute(tag: str, name: str, value: str) -> str | None:
    """Images come from the site only: an `img` whose address names a scheme or another host is dropped."""
    if tag == "img" and name == "src" and (value.startswith("//") or ":" in value.split("/", 1)[0]):
        return None
    return value


def _clean(html: str, tags: set[str], attributes: dict[str, set[str]], classes: dict[str, set[str]]) -> str:
    return nh3.clean(html, tags=tags, clean_content_tags=_NEVER_SHOWN, attributes=attributes,
                     allowed_classes=classes, url_schemes=_LINK_SCHEMES, attribute_filter=_attribute,
                     strip_comments=True, link_rel=None)


def block_html(html: str) -> str:
    """A local block's rendered HTML, cleaned; headings become their text."""
    return _clean(html, _TEXT, _ATTRIBUTES, _CLASSES)


def board_page_html(html: str) -> str:
    """A board-only page's rendered HTML, cleaned; its headings keep their anchors and permalinks."""
    return _clean(html, _TEXT | _HEADINGS, {**_ATTRIBUTES, **{heading: {"id"} for heading in _HEADINGS}},
                  {**_CLASSES, "a": {"headerlink", "procedures-value"}})
