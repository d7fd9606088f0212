"""`procedures check`: what `mkdocs build --strict` would reject, found by that build itself.

Check runs MkDocs' own strict build of the manual, with this plugin, every other plugin and the
configured Markdown extensions, into a temporary folder, and stops short of rendering pages into the
theme and writing them (nor does the plugin make the boards' copies, what-changed views or feeds,
which only make output). Every validation runs as in a build: mkdocs.yml and the plugins' settings,
front matter, boards, overlays, board values, amendment records, editions, the history's
preconditions, links and anchors as MkDocs checks them, the navigation. So check and build give the
same verdict and the same messages, in the order the build finds them: an error that stops the build
(bad front matter, say) is the only one reported, as it is by the build, and nothing that merely
follows from it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from mkdocs.commands import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, ConfigurationError
from mkdocs.structure.files import Files

from mkdocs_procedures.core.problems import Problem, Severity

from .manual import Manual

CHECK_VARIABLE = "PROCEDURES_CHECK"
"""Tells the plugin that this build is a check: it makes nothing that is only output."""
_OURS = re.compile(r"^(?P<path>[^\s:]+):(?:(?P<line>\d+):)? (?P<message>.+)$")
_DOC_FILE = re.compile(r"^Doc file '(?P<path>[^']+)'")
_PREFIXES = ("procedures: ", "mkdocs_procedures: ")


def check_manual(manual: Manual) -> list[Problem]:
    """Every problem a strict build of the manual finds, in the order it finds them; a page MkDocs names
    by its place in the site is named by its file (a board's page is in `boards/<id>/pages/`)."""
    boards = manual.root / (manual.boards_dir or "boards")

    def source_of(src_uri: str) -> str:
        board, _, rest = src_uri.partition("/")
        if rest and (boards / board / "board.yml").is_file():  # one of a board's pages, or its copy of ours
            own = boards / board / "pages" / rest
            return own.relative_to(manual.root).as_posix() if own.is_file() else f"{manual.docs_dir}/{rest}"
        return f"{manual.docs_dir}/{src_uri}"

    return check_by_building(manual.root, source_of)


@contextmanager
def _pages_not_written() -> Iterator[None]:
    """MkDocs' build as it is, but for the templates: no page, theme file or static file is written. (The
    theme's files are still listed: a page may link to one.)"""
    saved = (mkdocs_build._build_page, mkdocs_build._build_theme_template, mkdocs_build._build_extra_template,
             Files.copy_static_files)
    mkdocs_build._build_page = lambda *arguments, **options: None
    mkdocs_build._build_theme_template = lambda *arguments, **options: None
    mkdocs_build._build_extra_template = lambda *arguments, **options: None
    Files.copy_static_files = lambda *arguments, **options: None  # type: ignore[method-assign]
    try:
        yield
    finally:
        mkdocs_build._build_page, mkdocs_build._build_theme_template, mkdocs_build._build_extra_template = saved[:3]
        Files.copy_static_files = saved[3]  # type: ignore[method-assign]


@contextmanager
def _environment(**variables: str) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in variables}
    os.environ.update(variables)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def check_by_building(root: Path, source_of: Callable[[str], str] = lambda src_uri: f"docs/{src_uri}",
                      ) -> list[Problem]:
    handler = _Kept(logging.WARNING)
    records = handler.records
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    configuration_error = None
    try:
        # In the manual's folder, as `mkdocs build` is run: extensions read paths relative to it (snippets).
        with tempfile.TemporaryDirectory(prefix="procedures-check-") as site, _pages_not_written(), \
                _environment(**{CHECK_VARIABLE: "1", "NO_MKDOCS_2_WARNING": "1"}), contextlib.chdir(root):
            try:
                config = load_config(config_file=str(root / "mkdocs.yml"), strict=True, site_dir=site)
                mkdocs_build.build(config)
            except Abort:
                pass  # what made the build stop has been logged
            except ConfigurationError as error:
                configuration_error = str(error)
    finally:
        logger.removeHandler(handler)
    problems = [problem for record in records for problem in _problems(record, source_of)
                if not problem.message.startswith("Aborted with")]
    if configuration_error is not None:
        problems.append(Problem("mkdocs.yml", None, _without_prefix(configuration_error)))
    return problems


class _Kept(logging.Handler):
    """Keeps what the build logs, to report it."""

    def __init__(self, level: int) -> None:
        super().__init__(level)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def _without_prefix(text: str) -> str:
    for prefix in _PREFIXES:
        text = text.removeprefix(prefix)
    return text


def _problems(record: logging.LogRecord, source_of: Callable[[str], str]) -> list[Problem]:
    """A build's log message as problems: ours name their file and line; MkDocs' its page."""
    severity = Severity.ERROR if record.levelno >= logging.ERROR else Severity.WARNING
    text = _without_prefix(record.getMessage().strip())
    lines = text.split("\n")
    if lines[0] == "the manual has errors:":
        lines = lines[1:]
    if len(lines) > 1 or _OURS.match(lines[0]):
        found = []
        for line in lines:
            match = _OURS.match(line.strip())
            if match is None:
                found.append(Problem("mkdocs.yml", None, line.strip(), severity))
            else:
                found.append(Problem(match.group("path"), int(match.group("line")) if match.group("line") else None,
                                     match.group("message"), severity))
        return found
    page = _DOC_FILE.match(text)
    path = source_of(page.group("path")) if page else "mkdocs.yml"
    return [Problem(path, None, text, severity)]
