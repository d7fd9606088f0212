"""One build of the manual under MkDocs: the regional site and every board's, made as MkDocs' events arrive.

Made in `on_config` and dropped with the build, it holds everything one build knows: the chapters,
the boards, the pages to render for each site, the amendments, and the helper process that makes the
boards' copies and the what-changed views beside MkDocs. The plugin's events each call one method.
"""

from __future__ import annotations

import functools
import html
import json
import os
import shutil
from collections.abc import Callable, Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import ConfigurationError, PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from ..config import ProceduresConfig
from ..core.boards import find_board_folders, value_paths_named
from ..core.cache_files import cache_folder
from ..core.history import history_moves
from ..core.overlays import LocalBlock
from ..core.problems import Problem, Severity
from ..core.region import Region, RegionalChapter, load_region
from ..core.reviews import PublishedChapter, review_records
from ..core.schedule import NextUpdate
from ..core.site_layout import (
    ACCESSIBILITY_PAGE,
    ASSETS_FOLDER,
    CHANGES_FOLDER,
    EDITIONS_PAGE,
    LOG_PAGE,
    PRIVACY_PAGE,
    PRIVACY_PAGE_URL,
    REVIEW,
    whole_manual_pdf,
)
from ..core.stamp import StampFormatError, StampWording, build_moment, time_zone
from ..render import board_pages, sanitise
from ..render.board_sites import BoardSites
from ..render.decorations import PageDecorations
from ..render.markup import (
    ContentsEntry,
    PageMarkup,
    Part,
    insert_after_title,
    insert_in_head,
    markdown_text,
    without_value_marks,
)
from ..render.qr import QrCodes
from ..render.variants import Variant, VariantMarkdown, local_section, local_section_title, plan_variants
from .amendment_pages import AMENDMENT_FILES, AMENDMENT_LOGS, AmendmentPages, SiteMarkdown
from .block_markdown import BlockMarkdown
from .build_lock import BuildLock, SiteBusy
from .freed_memory import FreedMemory
from .helper import Helper, can_fork
from .kept_renders import KeptRenders
from .navigation import KeptNavigation, SharedNavigation
from .old_outputs import OldOutputs
from .old_pages import OldPages
from .regional_pages import read_regional_chapters, report, theme_statuses
from .serving import DirtyServe, Made, material_search_index
from .timings import PhaseTimer

log = get_plugin_logger(__name__)
ASSETS = ("procedures.css", "procedures.js", "check.js")
ASSETS_URI = f"{ASSETS_FOLDER}/procedures"
CHECK_VARIABLE = "PROCEDURES_CHECK"
OVERRIDES = str(resources.files("mkdocs_procedures.render") / "overrides")
BOARD_COPIES = "board pages"
"""The helper's job, named as the build's timings name its phase."""


