"""Chapters of the manual: their front matter, read with line numbers and validated.

A chapter's front matter says what the chapter is (`title`, a stable `id`), whether it is in force
(`status`), who looks after it (`owner`) and when it was and will be reviewed. Everything here is plain
Python over text, so the command-line tools and the MkDocs plugin share one schema.
"""

from __future__ import annotations

import datetime as dt
import functools
import posixpath
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from .located_yaml import LocatedYamlError, load_located
from .problems import Problem, Severity, did_you_mean

# The same delimiters MkDocs accepts (mkdocs.utils.meta), so both read the same block.
_FRONT_MATTER = re.compile(r"\A-{3}[ \t]*\n(?P<yaml>.*?)^(?:-{3}|\.{3})[ \t]*\n?", re.S | re.M)

# Keys MkDocs, Material for MkDocs and its built-in plugins (blog, tags, social) understand themselves;
# accepted without a warning.
THEME_FIELDS = frozenset(
    {"description", "hide", "icon", "search", "subtitle", "tags", "template", "social", "comments",
     "date", "authors", "categories", "draft", "pin", "links", "readtime", "slug"}
)
CHAPTER_FIELDS = frozenset(
    {"title", "id", "status", "owner", "last_reviewed", "next_review", "previous_paths", "replaces"}
)
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
"""Control characters but tab and line feed (YAML gives a title the second)."""


class Status(StrEnum):
    CURRENT = "current"
    UNDER_REVIEW = "under-review"


@dataclass(frozen=True)
class Chapter:
    """One regional page of the manual, as its front matter describes it."""

    path: str
    """Source path relative to the docs folder, with forward slashes (`responding/referrals.md`)."""
    id: str
    title: str
    status: Status = Status.CURRENT
    owner: str | None = None
    last_reviewed: dt.date | None = None
    next_review: dt.date | None = None
    previous_paths: tuple[str, ...] = ()
    """Where the file was before a move git did not see as a rename (paths from the folder holding
    mkdocs.yml, like `docs/old/name.md`): its history there is this chapter's."""
    replaces: tuple[str, ...] = ()
    """Chapters withdrawn in favour of this one (their paths from the folder holding mkdocs.yml): their
    old addresses say so and link here."""
    field_lines: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)

    @property
    def under_review(self) -> bool:
        return self.status is Status.UNDER_REVIEW

    def line_of(self, name: str) -> int | None:
        return self.field_lines.get(name)


@dataclass(frozen=True)
class FrontMatter:
    """The YAML block at the top of a Markdown file, with the line each key stands on."""

    values: dict[str, Any]
    lines: dict[str, int]
    body: str
    body_line: int
    """The line of the file on which the body starts (1-based)."""


class FrontMatterError(ValueError):
    def __init__(self, line: int | None, message: str) -> None:
        self.line = line
        super().__init__(message)


@functools.lru_cache(maxsize=2048)
def split_front_matter(text: str) -> FrontMatter:
    """`read_front_matter` for the manual's own files, kept by text: a page is read as a chapter and then
    for its body, and `mkdocs serve` reads every file again on each rebuild. The result is shared: callers
    read it and never change it. Earlier versions from the history go through `read_front_matter`, so
    that they do not fill the memory."""
    return read_front_matter(text)


def read_front_matter(text: str) -> FrontMatter:
    """Split `text` into its front matter (with key lines) and the Markdown body."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return FrontMatter({}, {}, text, 1)
    body_line = text.count("\n", 0, match.end()) + 1
    try:
        # Line 1 holds the opening `---`, so the YAML starts on line 2.
        located = load_located(match.group("yaml"), first_line=2)
    except LocatedYamlError as error:
        raise FrontMatterError(error.line, f"front matter: {error}") from error
    values = located.values if located.values is not None else {}
    if not isinstance(values, dict):
        raise FrontMatterError(2, "front matter must be a mapping of `field: value` lines")
    lines = {key: line for key, line in located.lines.items() if "." not in key}
    return FrontMatter(values, lines, text[match.end():], body_line)


_ATX_H1 = re.compile(r"^#[ \t]+(?P<text>.+?)[ \t#]*$")
_SETEXT_H1 = re.compile(r"^=+[ \t]*$")
_FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})")


def first_heading(body: str) -> str | None:
    """The text of a Markdown body's first level-1 heading (`# Title`, or underlined with `===`)."""
    previous = ""
    fenced = False
    for line in body.split("\n"):
        if _FENCE.match(line):
            fenced = not fenced
        elif not fenced:
            if match := _ATX_H1.match(line):
                return match.group("text").strip()
            if _SETEXT_H1.match(line) and previous.strip():
                return previous.strip()
        previous = line
    return None


