"""`make bench`: what boards and history cost, against a plain Material build of the same manual.

For each size it writes a synthetic manual (see `synthetic.py`), then alternates builds:
R, the regional manual alone with Material and `navigation.prune`, our plugin disabled; and S, the
full site: regional, every board, amendments, what-changed views. Each build runs in its own process,
so wall time, processor time and peak memory are the build's own (with S's helper processes, which
make board copies and what-changed views beside MkDocs). It reports medians, S/R, S's time by phase,
how the costs grow with chapters (N), boards (B) and commits (C), the what-changed views' phase with
and without the cache of comparisons, history reading on its own, the time `make serve` (`mkdocs
serve --dirty`) takes to show an edited chapter, overlay and `board.yml`, and each against the
performance issue's targets.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs_procedures.core.history import forget_read_histories, read_history

from .history_check import check_repository
from .synthetic import SyntheticManual, SyntheticProject

TARGET_RATIO = 1.0
"""S no slower than R: ten sites in the time Material builds one."""
TARGET_CPU_RATIO = 2.0
TARGET_MEMORY_RATIO = 1.5
TARGET_COLD_RATIO = 1.5
"""A build with no `.cache` against one with it."""
TARGET_SIZES = ((300, 9, 5000), (1000, 9, 5000))
"""The sizes the ratio targets are set at."""
TARGET_HISTORY_PER_10K = 1.0
TARGET_SERVE = 0.5
TARGET_CHECK = 0.25
"""`procedures check` costs at most a quarter of the full build it stands in for."""
PHASES = ("history read", "overlay merge", "markdown render", "template render", "board pages",
          "amendment logs", "what-changed and amendment pages", "search index split")
IN_HELPER = ("board pages", "amendment logs", "what-changed and amendment pages")
"""Phases the plugin's helper processes run beside MkDocs (see `mkdocs_procedures/machinery/helper.py`)."""


@dataclass(frozen=True)
class Size:
    chapters: int
    boards: int
    commits: int

    def __str__(self) -> str:
        return f"N={self.chapters} B={self.boards} C={self.commits}"


@dataclass
class Result:
    size: Size
    regional: list[float] = field(default_factory=list)
    full: list[float] = field(default_factory=list)
    regional_memory: list[int] = field(default_factory=list)
    full_memory: list[int] = field(default_factory=list)
    regional_cpu: list[float] = field(default_factory=list)
    full_cpu: list[float] = field(default_factory=list)
    phases: list[dict[str, float]] = field(default_factory=list)
    history: list[float] = field(default_factory=list)
    check: list[float] = field(default_factory=list)
    """`procedures check` of the same manual, in its own process."""
    pages: int = 0
    cold: float = 0.0
    """S with no `.cache` (every comparison and QR code drawn): the first build of a manual, and CI's
    when it keeps no cache. Not in the medians, which are of builds with the cache."""
    cold_phases: dict[str, float] = field(default_factory=dict)

    @property
    def ratio(self) -> float:
        return statistics.median(self.full) / statistics.median(self.regional)


_LAUNCHER = """
import json, os, subprocess, sys, time
for line in sys.stdin:
    command, environment, folder = json.loads(line)
    started = time.perf_counter()
    child = subprocess.Popen(command, env=environment, cwd=folder)
    _, status, usage = os.wait4(child.pid, 0)
    print(json.dumps([time.perf_counter() - started, os.waitstatus_to_exitcode(status), usage.ru_maxrss,
                      usage.ru_utime + usage.ru_stime]), flush=True)
"""


class Launcher:
    """A small process that starts each build and reports what it took. The peak memory the system reports
    for a process counts the process that started it, as it was when it did: this one stays small, where
    the bench's own grows as it writes synthetic manuals and reads their histories (a 10,000-commit
    manual written first made every later build, R's too, report at least 140 MiB)."""

    def __init__(self) -> None:
        self.process: subprocess.Popen[str] | None = None

    def run(self, command: list[str], environment: dict[str, str], folder: Path) -> tuple[float, int, int, float]:
        """Wall seconds, exit code, peak resident memory in KiB and processor seconds of `command`."""
        if self.process is None or self.process.poll() is not None:
            self.process = subprocess.Popen([sys.executable, "-c", _LAUNCHER], stdin=subprocess.PIPE,
                                            stdout=subprocess.PIPE, text=True)
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps([command, environment, str(folder)]) + "\n")
        self.process.stdin.flush()
        elapsed, code, memory, cpu = json.loads(self.process.stdout.readline())
        return elapsed, code, memory, cpu


LAUNCHER = Launcher()


