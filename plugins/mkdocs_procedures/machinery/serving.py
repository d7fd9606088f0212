"""The MkDocs side of `make serve` (`mkdocs serve --dirty`): what the plugin keeps between rebuilds.

A dirty build makes again only the pages whose source is newer than their output. For that to show
every edit, and only then: the files the plugin makes are kept on disk (`kept_files.py`) rather than
made in memory; a regional page is made again when a board's overlay or `board.yml` changed (they are
not its source file); and the amendments are kept while nothing they are made from has changed.
"""

from __future__ import annotations

import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel

from ..core.editions import EDITIONS_FILE, Edition
from ..core.region import Region, RegionalChapter
from ..render.amendment_views import AmendmentViews
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

    def file(self, config: MkDocsConfig, item: Made) -> File:
        """A made file as MkDocs sees a file of the docs: rebuilt only when its content changed."""
        src_uri, content, inclusion = item
        self.kept.keep(src_uri, content)
        file = File(src_uri, str(self.kept.folder), config.site_dir, config.use_directory_urls, inclusion=inclusion)
        file.generated_by = "procedures"
        return file

    def forget_stale_pages(self, regional: Sequence[RegionalChapter], region: Region, files: Files,
                           boards_dir: Path) -> None:
        """Remove the output of each regional page whose boards' overlays or `board.yml` are newer."""
        board_files = [boards_dir / board / "board.yml" for board in region.boards]
        outputs = []
        for chapter in regional:
            file = files.get_file_from_path(chapter.src_uri)
            if file is not None:
                overlays = [self.root / overlay.path for overlay in region.overlays.get(chapter.chapter.id, [])]
                outputs.append((Path(file.abs_dest_path), [*overlays, *board_files]))
        forget_stale_outputs(outputs)

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
