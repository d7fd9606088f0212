"""`procedures as-at <date>`: the manual as it stood at the end of a day, built for a review panel.

The published branch's last first-parent commit on or before the end of that day (in the manual's
time zone) is checked out into a temporary worktree and built strictly, with a banner on every page
saying which day and version it shows and that it is not the current procedure.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from .manual import Manual, ManualError

AS_AT_VARIABLE = "PROCEDURES_AS_AT"
CURRENT_SITE_VARIABLE = "PROCEDURES_CURRENT_SITE"


@dataclass(frozen=True)
class Version:
    sha: str
    landed_at: dt.datetime


def parse_day(text: str) -> dt.date:
    try:
        if len(text) != 10:
            raise ValueError(text)
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise ManualError(f"`{text}` is not a date written YYYY-MM-DD (like 2019-03-01)") from error


def version_at(manual: Manual, day: dt.date, zone: ZoneInfo, today: dt.date) -> Version:
    """The last commit of the published branch on or before the end of `day`."""
    if day > today:
        raise ManualError(f"{day.isoformat()} is in the future; the manual can only be shown as it stood up to "
                          f"today ({today.isoformat()})")
    repository = manual.repository()
    log = repository.git.log("--first-parent", "--format=%H %cI", "HEAD").split("\n")
    pairs = (line.split(" ") for line in log if line)
    versions = [Version(sha, dt.datetime.fromisoformat(date)) for sha, date in pairs]
    end_of_day = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), zone)
    for version in versions:  # newest first
        if version.landed_at < end_of_day:
            return version
    first = versions[-1].landed_at.astimezone(zone).date() if versions else None
    raise ManualError(f"{day.isoformat()} is before the manual's first version"
                      + (f" ({first.isoformat()})" if first else "") + "; choose a later date")


def build_as_at(manual: Manual, day: dt.date, version: Version, output: Path, board: str | None) -> Path:
    """Build the manual as it stood in `version` into `output`; returns the page to open."""
    build_tree(manual, version, output, f"as-at {day.isoformat()} {version.sha}", None, board)
    return output / (f"{board}/index.html" if board else "index.html")


def build_tree(manual: Manual, version: Version, output: Path, banner: str, current_site: Path | None,
               board: str | None = None) -> None:
    """Build the manual as it stood in `version` into `output`, each page bannered as `banner` says
    (`as-at <day> <sha>` or `edition <name> <day> <sha>`); `current_site` lets an edition link each page
    to its current version."""
    with version_tree(manual, version.sha) as project:
        if board is not None and not (project / (manual.boards_dir or "boards") / board / "board.yml").is_file():
            raise ManualError(f"no board `{board}` in the manual as it stood in version {version.sha[:12]}")
        build_version(project, version, output, banner, current_site)


@contextmanager
def version_tree(manual: Manual, sha: str) -> Iterator[Path]:
    """The manual's folder as it stood in commit `sha`, in a temporary git worktree removed afterwards."""
    repository = manual.repository()
    top = Path(repository.working_tree_dir or manual.root)
    prefix = manual.root.resolve().relative_to(top.resolve())
    work = Path(tempfile.mkdtemp(prefix="procedures-build-"))
    tree = work / "tree"
    repository.git.worktree("add", "--detach", str(tree), sha)
    try:
        yield tree / prefix
    finally:
        repository.git.worktree("remove", "--force", str(tree))
        shutil.rmtree(work, ignore_errors=True)


def build_version(project: Path, version: Version, output: Path, banner: str, current_site: Path | None) -> None:
    """A strict build of the manual in `project` (a version's tree) into `output`, bannered as `banner` says."""
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1", AS_AT_VARIABLE: banner}
    if current_site is not None:
        environment[CURRENT_SITE_VARIABLE] = str(current_site.resolve())
    if output.exists():
        shutil.rmtree(output)
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet",
                           "-f", str(project / "mkdocs.yml"), "-d", str(output.resolve())],
                          cwd=project, env=environment, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise ManualError(f"version {version.sha[:12]} does not build:\n{done.stderr.strip()}")