def build(manual: Path, config: str, out: Path, timings: Path | None) -> tuple[float, int, float]:
    """One strict build in a child process of `LAUNCHER`: wall seconds, peak resident memory in MiB (of
    the largest of its processes), and processor seconds (user and system, the helper processes' included)."""
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if timings is not None:
        environment["PROCEDURES_TIMINGS"] = str(timings)
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", str(manual / config),
               "-d", str(out)]
    elapsed, code, memory, cpu = LAUNCHER.run(command, environment, manual)
    if code != 0:
        raise SystemExit(f"the build of {manual / config} failed")
    return elapsed, memory // 1024, cpu


def measure(size: Size, runs: int, work: Path) -> Result:
    manual = work / f"manual-{size.chapters}-{size.boards}-{size.commits}"
    if not manual.exists():
        SyntheticManual(size.chapters, size.boards, size.commits).write(manual)
    result = Result(size)
    timings = work / "timings.json"
    shutil.rmtree(manual / ".cache", ignore_errors=True)
    result.cold, _, _ = build(manual, "mkdocs.yml", work / "site-full", timings)
    result.cold_phases = json.loads(timings.read_text())["seconds"]
    for _ in range(runs):  # alternate, so drift in the machine's speed hits both alike
        seconds, memory, cpu = build(manual, "mkdocs-plain.yml", work / "site-plain", None)
        result.regional.append(seconds)
        result.regional_memory.append(memory)
        result.regional_cpu.append(cpu)
        seconds, memory, cpu = build(manual, "mkdocs.yml", work / "site-full", timings)
        result.full.append(seconds)
        result.full_memory.append(memory)
        result.full_cpu.append(cpu)
        result.phases.append(json.loads(timings.read_text())["seconds"])
        forget_read_histories()
        started = time.perf_counter()
        read_history(manual, ["docs", "boards"])
        result.history.append(time.perf_counter() - started)
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "procedures_tools.cli", "--root", str(manual), "check"],
                       env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, check=True, capture_output=True)
        result.check.append(time.perf_counter() - started)
    result.pages = sum(1 for _ in (work / "site-full").rglob("*.html"))
    return result


SERVE_EDITS = ("chapter", "overlay", "board.yml")
"""What `make serve` is timed showing: an edit to a chapter, to a board's overlay of it, and to the board's
`board.yml` (its front door's number, which that overlay shows)."""


def serve_latencies(size: Size, work: Path, runs: int, port: int = 8765) -> dict[str, list[float]]:
    """Seconds from saving a file to `make serve` (`mkdocs serve --dirty`) serving the new text, `runs` times
    for each of `SERVE_EDITS`. After each edit the file is put back, and the server shows that too."""
    manual = work / f"manual-{size.chapters}-{size.boards}-{size.commits}"
    if not manual.exists():
        SyntheticManual(size.chapters, size.boards, size.commits).write(manual)
    board = "board-1" if size.boards > 1 else "board-0"
    chapter = next((manual / "docs").rglob("chapter-1.md"))
    overlay, board_file = manual / "boards" / board / "overlays/chapter-1.md", manual / "boards" / board / "board.yml"
    originals = {path: path.read_text() for path in (chapter, overlay, board_file)}
    site = f"http://127.0.0.1:{port}/"
    regional, boards = f"{site}{chapter.parent.name}/chapter-1/", f"{site}{board}/{chapter.parent.name}/chapter-1/"
    number = re.search(r"01632 960\d{3}", originals[board_file])
    if not overlay.is_file() or number is None:
        raise SystemExit(f"{overlay} and a front door number in {board_file} are needed to time `make serve`")

    def edit(kind: str, run: int) -> tuple[Path, str, str, str]:
        """The file, its edited text, the page showing it and the text to wait for."""
        marker = f"edited-{time.time_ns()}"
        if kind == "chapter":
            return chapter, originals[chapter] + f"\n{marker}\n", regional, marker
        if kind == "overlay":
            return overlay, originals[overlay].replace("local text,", f"local text {marker},"), boards, marker
        phone = f"01632 960{900 + run:03d}"  # the drama range
        return board_file, originals[board_file].replace(number.group(), phone), boards, phone

    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dirty", "-q",
                               "-f", str(manual / "mkdocs.yml"), "-a", f"127.0.0.1:{port}"],
                              cwd=manual, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seconds: dict[str, list[float]] = {kind: [] for kind in SERVE_EDITS}
    try:
        _wait_for(regional, lambda page: True, timeout=600)
        for run in range(runs):
            for kind in SERVE_EDITS:
                path, text, url, shown = edit(kind, run)
                time.sleep(0.5)  # the server is idle
                started = time.perf_counter()
                path.write_text(text)
                _wait_for(url, lambda page, shown=shown: shown in page, timeout=600)
                seconds[kind].append(time.perf_counter() - started)
                path.write_text(originals[path])
                _wait_for(url, lambda page, shown=shown: shown not in page, timeout=600)
        return seconds
    finally:
        for path, text in originals.items():
            path.write_text(text)
        server.terminate()
        server.wait(timeout=30)


