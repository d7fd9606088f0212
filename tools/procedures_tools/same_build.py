"""`make same-build BEFORE=<commit>`: does a change to the plugin's code change what readers get?

The manual (as committed at HEAD) is built twice at one fixed time (`SOURCE_DATE_EPOCH`): once with
the plugin's and tools' code as it was at an earlier commit, once with the code in the work tree.
Each build is a fresh clone with its own empty `.cache/`, so nothing made by one is reused by the
other. Every file of the two sites (the regional site, every board's, and every edition's, PDFs
left out: Chromium stamps them with the time it printed) is compared byte for byte. Use it for a
change that must not change the output, such as moving modules or a faster path to the same pages.

Exit codes: 0 the same; 1 files differ; 2 a build failed.
"""

from __future__ import annotations

import argparse
import difflib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

CODE_FOLDERS = ("plugins", "tools")
COMPARED_AWAY = (".pdf",)
"""Files left out of the comparison: Chromium writes the time it printed into every PDF."""


def _git(root: Path, *arguments: str) -> str:
    return subprocess.run(["git", *arguments], cwd=root, check=True, capture_output=True, text=True).stdout


def code_at(project: Path, commit: str, target: Path) -> Path:
    """The plugin's and tools' code as it was at `commit`, written out into `target`."""
    target.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", commit, *CODE_FOLDERS], cwd=project, check=True,
                             capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target


def build_with(project: Path, code: Path, work: Path, epoch: str) -> Path:
    """A fresh clone of the manual, built with the code in `code` (its `plugins/` and `tools/` first
    on the import path), with every edition; returns the built site."""
    manual = work / "manual"
    subprocess.run(["git", "clone", "-q", "--no-local", str(project), str(manual)], check=True)
    environment = {
        **os.environ,
        "SOURCE_DATE_EPOCH": epoch,
        "NO_MKDOCS_2_WARNING": "1",
        "PYTHONPATH": os.pathsep.join(str(code / folder) for folder in CODE_FOLDERS),
    }
    site = work / "site"
    steps = [
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(site)],
        [sys.executable, "-m", "procedures_tools.cli", "editions", "--site", str(site), "--no-pdf"],
    ]
    for step in steps:
        done = subprocess.run(step, cwd=manual, env=environment, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(step[2:4])} failed with the code in {code}:\n{done.stderr.strip()}")
    return site


def compare_sites(before: Path, after: Path) -> list[str]:
    """What differs between two built sites, one line a file (with the first lines that differ)."""
    def files(site: Path) -> set[str]:
        return {path.relative_to(site).as_posix() for path in site.rglob("*")
                if path.is_file() and not path.name.endswith(COMPARED_AWAY)}

    old, new = files(before), files(after)
    differences = [f"only before: {name}" for name in sorted(old - new)]
    differences += [f"only after: {name}" for name in sorted(new - old)]
    for name in sorted(old & new):
        first, second = (before / name).read_bytes(), (after / name).read_bytes()
        if first == second:
            continue
        lines = difflib.unified_diff(first.decode("utf-8", "replace").splitlines(),
                                     second.decode("utf-8", "replace").splitlines(), lineterm="", n=0)
        shown = [line[:200] for line in list(lines)[2:8]]
        differences.append("\n    ".join([f"differs: {name}", *shown]))
    return differences


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="same-build", description=__doc__.splitlines()[0])
    parser.add_argument("before", help="the commit whose plugin code is compared with the work tree's")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="the manual's folder (default: here)")
    parser.add_argument("--keep", action="store_true", help="keep both builds and say where they are")
    arguments = parser.parse_args(argv)
    project = Path(_git(arguments.root, "rev-parse", "--show-toplevel").strip())
    epoch = _git(project, "log", "-1", "--format=%ct").strip()
    work = Path(tempfile.mkdtemp(prefix="same-build-"))
    try:
        before_code = code_at(project, arguments.before, work / "code-before")
        try:
            before = build_with(project, before_code, work / "before", epoch)
            after = build_with(project, project, work / "after", epoch)
        except RuntimeError as error:
            print(error, file=sys.stderr)
            return 2
        differences = compare_sites(before, after)
        count = sum(1 for path in after.rglob("*") if path.is_file())
        for line in differences:
            print(line)
        print(f"{len(differences)} of {count} files differ (PDFs not compared)")
        if arguments.keep:
            print(f"builds kept in {work}")
        return 1 if differences else 0
    finally:
        if not arguments.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
