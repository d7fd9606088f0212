"""The regional chapters as MkDocs lists them: each page of the docs read, its front matter checked, and
every problem reported at once (errors stop the build, warnings fail a strict one)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files

from ..core.chapters import duplicate_ids, nav_titles, read_chapter, split_front_matter
from ..core.problems import ContentError, Problem, raise_errors
from ..core.region import RegionalChapter
from ..core.source_files import MAX_TEXT_BYTES, forget_real_folders, relative_inside, why_not_read

log = get_plugin_logger(__name__)


def read_regional_chapters(files: Files, config: MkDocsConfig, root: Path) -> list[RegionalChapter]:
    """Every page of the docs as a regional chapter; every file of the docs must be the repository's own."""
    chapters: list[RegionalChapter] = []
    problems: list[Problem] = []
    docs_dir = os.fspath(config.docs_dir)
    forget_real_folders()
    for file in files:
        if file.generated_by is not None or not file.abs_src_path or \
                relative_inside(file.abs_src_path, docs_dir) is None:
            continue  # a file the plugin made, or the theme's
        # Every file of the docs is the repository's own; a page's size is bounded, an image's or a PDF's not.
        limit = MAX_TEXT_BYTES if file.is_documentation_page() else sys.maxsize
        if (reason := why_not_read(Path(file.abs_src_path), root, limit)) is not None:
            problems.append(Problem(_project_path(file, root), None, f"this file {reason}"))
    titles = nav_titles(config.nav)
    for file in files.documentation_pages():
        if file.generated_by is not None:
            continue
        text = file.content_string
        chapter, found = read_chapter(_project_path(file, root), text, file.src_uri,
                                      titles.get(file.src_uri), theme_statuses(config))
        problems.extend(found)
        if chapter is not None:
            front = split_front_matter(text)
            chapters.append(RegionalChapter(file.src_uri, chapter, front.body, front.body_line))
    problems.extend(duplicate_ids(chapter.chapter for chapter in chapters))
    report(problems)
    return chapters


def report(problems: list[Problem]) -> None:
    """Errors stop the build with every one of them; warnings are logged (and fail a strict build)."""
    try:
        warnings = raise_errors(problems)
    except ContentError as error:
        raise PluginError(f"procedures: the manual has errors:\n{error}") from error
    for warning in warnings:
        log.warning(str(warning))


def theme_statuses(config: MkDocsConfig) -> list[str]:
    """The page statuses Material knows from `extra.status` in mkdocs.yml."""
    defined = config.extra.get("status")  # `extra` is MkDocs' own mapping of free settings
    return [str(name) for name in defined] if isinstance(defined, dict) else []


def _project_path(file: File, root: Path) -> str:
    """A file's path as an editor sees it: relative to the folder holding `mkdocs.yml`."""
    source = file.abs_src_path or file.src_path
    inside = relative_inside(source, os.fspath(root))  # most are: the same as relpath, without its work
    return inside if inside else Path(os.path.relpath(source, root)).as_posix()
