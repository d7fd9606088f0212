"""`make bench ARGS="--history --repo PATH"`: how long the history read takes on any repository, how much
memory it needs, and whether its log is right, checked against a reading of its own.

The check reads the published branch a second way, written for the benchmark and sharing nothing with
the plugin's reader: one plain `git log --first-parent --name-status` walk over the docs folder, each
file followed back through the renames git reports. Every commit that changed a page should be one
row per page, dated when it landed, and belong to the page that file is now (or, for a file deleted
since, to that deleted file alone). The plugin's rows are compared with those: missing, extra, wrong
date and wrong chapter are counted and the first few shown. Every commit counts here, editorial ones
too, so that the comparison is about which file and which day, not about the wording of messages.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from mkdocs_procedures.core.amendments import Catalogue, amendments_from_history
from mkdocs_procedures.core.history import History, read_history

Row = tuple[str, str, str]
"""(commit, page it belongs to, when it landed as ISO text)."""


def independent_rows(repo: Path, docs: str, live: set[str]) -> dict[tuple[str, str], str]:
    """(commit, page) → landing time, read with plain git. A page is `live:<path now>` for a file that
    exists now, else `withdrawn:<its last path>`."""
    raw = subprocess.run(["git", "log", "--first-parent", "--diff-merges=first-parent", "-M", "--name-status", "-z",
                          "--format=%x01%H%x02%cI", "HEAD", "--", f"{docs}/"], cwd=repo, capture_output=True,
                         check=True).stdout.decode("utf-8", errors="replace")
    rows: dict[tuple[str, str], str] = {}
    now: dict[str, str] = {}  # a path then → its path now, as renames are undone going back in time
    for record in raw.split("\x01")[1:]:
        head, _, names = record.partition("\x00")
        sha, when = head.split("\x02")
        tokens = names.strip("\n\x00").split("\x00") if names.strip("\n\x00") else []
        index = 0
        while index < len(tokens):
            status = tokens[index].strip()
            if status.startswith(("R", "C")):
                old, new = tokens[index + 1], tokens[index + 2]
                index += 3
            else:
                old, new = None, tokens[index + 1]
                index += 2
            path = now.get(new, new)
            if old is not None and status.startswith("R"):
                now[old] = path
            if path.endswith(".md") and path.startswith(f"{docs}/"):
                page = f"live:{path}" if path in live else f"withdrawn:{path}"
                rows[(sha, page)] = when
    return rows


def plugin_rows(history: History, docs: str, live: set[str]) -> dict[tuple[str, str], str]:
    """The same rows from the plugin's reader, with every commit counted (no message is editorial here)."""
    plain = dataclasses.replace(history, commits=tuple(dataclasses.replace(commit, trailers=(), subject="change")
                                                       for commit in history.commits))
    catalogue = Catalogue(chapters={path: (path, path) for path in live}, overlays={}, board_pages={},
                          board_names={}, docs_root=f"{docs}/", boards_root="\x00no boards/")
    rows: dict[tuple[str, str], str] = {}
    for amendment in amendments_from_history(plain, catalogue, ZoneInfo("UTC")):
        if amendment.board is not None or amendment.commit is None or amendment.landed_at is None:
            continue
        page = f"withdrawn:{amendment.path}" if amendment.withdrawn else f"live:{amendment.chapter}"
        rows[(amendment.commit, page)] = amendment.landed_at.isoformat()
    return rows


@dataclass
class Comparison:
    rows: int
    missing: list[tuple[str, str]] = field(default_factory=list)
    extra: list[tuple[str, str]] = field(default_factory=list)
    wrong_date: list[tuple[str, str]] = field(default_factory=list)
    wrong_chapter: list[tuple[str, str]] = field(default_factory=list)

    @property
    def right(self) -> bool:
        return not (self.missing or self.extra or self.wrong_date or self.wrong_chapter)


