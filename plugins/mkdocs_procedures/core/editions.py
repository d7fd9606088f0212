"""Editions: published versions an editor has marked, by a git tag `edition/<name>` or a line
`<name>: <commit>` in `editions.yml` (so the mark travels with the repository's history)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import git
import yaml

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


def find_editions(project_root: Path) -> list[Edition]:
    """Editions from tags and `editions.yml`, oldest first; each must be on the published branch."""
    repository = git.Repo(project_root, search_parent_directories=True)
    published = dict(line.split(" ", 1) for line in
                     repository.git.log("--first-parent", "--format=%H %cI", "HEAD").split("\n") if line)
    marks: dict[str, tuple[str, str]] = {}
    for tag in repository.tags:
        if tag.name.startswith(TAG_PREFIX):
            marks[tag.name.removeprefix(TAG_PREFIX)] = (tag.commit.hexsha, f"tag {tag.name}")
    listed = project_root / EDITIONS_FILE
    if listed.is_file():
        entries = yaml.safe_load(listed.read_text(encoding="utf-8")) or {}
        if not isinstance(entries, dict):
            raise EditionError(f"{EDITIONS_FILE}: expected `<edition name>: <commit>` lines")
        for name, reference in entries.items():
            where = f"{EDITIONS_FILE}: edition `{name}`"
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
        if sha not in published:
            raise EditionError(f"{marked_by}: commit {sha[:12]} is not on the published branch's first-parent "
                               "history; mark a version that was published")
        editions.append(Edition(name, sha, dt.datetime.fromisoformat(published[sha]), marked_by))
    return sorted(editions, key=lambda edition: (edition.landed_at, edition.name))
