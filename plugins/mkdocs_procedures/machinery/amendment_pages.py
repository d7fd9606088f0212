"""Every site's amendments as files of the build: the history read once, the Amendments and Editions pages,
the feeds, the JSON, the check page and a what-changed view of every amendment.

The log pages go through MkDocs as Markdown holding a slot; their HTML (one large table) goes into
the slot last, when the page is written. The other files are written beside the site by the helper
process, or under `mkdocs serve --dirty` kept on disk with the amendments, while nothing they are made
from has changed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import git
import markdown
import yaml
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import InclusionLevel

from ..config import ProceduresConfig
from ..core.amendments import catalogue_for
from ..core.boards import Board
from ..core.cache_files import cache_folder
from ..core.editions import Edition, EditionError, find_editions
from ..core.history import History, HistoryError, forget_read_histories, read_history
from ..core.old_addresses import old_addresses
from ..core.problems import Problem
from ..core.region import Region, RegionalChapter
from ..core.site_layout import CHECK_FOLDER, EDITIONS_PAGE, FEED, JSON, LOG_PAGE, chapter_feed
from ..render.amendment_views import (
    AmendmentViews,
    ComparisonCache,
    assemble_views,
    changes_url,
    editions_page,
)
from ..render.decorations import PageDecorations
from ..render.markup import TEMPLATES_VERSION
from ..render.output_files import UnchangedOutputs, write_output
from ..render.readers_copy import ReadersCopy
from ..render.variants import VariantMarkdown
from .old_pages import OldPages
from .serving import DirtyServe, KeptAmendments, Made
from .timings import PhaseTimer

LOG_SLOT = "<!--procedures:amendments-log-->"
AMENDMENT_FILES = "what-changed and amendment pages"
AMENDMENT_LOGS = "amendment logs"
"""The build's phases (and the helper's jobs): every site's logs' HTML, and the amendments' own files."""
"""The helper's job, named as the build's timings name its phase."""


class SiteMarkdown:
    """Markdown rendered with the site's extensions, as its pages are (made on first use)."""

    def __init__(self, extensions: Sequence[Any], configs: dict[str, Any]) -> None:
        self.extensions, self.configs = list(extensions), configs
        self._markdown: markdown.Markdown | None = None

    def __call__(self, text: str) -> str:
        if self._markdown is None:
            self._markdown = markdown.Markdown(extensions=self.extensions, extension_configs=self.configs)
        return self._markdown.reset().convert(text)


