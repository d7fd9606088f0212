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

A build keeps each group's navigation in a folder (`KeptNavigation`), named by a digest of all the
navigation is made from: the navigation's every entry (title, address, section, front matter), the
settings the templates read, the theme's templates and the packages' versions. The next build with
the same digest (a chapter's text edited, not its title) takes each group from there instead of
having the theme render it, once one group the theme renders again for it came out the same.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import shutil
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from ..core.cache_files import installed_version, keep_json, read_kept_json

ORIGINAL = "procedures-theme"
"""The prefix naming the theme's own templates, below the plugin's overrides."""
NAVIGATION = "partials/nav.html"
ITEM = "partials/nav-item.html"

GroupKey = tuple[bool, str, tuple[int, ...]]
GROUPS_KEPT = 4
"""Groups whose navigation is held: MkDocs renders a folder's pages one after another, so a group's pages
come together. Pages outside the navigation (each site's privacy, Amendments and Editions pages) come back
to their site's first group at the end: a build with the last build's groups kept reads it from its file
again (20 reads at 300 chapters), one without renders it again. Each group holds a whole navigation
(about 110 KB at 300 chapters, 390 KB at 1,000): 32 held every group of 300 chapters to the end."""


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


class KeptNavigation:
    """Each group's navigation as the theme rendered it, kept in `folder/<digest>/` between builds.

    `settings` is what the templates read besides the navigation (the site's name, its extra settings,
    the theme's options): with the navigation's entries, the templates and the packages' versions, it
    names the digest. Only the newest digest's folder is kept."""

    FORMAT = 1

    def __init__(self, folder: Path, settings: object, theme_dirs: Sequence[str]) -> None:
        self.folder = folder
        versions = [installed_version(name) for name in ("mkdocs", "mkdocs-material", "jinja2", "mkdocs-procedures")]
        self.base = _digest([self.FORMAT, versions, settings, _templates(theme_dirs)])
        self.current: Path | None = None
        self.checked = False
        """Whether a group the theme rendered this build came out as kept: until then, none is given."""
        self.trusted = True

    def begin(self, entries: object) -> None:
        """A navigation with these entries (`_described`) is about to be rendered."""
        digest = _digest([self.base, entries]) if self.base else None
        self.current = self.folder / digest[:20] if digest else None  # None: nothing is kept or given
        self.checked, self.trusted = False, True

    def _file(self, name: object) -> Path | None:
        if self.current is None:
            return None
        return self.current / (hashlib.sha1(repr(name).encode("utf-8")).hexdigest()[:20] + ".json")

    def get(self, name: object) -> dict[str, Any] | None:
        """The group kept as `name` for this navigation, if any."""
        file = self._file(name)
        return (read_kept_json(file) or None) if file else None

    def keep(self, name: object, group: dict[str, Any]) -> None:
        file = self._file(name)
        if file is None:
            return
        try:
            if not file.parent.is_dir():  # a new navigation: the folders of older ones go
                for older in self.folder.glob("*"):
                    shutil.rmtree(older, ignore_errors=True)
            keep_json(file, group)
        except OSError:
            pass  # the next build renders it again


class SharedNavigation:
    def __init__(self, environment: jinja2.Environment, theme_dirs: Sequence[str], overrides: str,
                 enabled: bool = True, kept: KeptNavigation | None = None) -> None:
        self.environment = environment
        self.kept = kept
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
        self.section_paths: dict[int, str] = {}
        self.pages_shared = 0
        self.groups_kept = 0
        """Groups taken from the last build's kept navigation."""

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
            kept = self._kept_group(key)
            if kept is None:
                html = self._theme_navigation(context)
                group = self._cut(html, self.entries.get(key, []), page, context)
                self._remember(key, group)
                self._keep(key, group)
                return html
            group = kept
            self._remember(key, group)
            self.groups_kept += 1
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

    def _remember(self, key: GroupKey, group: Group | None) -> None:
        """Hold the group for its next pages."""
        self.groups[key] = group
        if len(self.groups) > GROUPS_KEPT:  # each holds a whole navigation: the oldest goes
            self.groups.popitem(last=False)

    def _keep(self, key: GroupKey, group: Group | None) -> None:
        """Keep a group the theme rendered for the next build; the first one kept before is checked."""
        if self.kept is None or group is None:
            return
        name = self._kept_name(key)
        described = {"texts": group.texts, "entries": [entry.path for entry in group.entries],
                     "plain": {group.entries[index].path: text for index, text in group.plain.items()}}
        if not self.kept.checked and (earlier := self.kept.get(name)) is not None:
            # The theme rendered a group kept for this navigation: the others are given only if it is the same.
            self.kept.checked = True
            self.kept.trusted = (earlier["texts"], earlier["entries"]) == (described["texts"], described["entries"])
            if self.kept.trusted:
                return
        self.kept.keep(name, described)

    def _kept_group(self, key: GroupKey) -> Group | None:
        """The group as the last build kept it, once this build has checked one group against the theme."""
        if self.kept is None or not (self.kept.checked and self.kept.trusted):
            return None
        kept = self.kept.get(self._kept_name(key))
        if kept is None:
            return None
        by_path = {entry.path: entry for entry in self.entries.get(key, [])}
        try:
            entries = [by_path[path] for path in kept["entries"]]
            if len(kept["texts"]) != len(entries) + 1:
                return None
            positions = {path: index for index, path in enumerate(kept["entries"])}
            return Group([str(text) for text in kept["texts"]], entries,
                         {positions[path]: str(text) for path, text in kept["plain"].items() if path in positions})
        except (KeyError, TypeError, AttributeError):
            return None

    def _kept_name(self, key: GroupKey) -> tuple[bool, str, tuple[str, ...]]:
        """A group's key as the next build knows it: its sections by their place in the navigation."""
        directory, folder, ancestors = key
        return directory, folder, tuple(self.section_paths.get(section, "?") for section in ancestors)

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
        walked = list(_walk(navigation.items))
        self.section_paths = {id(item): path for item, path, _, _ in walked if not getattr(item, "is_page", False)}
        if self.kept is not None:
            self.kept.begin([_described(navigation.items), str(getattr(getattr(navigation, "homepage", None),
                                                                       "url", None))])
        entries = [Entry(*walk) for walk in walked if getattr(walk[0], "is_page", False)]
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


def _walk(items: Sequence[Any], path: str = "__nav_", level: int = 1,
          parent: Any = None) -> Iterator[tuple[Any, str, int, Any]]:
    """Every page and section of the navigation with the path, level and parent the theme's templates
    give it."""
    for position, item in enumerate(items, start=1):
        here = f"{path}{position}" if level == 1 else f"{path}_{position}"
        if getattr(item, "is_page", False):
            yield item, here, level, parent
        elif getattr(item, "children", None):
            yield item, here, level, parent
            yield from _walk(item.children, here, level + 1, item)


def _described(items: Sequence[Any]) -> list[Any]:
    """Everything of the navigation's entries the theme's templates read: what they are, their titles,
    addresses and front matter, and what other plugins add to them."""
    return [[type(item).__name__, str(getattr(item, "title", None)), str(getattr(item, "url", None)),
             bool(getattr(item, "is_index", False)), getattr(item, "meta", None),
             str(getattr(getattr(item, "typeset", None), "title", None)), repr(getattr(item, "encrypted", None)),
             _described(getattr(item, "children", None) or [])] for item in items]


def _digest(value: object) -> str | None:
    """A digest of `value` as JSON, or None when it cannot be written so (front matter whose keys are
    dates, say): then nothing is kept."""
    try:
        return hashlib.sha1(json.dumps(value, sort_keys=True, default=repr).encode("utf-8")).hexdigest()
    except (TypeError, ValueError):
        return None


def _templates(theme_dirs: Sequence[str]) -> list[Any]:
    """The theme's folders by their files' sizes and times: every file of a project's own, and the
    partial templates of an installed package's (its icons go with its version)."""
    described: list[Any] = []
    for folder in theme_dirs:
        installed = {"site-packages", "dist-packages"} & set(Path(folder).resolve().parts)
        files = Path(folder, "partials").rglob("*") if installed else Path(folder).rglob("*")
        described.append([folder, sorted((str(path.relative_to(folder)), path.stat().st_size, path.stat().st_mtime_ns)
                                         for path in files if path.is_file())])
    return described


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
