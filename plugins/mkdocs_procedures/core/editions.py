"""Editions: published versions an editor has marked, by a git tag `edition/<name>` or a line
`<name>: <commit>` in `editions.yml` (so the mark travels with the repository's history)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import git

from .located_yaml import LocatedYamlError, load_located

EDITIONS_FILE = "editions.yml"
TAG_PREFIX = "edition/"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


class EditionError(ValueError):
    """An edition that cannot be published as marked."""


@dataclass(frozen=True)
class Edition:
    name: str
    sha: str
    landed_at: dt.datetime
    marked_by: str


def find_editions(project_root: Path, earlier_version: bool = False) -> list[Edition]:
    """Editions from tags and `editions.yml`, oldest first; each must be on the published branch.

    Building an `earlier_version` (an edition, or the manual as at a date), the tags marking later versions
    are seen too, but not yet published at that version: they are left out there, and checked by the
    current build."""
    repository = git.Repo(project_root, search_parent_directories=True)
    published = dict(line.split(" ", 1) for line in
                     repository.git.log("--first-parent", "--format=%H %cI", "HEAD").split("\n") if line)
    marks: dict[str, tuple[str, str]] = {}
    for tag in repository.tags:
        if tag.name.startswith(TAG_PREFIX):
            try:
                marks[tag.name.removeprefix(TAG_PREFIX)] = (tag.commit.hexsha, f"tag {tag.name}")
            except ValueError as error:  # a tag of a tree or a blob: GitPython cannot give a commit
                raise EditionError(f"tag {tag.name}: an edition's tag must name a commit; this one names a "
                                   f"{tag.object.type}") from error
    listed = project_root / EDITIONS_FILE
    if listed.is_file():
        try:
            located = load_located(listed.read_text(encoding="utf-8"))
        except LocatedYamlError as error:
            raise EditionError(f"{EDITIONS_FILE}:{error.line or 1}: {error}") from error
        entries = located.values or {}
        if not isinstance(entries, dict):
            raise EditionError(f"{EDITIONS_FILE}:1: expected `<edition name>: <commit>` lines, found a "
                               f"{'list' if isinstance(entries, list) else type(entries).__name__}")
        for name, reference in entries.items():
            where = f"{EDITIONS_FILE}:{located.line_of(str(name), 1)}: edition `{name}`"
            if str(name) in marks:
                raise EditionError(f"{where}: the name is already used by {marks[str(name)][1]}; expected each "
                                   "edition name once")
            try:
                sha = repository.commit(str(reference)).hexsha
            except (git.BadName, ValueError) as error:
                raise EditionError(f"{where}: `{reference}` is not a commit of this repository") from error
            marks[str(name)] = (sha, where)
    editions = []
    for name, (sha, marked_by) in marks.items():
        if not _NAME.match(name):
            raise EditionError(f"{marked_by}: `{name}` cannot name an edition; expected letters, digits, `.`, `_`, `-`")
        if sha not in published and earlier_version:
            continue
        if sha not in published:
            raise EditionError(f"{marked_by}: commit {sha[:12]} is not on the published branch's first-parent "
                               "history; mark a version that was published")
        editions.append(Edition(name, sha, dt.datetime.fromisoformat(published[sha]), marked_by))
    return sorted(editions, key=lambda edition: (edition.landed_at, edition.name))