def title_from_file_name(src_uri: str) -> str:
    """MkDocs' own last resort for a page's title: its file name (an index page: its folder's)."""
    name = default_id(src_uri) if posixpath.basename(src_uri).split(".")[0] in ("index", "README") else \
        posixpath.splitext(posixpath.basename(src_uri))[0]
    if name == "home":
        return "Home"
    title = name.replace("-", " ").replace("_", " ")
    return title.capitalize() if title.lower() == title else title


def nav_titles(nav: Any) -> dict[str, str]:
    """Each page's title as the navigation gives it (`- Title: part/page.md`), by its path in the docs."""
    titles: dict[str, str] = {}
    items = nav if isinstance(nav, list) else [nav]
    for item in items:
        if isinstance(item, dict):
            for title, value in item.items():
                if isinstance(value, str):
                    titles.setdefault(value, str(title))
                else:
                    for path, found in nav_titles(value).items():
                        titles.setdefault(path, found)
    return titles


def read_chapter(
    path: str, text: str, src_uri: str | None = None, nav_title: str | None = None,
    theme_statuses: Iterable[str] = (),
) -> tuple[Chapter | None, list[Problem]]:
    """Read and validate one page's front matter; the chapter is None when it has errors.

    `path` names the file in problems; `src_uri` (relative to the docs folder) gives the default id.
    Without a `title`, the page's first `# heading` is its title, then `nav_title` (its title in the
    navigation), then its file name, as MkDocs has it. A `status` is ours (`current`, `under-review`)
    or one of `theme_statuses` (those defined under `extra.status` in mkdocs.yml: Material's).
    """
    try:
        front = split_front_matter(text)
    except FrontMatterError as error:
        return None, [Problem(path, error.line, str(error))]
    values, lines = front.values, front.lines
    problems: list[Problem] = []

    def field_error(name: str, message: str) -> None:
        problems.append(Problem(path, lines.get(name, 1), f"field `{name}`: {message}"))

    title = values.get("title")
    if "title" not in values:
        title = first_heading(front.body) or nav_title or title_from_file_name(src_uri or path)
    elif not isinstance(title, str) or not title.strip():
        field_error("title", f"expected text, found {_describe(title)}")
    elif control := _CONTROL.search(title):
        # It would go as it is into every page's navigation and title (NUL, escape codes, ...).
        field_error("title", f"expected text without control characters, found U+{ord(control.group()):04X}")

    chapter_id = values.get("id", default_id(src_uri or path))
    if not isinstance(chapter_id, str) or not _ID.match(chapter_id):
        field_error(
            "id",
            f"expected lower-case letters, digits and hyphens (like `making-a-referral`), "
            f"found {_describe(chapter_id)}",
        )

    status_value = values.get("status", Status.CURRENT.value)
    statuses = [status.value for status in Status]
    theme_statuses = [str(name) for name in theme_statuses if name not in statuses]
    if status_value in theme_statuses:
        status_value = Status.CURRENT.value  # Material's page status: Material shows it, the chapter is current
    elif status_value not in statuses:
        theirs = (f", or one of Material's statuses defined under `extra.status` in mkdocs.yml "
                  f"({', '.join(f'`{name}`' for name in theme_statuses)})" if theme_statuses else "")
        field_error("status", f"expected `current` or `under-review`{theirs}, found {_describe(status_value)}; "
                    + did_you_mean(str(status_value), [*statuses, *theme_statuses]))

    owner = values.get("owner")
    if owner is not None and (not isinstance(owner, str) or not owner.strip()):
        field_error("owner", f"expected the name of a person or group, found {_describe(owner)}")

    dates: dict[str, dt.date | None] = {}
    for name in ("last_reviewed", "next_review"):
        value = values.get(name)
        if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
            dates[name] = value
        else:
            dates[name] = None
            field_error(
                name, f"expected a date written YYYY-MM-DD (like 2026-11-23), found {_describe(value)}"
            )

    previous = values.get("previous_paths", [])
    if not isinstance(previous, list) or not all(isinstance(item, str) and item.strip().endswith(".md")
                                                 for item in previous):
        field_error("previous_paths", "expected a list of the paths this file had before, from the folder "
                    f"holding mkdocs.yml (like `- docs/old-part/{posixpath.basename(path)}`), found "
                    f"{_describe(previous)}")
        previous = []

    replaces = values.get("replaces", [])
    if not isinstance(replaces, list) or not all(isinstance(item, str) and item.strip().endswith(".md")
                                                 for item in replaces):
        field_error("replaces", "expected a list of the withdrawn chapters this one replaces, by their paths from "
                    "the folder holding mkdocs.yml (like `- docs/old-part/old-chapter.md`), found "
                    f"{_describe(replaces)}")
        replaces = []

    last, following = dates["last_reviewed"], dates["next_review"]
    if last is not None and following is not None and following < last:
        field_error("next_review", f"{following.isoformat()} is before `last_reviewed` ({last.isoformat()}); "
                    "expected the next review after the last one")

    for name in values:
        if name not in CHAPTER_FIELDS and name not in THEME_FIELDS:
            known = sorted(CHAPTER_FIELDS | THEME_FIELDS)
            problems.append(
                Problem(
                    path,
                    lines.get(name),
                    f"unknown field `{name}` is ignored; {did_you_mean(str(name), known)}",
                    Severity.WARNING,
                )
            )

    if any(problem.severity is Severity.ERROR for problem in problems):
        return None, problems
    chapter = Chapter(
        path=path,
        id=str(chapter_id),
        title=str(title).strip(),
        status=Status(status_value),
        owner=owner.strip() if isinstance(owner, str) else None,
        last_reviewed=dates["last_reviewed"],
        next_review=dates["next_review"],
        previous_paths=tuple(item.strip().strip("/") for item in previous),
        replaces=tuple(item.strip().strip("/") for item in replaces),
        field_lines=lines,
    )
    return chapter, problems


