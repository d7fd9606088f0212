"""`procedures editions`: every published edition, built once from its own tree into `site/editions/`.

An edition is a version of the published branch that an editor has marked, by a git tag
`edition/<name>` or by a line in `editions.yml` (`<name>: <commit>`, so the mark travels with the
repository's history). Each is built with `as_at`'s machinery, bannered "This is the edition of ...",
kept under `.cache/` by commit so it never changes once built, and listed in a mike-compatible
`versions.json` so Material's version selector offers it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import git
import yaml

from .as_at import Version, build_tree
from .manual import Manual, ManualError

EDITIONS_FILE = "editions.yml"
TAG_PREFIX = "edition/"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


@dataclass(frozen=True)
class Edition:
    name: str
    version: Version
    marked_by: str

    def day(self, zone: ZoneInfo) -> dt.date:
        return self.version.landed_at.astimezone(zone).date()


def find_editions(manual: Manual) -> list[Edition]:
    """Editions from tags and `editions.yml`, oldest first; each must be on the published branch."""
    repository = git.Repo(manual.root, search_parent_directories=True)
    published = dict(line.split(" ", 1) for line in
                     repository.git.log("--first-parent", "--format=%H %cI", "HEAD").split("\n") if line)
    marks: dict[str, tuple[str, str]] = {}
    for tag in repository.tags:
        if tag.name.startswith(TAG_PREFIX):
            marks[tag.name.removeprefix(TAG_PREFIX)] = (tag.commit.hexsha, f"tag {tag.name}")
    listed = manual.root / EDITIONS_FILE
    if listed.is_file():
        entries = yaml.safe_load(listed.read_text(encoding="utf-8")) or {}
        if not isinstance(entries, dict):
            raise ManualError(f"{EDITIONS_FILE}: expected `<edition name>: <commit>` lines")
        for name, reference in entries.items():
            where = f"{EDITIONS_FILE}: edition `{name}`"
            if str(name) in marks:
                raise ManualError(f"{where}: the name is already used by {marks[str(name)][1]}; expected each "
                                  "edition name once")
            try:
                sha = repository.commit(str(reference)).hexsha
            except (git.BadName, ValueError) as error:
                raise ManualError(f"{where}: `{reference}` is not a commit of this repository") from error
            marks[str(name)] = (sha, where)
    editions = []
    for name, (sha, marked_by) in marks.items():
        if not _NAME.match(name):
            raise ManualError(f"{marked_by}: `{name}` cannot name an edition; expected letters, digits, `.`, `_`, `-`")
        if sha not in published:
            raise ManualError(f"{marked_by}: commit {sha[:12]} is not on the published branch's first-parent "
                              "history; mark a version that was published")
        editions.append(Edition(name, Version(sha, dt.datetime.fromisoformat(published[sha])), marked_by))
    return sorted(editions, key=lambda edition: (edition.version.landed_at, edition.name))


def build_editions(manual: Manual, site: Path, zone: ZoneInfo) -> list[Path]:
    """Build (or take from the cache) every edition into `site/editions/<name>/`, and `versions.json`."""
    editions = find_editions(manual)
    target_root = site / "editions"
    built = []
    for edition in editions:
        cached = manual.root / ".cache" / "procedures" / "editions" / f"{edition.name}-{edition.version.sha}"
        if not (cached / "index.html").is_file():
            banner = f"edition {edition.name} {edition.day(zone).isoformat()} {edition.version.sha}"
            try:
                build_tree(manual, edition.version, cached, banner, site)
            except ManualError as error:
                raise ManualError(f"{edition.marked_by} does not build: {error}") from error
        target = target_root / edition.name
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(cached, target)
        built.append(target)
    if editions:
        versions = [{"version": edition.name, "title": f"Edition {edition.name}",
                     "aliases": []} for edition in reversed(editions)]
        (target_root / "versions.json").write_text(json.dumps(versions, indent=2), encoding="utf-8")
    return built
