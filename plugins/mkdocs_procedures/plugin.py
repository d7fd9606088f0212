"""The MkDocs adapter: thin glue between MkDocs' build events and the manual's domain modules."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import ConfigurationError, PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from .config import ProceduresConfig
from .core.amendments import catalogue_for
from .core.boards import Board, find_board_folders
from .core.chapters import Chapter, duplicate_ids, read_chapter, split_front_matter
from .core.editions import Edition, EditionError, find_editions
from .core.history import History, HistoryError, read_history
from .core.problems import ContentError, Problem, raise_errors
from .core.region import Region, RegionalChapter, load_region
from .core.stamp import StampFormatError, StampWording, build_moment, time_zone
from .machinery.helper import Helper, can_fork
from .machinery.old_outputs import OldOutputs
from .machinery.serving import DirtyServe, KeptAmendments, Made
from .machinery.timings import PhaseTimer
from .render import board_pages
from .render.amendment_views import (
    CHANGES_FOLDER,
    FEED,
    JSON,
    LOG_PAGE,
    AmendmentViews,
    ComparisonCache,
    assemble_views,
    changes_url,
    editions_page,
)
from .render.decorations import PageDecorations
from .render.markup import ContentsEntry, PageMarkup, Part, insert_after_title, whole_manual_pdf
from .render.qr import QrCodes
from .render.search_index import local_block_entries, split_search_index
from .render.variants import (
    Variant,
    VariantMarkdown,
    local_section,
    local_section_title,
    plan_variants,
    variant_uri,
)

log = get_plugin_logger(__name__)

ASSETS = ("procedures.css", "procedures.js", "check.js")
ASSETS_URI = "assets/procedures"
LOG_SLOT = "<!--procedures:amendments-log-->"
BOARD_COPIES = "board pages"
AMENDMENT_FILES = "what-changed and amendment pages"
"""The helper's jobs, named as the build's timings name their phases."""
EDITIONS_PAGE = "editions.md"


class ProceduresPlugin(BasePlugin[ProceduresConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        # MkDocs keeps a plugin with `on_startup` for every build in the process (all of `mkdocs serve`'s
        # rebuilds): what lasts is set here, what belongs to one build in `_start_build`.
        self.command = "build"
        self.serving_dirty = False
        self.serving: DirtyServe | None = None
        self._start_build()

    def _start_build(self) -> None:
        self.chapters: dict[str, Chapter] = {}
        self.region = Region()
        self.variants: dict[str, Variant] = {}
        self.parts: dict[str | None, list[Part]] = {}
        self.markup: PageMarkup | None = None
        self.variant_markdown: VariantMarkdown | None = None
        self.views: AmendmentViews | None = None
        self.site_name = ""
        self.site_url = ""
        self.log_pages: dict[str, str] = {}
        self._decorations: PageDecorations | None = None
        self.editions: list[Edition] = []
        self.regional_urls: dict[str, str] = {}
        """Regional page URL → its source path: the pages every board's site has a copy of."""
        self.timer = PhaseTimer()
        self.helper: Helper | None = None
        self.old_outputs: OldOutputs | None = None
        self.language = "en"
        self.log_page_uris: set[str] = set()
        self.later_log_pages: Callable[[], dict[str, str]] = dict

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Having this event keeps one plugin instance through all of `mkdocs serve`'s rebuilds.
        self.command = command
        self.serving_dirty = command == "serve" and dirty

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        self._start_build()
        if not self.config.enabled:
            return None
        # `mkdocs serve` rebuilds when a board's content or an amendment record changes, too.
        config.watch.extend(folder for folder in (self.config.boards_dir, self.config.amendments_dir) if folder)
        if not config.site_url:
            raise ConfigurationError(
                "procedures: `site_url` must be set in mkdocs.yml: every printed page names its own "
                "address on the published site (for example `site_url: https://procedures.example.org/`)"
            )
        if self.config.boards_dir and config.nav is None:
            raise ConfigurationError(
                "procedures: boards need an explicit `nav` in mkdocs.yml: each board's navigation is the "
                "regional one with the board's own pages added"
            )
        wording = StampWording(
            template=self.config.stamp.template,
            fallback_template=self.config.stamp.fallback_template,
            date_format=self.config.stamp.date_format,
        )
        try:
            wording.check()
            self.zone = time_zone(self.config.time_zone)
        except StampFormatError as error:
            raise ConfigurationError(f"procedures: {error}") from error
        self.markup = PageMarkup(wording, stamp_on_screen=self.config.stamp.show_on_screen)
        if not self.serving_dirty:
            self.serving = None
        elif self.serving is None or self.serving.root != _project_root(config):
            self.serving = DirtyServe(_project_root(config))
        self.site_name = config.site_name
        self.language = str(config.theme.get("language") or "en")
        self.site_url = config.site_url.rstrip("/") + "/"
        # Set by `procedures as-at` and `procedures editions` when they build an earlier version.
        self.earlier = os.environ.get("PROCEDURES_AS_AT", "").split()
        self._decorations = PageDecorations(
            self.markup, self.site_url, self.site_name, build_moment(self.zone),
            QrCodes(_project_root(config) / ".cache" / "procedures" / "qr"), get_relative_url,
            self.config.board_selector_label, self.earlier, os.environ.get("PROCEDURES_CURRENT_SITE"))
        if self.earlier[:1] == ["edition"]:
            config.extra["version"] = {"provider": "mike"}  # Material's selector reads ../versions.json
        config.extra_css.append(f"{ASSETS_URI}/procedures.css")
        config.extra_javascript.append(f"{ASSETS_URI}/procedures.js")
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        if not self.config.enabled or not self._helper_beside():
            return
        # Runs before MkDocs empties the site folder: the old boards' copies and what-changed views,
        # most of its files, are moved aside and deleted by another process while the site is built.
        boards = [folder.name for folder in find_board_folders(Path(self.config.boards_dir))] \
            if self.config.boards_dir else []
        self.old_outputs = OldOutputs(_project_root(config) / ".cache" / "procedures" / "trash")
        self.old_outputs.delete_beside(Path(config.site_dir), [CHANGES_FOLDER, *boards])

    def _helper_beside(self) -> bool:
        """Whether the plugin's work can run in a second process (see `helper.py`)."""
        return self.config.helper_process and self.command == "build" and can_fork()

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled or self.markup is None:
            return None
        for name in ASSETS:
            source = resources.files("mkdocs_procedures.render") / "assets" / name
            files.append(self._made(config, (f"{ASSETS_URI}/{name}", source.read_bytes(), InclusionLevel.UNDEFINED)))
        regional = self._read_chapters(files, config)
        self.chapters = {chapter.src_uri: chapter.chapter for chapter in regional}
        boards_dir = Path(self.config.boards_dir) if self.config.boards_dir else None
        region, problems = load_region(_project_root(config), boards_dir, regional, self.config.regional_values)
        self._report(problems)
        self.region = self.decorations.region = region
        self.variants = plan_variants(regional, region, self.config.contents_page)
        self.variant_markdown = VariantMarkdown(region, self.markup, [chapter.src_uri for chapter in regional])
        for variant in self.variants.values():
            if variant.board is None:
                continue
            in_nav = variant.board_page is not None
            text = variant.board_page.text if variant.board_page else _text_of(files, variant)
            files.append(self._made(config, (variant.src_uri, text,
                                             InclusionLevel.UNDEFINED if in_nav else InclusionLevel.NOT_IN_NAV)))
        if config.nav is not None:
            # Every board's own pages join the navigation; each section shows only on that board's pages
            # (and on the regional site once a reader picks the board).
            for board in region.boards.values():
                if region.pages.get(board.id):
                    config.nav.append(local_section(board, region.pages[board.id]))
        self.regional_urls = {_site_path(files.get_file_from_path(c.src_uri).url): c.src_uri  # type: ignore[union-attr]
                              for c in regional}
        key = kept = None
        if self.serving is not None:
            self.serving.forget_stale_pages(regional, region, files, boards_dir or _project_root(config) / "boards")
            records_dir = Path(self.config.amendments_dir) if self.config.amendments_dir else None
            key = self.serving.amendments_key(regional, region, self.config.regional_values, records_dir,
                                              self.regional_urls)
            kept = self.serving.kept_amendments(key)
        if kept is not None:  # nothing the amendments are made from has changed since the last rebuild
            self.views, self.editions, self.log_pages, made = kept.views, kept.editions, kept.log_pages, kept.made
            self.decorations.views, self.decorations.editions = self.views, self.editions
        else:
            self.views = self._amendment_views(regional, config)
            self.decorations.views, self.decorations.editions = self.views, self.editions
            if self.serving is not None and key is not None:
                with self.timer.phase(AMENDMENT_FILES):
                    self.log_pages = self._log_pages()
                    made = self._log_page_sources(self.log_pages) + self._amendment_files()
                self.serving.amendments = KeptAmendments(key, self.views, self.editions, self.log_pages, made)
            else:  # the helper makes the logs and the amendments' files, from on_nav
                made = self._log_page_sources(None)
        self.log_page_uris = set(self._log_page_titles())
        self.regional_urls[LOG_PAGE.removesuffix(".md") + "/"] = LOG_PAGE
        self.regional_urls[EDITIONS_PAGE.removesuffix(".md") + "/"] = EDITIONS_PAGE
        for item in made:
            files.append(self._made(config, item))
        return files

    @property
    def decorations(self) -> PageDecorations:
        assert self._decorations is not None  # made in on_config whenever the plugin is enabled
        return self._decorations

    def _made(self, config: MkDocsConfig, item: Made) -> File:
        """A file the plugin makes: in memory, or under `mkdocs serve --dirty` kept on disk."""
        if self.serving is not None:
            return self.serving.file(config, item)
        src_uri, content, inclusion = item
        return File.generated(config, src_uri, content=content, inclusion=inclusion)

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation | None:
        if not self.config.enabled:
            return None
        local_titles = {local_section_title(board): board.id for board in self.region.boards.values()}
        self.parts = {None: self._parts(nav, local_titles, None)}
        for board in self.region.boards.values():
            self.parts[board.id] = self._parts(nav, local_titles, board.id)
        # Everything the boards' copies and the what-changed views are made from is known now.
        self.helper = Helper({BOARD_COPIES: self._write_board_copies, AMENDMENT_FILES: self._write_amendment_files},
                             self._helper_beside())
        if self.serving is None:
            self.later_log_pages = self.helper.give(AMENDMENT_FILES, config.site_dir)
        return nav

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        if not self.config.enabled or self.markup is None or self.variant_markdown is None:
            return None
        variant = self.variants.get(page.file.src_uri)
        if variant is None:
            return markdown
        with self.timer.phase("overlay merge"):
            markdown = self.variant_markdown.markdown(variant, markdown)
        if variant.regional is not None and variant.regional.src_uri == self.config.contents_page:
            board_id = variant.board.id if variant.board else None
            site_root = f"{board_id}/" if board_id else ""
            # The PDFs are printed from a built site (`procedures pdf`): not for earlier versions or previews.
            pdf_href = (get_relative_url(site_root + whole_manual_pdf(board_id), page.url)
                        if self.config.pdf and not self.earlier and self.command != "serve" else None)
            markdown = markdown.rstrip("\n") + "\n\n" + self.markup.contents(
                self.parts.get(board_id, []), pdf_href, variant.board.name if variant.board else None)
        self.timer.start(page.file.src_uri)
        return markdown

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        if not self.config.enabled or self.markup is None:
            return None
        self.timer.stop(page.file.src_uri, "markdown render")
        return None

    # Runs after Material's search plugin (default priority) has indexed the page's content: what the
    # plugin adds to every page (stamp, board picker, amendments, citation) would be found by every search.
    @event_priority(-50)
    def on_page_context(self, context: Any, *, page: Page, config: MkDocsConfig, nav: Navigation) -> Any:
        if not self.config.enabled or self.markup is None:
            return None
        html = page.content or ""
        variant = self.variants.get(page.file.src_uri)
        regional = variant.regional if variant is not None else None
        if variant is not None and regional is not None and regional.src_uri == self.config.contents_page:
            parts = self.parts.get(variant.board.id if variant.board else None, [])
            html = self.markup.contents_lists(html, parts, page.url, get_relative_url)
        html = self._decorated(html, page)
        # An earlier version says so right under its title, above everything else.
        notice = self.decorations.earlier_notice(_site_path(page.url))
        page.content = insert_after_title(html, board_pages.fragment("notice", notice)) if notice else html
        self.timer.start(page.file.src_uri)
        return context

    def _decorated(self, html: str, page: Page) -> str:
        assert self.markup is not None  # set in on_config whenever the plugin is enabled
        variant = self.variants.get(page.file.src_uri)
        if variant is None:
            owner = self.region.boards.get(page.file.src_uri.split("/", 1)[0])
            return html + self.decorations.stamp(page.url, owner.name if owner else None)
        chapter = variant.regional.chapter if variant.regional else None
        if chapter is not None and chapter.under_review:
            html = insert_after_title(html, self.markup.under_review_banner(chapter))
        board, url = variant.board, _site_path(page.url)
        decorations = self.decorations
        fragments = decorations.for_board(variant, url, board) if board else decorations.regional(variant, url)
        top = board_pages.fragment("top", fragments["top"])
        return insert_after_title(html, top) + "".join(
            board_pages.fragment(name, fragments[name]) for name in ("cite", "amendments", "selector", "stamp"))

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str | None:
        if not self.config.enabled:
            return None
        self.timer.stop(page.file.src_uri, "template render")
        titles = {board.id: local_section_title(board) for board in self.region.boards.values()}
        output = board_pages.mark_board_sections(output, titles)
        variant = self.variants.get(page.file.src_uri)
        board_id = page.file.src_uri.split("/", 1)[0] if "/" in page.file.src_uri else None
        board = self.region.boards.get(board_id) if board_id else None
        if board is not None:
            # A page of the board's own (its contents, amendments, local pages): links to regional
            # pages go to the board's copies, and the board's name and search are its own.
            output = self._as_board_page(output, board, _site_path(page.url), _site_path(page.url))
        if page.file.src_uri in self.log_page_uris:
            # The log's links are made for this page already: it goes in last, so that no rewrite
            # above has to read its thousands of rows.
            self.log_pages = self.log_pages or self.later_log_pages()
            return output.replace(LOG_SLOT, self.log_pages[page.file.src_uri], 1)
        if board is not None:
            return output
        if variant is not None and variant.regional is not None and self.region.boards:
            assert self.helper is not None  # made in on_nav
            self.helper.give(BOARD_COPIES, output, page.file.src_uri, _site_path(page.url), page.file.dest_uri,
                             config.site_dir)
        return output

    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str | None:
        if not self.config.enabled or self.markup is None:
            return None
        if template_name == "sitemap.xml":  # written before the pages: the copies are known, not yet made
            copies = {self.site_url + url: [f"{self.site_url}{board}/{url}" for board in self._copied_to(src_uri)]
                      for url, src_uri in self.regional_urls.items() if src_uri in self.chapters}
            return board_pages.sitemap_with_copies(output_content, copies)
        if template_name == "404.html" and "</article>" in output_content:
            return output_content.replace("</article>", self.decorations.stamp("", None) + "</article>", 1)
        return output_content

    # Runs after Material's search plugin (default priority) has written the combined index.
    @event_priority(-50)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if not self.config.enabled:
            return
        if self.old_outputs is not None:
            self.old_outputs.wait()
        if self.helper is not None:
            try:
                for phase, spent in self.helper.finish().items():
                    self.timer.add(phase, spent)
            except Exception as error:  # raised in the helper process: its type and message come back
                raise PluginError(f"procedures: making the boards' copies and what-changed views failed: "
                                  f"{type(error).__name__}: {error}") from error
        with self.timer.phase("search index split"):
            self._split_search_index(config)
        if timings := os.environ.get("PROCEDURES_TIMINGS"):
            self.timer.write(Path(timings))

    def on_build_error(self, *, error: Exception) -> None:
        if self.helper is not None:
            self.helper.close()
        if self.old_outputs is not None:
            self.old_outputs.wait()

    def _write_board_copies(self, output: str, src_uri: str, url: str, dest_uri: str, site_dir: str) -> None:
        """Each board's copy of a regional page, made from its HTML and written beside the regional site."""
        variant = self.variants[src_uri]
        moved = board_pages.one_level_down(output, url, self.regional_urls)  # the same for every board
        copies: board_pages.BoardCopies | None = None
        for board in map(self.region.boards.__getitem__, self._copied_to(src_uri)):
            board_url = f"{board.id}/{url}"
            fragments = self.decorations.for_board(variant, board_url, board, copy=True)
            if copies is None:
                copies = board_pages.BoardCopies(moved, fragments, self.site_url + url, self.site_name)
            copy = copies.copy(board.id, fragments, self.site_url + board_url, self.decorations.board_site_name(board))
            target = Path(site_dir, board.id, dest_uri)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(copy, encoding="utf-8")

    def _copied_to(self, src_uri: str) -> list[str]:
        """The boards that get a copy of a regional page: all but those rendering their own (contents)."""
        return [board.id for board in self.region.boards.values()
                if variant_uri(board, src_uri) not in self.variants]

    def _as_board_page(self, output: str, board: Board, source_url: str, target_url: str) -> str:
        output = board_pages.for_board(output, board.id)
        output = board_pages.rebase_links(output, source_url, target_url, board.id, self.regional_urls)
        return board_pages.with_site_name(output, self.site_name, self.decorations.board_site_name(board))

    def _split_search_index(self, config: MkDocsConfig) -> None:
        if not self.region.boards:
            return
        index_file = Path(config.site_dir) / "search" / "search_index.json"
        if not index_file.is_file():
            return
        urls = {src_uri: url for url, src_uri in self.regional_urls.items()}
        local = {board: local_block_entries(self.chapters, self.region, urls, board) for board in self.region.boards}
        indexes = split_search_index(json.loads(index_file.read_text(encoding="utf-8")), list(self.region.boards),
                                     set(self.regional_urls), local)
        for board_id, index in indexes.items():
            target = Path(config.site_dir, board_id, "search", "search_index.json") if board_id else index_file
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps(index, separators=(",", ":")), encoding="utf-8")

    def _amendment_views(self, regional: list[RegionalChapter], config: MkDocsConfig) -> AmendmentViews:
        assert self.markup is not None
        root = _project_root(config)
        docs_root = Path(os.path.relpath(config.docs_dir, root)).as_posix()
        boards_dir = self.config.boards_dir or os.path.join(root, "boards")
        boards_root = Path(os.path.relpath(boards_dir, root)).as_posix()
        history: History | None = None
        if self.config.history.enabled:
            try:
                with self.timer.phase("history read"):
                    history = read_history(root, [docs_root, boards_root], self.config.history.ref,
                                           self.config.history.allow_shallow)
                self.editions = find_editions(root)
            except (HistoryError, EditionError) as error:
                raise PluginError(f"procedures: {error}") from error
        urls = {src_uri: url for url, src_uri in self.regional_urls.items()}
        records_dir = Path(self.config.amendments_dir) if self.config.amendments_dir else None
        # Comparisons depend on the blobs and on the regional wording of board values: both name the cache.
        cache = ComparisonCache(root / ".cache" / "procedures" / "changes",
                                json.dumps(self.config.regional_values, sort_keys=True))
        views, problems = assemble_views(history, catalogue_for(regional, self.region, docs_root, boards_root),
                                         records_dir, root, self.zone, self.region, self.markup, urls, cache)
        self._report(problems)
        return views

    def _log_page_sources(self, log_pages: dict[str, str] | None) -> list[Made]:
        """Every site's Amendments and Editions pages, as Markdown holding the slot their HTML goes in.

        The log is one large table: it is put in last (`on_post_page`), as nothing before has to read
        it. Kept on disk under `mkdocs serve --dirty`, a page must change when its HTML does.
        """
        made: list[Made] = []
        for uri, title in self._log_page_titles().items():
            digest = f"\n<!-- {hashlib.sha1(log_pages[uri].encode()).hexdigest()} -->\n" if log_pages else ""
            made.append((uri, _page(title, LOG_SLOT) + digest, InclusionLevel.NOT_IN_NAV))
        return made

    def _log_page_titles(self) -> dict[str, str]:
        titles = {}
        for board in [None, *self.region.boards]:
            root = f"{board}/" if board else ""
            titles[root + LOG_PAGE] = "Amendments"
            titles[root + EDITIONS_PAGE] = "Editions"
        return titles

    def _log_pages(self) -> dict[str, str]:
        """The HTML of every site's Amendments and Editions pages, by source path."""
        assert self.views is not None
        pages = {}
        for board in [None, *self.region.boards]:
            root = f"{board}/" if board else ""
            pages[root + LOG_PAGE] = self.views.log_page(board, _url_of(root + LOG_PAGE))
            pages[root + EDITIONS_PAGE] = editions_page(self.views, self.editions, board,
                                                        _url_of(root + EDITIONS_PAGE), self.zone,
                                                        pdfs=self.config.pdf and self.command != "serve")
        return pages

    def _amendment_files(self) -> list[Made]:
        """The feeds, the JSON, the check page, and the what-changed view of every amendment that has one
        (thousands in a long history): each file's path, content and place."""
        assert self.views is not None
        views = self.views
        made: list[Made] = [(f"{board}/{FEED}" if board else FEED, views.feed(board, self.site_url, self.site_name),
                             InclusionLevel.UNDEFINED) for board in [None, *self.region.boards]]
        made.append((JSON, views.as_json(), InclusionLevel.UNDEFINED))
        check_page = views.check_page(self.site_name, self.language, self.decorations.stamp("check/", None))
        made.append(("check/index.html", check_page, InclusionLevel.UNDEFINED))
        for amendment in views.with_changes():
            owner = self.region.boards.get(amendment.board) if amendment.board else None

            def stamp(url: str, board_name: str | None = owner.name if owner else None) -> str:
                return self.decorations.stamp(url, board_name)

            html = views.change_page(amendment.key, self.site_name, self.language, stamp)
            made.append((changes_url(amendment), html, InclusionLevel.UNDEFINED))
        return made

    def _write_amendment_files(self, site_dir: str) -> dict[str, str]:
        """The helper's first job: write the amendments' files; return the log pages' HTML."""
        for src_uri, content, _ in self._amendment_files():
            target = Path(site_dir, src_uri)
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content, encoding="utf-8")
        return self._log_pages()

    def _parts(self, nav: Navigation, local_titles: dict[str, str], board: str | None) -> list[Part]:
        """The contents page's parts: the regional sections, and on a board's site its own pages."""
        parts = []
        for item in nav.items:
            if not isinstance(item, Section):
                continue
            if item.title in local_titles and local_titles[item.title] != board:
                continue
            entries = []
            for page in _pages_in(item):
                variant = self.variants.get(page.file.src_uri)
                chapter = variant.regional.chapter if variant and variant.regional else None
                if variant is not None and variant.board_page is not None:
                    chapter = variant.board_page.chapter
                if chapter is not None:
                    entries.append(ContentsEntry(page.title or chapter.title, _site_path(page.url),
                                                 chapter.under_review))
            parts.append(Part(item.title, entries))
        return parts

    def _read_chapters(self, files: Files, config: MkDocsConfig) -> list[RegionalChapter]:
        chapters: list[RegionalChapter] = []
        problems: list[Problem] = []
        for file in files.documentation_pages():
            if file.generated_by is not None:
                continue
            text = file.content_string
            chapter, found = read_chapter(_project_path(file, config), text, file.src_uri)
            problems.extend(found)
            if chapter is not None:
                front = split_front_matter(text)
                chapters.append(RegionalChapter(file.src_uri, chapter, front.body, front.body_line))
        problems.extend(duplicate_ids(chapter.chapter for chapter in chapters))
        self._report(problems)
        return chapters

    def _report(self, problems: list[Problem]) -> None:
        try:
            warnings = raise_errors(problems)
        except ContentError as error:
            raise PluginError(f"procedures: the manual has errors:\n{error}") from error
        for warning in warnings:
            log.warning(str(warning))


