"""What MkDocs and Material make of each page's Markdown, kept between builds.

MkDocs renders every page's Markdown again on every build, and most pages are as they were: rendering
is a third of a build of a long manual. Three things are kept, each in one file per page:

- the page's render: its HTML, table of contents, title and anchors;
- the render of each board block shown on it (`block_markdown.py`), each apart from the page;
- the search index's entries for it, which Material's search makes by parsing the page's HTML.

A render is given again when everything it read is as it was:

- the Markdown, the page's address and whether it is in the site;
- the Markdown extensions and their settings, MkDocs' link checks and the installed packages' versions:
  one key for the whole build;
- the files its links name. Each link is looked up among the build's files; the lookups are kept with
  what they found, and the kept render is given only when each finds the same address again (a page
  linked to was removed, or moved, and the linking page is rendered again, with MkDocs' warning).

A render that logged anything (a broken link, an extension's warning) is not kept, so its messages come
from rendering it again, on every build. What a render logs depends on how much MkDocs is told to say
(`-q`, `-v`): a render kept by a build that said less (`-q`, no notices) is not given to one that says
more, and a render kept while saying everything (`-v`, when MkDocs keeps no links to anchors) only to
another such build. Nothing is kept when an extension reads other files (snippets, images put inline),
is not one of the known Markdown packages', or has settings that cannot be keyed.
Search entries are given again for the same HTML, address, title, contents and search settings.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import pickle
import sys
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any, TypeVar, cast

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents

from ..core.cache_files import installed_version, keep_json, read_kept_json

FORMAT = "kept-renders-2"
"""Changes when what is kept, or how, changes: what earlier builds kept is then not used."""
PACKAGES = ("mkdocs", "markdown", "pymdown-extensions", "mkdocs-material", "pygments")
"""Whose versions a render depends on (the extensions and their highlighting)."""
READS_OTHER_FILES = frozenset({"pymdownx.snippets", "pymdownx.b64"})
KNOWN_PREFIXES = ("markdown.extensions.", "pymdownx.", "material.extensions.")
_MKDOCS_LOG = logging.getLogger("mkdocs")
T = TypeVar("T")


def build_key(config: MkDocsConfig) -> str | None:
    """What every page's render reads besides its own Markdown, as a hash; None when renders cannot be kept."""
    names = []
    for extension in config.markdown_extensions:
        if not isinstance(extension, str):
            return None  # an extension object a plugin added: what it reads is unknown
        name = extension if "." in extension else _short_names().get(extension, "")
        if not name.startswith(KNOWN_PREFIXES) or name.split(":")[0] in READS_OTHER_FILES:
            return None
        names.append(extension)
    versions = [installed_version(package) for package in PACKAGES]
    try:
        # By reference for functions (a slugify function, an emoji index): pickling fails for what has no name.
        settings = pickle.dumps((names, config.mdx_configs or {}, config.use_directory_urls,
                                 str(config.validation)), protocol=4)
    except (pickle.PicklingError, TypeError, AttributeError):
        return None
    return hashlib.sha1(json.dumps([FORMAT, versions]).encode() + settings).hexdigest()


@functools.cache
def _short_names() -> dict[str, str]:
    """Python-Markdown's own extensions by their short names (`toc`): their modules' names."""
    return {point.name: point.value.split(":")[0]
            for point in metadata.entry_points(group="markdown.extensions")
            if point.value.startswith("markdown.extensions.")}


class _LookedUp:
    """The build's files, noting each path a page's links look up and what was found there."""

    def __init__(self, files: Files) -> None:
        self.files = files
        self.found: dict[str, list[Any] | None] = {}

    def get_file_from_path(self, path: str) -> File | None:
        file = self.files.get_file_from_path(path)
        self.found[path] = _found(file)
        return file

    def __getattr__(self, name: str) -> Any:
        return getattr(self.files, name)


def _found(file: File | None) -> list[Any] | None:
    return None if file is None else [file.url, file.inclusion.name]


def still_found(looked_up: dict[str, Any], files: Files) -> bool:
    """Whether each path a kept render looked up finds what it found then."""
    return all(_found(files.get_file_from_path(path)) == found for path, found in looked_up.items())