class SiteBuild:
    def __init__(self, settings: ProceduresConfig, config: MkDocsConfig, command: str,
                 serving: DirtyServe | None) -> None:
        if not config.site_url:
            raise ConfigurationError(
                "procedures: `site_url` must be set in mkdocs.yml: every printed page names its own "
                "address on the published site (for example `site_url: https://procedures.example.org/`)"
            )
        if settings.boards_dir and config.nav is None:
            raise ConfigurationError(
                "procedures: boards need an explicit `nav` in mkdocs.yml: each board's navigation is the "
                "regional one with the board's own pages added"
            )
        wording = StampWording(template=settings.stamp.template, fallback_template=settings.stamp.fallback_template,
                               date_format=settings.stamp.date_format)
        try:
            wording.check()
            zone = time_zone(settings.time_zone)
        except StampFormatError as error:
            raise ConfigurationError(f"procedures: {error}") from error
        self.settings, self.command, self.serving = settings, command, serving
        self.root = project_root(config)
        # Templates compiled once and kept in `.cache/` (Jinja checks each against its source): the theme's
        # and ours, compiled again by every build and every rebuild of `mkdocs serve` otherwise.
        compiled = cache_folder(self.root) / "templates"
        compiled.mkdir(parents=True, exist_ok=True)
        self.compiled_templates = jinja2.FileSystemBytecodeCache(str(compiled))
        self.markup = PageMarkup(wording, stamp_on_screen=settings.stamp.show_on_screen,
                                 compiled_templates=self.compiled_templates)
        site_url = config.site_url.rstrip("/") + "/"
        # Set by `procedures as-at` and `procedures editions` when they build an earlier version.
        self.earlier = os.environ.get("PROCEDURES_AS_AT", "").split()
        # Set by `procedures check`, which runs this build to validate the manual and writes no pages: what
        # only makes output (the boards' copies, the what-changed views, feeds) is left out.
        self.checking = os.environ.get(CHECK_VARIABLE) == "1"
        self.decorations = PageDecorations(
            self.markup, site_url, config.site_name, build_moment(zone),
            QrCodes(cache_folder(self.root) / "qr"), get_relative_url,
            settings.board_selector_label, self.earlier, os.environ.get("PROCEDURES_CURRENT_SITE"),
            contacts_page=settings.contacts_page, recent_days=settings.recent_days,
            next_update=self._next_update(settings, zone))
        self.timer = PhaseTimer()
        self.amendments = AmendmentPages(settings, self.root, config.docs_dir, self.decorations, zone, self.timer,
                                         str(config.theme.get("language") or "en"),
                                         with_pdfs=settings.pdf and command != "serve",
                                         render_markdown=SiteMarkdown(config.markdown_extensions,
                                                                      config.mdx_configs or {}))
        self.amendments.old_pages = OldPages(self.markup, site_url, config.site_name,
                                             str(config.theme.get("language") or "en"),
                                             lambda src_uri: _address_of(config, src_uri), settings.contents_page)
        self.region = Region()
        self.variants: dict[str, Variant] = {}
        self.parts: dict[str | None, list[Part]] = {}
        self.variant_markdown: VariantMarkdown | None = None
        self.board_sites: BoardSites | None = None
        self.helper: Helper | None = None
        self.log_folder: str | None = None
        """Where the helper hands over the log pages' HTML, one file each (deleted when the build ends)."""
        self.written: Page | None = None
        """The chapter last written, whose text is let go of once MkDocs is done with it (`_let_go_of_written`)."""
        self.merged_from: tuple[str, str] | None = None
        """The page whose Markdown was last merged, by its source path, and the Markdown it was merged from."""
        self.old_outputs: OldOutputs | None = None
        self.finished: list[Made] = []
        """Under `mkdocs serve --dirty`, the made files MkDocs does not render: the plugin writes them."""
        self.log_page_uris: set[str] = set()
        self.page_urls: set[str] = set()
        """Under `mkdocs serve --dirty`, every page's address, as pages name it (`page.url`)."""
        self.pages_made: set[str] = set()
        """The addresses of the pages this build made (under `mkdocs serve --dirty`, those made again)."""
        self.block_markdown: BlockMarkdown | None = None
        self.navigation: SharedNavigation | None = None
        self.lock = BuildLock(cache_folder(self.root), Path(config.site_dir))
        self.freed_memory = FreedMemory()
        # One set of renders for each command: `procedures check` and `mkdocs serve` give some pages other
        # Markdown than a build does, and would otherwise replace the renders the next build needs.
        self.kept_renders = (KeptRenders(cache_folder(self.root) / "renders" /
                                         ("check" if self.checking else command), config)
                             if settings.keep_renders else None)

    def _next_update(self, settings: ProceduresConfig, zone: ZoneInfo) -> NextUpdate | None:
        """The next planned update to show, unless it has passed: then readers are told nothing, and the
        editors are warned (a strict build fails)."""
        planned = settings.next_update
        if planned is None or not planned.has_passed(build_moment(zone).date()):
            return planned
        report([Problem("mkdocs.yml", None, f"plugin `procedures`, option `next_update`: {planned.text()} has "
                        "passed; expected the next planned update (a month like `2027-01` or a day like "
                        "`2027-01-15`), or no `next_update`", Severity.WARNING)])
        return None

    def configure(self, config: MkDocsConfig) -> None:
        """What the build adds to MkDocs' configuration: its styles and script, what serve watches."""
        # `mkdocs serve` rebuilds when a board's content or an amendment record changes, too.
        config.watch.extend(folder for folder in (self.settings.boards_dir, self.settings.amendments_dir) if folder)
        if self.earlier[:1] == ["edition"]:
            config.extra["version"] = {"provider": "mike"}  # Material's selector reads ../versions.json
        # Our partials (the footer's links, the navigation) come after a project's own overrides, before the theme's.
        if OVERRIDES not in config.theme.dirs:
            config.theme.dirs.insert(1 if config.theme.custom_dir else 0, OVERRIDES)
        # The footer of every page links the site's notes: accessibility (when set) and privacy.
        footer = [{"title": "Privacy and cookies", "url": PRIVACY_PAGE_URL}]
        if self.settings.accessibility.organisation and self.settings.accessibility.email:
            footer.insert(0, {"title": "Accessibility statement", "url": _stem_url(ACCESSIBILITY_PAGE)})
        config.extra["procedures_footer"] = footer
        config.extra_css.append(f"{ASSETS_URI}/procedures.css")
        config.extra_javascript.append(f"{ASSETS_URI}/procedures.js")

    def history_moves(self) -> list[Path]:
        """What `mkdocs serve` watches besides the files: the history, which a commit moves."""
        return history_moves(self.root) if self.settings.history.enabled and not self.earlier else []

    def helper_beside(self) -> bool:
        """Whether the plugin's work can run in a second process (see `helper.py`)."""
        return self.settings.helper_process and self.command == "build" and can_fork()

    def start(self, site_dir: str, docs_dir: str) -> None:
        """Before MkDocs empties the site folder: hold it for this build (a second build into it is refused);
        the old boards' copies and what-changed views, most of its files, and the folders of the regional
        pages are set aside to be written over."""
        try:
            self.lock.acquire()
        except SiteBusy as error:
            raise PluginError(f"procedures: {error}") from error
        if self.command != "build" or self.checking:
            return
        boards_dir = self.settings.boards_dir
        boards = [folder.name for folder in find_board_folders(Path(boards_dir))] if boards_dir else []
        self.old_outputs = OldOutputs(cache_folder(self.root) / "kept")
        self.old_outputs.set_aside(Path(site_dir), [CHANGES_FOLDER, *boards], shared=_page_folders(Path(docs_dir)))

    def add_files(self, files: Files, config: MkDocsConfig) -> Files:
        """Read the manual; add every board's pages, the log pages and the plugin's assets to the files."""
        for name in ASSETS:
            source = resources.files("mkdocs_procedures.render") / "assets" / name
            self._add(files, config, (f"{ASSETS_URI}/{name}", source.read_bytes(), InclusionLevel.UNDEFINED))
        regional = read_regional_chapters(files, config, self.root)
        boards_dir = Path(self.settings.boards_dir) if self.settings.boards_dir else None
        region, problems = load_region(self.root, boards_dir, regional, self.settings.regional_values,
                                       earlier=bool(self.earlier), theme_statuses=theme_statuses(config))
        report(problems)
        self.region = self.decorations.region = region
        self.variants = plan_variants(regional, region, self.settings.contents_page)
        self.variant_markdown = VariantMarkdown(region, self.markup, [chapter.src_uri for chapter in regional],
                                                every_boards_values=not self.checking)
        self.variant_markdown.value_paths.update((chapter.src_uri, value_paths_named(chapter.body))
                                                 for chapter in regional)
        for variant in self.variants.values():
            if variant.board is None:
                continue
            in_nav = variant.board_page is not None
            text = variant.board_page.text if variant.board_page else _text_of(files, variant)
            self._add(files, config, (variant.src_uri, text,
                                    InclusionLevel.UNDEFINED if in_nav else InclusionLevel.NOT_IN_NAV))
        if config.nav is not None:
            # Every board's own pages join the navigation; each section shows only on that board's pages
            # (and on the regional site once a reader picks the board).
            for board in region.boards.values():
                if region.pages.get(board.id):
                    config.nav.append(local_section(board, region.pages[board.id]))
        regional_urls = {site_path(files.get_file_from_path(c.src_uri).url): c.src_uri  # type: ignore[union-attr]
                         for c in regional}
        self.amendments.taken = ({*regional_urls, *(site_path(file.url) for file in files.documentation_pages())}
                                 | {f"{board}/{url}" for board in region.boards for url in regional_urls})
        made, problems = self.amendments.made(regional, region, regional_urls, self.serving)
        report(problems)
        self.log_page_uris = set(self.amendments.log_page_titles())
        own_note = files.get_file_from_path(PRIVACY_PAGE) is not None
        if own_note:  # the editors' own note wins, on every site (the boards have copies of it)
            log.info(f"procedures: {PRIVACY_PAGE} is the manual's own privacy note; every site's footer links it, "
                     "and it should say what the browser keeps (the board picked, the chapters read)")
        for board_id in [] if own_note else [None, *region.boards]:
            uri = f"{board_id}/{PRIVACY_PAGE}" if board_id else PRIVACY_PAGE
            page = self.markup.privacy_page(regional=board_id is None, analytics=_analytics(config))
            self._add(files, config, (uri, page, InclusionLevel.NOT_IN_NAV))
        for item in self._about_pages(config, region, regional, regional_urls):
            self._add(files, config, item)
        regional_urls[PRIVACY_PAGE_URL] = PRIVACY_PAGE
        regional_urls[LOG_PAGE.removesuffix(".md") + "/"] = LOG_PAGE
        regional_urls[EDITIONS_PAGE.removesuffix(".md") + "/"] = EDITIONS_PAGE
        for item in made:
            self._add(files, config, item)
        if self.serving is not None:
            self.serving.write_finished(config.site_dir, self.finished)
            self.serving.forget_stale_pages(regional, region, files, config.site_dir, self._shown_as_written(config))
            self.serving.forget_pages_if_navigation_changed(
                (_text_of_file(config.config_file_path), config.nav,
                 [(file.src_uri, file.inclusion) for file in files.documentation_pages()],
                 [(chapter.src_uri, chapter.chapter.title) for chapter in regional],
                 [(board, page.src_uri, page.chapter.title) for board, pages in region.pages.items()
                  for page in pages]), files)
        self.board_sites = BoardSites(region, self.variants, {c.src_uri: c.chapter for c in regional}, regional_urls,
                                      self.decorations, self.decorations.site_url, self.decorations.site_name,
                                      self.variant_markdown.value_paths)
        if self.old_outputs is not None:  # MkDocs has emptied the site folder, and nothing is written yet
            self.old_outputs.put_back({file.dest_uri for file in files})
        return files

    @staticmethod
    def _shown_as_written(config: MkDocsConfig) -> Callable[[str], bool]:
        """Whether the site's Markdown, and the cleaner of boards' text, show a board value's text as it is
        written (some extensions make symbols of `1st` or `c/o`): asked of the few values `board.yml` changed."""
        render = SiteMarkdown(config.markdown_extensions, config.mdx_configs or {})

        @functools.cache
        def shown_as_written(text: str) -> bool:
            paragraph = f"<p>{text}</p>"
            return render(str(markdown_text(text))) == paragraph and sanitise.block_html(paragraph) == paragraph

        return shown_as_written

    def _about_pages(self, config: MkDocsConfig, region: Region, regional: Sequence[RegionalChapter],
                     regional_urls: dict[str, str]) -> list[Made]:
        """Each site's accessibility statement (when the settings give one) and `review.json`."""
        made: list[Made] = []
        statement = self.settings.accessibility
        if statement.organisation and statement.email:
            regional_urls[_stem_url(ACCESSIBILITY_PAGE)] = ACCESSIBILITY_PAGE
            built = self.decorations.built_at.strftime("%-d %B %Y")
            for board in [None, *region.boards.values()]:
                site = self.decorations.site_url + (f"{board.id}/" if board else "")
                contact = board.admins[0].email if board and board.admins else None
                text = self.markup.accessibility_statement(statement, config.site_name, site, board, contact, built)
                made.append((f"{board.id}/{ACCESSIBILITY_PAGE}" if board else ACCESSIBILITY_PAGE, text,
                             InclusionLevel.NOT_IN_NAV))
        today = self.decorations.built_at.date()
        url_of = {src_uri: url for url, src_uri in regional_urls.items()}
        site_url = self.decorations.site_url
        shared = [(chapter.chapter, url_of.get(chapter.src_uri)) for chapter in regional]
        for board_id in [None, *region.boards]:
            root = f"{board_id}/" if board_id else ""
            published = [PublishedChapter(chapter, site_url + root + url) for chapter, url in shared if url is not None]
            for owner, pages in region.pages.items():
                if board_id in (None, owner):
                    published += [PublishedChapter(page.chapter,
                                                   site_url + _address_of(config, f"{owner}/{page.src_uri}"), owner)
                                  for page in pages]
            # A record a line: as readable as `indent`, which has only the slow, pure-Python encoder.
            records = review_records(published, today)
            data = "[\n" + ",\n".join(json.dumps(record, ensure_ascii=False) for record in records) + "\n]\n"
            made.append((root + REVIEW, data, InclusionLevel.UNDEFINED))
        return made

    def _add(self, files: Files, config: MkDocsConfig, item: Made) -> None:
        """Add a file the plugin makes to MkDocs' files; under `mkdocs serve --dirty`, one MkDocs does not
        render (a view, a feed, JSON) goes straight into the site folder instead, as a build's helper writes it."""
        if self.serving is not None and not item[0].endswith(".md"):
            self.finished.append(item)
        else:
            files.append(self._made(config, item))

    def _made(self, config: MkDocsConfig, item: Made) -> File:
        """A file the plugin makes: in memory, or under `mkdocs serve --dirty` kept on disk."""
        if self.serving is not None:
            return self.serving.file(config, item)
        src_uri, content, inclusion = item
        return File.generated(config, src_uri, content=content, inclusion=inclusion)

    def start_helper(self, nav: Navigation, site_dir: str) -> None:
        """Everything the boards' copies and the what-changed views are made from is known now: the contents
        pages' parts, from the navigation, and the helper that makes the rest beside MkDocs."""
        local_titles = {local_section_title(board): board.id for board in self.region.boards.values()}
        self.parts = {None: self._parts(nav, local_titles, None)}
        for board in self.region.boards.values():
            self.parts[board.id] = self._parts(nav, local_titles, board.id)
        assert self.board_sites is not None  # made in add_files
        if self.serving is not None:  # after the parts, which a build makes without the pages' titles
            self.serving.give_pages(nav)
        if self.checking:
            return
        # Two lanes beside MkDocs: the boards' copies, and the amendments' pages (the logs first: MkDocs'
        # process waits for them when it writes a log page).
        self.helper = Helper({BOARD_COPIES: self._write_copies,
                              AMENDMENT_LOGS: self.amendments.write_log_pages,
                              AMENDMENT_FILES: self.amendments.write_files},
                             self.helper_beside(), lanes={AMENDMENT_LOGS: AMENDMENT_FILES})
        if self.serving is None:
            # One folder per site folder, which no other build holds now (`build_lock.py`): what is in it
            # was left by a build that was stopped.
            folder = self.log_folder = str(cache_folder(self.root) / "logs" / self.lock.name)
            shutil.rmtree(folder, ignore_errors=True)
            os.makedirs(folder)
            written = self.helper.give(AMENDMENT_LOGS, folder)

            def log_pages_folder() -> Path:
                written()  # waits for the helper to have written them all
                return Path(folder)

            self.amendments.later_log_pages = log_pages_folder
            self.helper.give(AMENDMENT_FILES, site_dir)
            self.amendments.let_go_of_history()
        if self.region.boards:
            self.helper.open(BOARD_COPIES)  # before MkDocs reads the pages: the copies' process stays small

    def _write_copies(self, *arguments: Any) -> None:
        """The helper's job for each regional page: every board's copy of it (`BoardSites.write_copies`)."""
        assert self.board_sites is not None
        self.board_sites.write_copies(*arguments)
        self.freed_memory.page_made()

    def environment(self, environment: jinja2.Environment, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        """The theme's templates, with the navigation shared between pages that show it alike (see
        `navigation.py`); with `shared_navigation: false` the theme renders it on every page."""
        if self.serving is not None:  # every page's address, once other plugins have set them (a blog's posts)
            self.page_urls = {site_path(file.url) for file in files.documentation_pages()}
        if self.kept_renders is not None:  # after every plugin's on_config: Material's search made its index then
            self.kept_renders.index_search(config.plugins)
        if environment.bytecode_cache is None:
            environment.bytecode_cache = self.compiled_templates
        # MkDocs makes the environment for one build (`mkdocs serve` makes another for each rebuild): the
        # templates do not change while it renders, and Jinja need not ask the disk at each of thousands of uses.
        environment.auto_reload = False
        # A build keeps each group's navigation for the next (not `serve` nor `check`, which make pages their
        # own way); what the templates read besides the navigation names it.
        kept = KeptNavigation(
            cache_folder(self.root) / "navigation",
            {"site": [config.site_name, config.site_url, config.use_directory_urls, config.repo_url,
                      config.repo_name, config.edit_uri], "extra": config.extra,
                      "theme": {name: config.theme[name] for name in config.theme}},
            config.theme.dirs) if self.command == "build" and not self.checking else None
        self.navigation = SharedNavigation(environment, config.theme.dirs, OVERRIDES,
                                           enabled=self.settings.shared_navigation, kept=kept)
        environment.globals["procedures_navigation"] = self.navigation.render
        return environment

    def page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        """A page's Markdown with the board's blocks and values merged in, and the contents page's PDF link."""
        if self.kept_renders is not None:
            self.kept_renders.attach(page)
        variant = self.variants.get(page.file.src_uri)
        if variant is None or self.variant_markdown is None:
            return markdown
        # A title is text: Material writes it as it is into the navigation, `<title>` and the heading.
        page.title = page.meta["title"] = html.escape(page.title or "", quote=False)
        if self.block_markdown is None:
            self.block_markdown = BlockMarkdown(config, files, self.kept_renders)
        self.merged_from = (page.file.src_uri, markdown)
        with self.timer.phase("overlay merge"):
            render_block = self.block_markdown.for_page(page.file)
            if self.checking:  # a block is checked as it is rendered; its HTML, never written, need not be parsed again
                render_block = _checked_only(render_block)
            markdown = self.variant_markdown.markdown(variant, markdown, render_block)
        if variant.regional is not None and variant.regional.src_uri == self.settings.contents_page:
            board_id = variant.board.id if variant.board else None
            site_root = f"{board_id}/" if board_id else ""
            # The PDFs are printed from a built site (`procedures pdf`): not for earlier versions or previews.
            pdf_href = (get_relative_url(site_root + whole_manual_pdf(board_id), page.url)
                        if self.settings.pdf and not self.earlier and self.command != "serve" else None)
            markdown = markdown.rstrip("\n") + "\n\n" + self.markup.contents(
                self.parts.get(board_id, []), pdf_href, variant.board.name if variant.board else None)
        self.timer.start(page.file.src_uri)
        return markdown

    def rendered_content(self, page: Page) -> str | None:
        """A page's HTML as Markdown made it: a board's own page cleaned (its board admins wrote all of it)."""
        self.timer.stop(page.file.src_uri, "markdown render")
        if self.merged_from is not None and self.merged_from[0] == page.file.src_uri:
            # Rendered: the page keeps its own Markdown, not the merged one (every board's blocks and values,
            # in the plugin's own marks, four times as long), which MkDocs would hold until the page is written.
            page.markdown, self.merged_from = self.merged_from[1], None
        if self.block_markdown is not None:
            self.block_markdown.checked_with(page)
        variant = self.variants.get(page.file.src_uri)
        if variant is not None and variant.board_page is not None:
            return sanitise.board_page_html(page.content or "")
        return None

    def decorated_content(self, page: Page) -> str:
        """A page's HTML with what the plugin adds to it: contents lists, last amended, the board picker or
        note, citation, amendments, stamp, and on an earlier version the banner naming it."""
        self._let_go_of_written()
        html = without_value_marks(page.content or "")  # Material's search has read them
        if self.serving is not None:
            self.serving.keep_page(page)
            self.pages_made.add(site_path(page.url))
        variant = self.variants.get(page.file.src_uri)
        regional = variant.regional if variant is not None else None
        if variant is not None and regional is not None and regional.src_uri == self.settings.contents_page:
            parts = self.parts.get(variant.board.id if variant.board else None, [])
            board_id = variant.board.id if variant.board else None
            html = self.markup.contents_lists(html, parts, page.url, get_relative_url,
                                              lambda entry: self.decorations.recent_mark(entry.chapter_id, board_id))
        html = self._decorated(html, page, variant)
        # An earlier version says so right under its title, above everything else.
        notice = self.decorations.earlier_notice(site_path(page.url))
        self.timer.start(page.file.src_uri)
        return insert_after_title(html, board_pages.fragment("notice", notice)) if notice else html

    def _decorated(self, html: str, page: Page, variant: Variant | None) -> str:
        if variant is None:
            owner = self.region.boards.get(page.file.src_uri.split("/", 1)[0])
            return html + self.decorations.stamp(page.url, owner.name if owner else None)
        chapter = variant.regional.chapter if variant.regional else None
        if chapter is not None and chapter.under_review:
            html = insert_after_title(html, self.markup.under_review_banner(chapter))
        board, url = variant.board, site_path(page.url)
        decorations = self.decorations
        fragments = decorations.for_board(variant, url, board) if board else decorations.regional(variant, url)
        top = board_pages.fragment("top", fragments["top"])
        # The stamp's version and check address follow the text, before the chapter's amendments: on paper
        # they then share a sheet with the text or the amendments, never one of their own (Chromium does
        # not keep a block with the rows of a long table before it).
        return insert_after_title(html, top) + "".join(
            board_pages.fragment(name, fragments[name]) for name in ("stamp", "cite", "amendments", "feed", "selector"))

    def written_page(self, output: str, page: Page, site_dir: str) -> str:
        """A page as written: a board's own page made the board's; a regional page given to the helper for
        every board's copy; a log page with its log."""
        self.timer.stop(page.file.src_uri, "template render")
        self.freed_memory.page_made()
        assert self.board_sites is not None  # made in add_files
        output = self.board_sites.mark_sections(output)
        board = self.board_sites.board_of(page.file.src_uri)
        head = self.decorations.head(site_path(page.url), board)
        output = insert_in_head(output, board_pages.fragment("head", head))
        if board is not None:
            output = self.board_sites.as_board_page(output, board, site_path(page.url))
        if page.file.src_uri in self.log_page_uris:
            return self.amendments.with_log(output, page.file.src_uri)
        variant = self.variants.get(page.file.src_uri)
        self.written = page if variant is not None else None
        if board is None and variant is not None and variant.regional is not None and self.region.boards \
                and self.helper is not None:
            self.helper.give(BOARD_COPIES, output, page.file.src_uri, site_path(page.url), page.file.dest_uri,
                             site_dir)
        return output

    def _let_go_of_written(self) -> None:
        """Let go of the chapter last written's Markdown and HTML, once MkDocs and every plugin are done with
        it (MkDocs holds every page to the end of the build). A regional chapter's HTML carries every board's
        version of it and the plugin's additions: at 300 chapters and nine boards, held to the end, they
        took more memory than all MkDocs and Material keep of the pages."""
        if self.written is not None:
            self.written.content = self.written.markdown = None
            self.written = None

    def written_template(self, output: str, template_name: str) -> str:
        """The sitemap with every board's copies; the 404 page with the stamp."""
        if template_name == "sitemap.xml" and self.board_sites is not None:
            # Written before the pages: the copies are known, not yet made.
            return self.board_sites.sitemap(output)
        if template_name == "404.html" and "</article>" in output:
            output = insert_in_head(output, self.decorations.head("", None))
            output = output.replace("</h1>", "</h1>" + self.decorations.not_found(), 1)
            return output.replace("</article>", self.decorations.stamp("", None) + "</article>", 1)
        return output

    def finish(self, site_dir: str, plugins: Mapping[str, object]) -> None:
        """Wait for the helper; one search index per site; delete what this build did not write; the timings."""
        self._let_go_of_written()
        if self.helper is not None:
            try:
                for phase, spent in self.helper.finish().items():
                    self.timer.add(phase, spent)
            except Exception as error:  # raised in the helper process: its type and message come back
                raise PluginError(f"procedures: making the boards' copies and what-changed views failed: "
                                  f"{type(error).__name__}: {error}") from error
        if self.board_sites is not None:
            with self.timer.phase("search index split"):
                # Under `mkdocs serve --dirty`, of every page, not only of those made again.
                if self.serving is None:
                    index = material_search_index(plugins)
                    self.board_sites.split_search_index(site_dir, written=index.entries if index else None)
                else:
                    self.board_sites.split_search_index(site_dir,
                                                        self.serving.search_index(plugins, self.pages_made,
                                                                                  self.page_urls),
                                                        self.serving.search_indexes_in(site_dir))
        self._delete_log_folder()
        if self.old_outputs is not None:
            self.old_outputs.delete_unwritten()
        if timings := os.environ.get("PROCEDURES_TIMINGS"):
            self.timer.write(Path(timings))
        self.lock.release()

    def abandon(self) -> None:
        """After a failed build: stop the helper; nothing of an earlier build is left among what this one wrote."""
        if self.helper is not None:
            self.helper.close()
        self._delete_log_folder()
        if self.old_outputs is not None:
            self.old_outputs.delete_unwritten()
        self.lock.release()

    def _delete_log_folder(self) -> None:
        if self.log_folder is not None:
            shutil.rmtree(self.log_folder, ignore_errors=True)
            self.log_folder = None

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
                    entries.append(ContentsEntry(page.title or chapter.title, site_path(page.url),
                                                 chapter.under_review, chapter.id))
            parts.append(Part(item.title, entries))
        return parts


def _checked_only(render_block: Callable[[str, LocalBlock], str]) -> Callable[[str, LocalBlock], str]:
    def check(text: str, block: LocalBlock) -> str:
        render_block(text, block)
        return ""
    return check


def _page_folders(docs_dir: Path) -> list[str]:
    """The site's folders the manual's own files go to: one for each folder at the top of `docs_dir`, and
    for each page there (`contents.md` is published as `contents/index.html`)."""
    try:
        return sorted({entry.name if entry.is_dir() else entry.name.rpartition(".")[0] or entry.name
                       for entry in os.scandir(docs_dir) if not entry.name.startswith(".")})
    except OSError:
        return []


def _stem_url(src_uri: str) -> str:
    return src_uri.removesuffix(".md") + "/"


def _address_of(config: MkDocsConfig, src_uri: str) -> str:
    """Where the generator publishes a page from `src_uri`, below the site's root (its own rule)."""
    return site_path(File(src_uri, config.docs_dir, config.site_dir, config.use_directory_urls).url)


def _analytics(config: MkDocsConfig) -> str | None:
    """The analytics service the theme is set to report visits to (Material's `extra.analytics`), if any."""
    analytics = config.extra.get("analytics")  # `extra` is MkDocs' own mapping of free settings
    if isinstance(analytics, dict) and analytics.get("provider"):
        return str(analytics["provider"])
    return None


def site_path(url: str) -> str:
    """A page's URL as a path below the site's root: the home page is `""`, not `./`."""
    return "" if url in ("./", ".") else url


def project_root(config: MkDocsConfig) -> Path:
    """The folder holding `mkdocs.yml`."""
    return Path(os.path.dirname(os.path.abspath(config.config_file_path or "mkdocs.yml")))


def _text_of_file(path: str | None) -> str:
    try:
        return Path(path).read_text(encoding="utf-8") if path else ""
    except OSError:
        return ""


def _text_of(files: Files, variant: Variant) -> str:
    source = files.get_file_from_path(variant.regional.src_uri if variant.regional else "")
    return source.content_string if source is not None else ""


def _pages_in(item: Any) -> list[Page]:
    if isinstance(item, Page):
        return [item]
    return [page for child in (item.children or []) for page in _pages_in(child)]

