"""The site's navigation, rendered by the theme once for each group of pages that show it alike.

Material writes the whole navigation into every page, and that is most of the time a build of a large
manual takes: each page walks every chapter of the manual through the theme's templates. Yet two
pages show the same navigation but for their own entries when

- they sit in the same section (the same sections are open and marked active), and
- their addresses sit in the same folder (every other link is written relative to that folder alike),
  with no other page's address below either of them.

So the first page of such a group has its navigation rendered by the theme's own template, and each
entry of the group in it is located by rendering that entry with the theme's own macro. Each later
page of the group takes that navigation with two entries rendered again: its own, marked as the page
shown (with its table of contents), and the first page's, no longer marked. Every entry, the marks
and the links are the theme's own output, so what readers get is byte for byte what the theme writes
without this (a test builds manuals both ways and compares every file).

Anything that does not fit is rendered by the theme as it would be: the home page (every address is
below it), a section's index page (its section shows it differently), a page whose entries are not
found exactly once, and any theme whose navigation templates are not Material's own pair (a project
that overrides `partials/nav-item.html` gets its own templates on every page).
"""

from __future__ import annotations

import bisect
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import jinja2

ORIGINAL = "procedures-theme"
"""The prefix naming the theme's own templates, below the plugin's overrides."""
NAVIGATION = "partials/nav.html"
ITEM = "partials/nav-item.html"

GroupKey = tuple[bool, str, tuple[int, ...]]
GROUPS_KEPT = 32
"""Groups whose navigation is kept: MkDocs renders a folder's pages one after another, so a group's pages
mostly come together (then those of the boards), and a group seen again is rendered by the theme again."""


@dataclass(frozen=True)
class Entry:
    """A page in the navigation, with what the theme's `render` macro is called with for it."""
    page: Any
    path: str
    level: int
    parent: Any


@dataclass
class Group:
    """The navigation as the first page of a group showed it, cut at the group's entries."""
    texts: list[str]
    """The navigation between the entries: one more than `entries`."""
    entries: list[Entry]
    plain: dict[int, str] = field(default_factory=dict)
    """Each entry's text when its page is not the one shown, by the entry's position."""


class _FoundByNameOnly(jinja2.PrefixLoader):
    """The theme's own templates under a prefix, for our overrides to include by name. Not listed: MkDocs
    lists every template on each build to find the theme's files to copy, and would list the theme's
    folders twice (Material's hold over 7,000 icons)."""

    def list_templates(self) -> list[str]:
        return []