class _Heard(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.anything = False

    def emit(self, record: logging.LogRecord) -> None:
        self.anything = True


def render_noting(render: Callable[[Files], T], files: Files) -> tuple[T, dict[str, Any] | None]:
    """`render(files)`, with the paths its links looked up and what they found; None for those when it
    logged anything (its messages must come again, from rendering again)."""
    looked_up = _LookedUp(files)
    heard = _Heard()
    listened = (logging.getLogger(), logging.getLogger("mkdocs"))  # MkDocs' messages stop at its own
    for logger in listened:
        logger.addHandler(heard)
    try:
        result = render(cast(Files, looked_up))
    finally:
        for logger in listened:
            logger.removeHandler(heard)
    return result, None if heard.anything else looked_up.found


class KeptPerPage:
    """One JSON file per page for one kind of thing kept (`folder/<kind>/`), replaced when it changes."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _file(self, src_uri: str) -> Path:
        name = hashlib.sha1(src_uri.encode()).hexdigest()
        return self.folder / name[:2] / f"{name}.json"

    def read(self, src_uri: str) -> dict[str, Any]:
        return read_kept_json(self._file(src_uri))

    def keep(self, src_uri: str, kept: dict[str, Any]) -> None:
        keep_json(self._file(src_uri), kept)


def hashed(*parts: Any) -> str:
    return hashlib.sha1(json.dumps(parts, default=str).encode()).hexdigest()


class KeptRenders:
    """Renders kept in `folder`: pages', blocks' and search entries'."""

    def __init__(self, folder: Path, config: MkDocsConfig) -> None:
        self.config = config
        self.pages = KeptPerPage(folder / "pages")
        self.blocks = KeptPerPage(folder / "blocks")
        self.search = KeptPerPage(folder / "search")
        self.given: dict[str, int] = {"pages": 0, "blocks": 0, "search": 0}
        """How many of each this build were given as kept."""

    @functools.cached_property
    def level(self) -> int:
        """How much MkDocs says in this build: the least important messages it shows."""
        return _MKDOCS_LOG.getEffectiveLevel()

    def fits(self, kept: dict[str, Any]) -> bool:
        """Whether a render kept at its build's level would log nothing at this build's either."""
        level = kept.get("level")
        if not isinstance(level, int):
            return False
        return level <= self.level and (level > logging.DEBUG) == (self.level > logging.DEBUG)

    @functools.cached_property
    def key(self) -> str | None:
        """Read when the first page is rendered: after every plugin has set the extensions."""
        return build_key(self.config)

    def attach(self, page: Page) -> None:
        """Render `page` through the kept renders when MkDocs renders it; not a page of a kind that renders
        itself its own way (another plugin's), whose render may read more than MkDocs' does."""
        if self.key is not None and type(page).render is Page.render:
            page.render = functools.partial(self._render, page)  # type: ignore[method-assign]

    def _render(self, page: Page, config: MkDocsConfig, files: Files) -> None:
        if page.markdown is None:
            raise RuntimeError("`markdown` field hasn't been set (via `read_source`)")
        src_uri = page.file.src_uri
        key = hashed(self.key, src_uri, page.file.url, page.file.inclusion.name, page.markdown)
        kept = self.pages.read(src_uri)
        if kept.get("key") == key and self.fits(kept) and still_found(kept["looked_up"], files):
            _give(page, kept, files)
            self.given["pages"] += 1
            return
        _, looked_up = render_noting(lambda noted: Page.render(page, config, noted), files)
        if looked_up is not None:
            self.pages.keep(src_uri, {**_kept(key, page, looked_up), "level": self.level})

    def blocks_of(self, file: File) -> KeptBlocks | None:
        """The kept renders of the board blocks shown on `file`'s page."""
        return KeptBlocks(self, file) if self.key is not None else None

    def index_search(self, plugins: Any) -> None:
        """Give Material's search index the entries kept for a page whose HTML and settings are as they were.
        Its own attributes, guarded: another search plugin (or none) is left as it is."""
        search = plugins.get("material/search") or plugins.get("search")
        index = getattr(search, "search_index", None)
        add = getattr(index, "add_entry_from_context", None)
        entries = getattr(index, "entries", None)
        if add is None or not isinstance(entries, list) or getattr(add, "kept", False):
            return
        # Material splits Chinese words when `jieba` is installed: what the entries hold depends on it.
        segmented = getattr(sys.modules.get(type(index).__module__), "jieba", None) is not None

        def add_entry_from_context(page: Page) -> None:
            meta = {name: page.meta.get(name) for name in ("search", "tags", "title")}
            key = hashed(self.key, segmented, page.content, page.url, page.title, meta, _toc_ids(page.toc))
            kept = self.search.read(page.file.src_uri)
            if kept.get("key") == key:
                index.entries.extend(kept["entries"])  # type: ignore[union-attr]
                self.given["search"] += 1
                return
            before = len(index.entries)  # type: ignore[union-attr]
            add(page)
            self.search.keep(page.file.src_uri, {"key": key, "entries": index.entries[before:]})  # type: ignore[union-attr]

        add_entry_from_context.kept = True  # type: ignore[attr-defined]
        index.add_entry_from_context = add_entry_from_context  # type: ignore[union-attr]


class KeptBlocks:
    """The kept renders of one page's board blocks: read at its first block, written after its last when
    any was rendered (holding this build's, so a block no longer shown is dropped)."""

    def __init__(self, renders: KeptRenders, file: File) -> None:
        self.renders = renders
        self.file = file
        self.kept = renders.blocks.read(file.src_uri).get("blocks", {})
        self.used: dict[str, Any] = {}
        self.rendered = False

    def render(self, text: str, files: Files, render: Callable[[Files], tuple[str, dict[File, dict[str, str]]]],
               ) -> tuple[str, dict[File, dict[str, str]]]:
        """A block's HTML and the links to anchors in it, kept or from `render(files)`."""
        key = hashed(self.renders.key, self.file.src_uri, self.file.url, text)
        kept = self.kept.get(key)
        if kept is not None and self.renders.fits(kept) and still_found(kept["looked_up"], files):
            self.used[key] = kept
            self.renders.given["blocks"] += 1
            return kept["html"], _anchor_links(kept["links_to_anchors"], files)
        (html, anchors), looked_up = render_noting(render, files)
        self.rendered = True
        if looked_up is not None:
            self.used[key] = {"html": html, "looked_up": looked_up, "level": self.renders.level,
                              "links_to_anchors": {target.src_uri: found for target, found in anchors.items()}}
        return html, anchors

    def save(self) -> None:
        if self.rendered or self.used.keys() != self.kept.keys():
            self.renders.blocks.keep(self.file.src_uri, {"blocks": self.used})


def _toc_ids(toc: Any) -> list[Any]:
    return [[item.id, item.url, _toc_ids(item.children)] for item in toc]


def _anchor_links(kept: dict[str, dict[str, str]], files: Files) -> dict[File, dict[str, str]]:
    found = {}
    for src_uri, anchors in kept.items():
        target = files.get_file_from_path(src_uri)
        if target is not None:
            found[target] = anchors
    return found


def _kept(key: str, page: Page, looked_up: dict[str, Any]) -> dict[str, Any]:
    return {
        "key": key, "looked_up": looked_up, "content": page.content, "toc": [_entry(link) for link in page.toc],
        "title": page._title_from_render, "anchors": sorted(page.present_anchor_ids or ()),
        "links_to_anchors": None if page.links_to_anchors is None else
        {target.src_uri: anchors for target, anchors in page.links_to_anchors.items()},
    }


def _give(page: Page, kept: dict[str, Any], files: Files) -> None:
    page.content = kept["content"]
    page.toc = TableOfContents([_link(entry) for entry in kept["toc"]])
    if len(page.toc):
        page.toc.items[0].active = True  # type: ignore[attr-defined]  # as MkDocs' own `get_toc`
    page._title_from_render = kept["title"]
    page.present_anchor_ids = set(kept["anchors"])
    if kept["links_to_anchors"] is not None:
        page.links_to_anchors = _anchor_links(kept["links_to_anchors"], files)


def _entry(link: AnchorLink) -> list[Any]:
    return [link.title, link.id, link.level, [_entry(child) for child in link.children]]


def _link(entry: list[Any]) -> AnchorLink:
    link = AnchorLink(entry[0], entry[1], entry[2])
    link.children = [_link(child) for child in entry[3]]
    return link
