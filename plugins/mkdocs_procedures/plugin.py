"""The MkDocs adapter: thin glue between MkDocs' build events and the manual's domain modules."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import ConfigurationError, PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation, Section, get_navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url
from mkdocs.utils.templates import TemplateContext

from .amendment_views import FEED, JSON, LOG_PAGE, AmendmentViews, ComparisonCache, changes_file
from .amendments import catalogue_for, collect
from .chapters import Chapter, duplicate_ids, read_chapter, split_front_matter
from .config import ProceduresConfig
from .history import History, HistoryError, read_history
from .problems import ContentError, Problem, raise_errors
from .region import Region, RegionalChapter, load_region
from .rendering import ContentsEntry, PageMarkup, Part, insert_after_title, relative_link
from .search_index import split_search_index
from .stamp import PrintStamp, StampFormatError, StampWording, build_moment, time_zone
from .timings import PhaseTimer
from .variants import Variant, VariantMarkdown, board_nav, plan_variants, variant_uri

log = get_plugin_logger(__name__)

ASSETS = ("procedures.css", "procedures.js")
ASSETS_URI = "assets/procedures"
_CONFIG_SCRIPT = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.S)


class ProceduresPlugin(BasePlugin[ProceduresConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.chapters: dict[str, Chapter] = {}
        self.region = Region()
        self.variants: dict[str, Variant] = {}
        self.board_navs: dict[str, Navigation] = {}
        self.parts: dict[str | None, list[Part]] = {}
        self.built_at: dt.datetime | None = None
        self.markup: PageMarkup | None = None
        self.variant_markdown: VariantMarkdown | None = None
        self.site_name = ""
        self.views: AmendmentViews | None = None
        self.log_pages: dict[str, str | None] = {}
        self.timer = PhaseTimer()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
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
            zone = time_zone(self.config.time_zone)
        except StampFormatError as error:
            raise ConfigurationError(f"procedures: {error}") from error
        self.markup = PageMarkup(wording, stamp_on_screen=self.config.stamp.show_on_screen)
        self.built_at = build_moment(zone)
        self.zone = zone
        self.site_name = config.site_name
        config.extra_css.append(f"{ASSETS_URI}/procedures.css")
        config.extra_javascript.append(f"{ASSETS_URI}/procedures.js")
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled or self.markup is None:
            return None
        for name in ASSETS:
            source = resources.files("mkdocs_procedures") / "assets" / name
            files.append(File.generated(config, f"{ASSETS_URI}/{name}", content=source.read_bytes()))
        regional = self._read_chapters(files, config)
        self.chapters = {chapter.src_uri: chapter.chapter for chapter in regional}
        boards_dir = Path(self.config.boards_dir) if self.config.boards_dir else None
        region, problems = load_region(_project_root(config), boards_dir, regional, self.config.regional_values)
        self._report(problems)
        self.region = region
        self.variants = plan_variants(regional, region)
        self.variant_markdown = VariantMarkdown(region, self.markup)
        for variant in self.variants.values():
            if variant.board is None:
                continue
            text = variant.board_page.text if variant.board_page else files.get_file_from_path(
                variant.regional.src_uri if variant.regional else ""
            ).content_string  # type: ignore[union-attr]
            files.append(File.generated(config, variant.src_uri, content=text, inclusion=InclusionLevel.NOT_IN_NAV))
        self.views = self._amendment_views(regional, files, config)
        with self.timer.phase("what-changed and amendment pages"):
            self._add_amendment_files(files, config)
        return files

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation | None:
        if not self.config.enabled:
            return None
        self.parts = {None: self._parts(nav, self.config.contents_page)}
        regional_nav = config.nav
        for board in self.region.boards.values():
            # MkDocs builds one navigation per site; each board's is built the same way from its own
            # nav data, then handed to that board's pages in on_page_context.
            config.nav = board_nav(regional_nav, board, self.region.pages.get(board.id, []))
            try:
                board_navigation = get_navigation(files, config)
            finally:
                config.nav = regional_nav
            home = files.get_file_from_path(variant_uri(board, "index.md"))
            board_navigation.homepage = home.page if home is not None else None
            self.board_navs[board.id] = board_navigation
            self.parts[board.id] = self._parts(board_navigation, variant_uri(board, self.config.contents_page))
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
            markdown = markdown.rstrip("\n") + "\n\n" + self.markup.contents(self.parts.get(board_id, []))
        self.timer.start(page.file.src_uri)
        return markdown

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        if not self.config.enabled or self.markup is None or self.built_at is None:
            return None
        variant = self.variants.get(page.file.src_uri)
        board = variant.board if variant else None
        self.timer.stop(page.file.src_uri, "markdown render", *(["board pages"] if board else []))
        chapter = variant.regional.chapter if variant and variant.regional else None
        if chapter is not None and chapter.under_review:
            html = insert_after_title(html, self.markup.under_review_banner(chapter))
        html = self._with_amendments(html, variant, page)
        if board is not None:
            regional_file = files.get_file_from_path(variant.regional.src_uri) if variant and variant.regional else None
            regional_href = get_relative_url(regional_file.url, page.file.url) if regional_file else None
            html = insert_after_title(html, self.markup.board_note(board, regional_href))
        elif variant is not None and self.region.boards:
            html = self._with_selectors(html, page, files)
        url = page.canonical_url or config.site_url or ""
        stamp = PrintStamp(url=url, built_at=self.built_at, board_name=board.name if board else None)
        return html + self.markup.print_stamp(stamp)

    def on_page_context(
        self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext | None:
        if not self.config.enabled:
            return None
        variant = self.variants.get(page.file.src_uri)
        board = variant.board if variant else None
        # Material writes `config.site_name` into the header and title; a board's pages carry its name.
        config.site_name = f"{board.short_name}: {self.site_name}" if board else self.site_name
        if board is not None:
            context["nav"] = self.board_navs[board.id]
        self.timer.start(page.file.src_uri)
        return context

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str | None:
        if not self.config.enabled:
            return None
        config.site_name = self.site_name
        variant = self.variants.get(page.file.src_uri)
        is_board_page = variant is not None and variant.board is not None
        self.timer.stop(page.file.src_uri, "template render", *(["board pages"] if is_board_page else []))
        if variant is None or variant.board is None:
            return output
        # Material's search looks for `search/search_index.json` below `base`; a board's pages look in the
        # board's own index, so a board's search finds its local text and stays within its site.
        board_root = get_relative_url(f"{variant.board.id}/", page.file.url)
        return _CONFIG_SCRIPT.sub(lambda match: _with_base(match, board_root), output, count=1)

    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str | None:
        if not self.config.enabled or self.markup is None or self.built_at is None:
            return None
        if template_name == "404.html" and "</article>" in output_content:
            stamp = self.markup.print_stamp(PrintStamp(url=config.site_url or "", built_at=self.built_at))
            return output_content.replace("</article>", stamp + "</article>", 1)
        return output_content

    # Runs after Material's search plugin (default priority) has written the combined index.
    @event_priority(-50)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if not self.config.enabled:
            return
        with self.timer.phase("search index split"):
            self._split_search_index(config)
        if timings := os.environ.get("PROCEDURES_TIMINGS"):
            self.timer.write(Path(timings))

    def _split_search_index(self, config: MkDocsConfig) -> None:
        if not self.region.boards:
            return
        index_file = Path(config.site_dir) / "search" / "search_index.json"
        if not index_file.is_file():
            return
        indexes = split_search_index(json.loads(index_file.read_text(encoding="utf-8")), list(self.region.boards))
        for board_id, index in indexes.items():
            target = Path(config.site_dir, board_id, "search", "search_index.json") if board_id else index_file
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps(index, separators=(",", ":")), encoding="utf-8")

    def _amendment_views(self, regional: list[RegionalChapter], files: Files, config: MkDocsConfig) -> AmendmentViews:
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
            except HistoryError as error:
                raise PluginError(f"procedures: {error}") from error
        catalogue = catalogue_for(regional, self.region, docs_root, boards_root)
        records_dir = Path(self.config.amendments_dir) if self.config.amendments_dir else None
        amendments, problems = collect(history, catalogue, records_dir, root, self.zone)
        self._report(problems)
        ids = {chapter.chapter.id: chapter.src_uri for chapter in regional}
        page_ids = {(page.board, page.chapter.id): page.src_uri
                    for pages in self.region.pages.values() for page in pages}
        urls = {file.src_uri: file.url for file in files}

        def chapter_url(chapter_id: str, board: str | None) -> str | None:
            src_uri = ids.get(chapter_id)
            if board is not None:
                src_uri = page_ids.get((board, chapter_id)) or src_uri
                return urls.get(f"{board}/{src_uri}") if src_uri else None
            return urls.get(src_uri) if src_uri else None

        incomplete = history is not None and history.shallow
        read_blob = history.read_blob if history is not None else (lambda blob: "")
        # Comparisons depend on the blobs and on the regional wording of board values: both name the cache.
        salt = json.dumps(self.config.regional_values, sort_keys=True)
        cache = ComparisonCache(root / ".cache" / "procedures" / "changes", salt)
        return AmendmentViews(amendments, self.region.boards, self.markup, chapter_url, read_blob, incomplete,
                              self.region.values.regional_wording, cache)

    def _add_amendment_files(self, files: Files, config: MkDocsConfig) -> None:
        """The Amendments pages, what-changed views, feeds and JSON, as virtual files."""
        assert self.views is not None
        views = self.views
        site_url = (config.site_url or "").rstrip("/") + "/"
        for board in [None, *self.region.boards]:
            root = f"{board}/" if board else ""
            log_file = File.generated(config, root + LOG_PAGE, content="", inclusion=InclusionLevel.NOT_IN_NAV)
            log_file.content_string = _page("Amendments", views.log_page(board, log_file.url))
            files.append(log_file)
            files.append(File.generated(config, root + FEED, content=views.feed(board, site_url, self.site_name)))
        language = str(config.theme.get("language") or "en")
        for amendment in views.with_changes():
            owner = self.region.boards.get(amendment.board) if amendment.board else None

            def stamp(url: str, board_name: str | None = owner.name if owner else None) -> str:
                assert self.markup is not None and self.built_at is not None
                return self.markup.print_stamp(PrintStamp(site_url + url, self.built_at, board_name))

            html = views.change_page(amendment.key, self.site_name, language, stamp)
            files.append(File.generated(config, changes_file(amendment), content=html))
        files.append(File.generated(config, JSON, content=views.as_json()))

    def _with_amendments(self, html: str, variant: Variant | None, page: Page) -> str:
        """A chapter's "Last amended" date below its title and its own amendments at its end."""
        if variant is None or self.views is None or variant.chapter_id is None:
            return html
        board = variant.board.id if variant.board else None
        last = self.views.last_amended(variant.chapter_id, board)
        own = self.views.chapter_section(variant.chapter_id, board, page.url, combined=board is None)
        return insert_after_title(html, last) + own if last else html + own

    def _with_selectors(self, html: str, page: Page, files: Files) -> str:
        assert self.markup is not None
        boards = list(self.region.boards.values())
        links = []
        for board in boards:
            board_file = files.get_file_from_path(variant_uri(board, page.file.src_uri))
            if board_file is not None:
                links.append((board, get_relative_url(board_file.url, page.file.url)))
        label = self.config.board_selector_label
        top = self.markup.board_selector("top", label, boards, links)
        bottom = self.markup.board_selector("bottom", label, boards, links)
        return insert_after_title(html, top) + bottom

    def _parts(self, nav: Navigation, contents_page: str) -> list[Part]:
        parts = []
        for item in nav.items:
            if not isinstance(item, Section):
                continue
            entries = []
            for page in _pages_in(item):
                variant = self.variants.get(page.file.src_uri)
                chapter = variant.regional.chapter if variant and variant.regional else None
                if variant is not None and variant.board_page is not None:
                    chapter = variant.board_page.chapter
                if chapter is not None:
                    entries.append(ContentsEntry(page.title or chapter.title,
                                                 relative_link(contents_page, page.file.src_uri),
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


def _page(title: str, html: str) -> str:
    """A generated page's Markdown: front matter with its title, then HTML the plugin rendered."""
    return "---\n" + yaml.safe_dump({"title": title}, allow_unicode=True) + "---\n\n" + html


def _with_base(match: re.Match[str], base: str) -> str:
    settings = json.loads(match.group(2))
    settings["base"] = base
    return match.group(1) + json.dumps(settings) + match.group(3)


def _project_root(config: MkDocsConfig) -> Path:
    return Path(os.path.dirname(os.path.abspath(config.config_file_path or "mkdocs.yml")))


def _project_path(file: File, config: MkDocsConfig) -> str:
    """A file's path as an editor sees it: relative to the folder holding `mkdocs.yml`."""
    return Path(os.path.relpath(file.abs_src_path or file.src_path, _project_root(config))).as_posix()


def _pages_in(item: Any) -> list[Page]:
    if isinstance(item, Page):
        return [item]
    return [page for child in (item.children or []) for page in _pages_in(child)]
