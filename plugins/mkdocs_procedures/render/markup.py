"""Markup the plugin adds to pages, rendered from the Jinja templates shipped in `templates/`.

Nothing here knows about MkDocs: it turns domain objects into HTML (or Markdown) fragments and puts
them in the right place of a page's rendered content.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources

import jinja2
from markupsafe import Markup, escape

from ..core.amendments import uk_date
from ..core.boards import Board
from ..core.chapters import Chapter
from ..core.schedule import RecentMark
from ..core.stamp import PrintStamp, StampWording, format_moment
from .sheet_marks import plain_text

VALUE_START, VALUE_END = "\ufdd0", "\ufdd1"
"""Around a regional page's value wording until the search has read the page (two Unicode noncharacters,
which no text holds): each board's index puts the board's own value there (`search_index.py`)."""

TEMPLATES_VERSION = hashlib.sha1(b"".join(
    template.read_bytes() for template in sorted(resources.files("mkdocs_procedures.render").joinpath("templates")
                                                 .iterdir(), key=lambda template: template.name)
)).hexdigest()
"""Changes with any of the plugin's templates: what was rendered with other templates is not reused."""
_SLOT = re.compile("\x00([a-z_]+)\x00")
_END_OF_TITLE = re.compile(r"</h1\s*>", re.I)
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()!|])")
"""Characters Markdown (and its `attr_list` and `tables` extensions) would read as syntax in a value's text."""


@dataclass(frozen=True)
class ContentsEntry:
    title: str
    url: str
    """The chapter's address below the site's root (`responding/referrals/`)."""
    under_review: bool
    chapter_id: str | None = None


@dataclass(frozen=True)
class Part:
    """A part of the manual: a titled group of chapters, as the navigation lists them."""

    title: str
    chapters: Sequence[ContentsEntry]


def _contents_slot(index: int) -> str:
    return f"<!--procedures:contents-{index}-->"


def markdown_text(text: str) -> Markup:
    """Text that Markdown shows as it is, in one line: HTML-escaped, its syntax characters backslashed.

    Board values go into the page's Markdown before it is rendered; written this way, a value such as
    `[call](javascript:...)` or `{: onclick=... }` is shown, not made into a link or an attribute.
    """
    escaped = str(Markup.escape(" ".join(str(text).split())))
    return Markup(_MARKDOWN_SPECIAL.sub(r"\\\1", escaped))


def insert_after_title(html: str, fragment: str) -> str:
    """Put `fragment` right below the page's `<h1>`, or first when the theme adds the title itself."""
    match = _END_OF_TITLE.search(html)
    if match is None:
        return fragment + html
    return html[: match.end()] + fragment + html[match.end():]


def value_html(path: str, value: str, shown: str) -> str:
    """A board's value on the board's pages, `shown` being its text as HTML: a phone number is a link to call
    it and an e-mail address a link to write to it (their addresses made from `value`, the plain text)."""
    if path.endswith(".phone") and len(number := re.sub(r"[^0-9+]", "", value)) >= 6:
        return f'<a class="procedures-value" href="tel:{number}">{shown}</a>'
    if path.endswith(".email") and re.fullmatch(r"[^@\s\"'<>&]+@[^@\s\"'<>&]+", value):
        return f'<a class="procedures-value" href="mailto:{value}">{shown}</a>'
    return f'<span class="procedures-value">{shown}</span>'


def without_value_marks(html: str) -> str:
    return html.replace(VALUE_START, "").replace(VALUE_END, "") if VALUE_START in html else html


def insert_in_head(html: str, fragment: str) -> str:
    """Put `fragment` at the end of the page's `<head>` (nowhere on a page without one)."""
    return html.replace("</head>", fragment + "</head>", 1)