@dataclass
class AmendmentPages:
    settings: ProceduresConfig
    root: Path
    """The folder holding `mkdocs.yml`: the git repository's work tree."""
    docs_dir: str
    decorations: PageDecorations
    zone: ZoneInfo
    timer: PhaseTimer
    language: str
    with_pdfs: bool
    """Whether the Editions pages link each edition's PDFs (not under `mkdocs serve`, which prints none)."""
    render_markdown: Callable[[str], str] = str
    """Markdown to HTML with the site's extensions: how each version of an amended page reads."""
    region: Region = field(default_factory=Region)
    views: AmendmentViews | None = None
    editions: list[Edition] = field(default_factory=list)
    log_pages: dict[str, str] = field(default_factory=dict)
    """The HTML of every site's Amendments and Editions pages, by source path, once made."""
    later_log_pages: Callable[[], Path] | None = None
    """Waits for the helper's job that wrote the log pages' HTML (`write_log_pages`) and gives their folder."""
    old_pages: OldPages | None = None
    """Where pages moved from and were withdrawn from: their old addresses' pages (set by the build)."""
    readers: ReadersCopy | None = None
    """How each amended page reads, before and after (made with the views)."""
    taken: set[str] = field(default_factory=set)
    """Every address a page of the build has now: an old address there is left to that page."""
    repository: git.Repo | None = None
    """The history's git repository, held to the end of the build even once the history is let go of: the
    `git cat-file` processes it started are shared with the helper forked from this process, and letting
    go of it here would end them there."""

    @property
    def kept_log_entries(self) -> Path:
        """The log entries the last build rendered (`AmendmentViews.keep_log_entries`)."""
        return cache_folder(self.root) / "log_entries.jsonl"

    def made(self, regional: Sequence[RegionalChapter], region: Region, regional_urls: dict[str, str],
             serving: DirtyServe | None) -> tuple[list[Made], list[Problem]]:
        """The files the amendments add to the build now (every site's log pages, and under serve every
        file), and the problems found in the history and records."""
        self.region = region
        kept = None
        records_dir = Path(self.settings.amendments_dir) if self.settings.amendments_dir else None

        def key_now(boards_read_as_they_are: Collection[str] | None) -> str:
            assert serving is not None
            return serving.amendments_key(regional, region, self.settings.regional_values, records_dir,
                                          regional_urls, boards_read_as_they_are)

        if serving is not None:
            kept = serving.kept_amendments(key_now)
        problems: list[Problem] = []
        if kept is not None:  # nothing the amendments are made from has changed since the last rebuild
            self.views, self.editions, self.log_pages, made = kept.views, kept.editions, kept.log_pages, kept.made
        else:
            self.views, problems = self._read(regional, regional_urls)
        self.decorations.views, self.decorations.editions = self.views, self.editions
        old_pages = self.old_pages.pages() if self.old_pages is not None and kept is None else []
        if kept is None and serving is not None:
            with self.timer.phase(AMENDMENT_FILES):
                self.log_pages = self.log_pages_html()
                made = self._log_page_sources(self.log_pages) + list(self.files()) + old_pages
            if self.views.cache is not None:
                self.views.cache.save_comparisons()
            # Kept until something they were made from changes: a board's contacts only where a comparison
            # read them as they are now (most read them as they were when the change landed).
            read_now = frozenset(self.readers.boards_read_as_they_are if self.readers else region.boards)
            serving.amendments = KeptAmendments(key_now(read_now), read_now, self.views, self.editions,
                                                self.log_pages, made)
        elif kept is None:  # the helper makes the logs and the amendments' files, once the pages are known
            made = self._log_page_sources(None) + old_pages
        return made, problems

    def _read(self, regional: Sequence[RegionalChapter], regional_urls: dict[str, str],
              ) -> tuple[AmendmentViews, list[Problem]]:
        """The history, the records and the editions, read once, and every amendment's views."""
        docs_root = Path(os.path.relpath(self.docs_dir, self.root)).as_posix()
        boards_dir = self.settings.boards_dir or os.path.join(self.root, "boards")
        boards_root = Path(os.path.relpath(boards_dir, self.root)).as_posix()
        history: History | None = None
        if self.settings.history.enabled:
            try:
                with self.timer.phase("history read"):
                    history = read_history(self.root, [docs_root, boards_root], self.settings.history.ref,
                                           self.settings.history.allow_shallow,
                                           kept=cache_folder(self.root) / "history.json")
                self.editions = find_editions(self.root, earlier_version=bool(self.decorations.earlier))
                self.repository = history.repository
            except (HistoryError, EditionError) as error:
                raise PluginError(f"procedures: {error}") from error
        urls = {src_uri: url for url, src_uri in regional_urls.items()}
        records_dir = Path(self.settings.amendments_dir) if self.settings.amendments_dir else None
        catalogue = catalogue_for(regional, self.region, docs_root, boards_root)
        if history is not None and self.old_pages is not None:
            replaced = {old: chapter.chapter.path for chapter in regional for old in chapter.chapter.replaces}
            with self.timer.phase("old addresses"):
                moved, withdrawn = old_addresses(history, catalogue, self.zone, replaced,
                                                 lambda path: (self.root / path).exists())
                self.old_pages.plan(moved, withdrawn, catalogue, list(self.region.boards), self.taken)
        # Comparisons depend on the blobs and on the regional wording of board values: both name the cache.
        cache = ComparisonCache(cache_folder(self.root) / "changes",
                                json.dumps(self.settings.regional_values, sort_keys=True))
        readers = self.readers = ReadersCopy(self.render_markdown, self.region,
                              VariantMarkdown(self.region, self.decorations.markup, every_boards_values=False),
                              {chapter.chapter.id: chapter for chapter in regional}, urls, self.decorations.site_url,
                              docs_root, boards_root, history.read_at if history is not None else _nowhere)
        return assemble_views(history, catalogue, records_dir,
                              self.root, self.zone, self.region, self.decorations.markup, urls, cache,
                              # The real day, not SOURCE_DATE_EPOCH: a date after it is a clock gone wrong.
                              dt.datetime.now(self.zone).date(), readers)

    def let_go_of_history(self) -> None:
        """In MkDocs' process, once the helper has the what-changed views to make: let go of what only
        the comparisons read, the history's commits and files (megabytes in a long history). The pages
        need only the amendments."""
        self.readers = None
        if self.views is not None:
            self.views.let_go_of_history()
        forget_read_histories()

    def log_page_titles(self) -> dict[str, str]:
        """Every site's Amendments and Editions pages: source path → title."""
        titles = {}
        for board in [None, *self.region.boards]:
            root = f"{board}/" if board else ""
            titles[root + LOG_PAGE] = "Amendments"
            titles[root + EDITIONS_PAGE] = "Editions"
        return titles

    def _log_page_sources(self, log_pages: dict[str, str] | None) -> list[Made]:
        """Every site's Amendments and Editions pages, as Markdown holding the slot their HTML goes in.

        Kept on disk under `mkdocs serve --dirty`, a page must change when its HTML does.
        """
        made: list[Made] = []
        for uri, title in self.log_page_titles().items():
            digest = f"\n<!-- {hashlib.sha1(log_pages[uri].encode()).hexdigest()} -->\n" if log_pages else ""
            made.append((uri, _page(title, LOG_SLOT) + digest, InclusionLevel.NOT_IN_NAV))
        return made

    def _log_pages(self) -> Iterator[tuple[str, str]]:
        """Every site's Amendments and Editions pages: source path and HTML, made one by one."""
        assert self.views is not None
        self.views.keep_log_entries(self.kept_log_entries)
        for board in [None, *self.region.boards]:
            root = f"{board}/" if board else ""
            yield root + LOG_PAGE, self.views.log_page(board, _url_of(root + LOG_PAGE),
                                                       self.decorations.next_update_note())
            yield root + EDITIONS_PAGE, editions_page(self.views, self.editions, board, _url_of(root + EDITIONS_PAGE),
                                                      self.zone, pdfs=self.with_pdfs)

    def log_pages_html(self) -> dict[str, str]:
        """The HTML of every site's Amendments and Editions pages, by source path."""
        return dict(self._log_pages())

    def write_log_pages(self, folder: str) -> None:
        """The helper's job: every site's Amendments and Editions pages' HTML, each written to a file of its
        own in `folder` as it is made. Held all at once and sent whole to MkDocs' process, they took more
        memory in both processes than all the pages' text (14 MiB at 300 chapters, nine boards and 5,000
        commits); MkDocs' process reads each one as it writes its page."""
        for src_uri, html in self._log_pages():
            Path(folder, _log_file(src_uri)).write_text(html, encoding="utf-8")

    def with_log(self, output: str, src_uri: str) -> str:
        """A log page's output with its HTML in the slot: it goes in last, so that no rewrite before has to
        read its thousands of rows."""
        if self.later_log_pages is not None:
            html = Path(self.later_log_pages(), _log_file(src_uri)).read_text(encoding="utf-8")
        else:
            html = self.log_pages[src_uri]
        return output.replace(LOG_SLOT, html, 1)

    def files(self, unchanged: UnchangedOutputs | None = None) -> Iterator[Made]:
        """The feeds, the JSON, the check page, and the what-changed view of every amendment that has one
        (thousands in a long history): each file's path, content and place, made as they are asked for
        (all at once, they would take more memory than the rest of the build). With `unchanged`, a feed
        with the same content as in the last build is left out: the file that build wrote is kept."""
        assert self.views is not None
        views, decorations = self.views, self.decorations
        site_url, site_name = decorations.site_url, decorations.site_name
        feeds: list[tuple[str, str | None, str | None]] = [(f"{board}/{FEED}" if board else FEED, board, None)
                                                           for board in [None, *self.region.boards]]
        feeds += [(f"{board}/{chapter_feed(chapter)}" if board else chapter_feed(chapter), board, chapter)
                  for board in [None, *self.region.boards] for chapter in views.chapters_with_feeds(board)]
        for path, board, chapter in feeds:
            content = views.feed_content(board, site_url, site_name, chapter)
            # A feed says nothing of when it was built: unless what it lists changes, it is the same file.
            if unchanged is None or not unchanged.unchanged(path, (content, TEMPLATES_VERSION)):
                yield path, views.render_feed(content), InclusionLevel.UNDEFINED
        yield JSON, views.as_json(), InclusionLevel.UNDEFINED
        if self.old_pages is not None:
            yield from self.old_pages.files()
        check_page = views.check_page(site_name, self.language, decorations.stamp(f"{CHECK_FOLDER}/", None),
                                      decorations.head(f"{CHECK_FOLDER}/", None))
        yield f"{CHECK_FOLDER}/index.html", check_page, InclusionLevel.UNDEFINED
        for amendment in views.with_changes():
            owner = self.region.boards.get(amendment.board) if amendment.board else None

            def stamp(url: str, board_name: str | None = owner.name if owner else None) -> str:
                return decorations.stamp(url, board_name)

            def head(url: str, board: Board | None = owner) -> str:
                return decorations.head(url, board)

            html = views.change_page(amendment.key, site_name, self.language, stamp, head)
            yield changes_url(amendment), html, InclusionLevel.UNDEFINED

    def write_files(self, site_dir: str) -> None:
        """The helper's job: write the amendments' files into the site."""
        if self.views is not None:  # here, not as the logs are made: MkDocs' process waits for those
            self.views.save_log_entries()
            self.views.forget_logs()
        unchanged = UnchangedOutputs(cache_folder(self.root) / "outputs.json", Path(site_dir))
        for src_uri, content, _ in self.files(unchanged):
            write_output(Path(site_dir, src_uri), content)
        unchanged.save()
        if self.views is not None and self.views.cache is not None:
            self.views.cache.save_comparisons()
            self.views.cache.save_bodies()


def _url_of(src_uri: str) -> str:
    """A generated page's URL below the site's root (directory URLs): `north/amendments.md` → `north/amendments/`."""
    return src_uri.removesuffix(".md") + "/"


def _log_file(src_uri: str) -> str:
    """The file a log page's HTML is handed over in: named by its page (`north/amendments.md`)."""
    return hashlib.sha1(src_uri.encode()).hexdigest() + ".html"


def _nowhere(commit: str, path: str) -> None:
    return None


def _page(title: str, html: str) -> str:
    """A generated page's Markdown: front matter with its title, then HTML the plugin rendered.

    The amendments log is left out of search: it would fill results with every chapter's name.
    """
    front = {"title": title, "search": {"exclude": True}}
    return "---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n\n" + html
