"""The manual as the tools see it: settings from mkdocs.yml and every source file, read without building."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import git
import yaml

from mkdocs_procedures.core.amendments import Catalogue, catalogue_for
from mkdocs_procedures.core.chapters import duplicate_ids, nav_titles, read_chapter, split_front_matter
from mkdocs_procedures.core.problems import Problem
from mkdocs_procedures.core.region import Region, RegionalChapter, load_region


class _PermissiveLoader(yaml.SafeLoader):
    """mkdocs.yml may hold tags such as `!!python/name:...` for Markdown extensions; they are not ours."""


_PermissiveLoader.add_multi_constructor("", lambda loader, suffix, node: None)


class ManualError(Exception):
    """The manual's folder or its mkdocs.yml cannot be read."""


@dataclass
class Manual:
    root: Path
    docs_dir: str = "docs"
    boards_dir: str | None = None
    amendments_dir: str | None = None
    regional_values: dict[str, str] = field(default_factory=dict)
    procedures_group: str = "@procedures-group"
    time_zone: str = "Europe/London"
    site_name: str = ""
    contents_page: str = "contents.md"
    site_url: str = ""
    stamp: dict[str, Any] = field(default_factory=dict)
    nav: Any = None
    theme_statuses: list[str] = field(default_factory=list)
    """Material's page statuses, from `extra.status` in mkdocs.yml."""
    _content: tuple[list[RegionalChapter], Region, list[Problem]] | None = field(default=None, repr=False)

    @property
    def chapters(self) -> list[RegionalChapter]:
        """The regional chapters, read on first use (a check or a commit needs no more than mkdocs.yml)."""
        return self._read()[0]

    @property
    def region(self) -> Region:
        return self._read()[1]

    @property
    def problems(self) -> list[Problem]:
        """What reading the chapters and boards found."""
        return self._read()[2]

    @classmethod
    def load(cls, root: Path) -> Manual:
        """Read mkdocs.yml, the regional chapters and the boards; problems are collected, not raised."""
        config_file = root / "mkdocs.yml"
        if not config_file.is_file():
            raise ManualError(f"{root}: no mkdocs.yml here; run the command in the manual's folder or pass --root")
        settings = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_PermissiveLoader) or {}
        plugin: dict[str, Any] = {}
        for entry in settings.get("plugins") or []:
            if isinstance(entry, dict) and "procedures" in entry:
                plugin = entry["procedures"] or {}
        manual = cls(
            root=root,
            docs_dir=str(settings.get("docs_dir", "docs")),
            boards_dir=plugin.get("boards_dir"),
            amendments_dir=plugin.get("amendments_dir"),
            regional_values=dict(plugin.get("regional_values") or {}),
            procedures_group=str(plugin.get("procedures_group", "@procedures-group")),
            time_zone=str(plugin.get("time_zone", "Europe/London")),
            site_name=str(settings.get("site_name", "")),
            contents_page=str(plugin.get("contents_page", "contents.md")),
            site_url=str(settings.get("site_url") or "").rstrip("/") + "/",
            stamp=dict(plugin.get("stamp") or {}),
            nav=settings.get("nav"),
            theme_statuses=[str(name) for name in ((settings.get("extra") or {}).get("status") or {})],
        )
        return manual

    def _read(self) -> tuple[list[RegionalChapter], Region, list[Problem]]:
        if self._content is not None:
            return self._content
        chapters: list[RegionalChapter] = []
        problems: list[Problem] = []
        docs = self.root / self.docs_dir
        titles = nav_titles(self.nav)
        for source in sorted(docs.rglob("*.md")):
            path = source.relative_to(self.root).as_posix()
            src_uri = source.relative_to(docs).as_posix()
            text = source.read_text(encoding="utf-8")
            chapter, found = read_chapter(path, text, src_uri, titles.get(src_uri), self.theme_statuses)
            problems.extend(found)
            if chapter is not None:
                front = split_front_matter(text)
                chapters.append(RegionalChapter(src_uri, chapter, front.body, front.body_line))
        problems.extend(duplicate_ids(chapter.chapter for chapter in chapters))
        boards = self.root / self.boards_dir if self.boards_dir else None
        region, found = load_region(self.root, boards, chapters, self.regional_values,
                                    theme_statuses=self.theme_statuses)
        problems.extend(found)
        self._content = (chapters, region, problems)
        return self._content

    def repository(self) -> git.Repo:
        """The git repository holding the manual."""
        try:
            return git.Repo(self.root, search_parent_directories=True)
        except (git.InvalidGitRepositoryError, git.NoSuchPathError) as error:
            raise ManualError(f"{self.root} is not inside a git repository") from error

    def catalogue(self) -> Catalogue:
        return catalogue_for(self.chapters, self.region, self.docs_dir, self.boards_dir or "boards")

    def nav_paths(self) -> list[str]:
        """Every page the navigation names, in order."""
        def walk(item: Any) -> list[str]:
            if isinstance(item, str):
                return [item]
            if isinstance(item, dict):
                return [path for value in item.values() for path in walk(value)]
            if isinstance(item, list):
                return [path for child in item for path in walk(child)]
            return []
        return walk(self.nav)