def _wait_for(url: str, ready: object, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if ready(response.read().decode()):  # type: ignore[operator]
                    return
        except OSError:
            pass
        time.sleep(0.05)
    raise SystemExit(f"{url} did not become ready in {timeout:.0f} s")


def report(results: list[Result], serve: tuple[Size, dict[str, list[float]]] | None) -> str:
    lines = [
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}",
        "",
        "| size | pages (S) | R median | S median | S/R | R CPU | S CPU | S/R CPU | R peak MiB | S peak MiB "
        "| history read | check | check/S |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for result in results:
        lines.append(
            f"| {result.size} | {result.pages} | {statistics.median(result.regional):.2f} s | "
            f"{statistics.median(result.full):.2f} s | {result.ratio:.2f} | "
            f"{statistics.median(result.regional_cpu):.2f} s | {statistics.median(result.full_cpu):.2f} s | "
            f"{statistics.median(result.full_cpu) / statistics.median(result.regional_cpu):.2f} | "
            f"{statistics.median(result.regional_memory)} | {statistics.median(result.full_memory)} | "
            f"{statistics.median(result.history):.3f} s | {statistics.median(result.check):.2f} s | "
            f"{statistics.median(result.check) / statistics.median(result.full):.2f} |"
        )
    lines += ["", "S by phase (median seconds; " + " and ".join(IN_HELPER) + " run in the helper processes, "
              "beside the others):", "",
              "| size | " + " | ".join(PHASES) + " | other (MkDocs, Material, writing) |",
              "| --- |" + " ---: |" * (len(PHASES) + 1)]
    for result in results:
        medians = {phase: statistics.median(run.get(phase, 0.0) for run in result.phases) for phase in PHASES}
        counted = sum(value for phase, value in medians.items() if phase not in IN_HELPER)
        other = statistics.median(result.full) - counted
        lines.append(f"| {result.size} | " + " | ".join(f"{medians[p]:.2f}" for p in PHASES) + f" | {other:.2f} |")
    views = IN_HELPER[2]
    lines += ["", f"The {views} phase, cold (no `.cache`: every comparison made) and warm (medians):", "",
              "| size | views cold | views warm | S cold | S warm |", "| --- | ---: | ---: | ---: | ---: |"]
    for result in results:
        warm = statistics.median(run.get(views, 0.0) for run in result.phases)
        lines.append(f"| {result.size} | {result.cold_phases.get(views, 0.0):.2f} s | {warm:.2f} s | "
                     f"{result.cold:.2f} s | {statistics.median(result.full):.2f} s |")
    lines += ["", "Targets:"]
    for result in results:
        if (result.size.chapters, result.size.boards, result.size.commits) in TARGET_SIZES:
            cpu = statistics.median(result.full_cpu) / statistics.median(result.regional_cpu)
            memory = statistics.median(result.full_memory) / statistics.median(result.regional_memory)
            lines += [_verdict(f"S/R at {result.size}", result.ratio, TARGET_RATIO, ""),
                      _verdict(f"S/R in processor time at {result.size}", cpu, TARGET_CPU_RATIO, ""),
                      _verdict(f"S/R in peak memory at {result.size}", memory, TARGET_MEMORY_RATIO, ""),
                      _verdict(f"S cold / S warm at {result.size}", result.cold / statistics.median(result.full),
                               TARGET_COLD_RATIO, "")]
    for result in results:
        lines.append(_verdict(f"`procedures check` against S at {result.size}",
                              statistics.median(result.check) / statistics.median(result.full), TARGET_CHECK, ""))
    for result in results:
        per_10k = statistics.median(result.history) * 10_000 / max(1, result.size.commits)
        lines.append(_verdict(f"history read at {result.size}, per 10,000 commits", per_10k,
                              TARGET_HISTORY_PER_10K, " s"))
    lines += _growth(results)
    if serve is not None:
        size, seconds = serve
        for kind, values in seconds.items():
            lines.append(_verdict(f"`make serve` (`mkdocs serve --dirty`) shows an edit to a {kind} at {size} "
                                  f"(median of {len(values)}; slowest {max(values):.2f} s)",
                                  statistics.median(values), TARGET_SERVE, " s"))
    return "\n".join(lines) + "\n"


def _verdict(what: str, value: float, target: float, unit: str) -> str:
    met = "met" if value <= target else "MISSED"
    return f"- {what}: {value:.2f}{unit} (target <= {target}{unit}): {met}"


def _growth(results: list[Result]) -> list[str]:
    """Cost per unit as each of N, B and C grows with the others fixed: flat means linear."""
    lines = []
    for name, index in (("N", 0), ("B", 1), ("C", 2)):
        def fixed(result: Result, skip: int = index) -> tuple[int, ...]:
            values = (result.size.chapters, result.size.boards, result.size.commits)
            return tuple(value for position, value in enumerate(values) if position != skip)

        groups: dict[tuple[int, ...], list[Result]] = {}
        for result in results:
            groups.setdefault(fixed(result), []).append(result)
        for group in groups.values():
            if len(group) < 2:
                continue
            group.sort(key=lambda r: (r.size.chapters, r.size.boards, r.size.commits)[index])
            steps = []
            for result in group:
                amount = (result.size.chapters, max(1, result.size.boards) + 1, result.size.commits)[index]
                steps.append(f"{name}={(result.size.chapters, result.size.boards, result.size.commits)[index]}: "
                             f"{statistics.median(result.full) / amount * 1000:.2f} ms per unit")
            unit = ("chapter", "site", "commit")[index]
            lines.append(f"- growth in {name} (S median per {unit}): " + ", ".join(steps))
    return lines


SMALL = [Size(100, 3, 500)]
FULL = [
    Size(100, 9, 5000), Size(300, 9, 5000), Size(1000, 9, 5000),
    Size(300, 1, 5000), Size(300, 3, 5000),
    Size(300, 9, 1000), Size(300, 9, 10000),
]


HISTORY_SMALL = (2000,)
HISTORY_FULL = (2000, 10_000)
"""Commits of the synthetic projects whose history read is measured and checked on its own."""


def history_of_projects(commits: tuple[int, ...], runs: int, work: Path) -> str:
    """The history read on projects whose manual is one folder of a bigger repository: time, memory, and
    the log checked against plain git (see `history_check.py`)."""
    sections = ["History read on projects whose manual is one folder of a bigger repository (code, bulk "
                "asset moves, merged pull requests):", ""]
    for count in commits:
        print(f"measuring the history read of a project with {count} commits...", file=sys.stderr, flush=True)
        root = SyntheticProject(count).write(work / f"project-{count}")
        sections += [check_repository(root, "docs", runs), ""]
    return "\n".join(sections).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--full", action="store_true", help="the sizes of the performance targets (slow)")
    parser.add_argument("--runs", type=int, default=3, help="builds of each kind per size (default 3)")
    parser.add_argument("--size", action="append", default=[], metavar="N,B,C", help="a size of your own")
    parser.add_argument("--no-serve", action="store_true", help="skip the `mkdocs serve` edit measurement")
    parser.add_argument("--work", help="keep the generated manuals here (default: a temporary folder)")
    parser.add_argument("--history", action="store_true", help="only the history read: its time, memory and a "
                        "check of its log, on projects whose manual is one folder of many (or on --repo)")
    parser.add_argument("--repo", type=Path, help="with --history: a repository of your own (its docs/ folder)")
    parser.add_argument("--docs", default="docs", help="with --repo: the manual's folder (default: docs)")
    arguments = parser.parse_args(argv)
    if arguments.repo is not None:
        print(check_repository(arguments.repo.resolve(), arguments.docs, arguments.runs))
        return 0
    sizes = [Size(*map(int, size.split(","))) for size in arguments.size] or (FULL if arguments.full else SMALL)
    work = Path(arguments.work) if arguments.work else Path(tempfile.mkdtemp(prefix="procedures-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        projects = HISTORY_FULL if arguments.full else HISTORY_SMALL
        if arguments.history:
            print(history_of_projects(projects, arguments.runs, work))
            return 0
        results = []
        for size in sizes:
            print(f"measuring {size} ({arguments.runs} runs of each build)...", file=sys.stderr, flush=True)
            results.append(measure(size, arguments.runs, work))
        serve = None
        if not arguments.no_serve:
            serve_size = Size(300, 9, 5000) if arguments.full else sizes[0]
            print(f"measuring `mkdocs serve` at {serve_size}...", file=sys.stderr, flush=True)
            serve = (serve_size, serve_latencies(serve_size, work, arguments.runs))
        print(report(results, serve))
        print()
        # Last: its memory is measured in this process (see `Launcher` for the builds').
        print(history_of_projects(projects, arguments.runs, work))
    finally:
        if not arguments.work:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