class PageMarkup:
    """Renders the plugin's fragments; one per build, so templates are compiled once."""

    def __init__(self, wording: StampWording, stamp_on_screen: bool = False,
                 compiled_templates: jinja2.BytecodeCache | None = None) -> None:
        self.wording = wording
        self.stamp_on_screen = stamp_on_screen
        self.environment = jinja2.Environment(
            loader=jinja2.PackageLoader("mkdocs_procedures.render", "templates"),
            autoescape=jinja2.select_autoescape(["html", "xml"]),
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=True,
            bytecode_cache=compiled_templates,
            # Made for one build, in which no template changes: not asking the disk whether each changed every
            # time it is used (thousands of times a build: a `stat` of its file each).
            auto_reload=False,
        )
        self.environment.filters["markdown_text"] = markdown_text
        self.frames: dict[tuple[object, ...], str] = {}
        wording_environment = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
        self._printed = wording_environment.from_string(wording.template)
        self._built = wording_environment.from_string(wording.fallback_template)

    def local_block(self, board: Board, content: str, title: str | None, hidden: bool) -> str:
        """A board's local box: its title and its content, HTML already cleaned (`sanitise.block_html`)."""
        return self.environment.get_template("local_block.html").render(
            board=board, content=Markup(content), title=title, hidden=hidden
        ).rstrip("\n")

    def board_value(self, path: str, value: str) -> str:
        return value_html(path, value, markdown_text(value))

    def regional_value(self, path: str, regional: str, local: Sequence[tuple[str, str]]) -> str:
        """A board value on a regional page: its regional wording, marked for the search index (the marks
        are taken out once the search has read the page), and every board's own, kept out of the search."""
        return self._render_line("board_value.html", path=path, value=None, regional=regional, local=local,
                                 mark=(VALUE_START, VALUE_END))

    def board_selector(self, place: str, label: str, boards: Sequence[Board],
                       links: Sequence[tuple[Board, str]]) -> str:
        return self.environment.get_template("board_selector.html").render(
            place=place, label=label, boards=boards, links=links
        )

    def board_note(self, board: Board, regional_href: str | None, contacts_href: str | None = None) -> str:
        return self.environment.get_template("board_note.html").render(board=board, regional_href=regional_href,
                                                                       contacts_href=contacts_href)

    def render(self, name: str, **variables: object) -> str:
        """Any of the plugin's templates, by file name."""
        return self.environment.get_template(name).render(**variables)

    def render_filled(self, name: str, fixed: Mapping[str, str], **variables: object) -> str:
        """`render(name, **fixed, **variables)` for a template rendered thousands of times with `fixed` the
        same: rendered once with a slot for each of `variables`, then the slots filled, each value escaped
        as the template escapes it. Only a template (and those it extends or includes) that does nothing
        with those values but write them (`{{ value }}`: no test, filter or loop) is filled; the first
        rendering is also checked against the template's own. Any other is rendered every time."""
        key = (name, tuple(sorted(fixed.items())), tuple(sorted(variables)))
        frame = self.frames.get(key)
        if frame == "":
            return self.render(name, **fixed, **variables)
        if frame is None:
            rendered = self.render(name, **fixed, **variables)
            slots = {variable: Markup(f"\x00{variable}\x00") for variable in variables}
            frame = self.render(name, **fixed, **slots) if self._only_written(name, set(variables)) else ""
            usable = all(str(slot) in frame for slot in slots.values()) and _filled(frame, variables) == rendered
            self.frames[key] = frame if usable else ""
            return rendered
        return _filled(frame, variables)

    def _only_written(self, name: str, variables: set[str], seen: frozenset[str] = frozenset()) -> bool:
        """Whether the template `name` and those it uses only write `variables` as they are."""
        source, _, _ = self.environment.loader.get_source(self.environment, name)  # type: ignore[union-attr]
        tree = self.environment.parse(source)
        written = {id(child) for output in tree.find_all(jinja2.nodes.Output) for child in output.nodes
                   if isinstance(child, jinja2.nodes.Name)}
        if any(node.name in variables and id(node) not in written for node in tree.find_all(jinja2.nodes.Name)):
            return False
        used = [getattr(node, "template", None) for node in tree.find_all(
            (jinja2.nodes.Extends, jinja2.nodes.Include, jinja2.nodes.Import, jinja2.nodes.FromImport))]
        names = [other.value for other in used if isinstance(other, jinja2.nodes.Const)]
        if len(names) != len(used) or not all(isinstance(other, str) for other in names):
            return False  # a template named at render time: not known here
        return all(other not in seen and self._only_written(other, variables, seen | {name}) for other in names)

    def _render_line(self, name: str, **variables: object) -> str:
        return self.environment.get_template(name).render(**variables).strip("\n")

    def print_stamp(self, stamp: PrintStamp) -> str:
        moment = Markup('<time class="procedures-stamp__moment"></time>')
        built_on = format_moment(stamp.built_at, self.wording.date_format)
        variables = {"url": stamp.url, "board": stamp.board_name}
        return self.environment.get_template("stamp.html").render(
            printed=Markup(self._printed.render(printed_on=moment, **variables)),
            built=Markup(self._built.render(built_on=built_on, **variables)),
            date_format=self.wording.date_format,
            on_screen=self.stamp_on_screen,
            board=stamp.board_name,
        )

    def built_wording(self, stamp: PrintStamp) -> str:
        """The stamp's words when no script runs (the build time), as plain text for the sheets' margins."""
        built_on = format_moment(stamp.built_at, self.wording.date_format)
        return plain_text(self._built.render(built_on=built_on, url=stamp.url, board=stamp.board_name))

    def under_review_banner(self, chapter: Chapter) -> str:
        return self.environment.get_template("under_review.html").render(chapter=chapter)

    def privacy_page(self, regional: bool, analytics: str | None) -> str:
        """A site's note on privacy and cookies, as Markdown: what the reader's browser keeps, and where."""
        return self.environment.get_template("privacy.md").render(regional=regional, analytics=analytics)

    def accessibility_statement(self, settings: object, site_name: str, site_url: str, board: Board | None,
                                board_contact: str | None, built: str) -> str:
        """A site's accessibility statement, as Markdown, from the manual's settings (and the board's)."""
        return self.environment.get_template("accessibility.md").render(
            settings=settings, site_name=site_name, site_url=site_url, board=board, board_contact=board_contact,
            built=built)

    def contents(self, parts: Sequence[Part], pdf_href: str | None = None, board: str | None = None) -> str:
        """The contents page's Markdown: each part's heading, and a slot for its list of chapters.

        Hundreds of links are no work for Markdown to do: `contents_lists` puts them in afterwards."""
        return self.environment.get_template("contents.md").render(parts=parts, pdf_href=pdf_href, board=board,
                                                                   slot=_contents_slot)

    def contents_lists(self, html: str, parts: Sequence[Part], page_url: str,
                       relative_url: Callable[[str, str], str],
                       mark: Callable[[ContentsEntry], tuple[RecentMark, dt.date] | None] = lambda entry: None,
                       ) -> str:
        """The contents page's HTML with each part's list of chapters, linked from the page at `page_url`,
        each marked "New" or "Updated" (with the day) as `mark` says."""
        template = self.environment.get_template("contents_list.html")
        for index, part in enumerate(parts):
            entries = [(entry, relative_url(entry.url, page_url), mark(entry)) for entry in part.chapters]
            html = html.replace(_contents_slot(index), template.render(entries=entries, uk_date=uk_date), 1)
        return html



def _filled(frame: str, values: Mapping[str, object]) -> str:
    """A frame's slots filled in one pass (a value holding a slot's name is not filled again)."""
    return _SLOT.sub(lambda slot: str(escape(values[slot.group(1)])), frame)
