"""The MkDocs side of `make serve` (`mkdocs serve --dirty`): what the plugin keeps between rebuilds.

A dirty build makes again only the pages whose source is newer than their output. For that to show
every edit, and only then: the pages the plugin makes are kept on disk (`kept_files.py`) rather than
made in memory, and its finished files (views, feeds, JSON) are written straight into the site folder,
each only when its content changed, as a build's helper writes them; a regional page is made again
when a board's overlay or `board.yml` changed (they are not its source file); and the amendments are
kept while nothing they are made from has changed. The server hears of edits from the system, and the
theme's installed folders are listed once.
"""

from __future__ import annotations

import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import jinja2
import watchdog.observers
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.theme import Theme
from watchdog.events import (
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers.api import ObservedWatch
from watchdog.observers.polling import PollingObserver

from ..core.boards import Board, changed_values, value_paths_in
from ..core.editions import EDITIONS_FILE, Edition
from ..core.region import Region, RegionalChapter
from ..render.amendment_views import AmendmentViews
from ..render.output_files import write_output
from ..render.search_index import latest_entries
from ..render.variants import variant_uri
from .kept_files import KeptFiles, forget_stale_outputs

Made = tuple[str, "str | bytes", InclusionLevel]
"""A file the plugin makes: its path below the docs, its content, and whether it is in the navigation."""


@dataclass(frozen=True)
class KeptAmendments:
    key: str
    views: AmendmentViews
    editions: list[Edition]
    log_pages: dict[str, str]
    made: list[Made]


class DirtyServe:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.kept = KeptFiles(root / ".cache" / "procedures" / "serve")
        self.amendments: KeptAmendments | None = None
        self.written: dict[str, str | bytes] = {}
        """Each finished file the last rebuild wrote into the site folder (`written_to`), with its content."""
        self.written_to = ""
        self.boards: dict[str, Board] = {}
        """The boards as the last rebuild read them: a page showing a value changed since is made again."""
        self.theme_listing: dict[str, list[str]] = {}
        """The templates in each installed theme folder (`_ThemeFiles`)."""

    def file(self, config: MkDocsConfig, item: Made) -> File:
        """A made file as MkDocs sees a file of the docs: rebuilt only when its content changed."""
        src_uri, content, inclusion = item
        self.kept.keep(src_uri, content)
        file = File(src_uri, str(self.kept.folder), config.site_dir, config.use_directory_urls, inclusion=inclusion)
        file.generated_by = "procedures"
        return file

    def list_theme_once(self, theme: Theme) -> None:
        """Have the theme's templates listed from `_ThemeFiles`, whose lists last through the rebuilds."""
        make_environment = theme.get_env

        def environment() -> jinja2.Environment:
            made = make_environment()
            made.loader = _ThemeFiles(theme.dirs, self.theme_listing, self.root.resolve())
            return made

        theme.get_env = environment  # type: ignore[method-assign]

    def write_finished(self, site_dir: str, items: Sequence[Made]) -> None:
        """Write each finished file (one MkDocs does not render) into the site folder when its content is
        not what the last rebuild wrote there, and remove what the last rebuild wrote and this one did not
        make. Most rebuilds reuse the amendments' files as they were: those are the same objects."""
        if site_dir != self.written_to:
            self.written, self.written_to = {}, site_dir
        written: dict[str, str | bytes] = {}
        for src_uri, content, _ in items:
            before = self.written.get(src_uri)
            if before is not content and before != content:
                write_output(Path(site_dir, src_uri), content)
            written[src_uri] = content
        for src_uri in self.written.keys() - written.keys():
            Path(site_dir, src_uri).unlink(missing_ok=True)
        self.written = written

    def forget_stale_pages(self, regional: Sequence[RegionalChapter], region: Region, files: Files) -> None:
        """Remove the output of each page that its source does not say has changed, so that a dirty build
        makes it again: a regional page whose boards' overlays are newer, and every page that shows a
        board's value changed in its `board.yml` since the last rebuild (all of them when the board's name
        or the boards themselves changed)."""
        changed = {board: changed_values(self.boards.get(board), region.boards.get(board))
                   for board in {*self.boards, *region.boards}}
        changed = {board: paths for board, paths in changed.items() if paths != set()}
        if not self.boards:  # the first build: nothing is there to forget
            changed = {}
        self.boards = dict(region.boards)
        outputs: list[tuple[Path, list[Path]]] = []
        stale: list[Path] = []
        for chapter in regional:
            file = files.get_file_from_path(chapter.src_uri)
            if file is None:
                continue
            overlays = region.overlays.get(chapter.chapter.id, [])
            outputs.append((Path(file.abs_dest_path), [self.root / overlay.path for overlay in overlays]))
            regional_values = value_paths_in(chapter.body) if changed else set()
            for board, paths in changed.items():
                shown = regional_values.union(*(value_paths_in(block.markdown) for overlay in overlays
                                                if overlay.board == board for block in overlay.blocks))
                if paths is None or paths & shown:
                    stale.append(Path(file.abs_dest_path))
                    break
        for board, paths in changed.items():
            for page in region.pages.get(board, []):
                file = files.get_file_from_path(variant_uri(region.boards[board], page.src_uri))
                if file is not None and (paths is None or paths & value_paths_in(page.text)):
                    stale.append(Path(file.abs_dest_path))
        forget_stale_outputs(outputs)
        for output in stale:
            output.unlink(missing_ok=True)

    def amendments_key(self, regional: Sequence[RegionalChapter], region: Region, values: Mapping[str, str],
                       records_dir: Path | None, urls: Mapping[str, str]) -> str:
        """What the amendments are made from besides chapter text: the history's tip, every chapter's
        front matter and address, the boards, the regional values, the records and the editions."""
        try:
            tip = subprocess.run(["git", "rev-parse", "HEAD"], cwd=self.root, capture_output=True, text=True,
                                 check=False).stdout.strip()
        except OSError:
            tip = ""
        records = sorted((path.name, path.stat().st_mtime_ns) for path in records_dir.glob("*")) if records_dir else []
        editions = self.root / EDITIONS_FILE
        marked = editions.stat().st_mtime_ns if editions.is_file() else 0
        chapters = [(chapter.src_uri, chapter.chapter) for chapter in regional]
        return repr((tip, chapters, sorted(region.boards.items()), dict(values), records, marked, dict(urls)))

    def kept_amendments(self, key: str) -> KeptAmendments | None:
        return self.amendments if self.amendments is not None and self.amendments.key == key else None


class _ThemeFiles(jinja2.FileSystemLoader):
    """The theme's folders, each listed once for all of `mkdocs serve`'s rebuilds when it is installed (not
    the project's own): MkDocs lists every file of the theme on every rebuild to copy its static files, and
    Material's folder holds some fifteen thousand, nearly all icons in a hidden folder. Files in hidden
    folders are left out of the list, as MkDocs leaves them out of what it copies."""

    def __init__(self, folders: Sequence[str], listed: dict[str, list[str]], project: Path) -> None:
        super().__init__(folders)
        self.listed, self.project = listed, project

    def list_templates(self) -> list[str]:
        found: set[str] = set()
        for folder in self.searchpath:
            names = self.listed.get(folder)
            if names is None:
                names = [name for name in jinja2.FileSystemLoader(folder).list_templates()
                         if not any(part.startswith(".") for part in name.split("/"))]
                if not Path(folder).resolve().is_relative_to(self.project):
                    self.listed[folder] = names
            found.update(names)
        return sorted(found)


QUIET_BEFORE_REBUILD = 0.05
"""Seconds without a change before `mkdocs serve` rebuilds, when it hears of changes from the system."""


class _ChangesObserver(watchdog.observers.Observer):  # type: ignore[misc,valid-type]
    """The system's observer, telling only of changes. Inotify also tells of a file opened or closed
    unwritten, and MkDocs rebuilds on any event: the rebuild reading the files would start the next one."""

    CHANGES: ClassVar[list[type[FileSystemEvent]]] = [FileCreatedEvent, FileModifiedEvent, FileDeletedEvent,
                                                      FileMovedEvent, FileClosedEvent]

    def schedule(self, event_handler: FileSystemEventHandler, path: str | Path, *, recursive: bool = False,
                 event_filter: list[type[FileSystemEvent]] | None = None, follow_symlink: bool = False,
                 ) -> ObservedWatch:
        watch: ObservedWatch = super().schedule(event_handler, path, recursive=recursive, follow_symlink=follow_symlink,
                                                event_filter=event_filter or self.CHANGES)
        return watch


def watch_natively(server: LiveReloadServer, config: MkDocsConfig) -> None:
    """Have `server` hear of changes from the system (inotify on Linux) rather than by reading every watched
    folder each half second, as MkDocs' polling observer does: an edit waited a quarter of a second, on
    average, before its rebuild began. Runs before any other plugin's `on_serve` adds a path."""
    if watchdog.observers.Observer is PollingObserver or not isinstance(server.observer, PollingObserver) \
            or server.observer.is_alive():
        return  # no native observer here, or the server's observer is not the one MkDocs makes
    # Every path MkDocs watches before `on_serve`: the docs, the configuration file and (with
    # `--watch-theme`) the theme's folders. Each is unwatched as often as it was watched, then watched again.
    candidates = [config.docs_dir, config.config_file_path, *config.theme.dirs]
    watched: list[str] = []
    for path in dict.fromkeys(candidate for candidate in candidates if candidate):
        while True:
            try:
                server.unwatch(path)
            except KeyError:
                break
            watched.append(path)
    server.observer = _ChangesObserver()
    for path in watched:
        server.watch(path)
    # MkDocs starts a rebuild once no change has come for `build_delay` (0.1 s), so that a burst of changes
    # (a checkout) makes one rebuild. The system tells of a saved file's changes within milliseconds of
    # each other: a twentieth of a second without one is ample, and half the wait before each rebuild.
    server.build_delay = min(server.build_delay, QUIET_BEFORE_REBUILD)


def keep_search_entries_once(plugins: Mapping[str, object]) -> None:
    """Material's search plugin keeps the last rebuild's index under `mkdocs serve` and adds the pages made
    again, dropping the old entries of the first of them only; prune what it keeps to each page's latest
    entries, as the index written is (`latest_entries`), or every rebuild of several pages adds to it.
    Material's own attributes: left alone when they are not there."""
    search = plugins.get("material/search") or plugins.get("search")
    kept = getattr(search, "search_index_prev", None)
    entries = getattr(kept, "entries", None)
    if isinstance(entries, list):
        kept.entries = latest_entries(entries)  # type: ignore[union-attr]