def compare(expected: dict[tuple[str, str], str], found: dict[tuple[str, str], str]) -> Comparison:
    """Rows in one reading and not the other; a commit listed under another page in each is a wrong chapter."""
    result = Comparison(rows=len(expected))
    missing = sorted(set(expected) - set(found))
    extra = sorted(set(found) - set(expected))
    extra_commits = {sha for sha, _ in extra}
    result.wrong_chapter = [key for key in missing if key[0] in extra_commits]
    result.missing = [key for key in missing if key[0] not in extra_commits]
    wrong_commits = {sha for sha, _ in result.wrong_chapter}
    result.extra = [key for key in extra if key[0] not in wrong_commits]
    result.wrong_date = [key for key in set(expected) & set(found)
                         if expected[key][:19] != found[key][:19] and _instant(expected[key]) != _instant(found[key])]
    return result


def _instant(text: str) -> float:
    return dt.datetime.fromisoformat(text).timestamp()


_READ_IN_CHILD = """
import json, sys, time
from pathlib import Path
from mkdocs_procedures.core.history import read_history
def memory(name):  # this process's own, in MiB (getrusage's peak also counts the parent's, before exec)
    for line in open("/proc/self/status"):
        if line.startswith(name + ":"):
            return int(line.split()[1]) // 1024
before = memory("VmRSS")
started = time.perf_counter()
history = read_history(Path(sys.argv[1]), sys.argv[2:])
seconds = time.perf_counter() - started
peak = memory("VmHWM")
print(json.dumps({"seconds": seconds, "peak": peak, "before": before, "commits": len(history.commits)}))
"""


def timed_read(repo: Path, roots: Sequence[str], runs: int) -> dict[str, float]:
    """The history read in a process of its own, `runs` times: median seconds, and the most memory it
    took above what the process held before reading (MiB)."""
    results = []
    for _ in range(runs):
        done = subprocess.run([sys.executable, "-c", _READ_IN_CHILD, str(repo), *roots], capture_output=True,
                              text=True, check=True, env={**os.environ, "PYTHONHASHSEED": "0"})
        results.append(json.loads(done.stdout))
    return {"seconds": statistics.median(r["seconds"] for r in results),
            "peak": max(r["peak"] - r["before"] for r in results),
            "commits_read": results[0]["commits"]}


def live_pages(repo: Path, docs: str) -> set[str]:
    listed = subprocess.run(["git", "ls-tree", "-r", "--name-only", "HEAD", "--", f"{docs}/"], cwd=repo,
                            capture_output=True, text=True, check=True).stdout.split("\n")
    return {path for path in listed if path.endswith(".md")}


def check_repository(repo: Path, docs: str = "docs", runs: int = 3) -> str:
    """The report for one repository: its size, the read's time and memory, and the comparison."""
    total = int(subprocess.run(["git", "rev-list", "--count", "HEAD"], cwd=repo, capture_output=True, text=True,
                               check=True).stdout)
    timing = timed_read(repo, [docs], runs)
    live = live_pages(repo, docs)
    history = read_history(repo, [docs])
    comparison = compare(independent_rows(repo, docs, live), plugin_rows(history, docs, live))
    per_10k = timing["seconds"] * 10_000 / max(1, total)
    lines = [
        f"repository: {repo.name}: {total} commits, {int(timing['commits_read'])} on the published branch change "
        f"{docs}/",
        f"history read: {timing['seconds']:.3f} s (median of {runs}), {per_10k:.3f} s per 10,000 commits; "
        f"memory: {timing['peak']:.0f} MiB above the process before the read",
        f"log checked against plain git: {comparison.rows} rows; {len(comparison.missing)} missing, "
        f"{len(comparison.extra)} extra, {len(comparison.wrong_date)} wrong date, "
        f"{len(comparison.wrong_chapter)} wrong chapter",
    ]
    for name in ("missing", "extra", "wrong_date", "wrong_chapter"):
        for sha, page in getattr(comparison, name)[:5]:
            lines.append(f"  {name.replace('_', ' ')}: {sha[:12]} {page}")
    return "\n".join(lines)
