"""The MkDocs adapter: thin glue between MkDocs' build events and the manual's domain modules."""

from __future__ import annotations

import datetime as dt
import os
from importlib import resources
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import ConfigurationError, PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

from .chapters import Chapter, duplicate_ids, read_chapter
from .config import ProceduresConfig
from .problems import ContentError, Problem, raise_errors
from .rendering import ContentsEntry, PageMarkup, Part, insert_after_title, relative_link
from .stamp import PrintStamp, StampFormatError, StampWording, build_moment, time_zone

log = get_plugin_logger(__name__)

ASSETS = ("procedures.css", "procedures.js")
ASSETS_URI = "assets/procedures"


class ProceduresPlugin(BasePlugin[ProceduresConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.chapters: dict[str, Chapter] = {}
        self.parts: list[Part] = []
        self.built_at: dt.datetime | None = None
        self.markup: PageMarkup | None = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
        if not config.site_url:
            raise ConfigurationError(
                "procedures: `site_url` must be set in mkdocs.yml: every printed page names its own "
                "address on the published site (for example `site_url: https://procedures.example.org/`)"
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
        config.extra_css.append(f"{ASSETS_URI}/procedures.css")
        config.extra_javascript.append(f"{ASSETS_URI}/procedures.js")
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled:
            return None
        for name in ASSETS:
            source = resources.files("mkdocs_procedures") / "assets" / name
            files.append(File.generated(config, f"{ASSETS_URI}/{name}", content=source.read_bytes()))
        self.chapters = self._read_chapters(files, config)
        return files

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation | None:
        if not self.config.enabled:
            return None
        contents_page = self.config.contents_page
        self.parts = [
            Part(
                title=item.title,
                chapters=[
                    ContentsEntry(
                        title=page.title or chapter.title,
                        link=relative_link(contents_page, page.file.src_uri),
                        under_review=chapter.under_review,
                    )
                    for page in _pages_in(item)
                    if (chapter := self.chapters.get(page.file.src_uri))
                ],
            )
            for item in nav.items
            if isinstance(item, Section)
        ]
        return nav

    def on_page_markdown(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        if not self.config.enabled or self.markup is None:
            return None
        if page.file.src_uri == self.config.contents_page:
            return markdown.rstrip("\n") + "\n\n" + self.markup.contents(self.parts)
        return markdown

    def on_page_content(
        self, html: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        if not self.config.enabled or self.markup is None or self.built_at is None:
            return None
        chapter = self.chapters.get(page.file.src_uri)
        if chapter is not None and chapter.under_review:
            html = insert_after_title(html, self.markup.under_review_banner(chapter))
        url = page.canonical_url or config.site_url or ""
        return html + self.markup.print_stamp(PrintStamp(url=url, built_at=self.built_at))

    def on_post_template(
        self, output_content: str, *, template_name: str, config: MkDocsConfig
    ) -> str | None:
        if not self.config.enabled or self.markup is None or self.built_at is None:
            return None
        if template_name == "404.html" and "</article>" in output_content:
            stamp = self.markup.print_stamp(PrintStamp(url=config.site_url or "", built_at=self.built_at))
            return output_content.replace("</article>", stamp + "</article>", 1)
        return output_content

    def _read_chapters(self, files: Files, config: MkDocsConfig) -> dict[str, Chapter]:
        chapters: dict[str, Chapter] = {}
        problems: list[Problem] = []
        for file in files.documentation_pages():
            if file.generated_by is not None:
                continue
            chapter, found = read_chapter(
                _project_path(file, config), file.content_string, file.src_uri
            )
            problems.extend(found)
            if chapter is not None:
                chapters[file.src_uri] = chapter
        problems.extend(duplicate_ids(chapters.values()))
        try:
            warnings = raise_errors(problems)
        except ContentError as error:
            raise PluginError(f"procedures: the manual has errors:\n{error}") from error
        for warning in warnings:
            log.warning(str(warning))
        return chapters


def _project_path(file: File, config: MkDocsConfig) -> str:
    """A file's path as an editor sees it: relative to the folder holding `mkdocs.yml`."""
    root = os.path.dirname(os.path.abspath(config.config_file_path or "mkdocs.yml"))
    return Path(os.path.relpath(file.abs_src_path or file.src_path, root)).as_posix()


def _pages_in(item: Any) -> list[Page]:
    if isinstance(item, Page):
        return [item]
    return [page for child in (item.children or []) for page in _pages_in(child)]
