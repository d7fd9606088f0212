"""The MkDocs side of `make serve` (`mkdocs serve --dirty`): what the plugin keeps between rebuilds.

A dirty build makes again only the pages whose source is newer than their output. For that to show
every edit, and only then, so that each rebuild leaves the site a first build would make:

- the pages the plugin makes are kept on disk (`kept_files.py`) rather than made in memory, and its
  finished files (views, feeds, JSON) are written straight into the site folder, each only when its
  content changed, as a build's helper writes them;
- a regional page is made again when a board's overlay changed, and every page showing a board's value
  when its `board.yml` did (a changed contact is written into the pages made before, where that is
  certain: `value_patches.py`); every page when the navigation changed (a title, a page added);
- a page not made again keeps its title, front matter and search entries from the rebuild that made it;
- the amendments are kept while nothing they are made from has changed.

The server hears of edits from the system; the theme's installed folders are listed, and its templates
compiled, once.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.theme import Theme

from ..core.boards import Board, changed_values, value_paths_in
from ..core.cache_files import cache_folder
from ..core.editions import EDITIONS_FILE, Edition
from ..core.region import Region, RegionalChapter
from ..render.amendment_views import AmendmentViews
from ..render.board_sites import IndexParts
from ..render.output_files import write_output
from ..render.search_index import entries_after_rebuild
from ..render.value_patches import board_copy_with, changes_shown, regional_page_with
from ..render.variants import variant_uri
from .kept_files import KeptFiles, forget_stale_outputs

Made = tuple[str, "str | bytes", InclusionLevel]
"""A file the plugin makes: its path below the docs, its content, and whether it is in the navigation."""


def material_search_index(plugins: Mapping[str, object]) -> Any:
    """Material's search index (its `entries`, a list of dicts, are what it writes), None when the search
    plugin is another (its own attributes, guarded)."""
    search = plugins.get("material/search") or plugins.get("search")
    index = getattr(search, "search_index", None)
    return index if isinstance(getattr(index, "entries", None), list) else None


@dataclass(frozen=True)
class KeptAmendments:
    key: str
    boards_read_as_they_are: frozenset[str]
    """The boards whose contacts the views read as they are now: part of the key (`amendments_key`)."""
    views: AmendmentViews
    editions: list[Edition]
    log_pages: dict[str, str]
    made: list[Made]


class DirtyServe:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.kept = KeptFiles(cache_folder(root) / "serve")
        self.amendments: KeptAmendments | None = None
        self.written: dict[str, str | bytes] = {}
        """Each finished file the last rebuild wrote into the site folder, with its content."""
        self.site_dir = ""
        """The site folder the last rebuild wrote into: what was written is kept for that folder only."""
        self.boards: dict[str, Board] = {}
        """The boards as the last rebuild read them: a page showing a value changed since is made again."""
        self.made_pages: dict[str, tuple[str | None, dict[str, Any]]] = {}
        """Each page's title and front matter as it was last made, by source path."""
        self.search_entries: list[dict[str, Any]] | None = None
        """The regional search index's entries as the last rebuild wrote them."""
        self.search_indexes: dict[str | None, IndexParts] = {}
        """Each site's search index as last written into the site folder, in parts (None: the regional site's)."""
        self.theme_listing: dict[str, list[str]] = {}
        """The templates in each installed theme folder (`_ThemeFiles`)."""
        self.template_code = _TemplateCode()
        """The theme's templates compiled, for every rebuild's new environment."""
        self.navigation: str | None = None
        """What every page's navigation showed at the last rebuild (`forget_pages_if_navigation_changed`)."""

    def file(self, config: MkDocsConfig, item: Made) -> File:
        """A made file as MkDocs sees a file of the docs: rebuilt only when its content changed."""
        src_uri, content, inclusion = item
        self.kept.keep(src_uri, content)
        file = File(src_uri, str(self.kept.folder), config.site_dir, config.use_directory_urls, inclusion=inclusion)
        file.generated_by = "procedures"
        return file

    def forget_pages_if_navigation_changed(self, navigation: object, files: Files) -> None:
        """Every page shows the navigation and what `mkdocs.yml` sets, `navigation` (the settings, the pages,
        their titles and `nav`): when it changed since the last rebuild, every page is made again, not only
        the one edited (as MkDocs' dirty build would)."""
        key = repr(navigation)
        if self.navigation is not None and key != self.navigation:
            for file in files.documentation_pages():
                Path(file.abs_dest_path).unlink(missing_ok=True)
        self.navigation = key

    def search_index(self, plugins: Mapping[str, object], made: Collection[str], pages: Collection[str],
                     ) -> list[dict[str, Any]] | None:
        """The regional search index's entries after this rebuild made the pages `made` (URLs) again, of all
        the `pages` the site has (`entries_after_rebuild`); None when the search plugin is not Material's.
        What Material keeps for its next rebuild is set to them too (its own attributes, guarded)."""
        index = material_search_index(plugins)
        if index is None:
            return None
        self.search_entries = entries_after_rebuild(self.search_entries, index.entries, made, pages)
        index.entries = self.search_entries
        return self.search_entries

    def search_indexes_in(self, site_dir: str) -> dict[str | None, IndexParts]:
        """Each site's search index as the last rebuild wrote it into `site_dir`, in parts (to write only the
        boards' that changed, a contact edit changes one board's, and to make into text only the entries
        that changed: an edit to a chapter changes its own entries in every site's index)."""
        self._writing_into(site_dir)
        return self.search_indexes

    def _writing_into(self, site_dir: str) -> None:
        """Forget what was written into another site folder than `site_dir`."""
        if site_dir != self.site_dir:
            self.written, self.search_indexes, self.site_dir = {}, {}, site_dir

    def list_theme_once(self, theme: Theme) -> None:
        """Have the theme's templates listed from `_ThemeFiles`, whose lists last through the rebuilds, and
        compiled once: each rebuild has a new theme, whose every environment compiles the templates it
        renders again (Material's search plugin alone makes three environments a rebuild)."""
        make_environment = theme.get_env

        def environment() -> jinja2.Environment:
            made = make_environment()
            made.loader = _ThemeFiles(theme.dirs, self.theme_listing, self.root.resolve())
            made.bytecode_cache = self.template_code
            return made

        theme.get_env = environment  # type: ignore[method-assign]

    def keep_page(self, page: Page) -> None:
        self.made_pages[page.file.src_uri] = page.title, dict(page.meta)

    def give_pages(self, nav: Navigation) -> None:
        """Give each page that this rebuild does not make again its title and front matter as last made:
        every page made shows the others' in its navigation (a title as made, escaped; Material's status
        marks), and MkDocs reads them only from the pages it makes."""
        for page in nav.pages:
            if page.file.src_uri in self.made_pages and not page.file.is_modified():
                page.title, page.meta = self.made_pages[page.file.src_uri]

    def write_finished(self, site_dir: str, items: Sequence[Made]) -> None:
        """Write each finished file (one MkDocs does not render) into the site folder when its content is
        not what the last rebuild wrote there, and remove what the last rebuild wrote and this one did not
        make. Most rebuilds reuse the amendments' files as they were: those are the same objects."""
        self._writing_into(site_dir)
        written: dict[str, str | bytes] = {}
        for src_uri, content, _ in items:
            before = self.written.get(src_uri)
            if before is not content and before != content:
                write_output(Path(site_dir, src_uri), content)
            written[src_uri] = content
        for src_uri in self.written.keys() - written.keys():
            Path(site_dir, src_uri).unlink(missing_ok=True)
        self.written = written

    def forget_stale_pages(self, regional: Sequence[RegionalChapter], region: Region, files: Files, site_dir: str,
                           shown_as_written: Callable[[str], bool]) -> None:
        """Make sure a dirty build shows what changed outside each page's own source: a regional page whose
        boards' overlays are newer is made again, and so is every page showing a board's value changed in its
        `board.yml` since the last rebuild (all the board's pages when its name or the boards themselves
        changed). A regional page only showing changed contacts, and that board's copy of it, get the new
        text in place of the old instead (`value_patches.py`), where that is certain; `shown_as_written(text)`
        says whether the site's Markdown shows a text as it is."""
        changed = {board: changed_values(self.boards.get(board), region.boards.get(board))
                   for board in {*self.boards, *region.boards}}
        changed = {board: paths for board, paths in changed.items() if paths != set()}
        if not self.boards:  # the first build: nothing is there to forget
            changed = {}
        before, self.boards = self.boards, dict(region.boards)
        pages = [(chapter, file) for chapter in regional
                 if (file := files.get_file_from_path(chapter.src_uri)) is not None]
        root = str(self.root)
        forget_stale_outputs((file.abs_dest_path, [os.path.join(root, overlay.path)
                                                   for overlay in region.overlays.get(chapter.chapter.id, [])])
                             for chapter, file in pages)
        stale: list[Path] = []
        for chapter, file in pages if changed else []:
            blocks = {board: [block.markdown for overlay in region.overlays.get(chapter.chapter.id, [])
                              if overlay.board == board for block in overlay.blocks] for board in changed}
            for board, paths in changed.items():  # the board's own copy of the contents page, rendered on its own
                copy = files.get_file_from_path(f"{board}/{chapter.src_uri}")
                if copy is not None and (paths is None or paths & value_paths_in("".join([chapter.body,
                                                                                         *blocks[board]]))):
                    stale.append(Path(copy.abs_dest_path))
            if file.is_modified():
                continue  # made again anyway, with the boards as they are
            output = Path(file.abs_dest_path)
            if not self._new_values_written(output, Path(site_dir), file.dest_uri, chapter.body, blocks, changed,
                                            before, region, shown_as_written):
                stale.append(output)
        for board, paths in changed.items():
            if paths is None:  # every page of the board's own shows its name
                stale += [Path(file.abs_dest_path) for file in files.documentation_pages()
                          if file.src_uri.startswith(f"{board}/")]
                continue
            for page in region.pages.get(board, []):
                file = files.get_file_from_path(variant_uri(region.boards[board], page.src_uri))
                if file is not None and paths & value_paths_in(page.text):
                    stale.append(Path(file.abs_dest_path))
        for output in stale:
            output.unlink(missing_ok=True)

    @staticmethod
    def _new_values_written(output: Path, site_dir: Path, dest_uri: str, chapter_text: str,
                            blocks: Mapping[str, Sequence[str]], changed: Mapping[str, set[str] | None],
                            before: Mapping[str, Board], region: Region, shown_as_written: Callable[[str], bool],
                            ) -> bool:
        """Write each changed board's new values into a regional page made before and into the board's copy
        of it; whether the page now shows every board as it is (False: it must be made again)."""
        shown = {board: changes_shown({path: region.values.for_board(before[board], path) for path in paths},
                                      {path: region.values.for_board(region.boards[board], path) for path in paths},
                                      chapter_text, blocks[board], shown_as_written)
                 if paths is not None and board in before and board in region.boards else None
                 for board, paths in changed.items()}
        if any(changes is None for changes in shown.values()):
            return False
        shown = {board: changes for board, changes in shown.items() if changes}
        if not shown:
            return True
        copies = {board: os.path.join(site_dir, board, dest_uri) for board in shown}
        try:
            page: bytes | None = output.read_bytes()
            patched = {board: board_copy_with(Path(copy).read_bytes(), shown[board] or [])
                       for board, copy in copies.items()}
        except OSError:
            return False
        for board, changes in shown.items():
            page = regional_page_with(page, board, changes or []) if page is not None else None
        if page is None or any(copy is None for copy in patched.values()):
            return False
        write_output(output, page)
        for board, copy in patched.items():
            write_output(Path(copies[board]), copy or b"")
        return True

    def amendments_key(self, regional: Sequence[RegionalChapter], region: Region, values: Mapping[str, str],
                       records_dir: Path | None, urls: Mapping[str, str],
                       boards_read_as_they_are: Collection[str] | None = None) -> str:
        """What the amendments are made from besides chapter text: the history's tip, every chapter's
        front matter and address, the boards, the regional values, the records and the editions.

        A board's contacts are part of it only when `boards_read_as_they_are` names the board (None: every
        board): the views show a board's values as they were when each change landed, from the history."""
        try:
            tip = subprocess.run(["git", "rev-parse", "HEAD"], cwd=self.root, capture_output=True, text=True,
                                 check=False).stdout.strip()
        except OSError:
            tip = ""
        records = sorted((path.name, path.stat().st_mtime_ns) for path in records_dir.glob("*")) if records_dir else []
        editions = self.root / EDITIONS_FILE
        marked = editions.stat().st_mtime_ns if editions.is_file() else 0
        chapters = [(chapter.src_uri, chapter.chapter) for chapter in regional]
        boards = [board if boards_read_as_they_are is None or board_id in boards_read_as_they_are
                  else replace(board, contacts={}) for board_id, board in sorted(region.boards.items())]
        return repr((tip, chapters, boards, dict(values), records, marked, dict(urls)))

    def kept_amendments(self, key_now: Callable[[Collection[str]], str]) -> KeptAmendments | None:
        """The last rebuild's amendments, if nothing they were made from has changed: `key_now` gives the
        key of the manual as it is, given the boards whose contacts the kept ones read."""
        kept = self.amendments
        return kept if kept is not None and kept.key == key_now(kept.boards_read_as_they_are) else None


class _TemplateCode(jinja2.BytecodeCache):
    """Compiled templates in memory, by template and file; Jinja compiles a template again when its text
    is not the text compiled (each is stored with its text's checksum)."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if (code := self.compiled.get(bucket.key)) is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


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