def _url_of(src_uri: str) -> str:
    """A generated page's URL below the site's root (directory URLs): `north/amendments.md` → `north/amendments/`."""
    return src_uri.removesuffix(".md") + "/"


def _site_path(url: str) -> str:
    """A page's URL as a path below the site's root: the home page is `""`, not `./`."""
    return "" if url in ("./", ".") else url


def _text_of(files: Files, variant: Variant) -> str:
    source = files.get_file_from_path(variant.regional.src_uri if variant.regional else "")
    return source.content_string if source is not None else ""


def _page(title: str, html: str) -> str:
    """A generated page's Markdown: front matter with its title, then HTML the plugin rendered.

    The amendments log is left out of search: it would fill results with every chapter's name.
    """
    front = {"title": title, "search": {"exclude": True}}
    return "---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n\n" + html


def _project_root(config: MkDocsConfig) -> Path:
    return Path(os.path.dirname(os.path.abspath(config.config_file_path or "mkdocs.yml")))


def _project_path(file: File, config: MkDocsConfig) -> str:
    """A file's path as an editor sees it: relative to the folder holding `mkdocs.yml`."""
    return Path(os.path.relpath(file.abs_src_path or file.src_path, _project_root(config))).as_posix()


def _pages_in(item: Any) -> list[Page]:
    if isinstance(item, Page):
        return [item]
    return [page for child in (item.children or []) for page in _pages_in(child)]