class SharedNavigation:
    def __init__(self, environment: jinja2.Environment, theme_dirs: Sequence[str], overrides: str,
                 enabled: bool = True) -> None:
        self.environment = environment
        below = list(theme_dirs)[list(theme_dirs).index(overrides) + 1:]
        environment.loader = jinja2.ChoiceLoader([
            environment.loader or jinja2.FileSystemLoader([]),
            _FoundByNameOnly({ORIGINAL: jinja2.FileSystemLoader(below)}),
        ])
        theme = _origin(below, NAVIGATION)  # Material's own pair of templates, or no sharing
        self.usable = enabled and theme is not None and theme == _origin(list(theme_dirs), ITEM)
        self.navigation: Any = None
        self.entries: dict[GroupKey, list[Entry]] = {}
        self.urls: list[str] = []
        self.groups: OrderedDict[GroupKey, Group | None] = OrderedDict()
        self.pages_shared = 0

    @jinja2.pass_context
    def render(self, context: jinja2.runtime.Context) -> str:
        """The navigation for the page being rendered (the template global `procedures_navigation`)."""
        page, navigation = context.get("page"), context.get("nav")
        key = self._key(page, navigation) if self.usable and page is not None and navigation else None
        if key is None:
            return self._theme_navigation(context)
        group = self.groups.get(key, _UNSEEN)
        if group is None:
            return self._theme_navigation(context)
        if group is _UNSEEN:
            html = self._theme_navigation(context)
            self.groups[key] = self._cut(html, self.entries.get(key, []), page, context)
            if len(self.groups) > GROUPS_KEPT:  # each holds a whole navigation: the oldest goes
                self.groups.popitem(last=False)
            return html
        assert isinstance(group, Group)
        macros = self.environment.get_template(ITEM).make_module(context.get_all())
        parts = [group.texts[0]]
        for index, entry in enumerate(group.entries):
            if entry.page is page:
                parts.append(_call(macros, entry))
            else:
                if index not in group.plain:
                    group.plain[index] = _call(macros, entry)
                parts.append(group.plain[index])
            parts.append(group.texts[index + 1])
        self.pages_shared += 1
        return "".join(parts)

    def _theme_navigation(self, context: jinja2.runtime.Context) -> str:
        template = self.environment.get_template(f"{ORIGINAL}/{NAVIGATION}")
        return template.render(context.get_all())

    def _cut(self, html: str, entries: list[Entry], shown: Any, context: jinja2.runtime.Context) -> Group | None:
        """The group's navigation cut at its entries, or None when an entry is not found exactly once."""
        macros = self.environment.get_template(ITEM).make_module(context.get_all())
        found = []
        plain = {}
        for index, entry in enumerate(entries):
            text = _call(macros, entry)
            start = html.find(text)
            if start < 0 or html.find(text, start + 1) >= 0:
                return None
            found.append((start, start + len(text), index))
            if entry.page is not shown:
                plain[index] = text
        found.sort()
        texts, end = [], 0
        for start, stop, _ in found:
            if start < end:
                return None
            texts.append(html[end:start])
            end = stop
        texts.append(html[end:])
        return Group(texts, [entries[index] for _, _, index in found],
                     {found_at: plain[index] for found_at, (_, _, index) in enumerate(found) if index in plain})

    def _key(self, page: Any, navigation: Any) -> GroupKey | None:
        if navigation is not self.navigation:
            self._read(navigation)
        url = str(page.url)
        if not _may_share(page) or self._has_below(url):
            return None
        return _group_key(url, _ancestors(page))

    def _has_below(self, url: str) -> bool:
        """Whether another page of the navigation has its address below `url` (its links then differ)."""
        if not url.endswith("/"):
            return False
        after = bisect.bisect_right(self.urls, url)  # what starts with `url` sorts right after it
        return after < len(self.urls) and self.urls[after].startswith(url)

    def _read(self, navigation: Any) -> None:
        """The navigation's pages, each in the group it shares its navigation with."""
        self.navigation, self.entries, self.groups = navigation, {}, OrderedDict()
        entries = list(_entries(navigation.items, "__nav_", 1, None))
        self.urls = sorted({str(entry.page.url) for entry in entries})
        for entry in entries:
            if _may_share(entry.page) and not self._has_below(str(entry.page.url)):
                self.entries.setdefault(_group_key(str(entry.page.url), _ancestors(entry.page)), []).append(entry)


_UNSEEN = Group([], [])


def _may_share(page: Any) -> bool:
    """Not the home page (every address is below it) nor an index page (a section may show it as its own)."""
    return str(page.url) not in ("", "./", ".") and not getattr(page, "is_index", False)


def _call(macros: Any, entry: Entry) -> str:
    if entry.level == 1:  # as the theme's `nav.html` calls it: no parent
        return str(macros.render(entry.page, entry.path, entry.level))
    return str(macros.render(entry.page, entry.path, entry.level, entry.parent))


def _entries(items: Sequence[Any], path: str, level: int, parent: Any) -> Iterator[Entry]:
    """Every page of the navigation with the path, level and parent the theme's templates give it."""
    for position, item in enumerate(items, start=1):
        here = f"{path}{position}" if level == 1 else f"{path}_{position}"
        if getattr(item, "is_page", False):
            yield Entry(item, here, level, parent)
        elif getattr(item, "children", None):
            yield from _entries(item.children, here, level + 1, item)


def _ancestors(page: Any) -> tuple[int, ...]:
    chain = []
    parent = getattr(page, "parent", None)
    while parent is not None:
        chain.append(id(parent))
        parent = getattr(parent, "parent", None)
    return tuple(chain)


def _group_key(url: str, ancestors: tuple[int, ...]) -> GroupKey:
    """Pages with the same key show the same navigation but for their own entries."""
    if url.endswith("/"):  # `a/b/`: links are written from the folder `a/b/`, alike for every `a/*/`
        return True, url[:-1].rpartition("/")[0], ancestors
    return False, url.rpartition("/")[0], ancestors  # `a/b.html`: from `a/`, alike for every `a/*`


def _origin(dirs: Sequence[str], name: str) -> str | None:
    """The folder the template `name` is read from."""
    loader = jinja2.FileSystemLoader(list(dirs))
    for folder in dirs:
        try:
            jinja2.FileSystemLoader(folder).get_source(jinja2.Environment(loader=loader), name)
        except jinja2.TemplateNotFound:
            continue
        return folder
    return None
