"""`procedures`: check the manual before publishing it, without building the site."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from mkdocs_procedures.chapters import Chapter, duplicate_ids, read_chapter
from mkdocs_procedures.problems import Problem, Severity


def check_chapters(root: Path, docs_dir: str = "docs") -> list[Problem]:
    """Every front-matter problem in the regional chapters under `root/docs_dir`."""
    problems: list[Problem] = []
    chapters: list[Chapter] = []
    for source in sorted((root / docs_dir).rglob("*.md")):
        path = source.relative_to(root).as_posix()
        src_uri = source.relative_to(root / docs_dir).as_posix()
        chapter, found = read_chapter(path, source.read_text(encoding="utf-8"), src_uri)
        problems.extend(found)
        if chapter is not None:
            chapters.append(chapter)
    problems.extend(duplicate_ids(chapters))
    return problems


def run_check(arguments: argparse.Namespace) -> int:
    problems = check_chapters(Path(arguments.root))
    for problem in problems:
        print(f"{problem} [{problem.severity.value}]")
    return 1 if any(problem.severity is Severity.ERROR for problem in problems) else 0


def parser() -> argparse.ArgumentParser:
    main_parser = argparse.ArgumentParser(
        prog="procedures", description="Tools for editors and board admins of the procedures manual."
    )
    commands = main_parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser(
        "check", help="report problems a strict build would reject, one `path:line: message` a line"
    )
    check.add_argument("--root", default=".", help="the manual's folder (holding mkdocs.yml)")
    check.set_defaults(run=run_check)
    return main_parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = parser().parse_args(argv)
    status: int = arguments.run(arguments)
    return status


if __name__ == "__main__":
    sys.exit(main())