def default_id(src_uri: str) -> str:
    """A chapter's id when its front matter gives none: the file stem (`index` pages: the folder), written
    with lower-case letters, digits and hyphens (`mkdocs-2.0.md` is `mkdocs-2-0`).

    `src_uri` is relative to the docs folder, so the manual's own `index.md` is `home`.
    """
    path = src_uri
    stem = posixpath.splitext(posixpath.basename(path))[0]
    if stem in ("index", "README"):
        stem = posixpath.basename(posixpath.dirname(path)) or "home"
    return re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-") or "page"


def duplicate_ids(chapters: Iterable[Chapter]) -> list[Problem]:
    """An error for every chapter whose id an earlier chapter already uses."""
    first_by_id: dict[str, Chapter] = {}
    problems = []
    for chapter in chapters:
        first = first_by_id.setdefault(chapter.id, chapter)
        if first is chapter:
            continue
        if chapter.line_of("id") is None and first.line_of("id") is None:
            own = re.sub(r"[^a-z0-9]+", "-", posixpath.splitext(chapter.path.split("/", 1)[-1])[0].lower()).strip("-")
            problems.append(Problem(chapter.path, 1, f"`{chapter.id}` is the id both {first.path} and this file "
                                    "take from their file names; give one of them its own in its front matter, "
                                    f"for example `id: {own}`"))
        else:
            problems.append(Problem(chapter.path, chapter.line_of("id") or 1,
                                    f"field `id`: `{chapter.id}` is already the id of {first.path}; "
                                    "expected an id no other chapter uses"))
    return problems


def _describe(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"`{str(value).lower()}` (yes/no)"
    if isinstance(value, dt.datetime):
        return f"`{value.isoformat()}` (a date with a time)"
    if isinstance(value, str):
        return f"`{value}`"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"`{value}` ({type(value).__name__})"
